"""
QZ-09 at its figure: 1,000 join attempts on live rooms by bots (no session,
forged or other rooms' tickets, guessed session ids) → 0 joined. A live room
has no typed room code: only a signed-in member of the class, or a ticket
signed for them and that session, gets in. (Guessing a class's join code is
throttled per pupil: tests/classrooms/test_services.py.)
"""

import random

import pytest
from channels.db import database_sync_to_async as db

from live.models import Attendance
from tests.live.conftest import Room, close_code, connect, next_of, ticket_for

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

ATTEMPTS = 1000


async def test_a_thousand_bot_joins_get_nobody_in():
    room = await db(Room)()
    session = room.session
    other = await db(Room)()
    outsider_ticket = await db(ticket_for)(room.outsider, session)
    foreign_ticket = await db(ticket_for)(other.students[0], other.session)
    good = await db(ticket_for)(room.students[0], session)
    rng = random.Random(9)  # noqa: S311 - a reproducible flood, not a secret
    codes = []
    for n in range(ATTEMPTS):
        way = n % 4
        if way == 0:  # no cookie, no ticket
            comm, _ = await connect(session=session)
        elif way == 1:  # a forged ticket
            forged = good[:-6] + "".join(rng.choices("abcdefXYZ0123", k=6))
            comm, _ = await connect(session=session, ticket=forged)
        elif way == 2:  # a guessed session id with another room's ticket
            guess = rng.randint(1, 10**6)
            comm, _ = await connect(
                session=session,
                ticket=foreign_ticket,
                path=f"/ws/live/{guess}/",
            )
        else:  # a real ticket of someone not in the class
            comm, _ = await connect(session=session, ticket=outsider_ticket)
        codes.append(await close_code(comm))
    assert len(codes) == ATTEMPTS
    assert set(codes) <= {4401, 4403, 4404}, set(codes)
    assert await db(Attendance.objects.count)() == 0
    # The harness does let a member in: the pupil's own ticket joins.
    member, connected = await connect(session=session, ticket=good)
    assert connected
    assert (await next_of(member, "room.state"))["type"] == "room.state"
    await member.disconnect()
