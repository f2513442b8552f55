"""The realtime quiz over real sockets (``WebsocketCommunicator``).

Each "Bad input" row of issue 6 is here: answering a question of another
run or a closed one, a choice of another question, answering twice with
different client_ids, a teacher's message sent by a student, ``quiz.next``
with no run, and a quiz of another teacher's class started by id.
"""

import json

import pytest
from channels.db import database_sync_to_async as db

from live.models import QuizRun, QuizRunAnswer, QuizRunQuestion
from tests.factories import ClassroomFactory
from tests.live.conftest import Room, joined, next_of
from tests.live.quiz_support import answer_key_paths, make_quiz, on_wire

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


class QuizRoomSetup:
    def __init__(self, time_limit=20, questions=2):
        self.room = Room(students=2)
        self.quiz = make_quiz(
            self.room.teacher, questions=questions, time_limit=time_limit
        )
        self.questions = list(self.quiz.questions.order_by("position", "pk"))
        self.right = [q.choices.get(is_correct=True).pk for q in self.questions]
        self.wrong = [
            list(q.choices.filter(is_correct=False).values_list("pk", flat=True))
            for q in self.questions
        ]

    def show_on_wire(self):
        """Once the run started: the ids its frames show for those choices."""
        self.right = [on_wire(pk) for pk in self.right]
        self.wrong = [[on_wire(pk) for pk in pks] for pks in self.wrong]


async def setup(**kwargs):
    return await db(QuizRoomSetup)(**kwargs)


async def send(comm, **frame):
    await comm.send_to(text_data=json.dumps(frame))


async def frames_until(comm, kind, timeout=5):
    """Every frame received up to and including the first of ``kind``."""
    seen = []
    while True:
        out = await comm.receive_output(timeout)
        assert out["type"] != "websocket.close", seen
        frame = json.loads(out["text"])
        seen.append(frame)
        if frame["type"] == kind:
            return seen


async def started_room(**kwargs):
    s = await setup(**kwargs)
    teacher, _ = await joined(s.room.teacher, s.room.session)
    a, _ = await joined(s.room.students[0], s.room.session)
    b, _ = await joined(s.room.students[1], s.room.session)
    await send(teacher, type="quiz.start", quiz_id=s.quiz.pk)
    for comm in (teacher, a, b):
        started = await next_of(comm, "quiz.started")
        assert started["question_count"] == len(s.questions)
    await send(teacher, type="quiz.next")
    # Clients answer what they received: once b has the question, it is
    # committed and open for everyone.
    await next_of(b, "quiz.question")
    await db(s.show_on_wire)()
    return s, teacher, a, b


async def close_all(*comms):
    for comm in comms:
        await comm.disconnect()


async def test_full_round_question_ack_progress_result_you_and_podium():
    s, teacher, a, b = await started_room()
    before = await frames_until(a, "quiz.question")
    question = before[-1]
    assert question["question_id"] == s.questions[0].pk
    assert answer_key_paths(before) == []
    await send(
        a,
        type="quiz.answer",
        question_id=question["question_id"],
        choice_id=s.right[0],
        client_id="a-1",
    )
    ack = await next_of(a, "quiz.ack")
    assert ack == {
        "type": "quiz.ack",
        "question_id": s.questions[0].pk,
        "client_id": "a-1",
        "accepted": True,
        "reason": None,
        "duplicate": False,
    }
    await send(
        b,
        type="quiz.answer",
        question_id=question["question_id"],
        choice_id=s.wrong[0][0],
        client_id="b-1",
    )
    b_frames = await frames_until(b, "quiz.ack")
    assert answer_key_paths([f for f in b_frames if f["type"] != "quiz.ack"]) == []
    progress = await next_of(teacher, "quiz.progress")
    while progress["answered"] < 2:
        progress = await next_of(teacher, "quiz.progress")
    assert progress == {
        "type": "quiz.progress",
        "question_id": s.questions[0].pk,
        "answered": 2,
        "total": 2,
    }
    await send(teacher, type="quiz.reveal")
    result = await next_of(a, "quiz.result")
    assert result["correct_choice_ids"] == [s.right[0]]
    assert result["counts"][str(s.right[0])] == 1
    assert result["counts"][str(s.wrong[0][0])] == 1
    full_name = s.room.students[0].display_name
    assert full_name not in json.dumps(result, ensure_ascii=False)
    you_a = await next_of(a, "quiz.you")
    you_b = await next_of(b, "quiz.you")
    assert you_a["correct"] is True and you_a["rank"] == 1 and you_a["points"] > 500
    assert you_b == {
        "type": "quiz.you",
        "question_id": s.questions[0].pk,
        "correct": False,
        "points": 0,
        "score": 0,
        "rank": 2,
    }
    await send(teacher, type="quiz.end")
    ended = await next_of(b, "quiz.ended")
    assert [entry["score"] for entry in ended["leaderboard"]] == [you_a["score"], 0]
    await close_all(teacher, a, b)


