"""Durable quiz writes: start, open, answer (batched), close once, end."""

from datetime import timedelta

import pytest
from django.utils import timezone

from live import protocol as p
from live.models import QuizRun, QuizRunAnswer, QuizRunQuestion, QuizRunScore
from live.quiz import selectors, services
from tests.factories import ClassroomFactory
from tests.live.quiz_support import answer, make_quiz, make_room, on_wire

pytestmark = pytest.mark.django_db


def started(room, now=None):
    run = services.start_quiz(
        session_id=room.session.pk, quiz_id=room.quiz.pk, user=room.teacher
    )
    _results, item = services.open_next_question(
        session_id=room.session.pk, user=room.teacher, now=now
    )
    return run, item


def error_code(call, **kwargs):
    with pytest.raises(p.ClientError) as caught:
        call(**kwargs)
    return caught.value.code


def test_teacher_starts_a_run_of_their_quiz():
    room = make_room()
    run = services.start_quiz(
        session_id=room.session.pk, quiz_id=room.quiz.pk, user=room.teacher
    )
    assert run.status == "running" and run.question_count == 2
    assert run.title == "Phân số"


def test_student_cannot_start_a_quiz():
    room = make_room()
    code = error_code(
        services.start_quiz,
        session_id=room.session.pk,
        quiz_id=room.quiz.pk,
        user=room.students[0],
    )
    assert code == "forbidden"
    assert not QuizRun.objects.exists()


def test_quiz_of_another_teachers_class_is_refused_and_nothing_stored():
    room = make_room()
    other = ClassroomFactory()
    foreign_quiz = make_quiz(other.homeroom_teacher)
    code = error_code(
        services.start_quiz,
        session_id=room.session.pk,
        quiz_id=foreign_quiz.pk,
        user=room.teacher,
    )
    assert code == "quiz_not_found"
    assert not QuizRun.objects.exists()


def test_a_second_run_cannot_start_while_one_runs():
    room = make_room()
    services.start_quiz(
        session_id=room.session.pk, quiz_id=room.quiz.pk, user=room.teacher
    )
    code = error_code(
        services.start_quiz,
        session_id=room.session.pk,
        quiz_id=room.quiz.pk,
        user=room.teacher,
    )
    assert code == "quiz_running"


def test_next_without_a_run_is_no_quiz():
    room = make_room()
    code = error_code(
        services.open_next_question, session_id=room.session.pk, user=room.teacher
    )
    assert code == "no_quiz"
    assert not QuizRunQuestion.objects.exists()


def test_question_frame_has_no_answer_key_and_the_countdown():
    room = make_room()
    _run, item = started(room)
    frame = selectors.question_frame(item)
    assert frame["question_id"] == room.question(0).pk
    assert frame["time_limit_ms"] == 20_000
    assert set(frame["choices"][0]) == {"id", "text"}
    assert "explanation" not in frame and "correct" not in str(frame)


def test_correct_answer_is_stored_and_acked_with_server_points():
    room = make_room()
    opens = timezone.now()
    run, item = started(room, now=opens)
    s = room.students[0]
    ack = services.record_answer(
        answer(
            room, s, room.question(0), room.right(0), "a1", opens + timedelta(seconds=5)
        )
    )
    assert ack == p.quiz_ack(room.question(0).pk, "a1", accepted=True)
    row = QuizRunAnswer.objects.get(run=run, student=s)
    assert (row.elapsed_ms, row.correct, row.points) == (5000, True, 875)


def test_same_client_id_twice_is_stored_once_with_the_same_ack():
    room = make_room()
    started(room)
    s = room.students[0]
    first = services.record_answer(
        answer(room, s, room.question(0), room.right(0), "x")
    )
    again = services.record_answer(
        answer(room, s, room.question(0), room.right(0), "x")
    )
    assert first["accepted"] and not first["duplicate"]
    assert again == {**first, "duplicate": True}
    assert QuizRunAnswer.objects.count() == 1


def test_second_answer_with_another_client_id_is_refused_first_counts():
    room = make_room()
    started(room)
    s = room.students[0]
    services.record_answer(answer(room, s, room.question(0), room.wrong(0), "one"))
    ack = services.record_answer(
        answer(room, s, room.question(0), room.right(0), "two")
    )
    assert ack["accepted"] is False and ack["reason"] == "already_answered"
    assert list(QuizRunAnswer.objects.values_list("choice_id", flat=True)) == [
        room.wrong(0).pk
    ]


def test_two_tabs_in_one_batch_store_one_answer():
    room = make_room()
    started(room)
    s = room.students[0]
    acks = services.record_answers(
        [
            answer(room, s, room.question(0), room.right(0), "tab1"),
            answer(room, s, room.question(0), room.wrong(0), "tab2"),
            answer(room, s, room.question(0), room.right(0), "tab1"),
        ]
    )
    assert [(a["accepted"], a["reason"], a["duplicate"]) for a in acks] == [
        (True, None, False),
        (False, "already_answered", False),
        (True, None, True),
    ]
    assert QuizRunAnswer.objects.count() == 1


def test_choice_of_another_question_is_bad_choice():
    room = make_room()
    started(room)
    ack = services.record_answer(
        answer(room, room.students[0], room.question(0), room.right(1), "c")
    )
    assert ack["reason"] == "bad_choice" and not QuizRunAnswer.objects.exists()


def test_question_not_yet_opened_is_not_open():
    room = make_room()
    started(room)
    ack = services.record_answer(
        answer(room, room.students[0], room.question(1), room.right(1), "n")
    )
    assert ack["reason"] == "not_open" and not QuizRunAnswer.objects.exists()


