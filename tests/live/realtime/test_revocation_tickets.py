"""
WS-04 / AU-08 (#11 hole 3): a live ticket is bound to the login session
that fetched it and to the user's auth hash, and lives minutes: after a
logout or a password change the old ticket no longer joins, and a ticket
socket closes when its login session ends.
"""

import time

import pytest
import pytest_asyncio
from channels.db import database_sync_to_async
from django.contrib.sessions.models import Session
from django.test import Client

from accounts.models import User
from live.rooms.services import issue_ticket, read_ticket
from tests.live.conftest import Room, close_code, connect, next_of

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


@pytest_asyncio.fixture
async def room():
    return await database_sync_to_async(Room)()


@database_sync_to_async
def fetched_ticket(user, session):
    """As a client does: log in, POST for a ticket."""
    client = Client()
    client.force_login(user)
    reply = client.post(f"/live/{session.pk}/ticket/")
    assert reply.status_code == 200
    return client, reply.json()


async def test_ticket_of_a_logged_out_session_does_not_join(room):
    client, ticket = await fetched_ticket(room.students[0], room.session)
    await database_sync_to_async(client.post)("/accounts/logout/")
    comm, connected = await connect(ticket=ticket["ticket"], session=room.session)
    assert await close_code(comm) == 4401


async def test_ticket_replayed_after_a_password_change_does_not_join(room):
    _client, ticket = await fetched_ticket(room.students[0], room.session)

    @database_sync_to_async
    def change_password():
        user = User.objects.get(pk=room.students[0].pk)
        user.set_password("mật khẩu mới của em 2026")
        user.save()

    await change_password()
    comm, connected = await connect(ticket=ticket["ticket"], session=room.session)
    assert await close_code(comm) == 4401
    assert await database_sync_to_async(read_ticket)(ticket["ticket"]) is None


async def test_fresh_ticket_of_a_signed_in_session_still_joins(room):
    """The refusals above can fail: an untouched ticket joins."""
    _client, ticket = await fetched_ticket(room.students[0], room.session)
    comm, connected = await connect(ticket=ticket["ticket"], session=room.session)
    assert connected
    await next_of(comm, "room.state")
    await comm.disconnect()


async def test_ticket_socket_closes_when_its_login_session_ends(room, settings):
    settings.LIVE_RECHECK_SECONDS = 1
    _client, ticket = await fetched_ticket(room.students[0], room.session)
    comm, connected = await connect(ticket=ticket["ticket"], session=room.session)
    assert connected
    await next_of(comm, "room.state")
    # Behind Django's back: no logout signal, only the re-check can see it.
    await database_sync_to_async(lambda: Session.objects.all().delete())()
    assert await close_code(comm, timeout=5) == 4401


async def test_tickets_live_minutes_not_hours(room):
    _client, ticket = await fetched_ticket(room.students[0], room.session)
    from datetime import datetime

    expires = datetime.fromisoformat(ticket["expires_at"]).timestamp()
    assert expires - time.time() <= 10 * 60 + 1
    long = await database_sync_to_async(issue_ticket)(
        user=room.students[0], session=room.session, ttl=7 * 24 * 3600
    )
    expires = datetime.fromisoformat(long["expires_at"]).timestamp()
    assert expires - time.time() <= 60 * 60 + 1
