"""
The teacher's voice through a room (section 6): bundles relayed unchanged
to every listening socket, nothing from anyone else, bad bundles refused
with the socket kept open, and the session's recording.
"""

import asyncio
import json

import pytest
import pytest_asyncio
from channels.db import database_sync_to_async as db

from live import protocol as p
from live.models import LiveRecording
from tests.live.conftest import Room, connect, joined, next_of

from .test_bundles import PACKET_60MS

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

START = {
    "type": "audio.start",
    "codec": "opus",
    "sample_rate": 48000,
    "channels": 1,
    "frame_ms": 60,
    "kbps": 12,
}


def bundle(seq, packets=6):
    return p.build_bundle(seq, seq * 360, [PACKET_60MS] * packets)


async def next_binary(comm, timeout=2):
    """The next binary frame, skipping text ones."""
    while True:
        out = await comm.receive_output(timeout)
        if out["type"] == "websocket.close":
            raise AssertionError(f"closed {out.get('code')}")
        if out.get("bytes") is not None:
            return out["bytes"]


async def nothing_binary(comm):
    """The socket gets no binary frame: its own ping is answered first."""
    await comm.send_to(text_data=json.dumps({"type": "ping", "t": "x"}))
    while True:
        out = await comm.receive_output(2)
        assert out.get("bytes") is None, "a bundle was relayed"
        frame = json.loads(out["text"])
        if frame["type"] == "pong":
            return


