"""
Who may send what inside a live room (AZ-12, the socket half): every
client -> server type of the contract (``live-protocol.md`` section 3) sent
by each role a room knows (teacher, student, observer) through the real
consumer.

``SPEC_WHO`` copies the contract's "who" column; it is kept apart from
``live.protocol.ALLOWED_ROLES`` (the table the server checks) on purpose, so
a widened server table fails here. Each cell is judged:

- allowed: the type's effect happens (the witness, another pupil, receives
  the broadcast; the sender receives its reply);
- refused: the sender gets ``error`` ``forbidden`` echoing its type, the
  witness receives nothing but its own ``pong``, and neither the database nor
  the room's state (slide, board, mute, hands, quiz) changed.

``docs/authorisation-matrix.md`` shows the table (between the
``<!-- protocol -->`` markers; kept in step by the last test).
"""

import json

import pytest
from channels.db import database_sync_to_async as db

from live import protocol as p
from live.models import (
    ChatMessage,
    LiveSession,
    QuizRun,
    QuizRunAnswer,
    QuizRunQuestion,
)
from tests.live.conftest import Room, joined
from tests.live.quiz_support import make_quiz
from tests.security.authz_matrix import assert_documented

ALL = frozenset({p.TEACHER, p.STUDENT, p.OBSERVER})
ROOM_ROLES = (p.TEACHER, p.STUDENT, p.OBSERVER)

# live-protocol.md section 3, "who": all | student | teacher.
SPEC_WHO = {
    "ping": ALL,
    "chat.send": ALL,
    "hand.raise": frozenset({p.STUDENT}),
    "hand.lower": frozenset({p.STUDENT}),
    "slide.goto": frozenset({p.TEACHER}),
    "board.stroke": frozenset({p.TEACHER}),
    "board.clear": frozenset({p.TEACHER}),
    "chat.mute": frozenset({p.TEACHER}),
    "participant.remove": frozenset({p.TEACHER}),
    "quiz.start": frozenset({p.TEACHER}),
    "quiz.next": frozenset({p.TEACHER}),
    "quiz.answer": frozenset({p.STUDENT}),
    "quiz.reveal": frozenset({p.TEACHER}),
    "quiz.end": frozenset({p.TEACHER}),
    "session.end": frozenset({p.TEACHER}),
    # section 6
    "audio.start": frozenset({p.TEACHER}),
    "audio.stop": frozenset({p.TEACHER}),
    "audio.listen": ALL,
}

STROKE = {"points": [[0, 0], [0.5, 1]], "color": "#FF0000", "width": 3}

# type -> (quiz state it needs, who sees the effect, the frame that shows it)
EFFECTS = {
    "ping": (None, "sender", "pong"),
    "chat.send": (None, "witness", "chat.message"),
    "hand.raise": (None, "sender", "hand.changed"),
    "hand.lower": (None, "sender", "hand.changed"),
    "slide.goto": (None, "witness", "slide.changed"),
    "board.stroke": (None, "witness", "board.stroke"),
    "board.clear": (None, "witness", "board.clear"),
    "chat.mute": (None, "witness", "chat.muted"),
    "participant.remove": (None, "witness", "__closed__"),
    "quiz.start": ("ready", "witness", "quiz.started"),
    "quiz.next": ("started", "witness", "quiz.question"),
    "quiz.answer": ("open", "sender", "quiz.ack"),
    "quiz.reveal": ("open", "witness", "quiz.result"),
    "quiz.end": ("started", "witness", "quiz.ended"),
    "session.end": (None, "witness", "session.ended"),
    "audio.start": (None, "witness", "audio.started"),
    "audio.stop": (None, "witness", "audio.stopped"),
    # No reply of its own: the sender's next ping is answered, with no error.
    "audio.listen": (None, "sender", "pong"),
}
NO_REPLY = {"audio.listen"}
AUDIO_START = {"codec": "opus", "sample_rate": 48000, "channels": 1}


def test_the_server_checks_the_contracts_who_column():
    assert {k: frozenset(v) for k, v in p.ALLOWED_ROLES.items()} == SPEC_WHO
    assert set(EFFECTS) == set(SPEC_WHO)


class Stage:
    """A live class with its quiz: the teacher, two pupils, the school admin."""

    def __init__(self):
        self.room = Room(students=2)
        self.quiz = make_quiz(self.room.teacher, questions=2)
        self.users = {
            p.TEACHER: self.room.teacher,
            p.STUDENT: self.room.students[0],
            p.OBSERVER: self.room.admin,
        }
        self.witness = self.room.students[1]

    def database(self):
        """What a frame could have written, in comparable form."""
        session = LiveSession.objects.get(pk=self.room.session.pk)
        return {
            "session": session.status,
            "chat": ChatMessage.objects.count(),
            "runs": sorted(QuizRun.objects.values_list("pk", "status")),
            "questions": sorted(QuizRunQuestion.objects.values_list("pk", "closed")),
            "answers": QuizRunAnswer.objects.count(),
        }


