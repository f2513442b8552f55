"""
A server process restarted during class (RL-03): SIGTERM closes every
socket with 1012 ("service restart"), the students come back to the new
process with jittered backoff within seconds, and presence counts each of
them once (no ghost left by the old process, nobody counted twice).
"""

import asyncio
import random
import signal
import time

from tests.live.conftest import Room, ticket_for
from tests.live.multiprocess.clients import (
    close_code_of,
    join_with_state,
    open_socket,
)
from tests.live.multiprocess.servers import (
    NEEDS_SERVICES,
)

pytestmark = NEEDS_SERVICES

STUDENTS = 40


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
        teacher, state = await join_with_state(
            port, room.session, tickets[room.teacher.pk]
        )
        assert state["participants"]["count"] == STUDENTS + 1
        for ws, _delay in back:
            await ws.close()
        await teacher.close()

    asyncio.run(scenario())
