"""
RL-07, the socket half: with the database away, a room's actions are
refused with the ``unavailable`` error frame (nacked, never silently
dropped), nothing is stored or broadcast, the sockets stay open, and the same
action works again once the database is back, without a restart.
"""

import json

import pytest
from channels.db import database_sync_to_async as db
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper

from live.models import ChatMessage
from tests.live.conftest import Room, joined, next_of

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


def _refuse(self, *args, **kwargs):
    raise OperationalError("server closed the connection unexpectedly")


async def _until(comm, *kinds):
    """The next frame of one of ``kinds`` (presence noise skipped)."""
    while True:
        frame = json.loads((await comm.receive_output(5))["text"])
        if frame["type"] in kinds:
            return frame


def _chat(text="Em chào cô"):
    return json.dumps({"type": "chat.send", "text": text, "client_id": "c1"})


async def test_chat_with_the_database_away_is_refused_then_works_again(monkeypatch):
    room = await db(Room)()
    teacher, _ = await joined(room.teacher, room.session)
    student, _ = await joined(room.students[0], room.session)

    # Every query now fails as it does on a connection PostgreSQL dropped.
    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", _refuse)
    await student.send_to(text_data=_chat())
    error = await next_of(student, "error")
    assert error["code"] == "unavailable"
    assert error["ref"] == {"type": "chat.send", "client_id": "c1"}
    assert "gửi lại" in error["message"]
    # Nobody heard a message that was not stored; the teacher's socket is fine.
    await teacher.send_to(text_data=json.dumps({"type": "ping", "t": 1}))
    assert (await _until(teacher, "pong", "chat.message"))["type"] == "pong"

    monkeypatch.undo()
    assert await db(ChatMessage.objects.count)() == 0
    await student.send_to(text_data=_chat())
    message = await next_of(teacher, "chat.message")
    assert message["text"] == "Em chào cô"
    assert await db(ChatMessage.objects.count)() == 1
    for comm in (teacher, student):
        await comm.disconnect()


async def test_an_answer_with_the_database_away_gets_no_ack_and_counts_when_resent(
    monkeypatch,
):
    from live.models import QuizRunAnswer
    from tests.live.quiz.test_handlers import close_all, send, started_room

    s, teacher, a, b = await started_room()
    question = await next_of(a, "quiz.question")
    answer = {
        "type": "quiz.answer",
        "question_id": question["question_id"],
        "choice_id": s.right[0],
        "client_id": "a-1",
    }
    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", _refuse)
    await send(a, **answer)
    refused = await _until(a, "error", "quiz.ack")
    assert refused["type"] == "error" and refused["code"] == "unavailable"
    assert refused["ref"] == {"type": "quiz.answer", "client_id": "a-1"}
    monkeypatch.undo()
    assert await db(QuizRunAnswer.objects.count)() == 0
    await send(a, **answer)
    ack = await _until(a, "error", "quiz.ack")
    assert ack["type"] == "quiz.ack" and ack["accepted"] is True
    assert ack["duplicate"] is False
    assert await db(QuizRunAnswer.objects.count)() == 1
    await close_all(teacher, a, b)
