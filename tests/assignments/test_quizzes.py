import json
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from assignments import question_bank
from assignments import quiz_homework as homework_quizzes
from assignments.models import QuestionKind, QuizAttempt, Submission, SubmissionStatus
from notifications.models import Notification
from notifications.services import SUBMISSION_RETURNED
from tests.assignments.conftest import make_assignment

SECRET_EXPLANATION = "Giải thích bí mật 4242"


@pytest.fixture
def quiz(world):
    quiz = question_bank.create_quiz(owner=world.T1, title="Kiểm tra phân số")
    question_bank.add_question(
        quiz=quiz,
        by=world.T1,
        kind=QuestionKind.SINGLE,
        text="1/2 + 1/2 = ?",
        choices=[("1", True), ("2", False), ("1/4", False)],
        explanation=SECRET_EXPLANATION,
    )
    question_bank.add_question(
        quiz=quiz,
        by=world.T1,
        kind=QuestionKind.MULTIPLE,
        text="Số nào bằng 0,5?",
        choices=[("1/2", True), ("2/4", True), ("5/5", False)],
        points=2,
    )
    question_bank.add_question(
        quiz=quiz,
        by=world.T1,
        kind=QuestionKind.TRUE_FALSE,
        text="1/3 > 1/4",
        true_is_correct=True,
    )
    question_bank.add_question(
        quiz=quiz,
        by=world.T1,
        kind=QuestionKind.NUMERIC,
        text="3,14159 làm tròn đến hai chữ số?",
        numeric_answer=Decimal("3.14"),
        tolerance=Decimal("0.005"),
        points=2,
    )
    return quiz


@pytest.fixture
def quiz_homework(world, quiz):
    return make_assignment(world.T1, [world.C1], kind="quiz", quiz=quiz, points=10)


def answers_for(quiz, numeric="3,141", multiple_ok=True):
    q1, q2, q3, q4 = quiz.questions.all()
    right = lambda q: [c.pk for c in q.choices.all() if c.is_correct]  # noqa: E731
    return {
        str(q1.pk): str(right(q1)[0]),
        str(q2.pk): [str(x) for x in right(q2)] if multiple_ok else str(right(q2)[0]),
        str(q3.pk): str(right(q3)[0]),
        str(q4.pk): numeric,
    }


def test_all_correct_answers_score_full_marks(world, quiz, quiz_homework):
    attempt = homework_quizzes.submit_quiz_attempt(
        assignment=quiz_homework, student=world.S1, answers=answers_for(quiz)
    )
    assert attempt.score == 6 and attempt.max_score == 6
    submission = attempt.submission
    assert submission.score == 10 and submission.status == SubmissionStatus.RETURNED


def test_partial_multiple_choice_and_numeric_outside_tolerance_score_zero(
    world, quiz, quiz_homework
):
    attempt = homework_quizzes.submit_quiz_attempt(
        assignment=quiz_homework,
        student=world.S1,
        answers=answers_for(quiz, numeric="3.2", multiple_ok=False),
    )
    assert attempt.score == 2  # only the single and true/false questions
    assert attempt.submission.score == Decimal("3.33")


def test_second_submit_returns_the_first_attempt(world, quiz, quiz_homework):
    first = homework_quizzes.submit_quiz_attempt(
        assignment=quiz_homework, student=world.S1, answers=answers_for(quiz)
    )
    again = homework_quizzes.submit_quiz_attempt(
        assignment=quiz_homework, student=world.S1, answers={}
    )
    assert again.pk == first.pk and QuizAttempt.objects.count() == 1


def test_choice_of_another_question_or_garbage_counts_as_wrong(
    world, quiz, quiz_homework
):
    q1, q2, *_ = quiz.questions.all()
    foreign = q2.choices.first().pk
    attempt = homework_quizzes.submit_quiz_attempt(
        assignment=quiz_homework,
        student=world.S1,
        answers={str(q1.pk): str(foreign), str(q2.pk): ["abc", None], "999": "1"},
    )
    assert attempt.score == 0


def test_graded_quiz_homework_tells_the_student_and_parents_once(
    world, quiz, quiz_homework, django_capture_on_commit_callbacks
):
    for _tap in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            attempt = homework_quizzes.submit_quiz_attempt(
                assignment=quiz_homework, student=world.S1, answers=answers_for(quiz)
            )
    told = Notification.objects.filter(event=SUBMISSION_RETURNED)
    assert sorted(told.values_list("recipient", flat=True)) == sorted(
        [world.S1.pk, world.P1.pk]
    )
    assert told.first().url == reverse(
        "assignments:submission", args=[attempt.submission_id]
    )


