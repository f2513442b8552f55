"""
A server process killed with ``kill -9`` (RL-04): its students leave the
room's presence within seconds, and they rejoin on the surviving process.
"""

import asyncio
import signal

from live.models import Attendance
from tests.live.conftest import Room, ticket_for
from tests.live.multiprocess.clients import (
    close_code_of,
    open_socket,
    until,
)
from tests.live.multiprocess.servers import (
    NEEDS_SERVICES,
    query,
)

pytestmark = NEEDS_SERVICES


def test_students_of_a_killed_process_go_offline_and_rejoin_elsewhere(two_workers):
    (port_a, port_b), (_proc_a, proc_b) = two_workers
    room = Room(students=3)
    teacher, s1, s2, s3 = room.teacher, *room.students
    tickets = {u.pk: ticket_for(u, room.session) for u in (teacher, s1, s2, s3)}

    def is_presence(count):
        return lambda f: f["type"] == "presence" and f["count"] == count

    async def scenario():
        t_a = await open_socket(port_a, room.session, tickets[teacher.pk])
        s1_a = await open_socket(port_a, room.session, tickets[s1.pk])
        s2_b = await open_socket(port_b, room.session, tickets[s2.pk])
        s3_b = await open_socket(port_b, room.session, tickets[s3.pk])
        await until(t_a, is_presence(4))

        proc_b.send_signal(signal.SIGKILL)  # no leave is ever sent
        proc_b.wait(10)
        # Their sockets just die (the client would reconnect)...
        assert await close_code_of(s2_b, 5) in (None, 1006, 1011, 1012)
        # ...and the survivor takes them off the room within seconds,
        # closing their attendance clocks too.
        await until(t_a, is_presence(2), timeout=15)
        await asyncio.sleep(0.5)
        open_sockets = await query(
            lambda: dict(
                Attendance.objects.filter(session=room.session).values_list(
                    "user_id", "open_sockets"
                )
            )
        )
        assert open_sockets == {teacher.pk: 1, s1.pk: 1, s2.pk: 0, s3.pk: 0}

        # s2 reconnects to the surviving process and counts again, once.
        s2_a = await open_socket(port_a, room.session, tickets[s2.pk])
        await until(t_a, is_presence(3), timeout=10)
        for ws in (t_a, s1_a, s2_a, s3_b):
            await ws.close()

    asyncio.run(scenario())