async def test_resent_client_id_gets_the_same_ack_and_one_row():
    s, teacher, a, b = await started_room()
    q = s.questions[0].pk
    for _ in range(2):
        await send(
            a, type="quiz.answer", question_id=q, choice_id=s.right[0], client_id="same"
        )
    first = await next_of(a, "quiz.ack")
    second = await next_of(a, "quiz.ack")
    assert first["accepted"] and second == {**first, "duplicate": True}
    assert await db(QuizRunAnswer.objects.count)() == 1
    await close_all(teacher, a, b)


async def test_second_answer_with_another_client_id_is_already_answered():
    s, teacher, a, b = await started_room()
    q = s.questions[0].pk
    await send(
        a, type="quiz.answer", question_id=q, choice_id=s.wrong[0][0], client_id="one"
    )
    await next_of(a, "quiz.ack")
    await send(
        a, type="quiz.answer", question_id=q, choice_id=s.right[0], client_id="two"
    )
    ack = await next_of(a, "quiz.ack")
    assert (ack["accepted"], ack["reason"]) == (False, "already_answered")
    rows = await db(
        lambda: [
            on_wire(pk)
            for pk in QuizRunAnswer.objects.values_list("choice_id", flat=True)
        ]
    )()
    assert rows == [s.wrong[0][0]]
    await close_all(teacher, a, b)


async def test_choice_of_another_question_is_bad_choice_and_not_stored():
    s, teacher, a, b = await started_room()
    await send(
        a,
        type="quiz.answer",
        question_id=s.questions[0].pk,
        choice_id=s.right[1],
        client_id="x",
    )
    ack = await next_of(a, "quiz.ack")
    assert (ack["accepted"], ack["reason"]) == (False, "bad_choice")
    assert await db(QuizRunAnswer.objects.count)() == 0
    await close_all(teacher, a, b)


async def test_answer_to_a_closed_question_is_refused():
    s, teacher, a, b = await started_room()
    await send(teacher, type="quiz.reveal")
    await next_of(a, "quiz.result")
    await send(
        a,
        type="quiz.answer",
        question_id=s.questions[0].pk,
        choice_id=s.right[0],
        client_id="late",
    )
    ack = await next_of(a, "quiz.ack")
    assert (ack["accepted"], ack["reason"]) == (False, "closed")
    assert await db(QuizRunAnswer.objects.count)() == 0
    await close_all(teacher, a, b)


async def test_question_of_another_run_is_not_open():
    other = await setup()
    other_teacher, _ = await joined(other.room.teacher, other.room.session)
    await send(other_teacher, type="quiz.start", quiz_id=other.quiz.pk)
    await send(other_teacher, type="quiz.next")
    await next_of(other_teacher, "quiz.question")
    s, teacher, a, b = await started_room()
    await send(
        a,
        type="quiz.answer",
        question_id=other.questions[0].pk,
        choice_id=other.right[0],
        client_id="foreign",
    )
    ack = await next_of(a, "quiz.ack")
    assert (ack["accepted"], ack["reason"]) == (False, "not_open")
    assert await db(QuizRunAnswer.objects.count)() == 0
    await close_all(teacher, a, b, other_teacher)