def test_student_of_another_class_cannot_attempt(world, quiz, quiz_homework):
    with pytest.raises(PermissionDenied):
        homework_quizzes.submit_quiz_attempt(
            assignment=quiz_homework, student=world.S3, answers={}
        )
    assert Submission.objects.count() == 0


def test_single_choice_question_needs_exactly_one_correct_choice(world, quiz):
    with pytest.raises(
        ValidationError, match=re.escape(str(question_bank.NEED_ONE_CORRECT))
    ):
        question_bank.add_question(
            quiz=quiz,
            by=world.T1,
            kind=QuestionKind.SINGLE,
            text="?",
            choices=[("a", True), ("b", True)],
        )


def test_other_teacher_cannot_add_questions_or_use_the_quiz(world, quiz):
    with pytest.raises(PermissionDenied):
        question_bank.add_question(
            quiz=quiz,
            by=world.T2,
            kind=QuestionKind.NUMERIC,
            text="?",
            numeric_answer=Decimal(1),
        )
    with pytest.raises(PermissionDenied):
        make_assignment(world.T2, [world.C2], kind="quiz", quiz=quiz)


ANSWER_KEYS = re.compile(r"correct|is_correct|explanation|numeric_answer|tolerance|✓")


def test_quiz_page_sent_to_student_carries_no_answer_key(
    world, quiz, quiz_homework, client
):
    client.force_login(world.S1)
    body = client.get(
        reverse("assignments:detail", args=[quiz_homework.pk])
    ).content.decode()
    assert "1/2 + 1/2" in body
    assert not ANSWER_KEYS.search(body)
    assert SECRET_EXPLANATION not in body and "3.14" not in body
    payload = json.dumps(
        homework_quizzes.question_list_for_student(quiz), ensure_ascii=False
    )
    assert not ANSWER_KEYS.search(payload)


def test_alternate_routes_give_no_answer_key_to_students(
    world, quiz, quiz_homework, client
):
    client.force_login(world.S1)
    assert client.get(reverse("assignments:quiz", args=[quiz.pk])).status_code == 404
    assert client.get(reverse("assignments:quizzes")).status_code == 404
    assert (
        client.get(reverse("assignments:queue", args=[quiz_homework.pk])).status_code
        == 404
    )


def test_answers_after_submit_only_when_teacher_allows(world, quiz, client):
    hidden = make_assignment(world.T1, [world.C1], kind="quiz", quiz=quiz)
    shown = make_assignment(
        world.T1, [world.C1], kind="quiz", quiz=quiz, show_correct_answers=True
    )
    client.force_login(world.S1)
    for homework in (hidden, shown):
        response = client.post(
            reverse("assignments:quiz-submit", args=[homework.pk]),
            {f"q{k}": v for k, v in answers_for(quiz).items()},
        )
        assert response.status_code == 302
    hidden_body = client.get(
        reverse(
            "assignments:submission",
            args=[Submission.objects.get(assignment=hidden).pk],
        )
    ).content.decode()
    shown_body = client.get(
        reverse(
            "assignments:submission", args=[Submission.objects.get(assignment=shown).pk]
        )
    ).content.decode()
    assert SECRET_EXPLANATION not in hidden_body and "✓" not in hidden_body
    assert SECRET_EXPLANATION in shown_body and "✓" in shown_body
    assert "<strong>10</strong>" in hidden_body


def test_teacher_authors_a_quiz_through_the_pages(world, client):
    client.force_login(world.T1)
    response = client.post(reverse("assignments:quizzes"), {"title": "Ôn tập"})
    quiz_url = response["Location"]
    response = client.post(
        quiz_url,
        {"kind": "single", "text": "2 × 3 = ?", "choices": "*6\n5\n8", "points": "1"},
    )
    assert response.status_code == 302
    question = world.T1.quizzes.get().questions.get()
    assert [(c.text, c.is_correct) for c in question.choices.all()] == [
        ("6", True),
        ("5", False),
        ("8", False),
    ]
    response = client.post(
        quiz_url, {"kind": "single", "text": "?", "choices": "a\nb", "points": "1"}
    )
    assert response.status_code == 200 and "choices" in response.context["form"].errors
