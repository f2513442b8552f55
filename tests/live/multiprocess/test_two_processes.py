"""
Two real server processes (``lms.serve_scale``, daphne) sharing PostgreSQL
and Redis serve one room as one: chat crosses over, a user with sockets on
both counts once, a removed participant is cut off on both.
"""

import asyncio
import json
import os
import signal
import subprocess
import sys
import uuid

import pytest
from django.conf import settings
from django.db import connection

from tests.live.conftest import Room, ticket_for
from tests.live.multiprocess.servers import (
    NEEDS_SERVICES,
    free_port_pair,
    wait_listening,
)

pytestmark = NEEDS_SERVICES


@pytest.fixture
def servers(transactional_db):
    db = settings.DATABASES["default"]
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{connection.settings_dict['NAME']}"
    prefix = settings.LIVE_REDIS_PREFIX
    base = free_port_pair()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "LOPHOC_REDIS_PREFIX": prefix,
        "LOPHOC_LIVE_RECHECK_SECONDS": "2",
        "LOPHOC_LOG_LEVEL": "WARNING",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "lms.serve_scale", "--workers", "2",
         "--port-base", str(base), "--server", "daphne"],
        env=env, cwd=settings.BASE_DIR, start_new_session=True,
    )  # fmt: skip
    try:
        wait_listening(base)
        wait_listening(base + 1)
        yield base, base + 1
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


async def open_socket(port, session, ticket):
    from websockets.asyncio.client import connect

    ws = await connect(
        f"ws://127.0.0.1:{port}/ws/live/{session.pk}/?ticket={ticket}",
        origin=f"http://127.0.0.1:{port}",
        open_timeout=20,
    )
    state = json.loads(await asyncio.wait_for(ws.recv(), 20))
    assert state["type"] == "room.state"
    return ws


async def until(ws, predicate, timeout=15):
    async def loop():
        while True:
            frame = json.loads(await ws.recv())
            if predicate(frame):
                return frame

    return await asyncio.wait_for(loop(), timeout)


async def close_code_of(ws, timeout=15):
    from websockets.exceptions import ConnectionClosed

    async def loop():
        try:
            while True:
                await ws.recv()
        except ConnectionClosed as closed:
            return closed.rcvd.code if closed.rcvd else None

    return await asyncio.wait_for(loop(), timeout)


def test_two_processes_serve_one_room(servers):
    port_a, port_b = servers
    room = Room()
    teacher, s1, s2 = room.teacher, room.students[0], room.students[1]
    tickets = {u.pk: ticket_for(u, room.session) for u in (teacher, s1, s2)}

    async def scenario():
        t_a = await open_socket(port_a, room.session, tickets[teacher.pk])
        s1_a = await open_socket(port_a, room.session, tickets[s1.pk])
        s1_b = await open_socket(port_b, room.session, tickets[s1.pk])
        s2_b = await open_socket(port_b, room.session, tickets[s2.pk])

        # 4 sockets, 3 users: presence counts users, on both processes.
        await until(t_a, lambda f: f["type"] == "presence" and f["count"] == 3)
        await until(s2_b, lambda f: f["type"] == "presence" and f["count"] == 3)

        # Chat sent to process B arrives on process A, numbered.
        cid = uuid.uuid4().hex
        await s2_b.send(
            json.dumps({"type": "chat.send", "text": "Chào cô", "client_id": cid})
        )
        got = await until(t_a, lambda f: f["type"] == "chat.message")
        assert got["client_id"] == cid and got["author"]["user_id"] == s2.pk
        assert got["seq"] >= 1

        # A teacher on A removes s1: their sockets on A and on B close 4403.
        await t_a.send(json.dumps({"type": "participant.remove", "user_id": s1.pk}))
        codes = await asyncio.gather(close_code_of(s1_a), close_code_of(s1_b))
        assert codes == [4403, 4403]
        await until(t_a, lambda f: f["type"] == "presence" and f["count"] == 2)

        # ...and cannot rejoin on either process.
        from websockets.asyncio.client import connect

        for port in (port_a, port_b):
            ws = await connect(
                f"ws://127.0.0.1:{port}/ws/live/{room.session.pk}/?ticket={tickets[s1.pk]}",
                origin=f"http://127.0.0.1:{port}",
            )
            assert await close_code_of(ws) == 4403
        for ws in (t_a, s2_b):
            await ws.close()

    asyncio.run(scenario())
