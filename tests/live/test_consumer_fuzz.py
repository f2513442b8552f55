"""
WS-10 at its figure: Hypothesis drives the real consumer, through the ASGI
application and every handler, with ≥ 1,000 generated frames per message
type of the contract.

Generated frames go in batches of ten, each batch followed by a ``ping``;
the test reads (and checks against the contract, ``tests/live/frames.py``)
every frame up to its ``pong``. So a batch passes only if the consumer
answered it with contract frames or error frames, and is still serving the
socket afterwards. The
only closes allowed are the ones a valid frame asks for (``session.end``
ends the session, ``participant.remove`` bars the student); the room is
then reopened and the test goes on.

Marked ``slow`` (about a minute and a half); ``make test`` runs it in the
embedded profile. Nesting 1,000 deep and 10⁶-element arrays are in
``test_protocol_fuzz.py``; generated values here stay small so that the
budget goes on variety.
"""

import asyncio
import itertools
import json
import logging
import os
import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from live import protocol as p
from live.models import Attendance, LiveSession, SessionStatus
from live.realtime import store
from live.rooms.handlers import HANDLERS
from tests.live.conftest import ORIGIN, Communicator, Room, app, ticket_for
from tests.live.quiz_support import make_quiz

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        bool(os.environ.get("DATABASE_URL")),
        reason="runs once, in the embedded profile (the consumer is the same)",
    ),
]

FRAMES_PER_TYPE = 1000
# Frames go in batches: Hypothesis spends most of its time generating, and a
# batch of ten behind one ping costs a tenth of the round trips.
BATCH = 10
MESSAGE_TYPES = sorted({*HANDLERS, p.QUIZ_ANSWER})

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats()  # NaN and ±Infinity too: json.dumps writes them bare
    | st.text(max_size=40),
    lambda children: (
        st.lists(children, max_size=6)
        | st.dictionaries(st.text(max_size=10), children, max_size=6)
    ),
    max_leaves=10,
)


def fields_for(room_ids: dict):
    """Every field a client frame may carry, from junk to real ids."""
    real = st.sampled_from(room_ids["ids"]) | st.integers(0, 50)
    anything = json_values | real
    return {
        "text": json_values | st.text(max_size=600),
        "client_id": json_values | st.text(max_size=80),
        "t": json_values,
        "index": anything,
        "muted": json_values,
        "user_id": anything,
        "quiz_id": anything,
        "question_id": anything,
        "choice_id": anything | st.text(max_size=30),
        "stroke": json_values
        | st.fixed_dictionaries(
            {"points": json_values, "color": json_values, "width": json_values}
        )
        | st.fixed_dictionaries(
            {
                "points": st.lists(
                    st.lists(st.floats(-10, 1e6) | st.integers(), max_size=3),
                    max_size=50,
                ),
                "color": st.text(max_size=10),
                "width": st.floats() | st.integers(),
            }
        ),
    }


class Loop:
    """One event loop in a thread, so sockets outlive Hypothesis examples."""

    def __init__(self):
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coro, timeout=30):
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def close(self):
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


class Member:
    """A real socket of one user, reopened when a valid frame closed it."""

    pings = itertools.count()

    def __init__(self, loop, user, room):
        self.loop, self.user, self.room = loop, user, room
        self.comm = None
        self.open()

    def open(self):
        ticket = ticket_for(self.user, self.room.session)
        path = f"/ws/live/{self.room.session.pk}/?ticket={ticket}"

        async def connect():
            comm = Communicator(app(), path, headers=[ORIGIN])
            connected, code = await comm.connect(timeout=10)
            assert connected, code
            return comm

        self.comm = self.loop.run(connect())

    def exchange(self, frames: list[dict]) -> int | None:
        """Send ``frames`` then a ping; the close code, or None once ponged."""
        n = next(self.pings)

        async def go():
            for frame in frames:
                await self.comm.send_to(text_data=json.dumps(frame))
            await self.comm.send_to(text_data=json.dumps({"type": "ping", "t": n}))
            while True:
                out = await self.comm.receive_output(timeout=10)
                if out["type"] == "websocket.close":
                    return out.get("code")
                reply = json.loads(out["text"])  # checked by Communicator
                if reply["type"] == p.ERROR:
                    assert reply["code"] in p.ERROR_MESSAGES
                if reply == {"type": "pong", "t": n}:
                    return None

        return self.loop.run(go())

    def drain(self):
        async def go():
            while not await self.comm.receive_nothing(timeout=0.01):
                out = await self.comm.receive_output()
                if out["type"] == "websocket.close":
                    return

        self.loop.run(go())


async def room_store():
    return store.get_store()


def reopen_room(room) -> None:
    """Undo what a valid ``session.end`` or ``participant.remove`` did."""
    LiveSession.objects.filter(pk=room.session.pk).update(
        status=SessionStatus.LIVE, ended_at=None
    )
    Attendance.objects.filter(session=room.session).update(removed_at=None)


@pytest.fixture
def fuzz_room(settings):
    room = Room(students=2)
    quiz = make_quiz(room.teacher, questions=3)
    ids = [quiz.pk, room.teacher.pk, *(s.pk for s in room.students)]
    ids += list(quiz.questions.values_list("pk", flat=True))
    # Rate limits stay on in production; here they would answer every
    # frame after the first few with ``rate_limited`` and hide the handlers.
    loop = Loop()
    limiter = loop.run(room_store()).limiter
    limiter.limits = {kind: (10**9, 1) for kind in limiter.limits}
    members = {}
    try:
        members = {
            p.TEACHER: Member(loop, room.teacher, room),
            p.STUDENT: Member(loop, room.students[0], room),
        }
        yield room, {"ids": ids}, members
    finally:
        for member in members.values():
            loop.run(member.comm.disconnect())
        loop.close()


class Failures(logging.Handler):
    """Every error the consumer logged: a frame it caught but could not handle."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.records = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture
def failures():
    # The consumer turns any unexpected exception into a ``bad_request``
    # frame, so the client never sees a traceback; the log is where a
    # handler that broke on a frame shows.
    handler = Failures()
    logger = logging.getLogger("live")
    logger.addHandler(handler)
    try:
        yield handler.records
    finally:
        logger.removeHandler(handler)


ALLOWED_CLOSES = {
    p.SESSION_END: {p.CLOSE_ENDED},
    p.PARTICIPANT_REMOVE: {p.CLOSE_FORBIDDEN},
}


@pytest.mark.parametrize("kind", MESSAGE_TYPES)
def test_every_generated_frame_of_each_type_gets_a_contract_answer(
    fuzz_room, failures, kind
):
    room, room_ids, members = fuzz_room
    fields = fields_for(room_ids)
    frames = st.fixed_dictionaries(
        {"type": st.just(kind)},
        optional={**fields, "extra": json_values},
    )
    seen = {"answered": 0, "closed": 0}

    @settings(
        max_examples=FRAMES_PER_TYPE // BATCH,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(
        batch=st.lists(frames, min_size=BATCH, max_size=BATCH),
        role=st.sampled_from([p.TEACHER, p.STUDENT]),
    )
    def check(batch, role):
        failures.clear()
        code = members[role].exchange(batch)
        assert not failures, (batch, role, failures[0].getMessage())
        if code is None:
            seen["answered"] += len(batch)
            return
        # Only a valid frame of a type that ends the socket may close it.
        assert code in ALLOWED_CLOSES.get(kind, set()), (batch, role, code)
        seen["closed"] += len(batch)
        reopen_room(room)
        for member in members.values():
            member.drain()
            member.open()

    check()
    assert seen["answered"] + seen["closed"] >= FRAMES_PER_TYPE
