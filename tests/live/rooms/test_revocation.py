"""
WS-04/WS-05: a socket's right to stay is withdrawn within seconds.

Two mechanisms, each tested with the other switched off, so a test cannot
pass on the wrong one:

* the fast path (``live.rooms.signals``): a logout, a disabled account, a
  removed enrolment or a teacher's removal closes the sockets at once —
  tested with the periodic re-check off, and the close must come in < 1 s;
* the backstop (``live.rooms.access``, every ``LIVE_RECHECK_SECONDS``):
  catches what happens behind the application's back — tested with the
  signal receivers disconnected.
"""

import asyncio
import json
import time

import pytest
import pytest_asyncio
from channels.db import database_sync_to_async
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_out
from django.contrib.sessions.models import Session
from django.db.models.signals import post_save
from django.test import Client

from accounts.models import User
from classrooms.services import remove_student
from classrooms.signals import enrollment_removed
from live.rooms import signals
from tests.live.conftest import (
    ORIGIN,
    Communicator,
    Room,
    app,
    close_code,
    connect,
    next_of,
)

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

FAST = 1.0  # seconds: the fast path closes well within this
BACKSTOP_EVERY = 1  # seconds between re-checks in the backstop tests


@pytest_asyncio.fixture
async def room():
    return await database_sync_to_async(Room)()


RECEIVERS = [
    (user_logged_out, signals.on_logged_out, "live-logout", None),
    (post_save, signals.on_user_saved, "live-user", get_user_model()),
    (enrollment_removed, signals.on_enrollment_removed, "live-enrollment", None),
]


def connect_receivers():
    """As ``live.apps`` does (connecting twice with a dispatch_uid is a
    no-op), in case an earlier test cleared a signal's receivers."""
    for signal, receiver, uid, sender in RECEIVERS:
        signal.connect(receiver, sender=sender, dispatch_uid=uid)


@pytest.fixture
def fast_path_only(settings):
    """The periodic re-check off: only the signal receivers can close."""
    settings.LIVE_RECHECK_SECONDS = 0
    connect_receivers()


@pytest.fixture
def backstop_only(settings):
    """Live's signal receivers disconnected: only the re-check can close."""
    settings.LIVE_RECHECK_SECONDS = BACKSTOP_EVERY
    for signal, _receiver, uid, sender in RECEIVERS:
        signal.disconnect(sender=sender, dispatch_uid=uid)
    yield
    connect_receivers()


async def cookie_socket(user, session):
    @database_sync_to_async
    def login():
        client = Client()
        client.force_login(user)
        return client

    client = await login()
    cookie = (b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode())
    comm = Communicator(app(), f"/ws/live/{session.pk}/", headers=[ORIGIN, cookie])
    connected, _ = await comm.connect()
    assert connected
    await next_of(comm, "room.state")
    return client, comm


async def ticket_socket(user, session):
    comm, connected = await connect(user, session)
    assert connected
    await next_of(comm, "room.state")
    return comm


async def closed_within(comm, seconds):
    """The close code, failing the test if it takes longer than ``seconds``."""
    started = time.monotonic()
    code = await close_code(comm, timeout=seconds)
    return code, time.monotonic() - started


@database_sync_to_async
def disable(user):
    user = User.objects.get(pk=user.pk)
    user.is_active = False
    user.save()


# -- fast path (re-check off) ----------------------------------------------------------


async def test_http_logout_closes_the_users_sockets_4401_at_once(room, fast_path_only):
    client, comm = await cookie_socket(room.students[0], room.session)
    await database_sync_to_async(client.post)("/accounts/logout/")
    code, took = await closed_within(comm, FAST)
    assert code == 4401 and took < FAST


async def test_disabled_account_closes_ticket_sockets_4401_at_once(
    room, fast_path_only
):
    comm = await ticket_socket(room.students[0], room.session)
    await disable(room.students[0])
    code, took = await closed_within(comm, FAST)
    assert code == 4401 and took < FAST


async def test_removed_enrolment_closes_4403_at_once_and_rejoin_is_refused(
    room, fast_path_only
):
    comm = await ticket_socket(room.students[0], room.session)
    await database_sync_to_async(remove_student)(
        classroom=room.classroom, student=room.students[0], by=room.teacher
    )
    code, took = await closed_within(comm, FAST)
    assert code == 4403 and took < FAST
    again, _ = await connect(room.students[0], room.session)
    assert await close_code(again) == 4403


async def test_other_users_stay_connected(room, fast_path_only):
    comm = await ticket_socket(room.students[0], room.session)
    other = await ticket_socket(room.students[1], room.session)
    await database_sync_to_async(remove_student)(
        classroom=room.classroom, student=room.students[0], by=room.teacher
    )
    assert await close_code(comm, timeout=FAST) == 4403
    await other.send_to(text_data=json.dumps({"type": "ping", "t": 7}))
    assert (await next_of(other, "pong"))["t"] == 7
    await other.disconnect()


# -- backstop (fast path off) ------------------------------------------------------------


async def test_removed_enrolment_is_caught_by_the_periodic_check(room, backstop_only):
    comm = await ticket_socket(room.students[0], room.session)
    await database_sync_to_async(remove_student)(
        classroom=room.classroom, student=room.students[0], by=room.teacher
    )
    code, took = await closed_within(comm, BACKSTOP_EVERY + 3)
    assert code == 4403 and took < BACKSTOP_EVERY + 3


async def test_deleted_session_is_caught_by_the_periodic_check(room, backstop_only):
    _client, comm = await cookie_socket(room.students[0], room.session)
    await database_sync_to_async(lambda: Session.objects.all().delete())()
    code, took = await closed_within(comm, BACKSTOP_EVERY + 3)
    assert code == 4401 and took < BACKSTOP_EVERY + 3


async def test_account_disabled_behind_djangos_back_is_caught_too(room, backstop_only):
    comm = await ticket_socket(room.students[0], room.session)
    await database_sync_to_async(
        lambda: User.objects.filter(pk=room.students[0].pk).update(is_active=False)
    )()
    code, took = await closed_within(comm, BACKSTOP_EVERY + 3)
    assert code == 4401 and took < BACKSTOP_EVERY + 3


async def test_with_both_off_a_removed_student_stays_connected(
    room, backstop_only, settings
):
    """The tests above can fail: with neither mechanism, nothing closes."""
    settings.LIVE_RECHECK_SECONDS = 0
    comm = await ticket_socket(room.students[0], room.session)
    await database_sync_to_async(remove_student)(
        classroom=room.classroom, student=room.students[0], by=room.teacher
    )
    await asyncio.sleep(BACKSTOP_EVERY + 1.5)
    await comm.send_to(text_data=json.dumps({"type": "ping", "t": 1}))
    assert await next_of(comm, "pong") == {"type": "pong", "t": 1}
    await comm.disconnect()
