"""
The teacher's voice across two server processes on Redis: a teacher on one
worker, pupils on both; every listener gets every bundle byte for byte,
a data-saver pupil none, a late joiner on the other process learns the
stream from room.state, and the recording holds every bundle.
"""

import asyncio
import time

from live import protocol as p
from live.models import LiveRecording
from tests.live.conftest import Room, ticket_for
from tests.live.multiprocess.clients import Client, connect, open_client
from tests.live.multiprocess.servers import NEEDS_SERVICES

pytestmark = NEEDS_SERVICES

PACKET = bytes([11 << 3]) + b"\x07" * 89
START = {"codec": "opus", "sample_rate": 48000, "channels": 1, "frame_ms": 60}


def test_bundles_reach_listeners_on_both_processes_and_are_recorded(servers):
    port_a, port_b = servers
    room = Room(students=3)
    teacher, s1, s2, s3 = room.teacher, *room.students
    tickets = {u.pk: ticket_for(u, room.session) for u in (teacher, s1, s2, s3)}
    sid = room.session.pk
    bundles = [p.build_bundle(n, n * 360, [PACKET] * 6) for n in range(8)]

    async def scenario():
        t = await open_client(teacher, tickets[teacher.pk], port_a, sid)
        a = await open_client(s1, tickets[s1.pk], port_a, sid)
        b = await open_client(s2, tickets[s2.pk], port_b, sid)
        saver_ws = await connect(port_b, sid, f"{tickets[s3.pk]}&data_saver=1")
        saver = Client(s3, saver_ws)
        state = await saver.wait("room.state")
        assert state["audio"] is None
        await t.send(type="audio.start", kbps=12, **START)
        for client in (a, b, saver):
            await client.wait("audio.started")
        for data in bundles[:4]:
            await t.ws.send(data)
        late = await open_client(s2, tickets[s2.pk], port_a, sid)
        assert late.of("room.state")[0]["audio"]["live"] is True
        for data in bundles[4:]:
            await t.ws.send(data)
            await asyncio.sleep(0.1)
        deadline = time.monotonic() + 10
        while (len(a.binary) < 8 or len(b.binary) < 8) and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        assert a.binary == bundles and b.binary == bundles
        assert late.binary == bundles[-len(late.binary) :] and late.binary
        assert saver.binary == [] and t.binary == []
        await t.send(type="audio.stop")
        await b.wait("audio.stopped")
        for client in (t, a, b, saver, late):
            await client.ws.close()

    asyncio.run(scenario())
    deadline = time.monotonic() + 10
    while not LiveRecording.objects.filter(session_id=sid, bundles=8).exists():
        assert time.monotonic() < deadline, LiveRecording.objects.values()
        time.sleep(0.1)
    data = LiveRecording.objects.get(session_id=sid).file.read()
    assert data.count(PACKET) == 48
