"""
A server process restarted during class (RL-03): SIGTERM closes every
socket with 1012 ("service restart"), the students come back to the new
process with jittered backoff within seconds, and presence counts each of
them once (no ghost left by the old process, nobody counted twice).
"""

import asyncio
import os
import random
import signal
import subprocess
import time

import pytest
from django.conf import settings
from django.db import connection

from lms.serve_scale import server_command
from tests.live.conftest import Room, ticket_for
from tests.live.test_multiprocess import (
    close_code_of,
    free_port_pair,
    open_socket,
    wait_listening,
)

pytestmark = [
    pytest.mark.services,
    pytest.mark.skipif(
        not (os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL")),
        reason="needs DATABASE_URL and REDIS_URL (PostgreSQL + Redis)",
    ),
]

STUDENTS = 40


@pytest.fixture
def worker(transactional_db):
    db = settings.DATABASES["default"]
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{connection.settings_dict['NAME']}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "lms.settings",
        "LOPHOC_REDIS_PREFIX": settings.LIVE_REDIS_PREFIX,
        "LOPHOC_LOG_LEVEL": "WARNING",
    }
    port = free_port_pair(9700, 9799)
    procs = []

    def start():
        proc = subprocess.Popen(  # noqa: S603 - fixed argv
            server_command("uvicorn", "127.0.0.1", port), env=env, cwd=settings.BASE_DIR
        )
        procs.append(proc)
        wait_listening(port)
        return proc

    try:
        yield port, start
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
            proc.wait(10)


async def join_with_state(port, room, ticket):
    import json

    from websockets.asyncio.client import connect

    ws = await connect(
        f"ws://127.0.0.1:{port}/ws/live/{room.session.pk}/?ticket={ticket}",
        origin=f"http://127.0.0.1:{port}",
    )
    return ws, json.loads(await asyncio.wait_for(ws.recv(), 20))


def test_sigterm_closes_with_1012_and_students_rejoin_the_new_process(worker):
    port, start = worker
    room = Room(students=STUDENTS)
    tickets = {
        u.pk: ticket_for(u, room.session) for u in [room.teacher, *room.students]
    }
    old = start()

    async def rejoin(student, closed_at):
        # What the browser client does: full jitter, doubling ceiling.
        for attempt in range(10):
            await asyncio.sleep(random.uniform(0, min(30, 0.5 * 2**attempt)))  # noqa: S311
            try:
                ws = await open_socket(port, room.session, tickets[student.pk])
            except Exception:  # noqa: S112 - the new process is not up yet
                continue
            return ws, time.monotonic() - closed_at
        raise AssertionError(f"{student} did not get back in")

    async def scenario():
        sockets = [
            await open_socket(port, room.session, tickets[s.pk]) for s in room.students
        ]
        old.send_signal(signal.SIGTERM)
        codes = await asyncio.gather(*(close_code_of(ws, 15) for ws in sockets))
        closed_at = time.monotonic()
        assert set(codes) == {1012}
        assert old.wait(20) in (0, -signal.SIGTERM)  # uvicorn re-raises it
        start()
        back = await asyncio.gather(*(rejoin(s, closed_at) for s in room.students))
        delays = sorted(delay for _ws, delay in back)
        assert delays[int(0.95 * (len(delays) - 1))] < 10  # p95
        # Each student once, plus the teacher: no ghost of the old process.
        teacher, state = await join_with_state(port, room, tickets[room.teacher.pk])
        assert state["participants"]["count"] == STUDENTS + 1
        for ws, _delay in back:
            await ws.close()
        await teacher.close()

    asyncio.run(scenario())
