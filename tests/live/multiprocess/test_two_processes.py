"""
Two real server processes (``lms.serve_scale``, daphne) sharing PostgreSQL
and Redis serve one room as one: chat crosses over, a user with sockets on
both counts once, a removed participant is cut off on both.
"""

import asyncio
import json
import uuid

from tests.live.conftest import Room, ticket_for
from tests.live.multiprocess.clients import (
    close_code_of,
    connect,
    open_socket,
    until,
)
from tests.live.multiprocess.servers import NEEDS_SERVICES

pytestmark = NEEDS_SERVICES


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
        for port in (port_a, port_b):
            ws = await connect(port, room.session.pk, tickets[s1.pk])
            assert await close_code_of(ws) == 4403
        for ws in (t_a, s2_b):
            await ws.close()

    asyncio.run(scenario())
