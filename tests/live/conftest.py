"""Live-room fixtures: an isolated room store and Redis prefix per test."""

import uuid

import pytest
from channels.testing import WebsocketCommunicator

from classrooms.services import enroll_student
from live.models import SessionStatus
from live.realtime import store
from tests.factories import (
    ClassroomFactory,
    LiveSessionFactory,
    SchoolAdminFactory,
    StudentFactory,
)
from tests.live.frames import check_text

ORIGIN = (b"origin", b"http://127.0.0.1")


class Communicator(WebsocketCommunicator):
    """A ``WebsocketCommunicator`` that checks every frame it receives
    against the contract (``tests/live/frames.py``): every live test that
    reads a frame reads it through here."""

    async def receive_output(self, timeout=1):
        out = await super().receive_output(timeout)
        if out["type"] == "websocket.send" and out.get("text") is not None:
            check_text(out["text"])
        return out


@pytest.fixture(autouse=True)
def _isolated_rooms(settings):
    # Pub/sub ignores Redis DB numbers: a unique prefix keeps parallel test
    # runs (and other engineers' servers) from hearing each other.
    settings.LIVE_REDIS_PREFIX = f"test-{uuid.uuid4().hex[:12]}"
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
    store.reset_memory_store()
    yield
    store.reset_memory_store()


class Room:
    """A live class with a teacher, students, an outsider and a session."""

    def __init__(self, status=SessionStatus.LIVE, students=2):
        self.classroom = ClassroomFactory()
        self.teacher = self.classroom.homeroom_teacher
        self.students = [StudentFactory() for _ in range(students)]
        for student in self.students:
            enroll_student(classroom=self.classroom, student=student)
        self.session = LiveSessionFactory(classroom=self.classroom, status=status)
        self.admin = SchoolAdminFactory()
        self.classroom.school.admins.add(self.admin)
        self.outsider = StudentFactory()
        enroll_student(classroom=ClassroomFactory(), student=self.outsider)


@pytest.fixture
def live_room(transactional_db):
    return Room()


def ticket_for(user, session, ttl=None) -> str:
    from live.rooms.services import issue_ticket

    return issue_ticket(user=user, session=session, ttl=ttl)["ticket"]


def app():
    from lms.asgi import application

    return application


async def connect(user=None, session=None, *, ticket=None, path=None, headers=None):
    """Open a communicator; returns (communicator, connected, first frame|close)."""
    from channels.db import database_sync_to_async

    if ticket is None and user is not None:
        ticket = await database_sync_to_async(ticket_for)(user, session)
    path = path or f"/ws/live/{session.pk}/"
    if ticket:
        path += f"?ticket={ticket}"
    comm = Communicator(
        app(), path, headers=headers if headers is not None else [ORIGIN]
    )
    connected, _ = await comm.connect(timeout=5)
    return comm, connected


async def joined(user, session):
    """A member's socket in the room and its ``room.state``."""
    comm, connected = await connect(user, session)
    assert connected
    state = await next_of(comm, "room.state")
    return comm, state


async def first(comm, timeout=5):
    return await comm.receive_output(timeout)


async def next_of(comm, kind: str, timeout=5) -> dict:
    """Read frames until one of ``kind`` (skipping presence noise)."""
    import json

    while True:
        out = await comm.receive_output(timeout)
        if out["type"] == "websocket.close":
            return {"type": "__closed__", "code": out.get("code")}
        if out.get("text") is None:
            continue  # an audio bundle
        frame = json.loads(out["text"])
        if frame["type"] == kind:
            return frame


async def close_code(comm, timeout=5):
    """Skip frames until the server closes; return the close code."""
    while True:
        out = await comm.receive_output(timeout)
        if out["type"] == "websocket.close":
            return out.get("code")


@pytest.fixture
def client_login():
    """Log a user in through Django's test client; returns a Cookie header."""
    from channels.db import database_sync_to_async
    from django.test import Client

    @database_sync_to_async
    def login(user):
        client = Client()
        client.force_login(user)
        cookie = client.cookies["sessionid"].value
        return (b"cookie", f"sessionid={cookie}".encode())

    return login