async def built(session, bundles, timeout=5.0):
    """The session's recording once it holds ``bundles`` (it is built just
    after audio.stopped goes out)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        recording = await db(
            LiveRecording.objects.filter(session=session, bundles=bundles).first
        )()
        if recording is not None or loop.time() > deadline:
            assert recording is not None, "no recording was built"
            return recording
        await asyncio.sleep(0.05)


@pytest_asyncio.fixture
async def room():
    return await db(Room)()


async def test_a_bundle_reaches_every_listener_unchanged(room):
    teacher, _ = await joined(room.teacher, room.session)
    student, state = await joined(room.students[0], room.session)
    assert state["audio"] is None
    await teacher.send_to(text_data=json.dumps(START))
    started = await next_of(student, "audio.started")
    assert started["codec"] == "opus" and started["kbps"] == 12
    sent = bundle(1)
    await teacher.send_to(bytes_data=sent)
    assert await next_binary(student) == sent

    # A late joiner learns the stream from room.state and hears the next one.
    late, late_state = await joined(room.students[1], room.session)
    assert late_state["audio"] == {
        "live": True, **{k: v for k, v in START.items() if k != "type"},
        "listening": True,
    }  # fmt: skip
    await teacher.send_to(bytes_data=bundle(2))
    assert await next_binary(late) == bundle(2)
    assert await next_binary(student) == bundle(2)
    for comm in (teacher, student, late):
        await comm.disconnect()


async def test_a_data_saver_join_hears_nothing_until_it_listens(room):
    teacher, _ = await joined(room.teacher, room.session)
    await teacher.send_to(text_data=json.dumps(START))
    comm, connected = await connect(
        room.students[0], room.session, path=f"/ws/live/{room.session.pk}/"
    )
    await comm.disconnect()
    from tests.live.conftest import ticket_for

    ticket = await db(ticket_for)(room.students[0], room.session)
    saver, connected = await connect(
        path=f"/ws/live/{room.session.pk}/?data_saver=1&ticket={ticket}"
    )
    assert connected
    state = await next_of(saver, "room.state")
    assert state["audio"]["listening"] is False
    await teacher.send_to(bytes_data=bundle(1))
    await nothing_binary(saver)
    await saver.send_to(text_data=json.dumps({"type": "audio.listen", "on": True}))
    await nothing_binary(saver)  # the switch is applied before the next bundle
    await teacher.send_to(bytes_data=bundle(2))
    assert await next_binary(saver) == bundle(2)
    await saver.send_to(text_data=json.dumps({"type": "audio.listen", "on": False}))
    await nothing_binary(saver)
    await teacher.send_to(bytes_data=bundle(3))
    await nothing_binary(saver)
    for c in (teacher, saver):
        await c.disconnect()


@pytest.mark.parametrize(
    "data",
    [
        bundle(1)[:-3],  # a packet length past the frame's end
        b"Z" + bundle(1)[1:],  # a wrong kind byte
        p.build_bundle(1, 0, [PACKET_60MS * 70, PACKET_60MS * 70]),  # over 4 KiB
    ],
)
async def test_a_bad_bundle_is_refused_and_nothing_is_relayed(room, data):
    teacher, _ = await joined(room.teacher, room.session)
    student, _ = await joined(room.students[0], room.session)
    await teacher.send_to(text_data=json.dumps(START))
    await next_of(student, "audio.started")
    await teacher.send_to(bytes_data=data)
    error = await next_of(teacher, "error")
    assert error["code"] == "bad_request" and error["ref"] == {"type": "audio.bundle"}
    await nothing_binary(student)
    # The socket stays open and a good bundle still goes through.
    await teacher.send_to(bytes_data=bundle(2))
    assert await next_binary(student) == bundle(2)
    for comm in (teacher, student):
        await comm.disconnect()


async def test_a_students_bundle_is_forbidden_and_never_relayed(room):
    teacher, _ = await joined(room.teacher, room.session)
    student, _ = await joined(room.students[0], room.session)
    other, _ = await joined(room.students[1], room.session)
    await teacher.send_to(text_data=json.dumps(START))
    await next_of(other, "audio.started")
    await student.send_to(bytes_data=bundle(1))
    assert (await next_of(student, "error"))["code"] == "forbidden"
    await nothing_binary(other)
    await nothing_binary(teacher)
    for comm in (teacher, student, other):
        await comm.disconnect()


async def test_bundles_before_audio_start_or_too_fast_are_refused(room):
    teacher, _ = await joined(room.teacher, room.session)
    student, _ = await joined(room.students[0], room.session)
    await teacher.send_to(bytes_data=bundle(1))
    assert (await next_of(teacher, "error"))["code"] == "bad_request"
    await nothing_binary(student)

    await teacher.send_to(text_data=json.dumps(START))
    await next_of(student, "audio.started")
    await asyncio.sleep(1.05)  # the refused bundle above counted too
    for seq in range(12):  # more than 10 bundles in a second
        await teacher.send_to(bytes_data=bundle(seq))
    relayed = [await next_binary(student) for _ in range(10)]
    assert relayed == [bundle(seq) for seq in range(10)]
    errors = [await next_of(teacher, "error") for _ in range(2)]
    assert {e["code"] for e in errors} == {"bad_request"}
    await nothing_binary(student)
    for comm in (teacher, student):
        await comm.disconnect()


async def test_audio_start_with_an_unsupported_codec_is_refused(room):
    teacher, _ = await joined(room.teacher, room.session)
    student, _ = await joined(room.students[0], room.session)
    await teacher.send_to(text_data=json.dumps({**START, "codec": "aac"}))
    assert (await next_of(teacher, "error"))["code"] == "bad_request"
    await teacher.send_to(bytes_data=bundle(1))
    assert (await next_of(teacher, "error"))["code"] == "bad_request"
    await nothing_binary(student)
    again, state = await joined(room.students[1], room.session)
    assert state["audio"] is None
    for comm in (teacher, student, again):
        await comm.disconnect()


async def test_audio_stop_writes_the_sessions_recording(room):
    teacher, _ = await joined(room.teacher, room.session)
    student, _ = await joined(room.students[0], room.session)
    await teacher.send_to(text_data=json.dumps(START))
    for seq in range(8):
        await teacher.send_to(bytes_data=bundle(seq))
        await next_binary(student)
    await teacher.send_to(text_data=json.dumps({"type": "audio.stop"}))
    await next_of(student, "audio.stopped")
    await next_of(teacher, "audio.stopped")
    recording = await built(room.session, bundles=8)
    assert recording.duration_ms == (8 * 6 * 2880 - 312) * 1000 // 48000
    data = await db(lambda: recording.file.open("rb").read())()
    assert data.startswith(b"OggS") and data.count(PACKET_60MS) == 48
    late, state = await joined(room.students[1], room.session)
    assert state["audio"] is None

    # Started again: the one recording of the session grows.
    await asyncio.sleep(1.05)  # past the bundle rate's window
    await teacher.send_to(text_data=json.dumps(START))
    for seq in range(3):
        await teacher.send_to(bytes_data=bundle(seq))
    await teacher.disconnect()  # the teacher's socket drops: nothing is lost
    for comm in (student, late):
        await comm.disconnect()
    recording = await built(room.session, bundles=11)
    assert await db(LiveRecording.objects.count)() == 1
