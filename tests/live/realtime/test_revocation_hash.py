"""
WS-04 / AU-08 (#11 hole 3): the periodic re-check compares the login
session's auth hash with the user's, so a password change, a teacher's
reset, a logout or a deactivation closes the cookie sockets of the live
room and of the notification bell within 5 s — even when no signal fires
(the fast-path receivers are disconnected here, so only the re-check can
close).
"""

import pytest
import pytest_asyncio
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.sessions.models import Session
from django.test import Client

from accounts.models import User
from classrooms.services import reset_student_password
from tests.live.conftest import ORIGIN, Room, app, close_code, next_of
from tests.live.rooms.test_revocation import RECEIVERS, connect_receivers

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

WITHIN = 5.0  # seconds (issue #11, Done when)


@pytest_asyncio.fixture
async def room():
    return await database_sync_to_async(Room)()


@pytest.fixture
def backstop_only(settings):
    """Live's signal receivers off, a 1 s re-check: only it can close."""
    settings.LIVE_RECHECK_SECONDS = 1
    for signal, _receiver, uid, sender in RECEIVERS:
        signal.disconnect(sender=sender, dispatch_uid=uid)
    yield
    connect_receivers()


@database_sync_to_async
def login(user):
    client = Client()
    client.force_login(user)
    return client


def cookie_of(client):
    return (b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode())


async def live_socket(client, session):
    comm = WebsocketCommunicator(
        app(), f"/ws/live/{session.pk}/", headers=[ORIGIN, cookie_of(client)]
    )
    connected, _ = await comm.connect()
    assert connected
    await next_of(comm, "room.state")
    return comm


async def bell_socket(client):
    comm = WebsocketCommunicator(
        app(), "/ws/notifications/", headers=[ORIGIN, cookie_of(client)]
    )
    connected, _ = await comm.connect()
    assert connected
    return comm


@database_sync_to_async
def change_password(user):
    """As a password change elsewhere would: the hash changes, this session
    stays in the table."""
    user = User.objects.get(pk=user.pk)
    user.set_password("một mật khẩu mới 2026")
    user.save()


@database_sync_to_async
def http_is_logged_out(client):
    return client.get("/accounts/password/change/").status_code == 302


async def test_password_change_closes_the_live_cookie_socket_within_5s(
    room, backstop_only
):
    client = await login(room.students[0])
    comm = await live_socket(client, room.session)
    await change_password(room.students[0])
    assert await close_code(comm, timeout=WITHIN) == 4401
    assert await http_is_logged_out(client)


async def test_teachers_reset_closes_the_pupils_live_socket_within_5s(
    room, backstop_only
):
    client = await login(room.students[0])
    comm = await live_socket(client, room.session)
    await database_sync_to_async(reset_student_password)(
        student=room.students[0], by=room.teacher
    )
    assert await close_code(comm, timeout=WITHIN) == 4401


async def test_password_change_closes_the_bell_socket_within_5s(room, backstop_only):
    client = await login(room.students[0])
    comm = await bell_socket(client)
    await change_password(room.students[0])
    assert await close_code(comm, timeout=WITHIN) == 4401


async def test_deleted_session_closes_the_bell_socket_within_5s(room, backstop_only):
    """A session ended behind Django's back (no logout signal fires)."""
    client = await login(room.students[0])
    comm = await bell_socket(client)
    await database_sync_to_async(lambda: Session.objects.all().delete())()
    assert await close_code(comm, timeout=WITHIN) == 4401


async def test_disabled_account_closes_the_bell_socket_within_5s(room, backstop_only):
    client = await login(room.students[0])
    comm = await bell_socket(client)
    await database_sync_to_async(
        lambda: User.objects.filter(pk=room.students[0].pk).update(is_active=False)
    )()
    assert await close_code(comm, timeout=WITHIN) == 4401


async def test_the_bell_of_a_still_signed_in_user_stays_open(room, backstop_only):
    """The bell tests above can fail: an untouched session is not closed."""
    client = await login(room.students[0])
    comm = await bell_socket(client)
    assert await comm.receive_nothing(timeout=2.5)
    await comm.disconnect()