def room_state(state):
    """The parts of a ``room.state`` a frame could change."""
    return {
        "slide": state["slide"],
        "board": state["board"],
        "chat": state["chat"],
        "quiz": state["quiz"],
        "audio": state["audio"] and {**state["audio"], "listening": None},
        "hands": sorted(
            person["user_id"] for person in state["roster"] if person["hand_raised"]
        ),
        "online": sorted(
            person["user_id"] for person in state["roster"] if person["online"]
        ),
    }


async def send(comm, frame):
    await comm.send_to(text_data=json.dumps(frame))


async def read(comm, timeout=5):
    out = await comm.receive_output(timeout)
    if out["type"] == "websocket.close":
        return {"type": "__closed__", "code": out.get("code")}
    return json.loads(out["text"])


async def until(comm, kind):
    """Every frame up to and including the first of ``kind`` (or a close)."""
    seen = []
    while True:
        frame = await read(comm)
        seen.append(frame)
        if frame["type"] in (kind, "__closed__"):
            return seen


def frame_for(kind, stage, question):
    frame = {"type": kind}
    if kind == "ping":
        frame["t"] = 7
    elif kind == "chat.send":
        frame.update(text="Em chào cô", client_id="c-1")
    elif kind == "slide.goto":
        frame["index"] = 2
    elif kind == "board.stroke":
        frame["stroke"] = STROKE
    elif kind == "chat.mute":
        frame["muted"] = True
    elif kind == "participant.remove":
        frame["user_id"] = stage.witness.pk
    elif kind == "quiz.start":
        frame["quiz_id"] = stage.quiz.pk
    elif kind == "audio.start":
        frame.update(AUDIO_START, frame_ms=60, kbps=12)
    elif kind == "audio.listen":
        frame["on"] = False
    elif kind == "quiz.answer":
        frame.update(
            question_id=question["question_id"],
            choice_id=question["choices"][0]["id"],
            client_id="a-1",
        )
    return frame


async def prepare_quiz(need, teacher, witness, stage):
    """Bring the quiz to the state the type needs; the open question, if any."""
    if need in ("started", "open"):
        await send(teacher, {"type": "quiz.start", "quiz_id": stage.quiz.pk})
        await until(witness, "quiz.started")
    if need == "open":
        await send(teacher, {"type": "quiz.next"})
        return (await until(witness, "quiz.question"))[-1]
    return None


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", ROOM_ROLES)
@pytest.mark.parametrize("kind", list(SPEC_WHO))
async def test_each_role_may_send_exactly_what_the_contract_says(kind, role, caplog):
    stage = await db(Stage)()
    session = stage.room.session
    teacher, _ = await joined(stage.room.teacher, session)
    witness, _ = await joined(stage.witness, session)
    sender = teacher
    if role != p.TEACHER:
        sender, _ = await joined(stage.users[role], session)
    need, who, effect = EFFECTS[kind]
    question = await prepare_quiz(need, teacher, witness, stage)
    before_db = await db(stage.database)()
    looker, before = await joined(stage.room.teacher, session)
    await looker.disconnect()

    await send(sender, frame_for(kind, stage, question))

    if role in SPEC_WHO[kind]:
        if kind in NO_REPLY:
            await send(sender, {"type": "ping", "t": 2})
        seen = await until(sender if who == "sender" else witness, effect)
        got = seen[-1]
        assert got["type"] == effect, seen
        assert not [f for f in seen if f["type"] == "error"], seen
        if kind == "quiz.answer":
            assert got["accepted"] is True, got
        if kind == "participant.remove":
            assert got["code"] == p.CLOSE_FORBIDDEN
    else:
        seen = await until(sender, "error")
        assert seen[-1]["code"] == "forbidden", seen
        assert seen[-1]["ref"]["type"] == kind
        assert "refused for user" in caplog.text
        # The witness hears nothing of it: its own ping is answered first.
        await send(witness, {"type": "ping", "t": 1})
        heard = [f["type"] for f in await until(witness, "pong")]
        assert heard[-1] == "pong" and effect not in heard, heard
        assert await db(stage.database)() == before_db
        looker, after = await joined(stage.room.teacher, session)
        await looker.disconnect()
        assert room_state(after) == room_state(before) | {
            "online": room_state(after)["online"]
        }
    for comm in {teacher, witness, sender}:
        await comm.disconnect()


def render_table():
    lines = [
        "| type | " + " | ".join(ROOM_ROLES) + " |",
        "|---|" + "---|" * len(ROOM_ROLES),
    ]
    for kind, allowed in SPEC_WHO.items():
        marks = ["✓" if role in allowed else "·" for role in ROOM_ROLES]
        lines.append(f"| `{kind}` | " + " | ".join(marks) + " |")
    return "\n".join(lines) + "\n"


def test_the_documented_protocol_table_is_the_tested_one():
    assert_documented(
        render_table(), "protocol", "tests/security/test_protocol_matrix.py"
    )