@pytest.mark.parametrize("kind", ["quiz.start", "quiz.next", "quiz.reveal", "quiz.end"])
async def test_student_sending_a_teacher_message_is_forbidden(kind, caplog):
    s, teacher, a, b = await started_room()
    await next_of(a, "quiz.question")
    await send(a, type=kind, quiz_id=s.quiz.pk)
    error = await next_of(a, "error")
    assert error["code"] == "forbidden" and error["ref"]["type"] == kind
    assert "refused for user" in caplog.text
    assert await db(QuizRun.objects.get)() is not None
    item = await db(QuizRunQuestion.objects.get)()
    assert item.closed is False and await db(QuizRun.objects.count)() == 1
    await close_all(teacher, a, b)


async def test_teacher_cannot_answer():
    s, teacher, a, b = await started_room()
    await send(
        teacher,
        type="quiz.answer",
        question_id=s.questions[0].pk,
        choice_id=s.right[0],
        client_id="t",
    )
    assert (await next_of(teacher, "error"))["code"] == "forbidden"
    await close_all(teacher, a, b)


async def test_next_with_no_run_is_no_quiz():
    s = await setup()
    teacher, _ = await joined(s.room.teacher, s.room.session)
    await send(teacher, type="quiz.next")
    error = await next_of(teacher, "error")
    assert error["code"] == "no_quiz" and error["ref"] == {"type": "quiz.next"}
    assert await db(QuizRunQuestion.objects.count)() == 0
    await teacher.disconnect()


async def test_quiz_of_another_teachers_class_by_id_is_refused():
    s = await setup()
    foreign = await db(lambda: make_quiz(ClassroomFactory().homeroom_teacher))()
    teacher, _ = await joined(s.room.teacher, s.room.session)
    await send(teacher, type="quiz.start", quiz_id=foreign.pk)
    error = await next_of(teacher, "error")
    assert error["code"] == "quiz_not_found"
    assert await db(QuizRun.objects.count)() == 0
    await teacher.disconnect()


async def test_bad_fields_are_bad_request():
    s, teacher, a, b = await started_room()
    await send(a, type="quiz.answer", question_id="1", choice_id=2, client_id="x")
    assert (await next_of(a, "error"))["code"] == "bad_request"
    await send(a, type="quiz.answer", question_id=1, choice_id=2)
    assert (await next_of(a, "error"))["code"] == "bad_request"
    await send(teacher, type="quiz.start", quiz_id=True)
    assert (await next_of(teacher, "error"))["code"] == "bad_request"
    await close_all(teacher, a, b)


async def test_reconnecting_student_gets_the_open_question_and_their_answer():
    s, teacher, a, b = await started_room()
    await next_of(a, "quiz.question")
    await send(
        a,
        type="quiz.answer",
        question_id=s.questions[0].pk,
        choice_id=s.wrong[0][1],
        client_id="before-drop",
    )
    await next_of(a, "quiz.ack")
    await a.disconnect()
    again, state = await joined(s.room.students[0], s.room.session)
    assert state["quiz"]["question_id"] == s.questions[0].pk
    assert state["quiz"]["your_answer"] == {
        "choice_id": s.wrong[0][1],
        "accepted": True,
    }
    assert (
        answer_key_paths({k: v for k, v in state["quiz"].items() if k != "your_answer"})
        == []
    )
    _b_state = await db(lambda: None)()
    other, other_state = await joined(s.room.students[1], s.room.session)
    assert other_state["quiz"]["your_answer"] is None
    await close_all(teacher, again, b, other)


async def test_question_closes_by_itself_at_closes_at():
    s, teacher, a, b = await started_room(time_limit=5)
    question = await next_of(a, "quiz.question")
    assert question["time_limit_ms"] == 5000
    result = await next_of(a, "quiz.result", timeout=9)
    assert result["question_id"] == s.questions[0].pk
    item = await db(QuizRunQuestion.objects.get)()
    assert item.closed
    await close_all(teacher, a, b)