def test_question_of_another_run_is_not_open():
    room = make_room()
    other = make_room()
    started(other)
    started(room)
    ack = services.record_answer(
        answer(room, room.students[0], other.question(0), other.right(0), "o")
    )
    assert ack["reason"] == "not_open" and not QuizRunAnswer.objects.exists()


def test_answer_received_after_closes_at_is_closed_whatever_the_client_says():
    room = make_room()
    opens = timezone.now() - timedelta(seconds=30)
    started(room, now=opens)
    ack = services.record_answer(
        answer(room, room.students[0], room.question(0), room.right(0), "late")
    )
    assert ack["reason"] == "closed" and not QuizRunAnswer.objects.exists()


def test_answer_after_reveal_is_closed_but_an_acked_resend_keeps_its_ack():
    room = make_room()
    _run, item = started(room)
    a, b = room.students[:2]
    services.record_answer(answer(room, a, room.question(0), room.right(0), "ok"))
    assert services.close_question(item_id=item.pk) is not None
    late = services.record_answer(answer(room, b, room.question(0), room.right(0), "z"))
    resend = services.record_answer(
        answer(room, a, room.question(0), room.right(0), "ok")
    )
    assert late["reason"] == "closed"
    assert resend["accepted"] and resend["duplicate"]
    assert QuizRunAnswer.objects.count() == 1


def test_question_closes_once_and_results_are_computed_once():
    room = make_room()
    _run, item = started(room)
    a, b, c = room.students
    services.record_answers(
        [
            answer(room, a, room.question(0), room.right(0), "a"),
            answer(room, b, room.question(0), room.wrong(0), "b"),
            answer(room, c, room.question(0), room.wrong(0), "c"),
        ]
    )
    results = services.close_question(item_id=item.pk).result
    assert services.close_question(item_id=item.pk) is None
    assert services.close_if_due(room.session.pk) is None
    assert results["correct_choice_ids"] == [on_wire(room.right(0))]
    assert results["counts"][str(on_wire(room.wrong(0)))] == 2
    assert results["leaderboard"][0]["score"] > 0
    item.refresh_from_db()
    assert (item.answered_count, item.correct_count) == (3, 1)


def test_due_question_is_closed_on_demand_by_any_caller():
    room = make_room()
    started(room, now=timezone.now() - timedelta(seconds=25))
    results = services.close_if_due(room.session.pk)
    assert results is not None and results.result["type"] == "quiz.result"
    assert selectors.open_item(room.session.pk) is None


def test_scores_rank_ties_by_earlier_total_time_and_personal_results():
    room = make_room()
    opens = timezone.now()
    run, item = started(room, now=opens)
    a, b, c = room.students
    q = room.question(0)
    services.record_answers(
        [
            answer(room, a, q, room.right(0), "a", opens + timedelta(seconds=2)),
            answer(room, b, q, room.right(0), "b", opens + timedelta(seconds=2)),
        ]
    )
    closed = services.close_question(item_id=item.pk, now=opens + timedelta(seconds=3))
    frames = closed.you_frames([a.pk, b.pk, c.pk])
    assert not QuizRunScore.objects.exists()
    services.save_closed(closed)
    services.save_closed(closed)  # idempotent
    assert QuizRunScore.objects.get(student=a).score == 950
    assert frames[a.pk]["score"] == frames[b.pk]["score"] == 950
    assert frames[a.pk]["rank"] == frames[b.pk]["rank"] == 1
    assert frames[c.pk] == {
        "type": "quiz.you",
        "question_id": q.pk,
        "correct": False,
        "points": 0,
        "score": 0,
        "rank": 3,
    }
    # Question 2: only b answers (right, slowly). Equal scores would tie, but
    # a missed the question, whose full time limit counts against a's time.
    t2 = opens + timedelta(seconds=10)
    _results, item2 = services.open_next_question(
        session_id=room.session.pk, user=room.teacher, now=t2
    )
    services.record_answer(
        answer(
            room, a, room.question(1), room.wrong(1), "a2", t2 + timedelta(seconds=1)
        )
    )
    services.record_answer(
        answer(
            room, b, room.question(1), room.right(1), "b2", t2 + timedelta(seconds=19)
        )
    )
    _results, ended = services.end_quiz(
        session_id=room.session.pk, user=room.teacher, now=t2 + timedelta(seconds=20)
    )
    scores = {s.student_id: s for s in QuizRunScore.objects.filter(run=run)}
    assert scores[b.pk].score == 950 + 525 and scores[b.pk].rank == 1
    assert scores[a.pk].score == 950 and scores[a.pk].rank == 2
    assert scores[a.pk].total_ms == 2000 + 1000
    assert [entry["score"] for entry in ended["leaderboard"]] == [1475, 950]
    run.refresh_from_db()
    assert run.status == "ended"


def test_no_more_questions_after_the_last():
    room = make_room(questions=1)
    started(room)
    code = error_code(
        services.open_next_question, session_id=room.session.pk, user=room.teacher
    )
    assert code == "no_more_questions"


def test_own_answer_comes_back_for_a_reconnecting_student():
    room = make_room()
    _run, item = started(room)
    s = room.students[0]
    assert selectors.own_answer(item, s.pk) is None
    services.record_answer(answer(room, s, room.question(0), room.wrong(0), "r"))
    assert selectors.own_answer(item, s.pk) == {
        "choice_id": on_wire(room.wrong(0)),
        "accepted": True,
    }
