"""WS-04/WS-05: a socket's right to stay is withdrawn within seconds."""

import time

import pytest
import pytest_asyncio
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.sessions.models import Session
from django.test import Client

from accounts.models import User
from classrooms.services import remove_student
from tests.live.conftest import ORIGIN, Room, app, close_code, connect, next_of

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


@pytest_asyncio.fixture
async def room():
    return await database_sync_to_async(Room)()


async def cookie_socket(user, session):
    @database_sync_to_async
    def login():
        client = Client()
        client.force_login(user)
        return client

    client = await login()
    cookie = (b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode())
    comm = WebsocketCommunicator(
        app(), f"/ws/live/{session.pk}/", headers=[ORIGIN, cookie]
    )
    connected, _ = await comm.connect()
    assert connected
    await next_of(comm, "room.state")
    return client, comm


async def closed_within(comm, seconds):
    started = time.monotonic()
    code = await close_code(comm, timeout=seconds)
    return code, time.monotonic() - started


async def test_http_logout_closes_the_users_sockets_4401(room):
    client, comm = await cookie_socket(room.students[0], room.session)
    await database_sync_to_async(client.post)("/accounts/logout/")
    code, took = await closed_within(comm, 5)
    assert code == 4401 and took < 5


async def test_deleted_session_is_caught_by_the_periodic_check(room):
    client, comm = await cookie_socket(room.students[0], room.session)
    await database_sync_to_async(lambda: Session.objects.all().delete())()
    code, took = await closed_within(comm, 5)
    assert code == 4401 and took < 5


async def test_disabled_account_closes_ticket_sockets_4401(room):
    comm, _ = await connect(room.students[0], room.session)
    await next_of(comm, "room.state")

    @database_sync_to_async
    def disable():
        student = User.objects.get(pk=room.students[0].pk)
        student.is_active = False
        student.save()

    await disable()
    code, took = await closed_within(comm, 5)
    assert code == 4401 and took < 5


async def test_account_disabled_behind_djangos_back_is_caught_too(room):
    comm, _ = await connect(room.students[0], room.session)
    await next_of(comm, "room.state")
    await database_sync_to_async(
        lambda: User.objects.filter(pk=room.students[0].pk).update(is_active=False)
    )()
    code, took = await closed_within(comm, 5)
    assert code == 4401 and took < 5


async def test_removed_enrolment_closes_4403_and_rejoin_is_refused(room):
    comm, _ = await connect(room.students[0], room.session)
    await next_of(comm, "room.state")
    await database_sync_to_async(remove_student)(
        classroom=room.classroom, student=room.students[0], by=room.teacher
    )
    code, took = await closed_within(comm, 5)
    assert code == 4403 and took < 5
    again, _ = await connect(room.students[0], room.session)
    assert await close_code(again) == 4403


async def test_other_users_stay_connected(room):
    comm, _ = await connect(room.students[0], room.session)
    await next_of(comm, "room.state")
    other, _ = await connect(room.students[1], room.session)
    await next_of(other, "room.state")
    await database_sync_to_async(remove_student)(
        classroom=room.classroom, student=room.students[0], by=room.teacher
    )
    assert await close_code(comm) == 4403
    import json

    await other.send_to(text_data=json.dumps({"type": "ping", "t": 7}))
    assert (await next_of(other, "pong"))["t"] == 7
    await other.disconnect()
