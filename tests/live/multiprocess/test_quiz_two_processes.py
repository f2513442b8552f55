"""
A quiz with students spread over two real daphne processes sharing
PostgreSQL and Redis: every acked answer is stored exactly once, every
score matches the stored answers, each question closes once (teacher reveal
on one, timer on the other) and every student on either process gets the
results and their own ``quiz.you``.

Needs the real-services profile (``DATABASE_URL`` and ``REDIS_URL``).
"""

import asyncio
import time

import pytest

from live.models import QuizRunAnswer, QuizRunQuestion, QuizRunScore
from live.quiz.scoring import elapsed_ms, points_for
from live.rooms.services import issue_ticket
from tests.live.conftest import Room
from tests.live.multiprocess.clients import open_client
from tests.live.multiprocess.servers import NEEDS_SERVICES
from tests.live.quiz_support import make_quiz

pytestmark = [*NEEDS_SERVICES, pytest.mark.django_db(transaction=True)]

STUDENTS = 24


def test_quiz_across_two_processes_stores_every_answer_once_and_scores_right(
    two_daphnes,
):
    room = Room(students=STUDENTS)
    quiz = make_quiz(room.teacher, questions=2, time_limit=5)
    questions = list(quiz.questions.order_by("position", "pk"))
    # Clients answer by what they see: each run shows choices under its own
    # ids, in its own order (live.quiz.choice_ids).
    right = [q.choices.get(is_correct=True).text for q in questions]
    wrong = [q.choices.filter(is_correct=False).first().text for q in questions]
    tickets = {
        u.pk: issue_ticket(user=u, session=room.session)["ticket"]
        for u in [room.teacher, *room.students]
    }
    final_you = asyncio.run(
        play(room, quiz, questions, right, wrong, tickets, two_daphnes)
    )
    check_database(questions, final_you)


async def play(room, quiz, questions, right, wrong, tickets, ports):
    sid = room.session.pk
    teacher = await open_client(room.teacher, tickets[room.teacher.pk], ports[0], sid)
    students = [
        await open_client(s, tickets[s.pk], ports[i % 2], sid)
        for i, s in enumerate(room.students)
    ]
    await teacher.send(type="quiz.start", quiz_id=quiz.pk)
    for client in students:
        await client.wait("quiz.started")

    # Question 1, opened on process A; students of both processes answer as
    # soon as it arrives; some also re-send, some try a second answer.
    await teacher.send(type="quiz.next")
    await answer_all(students, questions[0].pk, right[0], wrong[0], 1)
    await teacher.wait("quiz.progress")
    await teacher.send(type="quiz.reveal")
    for client in students:
        result = await client.wait("quiz.result")
        you = await client.wait("quiz.you")
        assert result["question_id"] == you["question_id"] == questions[0].pk
        assert you["correct"] == (client.user.pk % 3 != 0)

    # Question 2 closes by itself at closes_at (5 s): once, for everyone.
    await teacher.send(type="quiz.next")
    await answer_all(students, questions[1].pk, right[1], wrong[1], 2)
    for client in [teacher, *students]:
        await client.wait("quiz.result", count=2, timeout=15)
    await asyncio.sleep(1.0)
    await teacher.send(type="quiz.end")
    for client in [teacher, *students]:
        ended = await client.wait("quiz.ended")
        assert len(client.of("quiz.result")) == 2, "a question closed twice"
    assert len(ended["leaderboard"]) == 10
    final_you = {c.user.pk: c.of("quiz.you")[-1] for c in students}
    for client in [teacher, *students]:
        await client.ws.close()
    return final_you


def shown_id(question_frame, text):
    return next(c["id"] for c in question_frame["choices"] if c["text"] == text)


async def answer_all(students, question_id, right_text, wrong_text, round_no):
    shown = [await c.wait("quiz.question", count=round_no) for c in students]
    # Both processes show the same shuffled choices under the same ids.
    assert all(frame["choices"] == shown[0]["choices"] for frame in shown)
    right_id = shown_id(shown[0], right_text)
    wrong_id = shown_id(shown[0], wrong_text)
    for client in students:
        choice = wrong_id if client.user.pk % 3 == 0 else right_id
        cid = f"q{round_no}-{client.user.pk}"
        await client.send(
            type="quiz.answer", question_id=question_id, choice_id=choice, client_id=cid
        )
        if client.user.pk % 4 == 0:  # a flaky link re-sends the same answer
            await client.send(
                type="quiz.answer",
                question_id=question_id,
                choice_id=choice,
                client_id=cid,
            )
        if client.user.pk % 5 == 0:  # a second tab tries another answer
            await client.send(
                type="quiz.answer",
                question_id=question_id,
                choice_id=right_id,
                client_id=cid + "-tab2",
            )
    for client in students:
        expected = 1 + (client.user.pk % 4 == 0) + (client.user.pk % 5 == 0)
        acks = []
        deadline = time.monotonic() + 15
        while len(acks) < expected:
            assert time.monotonic() < deadline
            acks = [
                a
                for a in client.of("quiz.ack")
                if a["question_id"] == question_id
                or a["client_id"].startswith(f"q{round_no}-")
            ]
            await asyncio.sleep(0.02)
        first = next(
            a for a in acks if a["client_id"] == f"q{round_no}-{client.user.pk}"
        )
        assert first["accepted"] is True
        for ack in acks:
            if ack["client_id"].endswith("-tab2"):
                assert (ack["accepted"], ack["reason"]) == (False, "already_answered")


def check_database(questions, final_you):
    items = {i.question_id: i for i in QuizRunQuestion.objects.all()}
    assert all(i.closed for i in items.values())
    rows = list(QuizRunAnswer.objects.all())
    assert len(rows) == STUDENTS * 2
    assert len({(r.question_id, r.student_id) for r in rows}) == STUDENTS * 2
    totals = {}
    for row in rows:
        item = items[row.question_id]
        expected_correct = row.student_id % 3 != 0
        assert row.correct == expected_correct
        assert row.client_id == f"q{1 + questions.index(row.question)}-{row.student_id}"
        elapsed = elapsed_ms(item.opens_at, row.received_at, item.time_limit_ms)
        assert row.elapsed_ms == elapsed
        assert row.points == points_for(
            correct=row.correct, elapsed=elapsed, time_limit_ms=item.time_limit_ms
        )
        totals[row.student_id] = totals.get(row.student_id, 0) + row.points
    scores = {s.student_id: s for s in QuizRunScore.objects.all()}
    assert {k: s.score for k, s in scores.items()} == totals
    for student_id, you in final_you.items():
        assert you["score"] == totals[student_id]
        assert you["rank"] == scores[student_id].rank
