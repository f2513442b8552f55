"""
Quiz homework: an ``Assignment`` of kind quiz, answered once in a
``QuizAttempt`` with one ``QuizAnswer`` per question, graded on submit.

``question_list_for_student`` is the only shape of a question that may reach
a student's browser before they have submitted: no correctness flags, no
numeric answer, no explanation (security-tests QZ-01/QZ-02).
"""

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.permissions import NOT_ALLOWED

from . import permissions
from .deadlines import check_submission_window
from .models import (
    Assignment,
    Question,
    QuestionKind,
    Quiz,
    QuizAnswer,
    QuizAttempt,
    Submission,
    SubmissionStatus,
)
from .notices import notify_submission_returned

NOT_A_QUIZ = _("Bài tập này không phải bài trắc nghiệm.")


def question_list_for_student(quiz: Quiz) -> list[dict]:
    """Questions as a student may see them before submitting: no answers."""
    return [
        {
            "id": q.pk,
            "kind": q.kind,
            "text": q.text,
            "points": q.points,
            "choices": [{"id": c.pk, "text": c.text} for c in q.choices.all()],
        }
        for q in quiz.questions.prefetch_related("choices")
    ]


def _to_decimal(value) -> Decimal | None:
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def grade_answer(question: Question, raw) -> tuple[bool, list[int], Decimal | None]:
    """Whether ``raw`` answers ``question`` correctly, as (ok, choices, number)."""
    if question.kind == QuestionKind.NUMERIC:
        number = _to_decimal(raw) if raw not in (None, "", []) else None
        ok = (
            number is not None
            and abs(number - question.numeric_answer) <= question.tolerance
        )
        return ok, [], number
    valid = {c.pk for c in question.choices.all()}
    values = raw if isinstance(raw, list | tuple | set) else [raw]
    picked = set()
    for value in values:
        try:
            picked.add(int(value))
        except (TypeError, ValueError):
            continue
    picked &= valid
    if question.kind != QuestionKind.MULTIPLE and len(picked) > 1:
        return False, sorted(picked), None
    return picked == question.correct_choice_ids(), sorted(picked), None


def submit_quiz_attempt(
    *, assignment: Assignment, student: User, answers: Mapping
) -> QuizAttempt:
    """
    Grade a quiz homework on submit. One attempt per student: a second
    submit (double tap) returns the first attempt. The score is released at
    once, since nobody has to read it first.
    """
    if not permissions.can_submit(student, assignment):
        raise PermissionDenied(NOT_ALLOWED)
    if not assignment.is_quiz:
        raise ValidationError(NOT_A_QUIZ)
    now = timezone.now()
    check_submission_window(assignment, now=now)
    existing = QuizAttempt.objects.filter(
        submission__assignment=assignment, submission__student=student
    ).first()
    if existing:
        return existing
    try:
        return _save_attempt(assignment, student, answers, now)
    except IntegrityError:
        return QuizAttempt.objects.get(
            submission__assignment=assignment, submission__student=student
        )


@transaction.atomic
def _save_attempt(assignment, student, answers, now) -> QuizAttempt:
    questions = list(assignment.quiz.questions.prefetch_related("choices"))
    max_score = Decimal(sum(q.points for q in questions)) or Decimal(1)
    is_late = assignment.is_past_due(now)
    submission = Submission.objects.create(
        assignment=assignment,
        student=student,
        submitted_at=now,
        is_late=is_late,
        status=SubmissionStatus.RETURNED,
        returned_at=now,
        graded_at=now,
    )
    attempt = QuizAttempt.objects.create(
        submission=submission, score=0, max_score=max_score
    )
    earned = Decimal(0)
    for question in questions:
        ok, picked, number = grade_answer(question, answers.get(str(question.pk)))
        points = Decimal(question.points) if ok else Decimal(0)
        earned += points
        answer = QuizAnswer.objects.create(
            attempt=attempt,
            question=question,
            numeric_value=number,
            is_correct=ok,
            points_awarded=points,
        )
        answer.choices.set(picked)
    attempt.score = earned
    attempt.save(update_fields=["score"])
    submission.score = (earned / max_score * assignment.points).quantize(
        Decimal("0.01")
    )
    submission.save(update_fields=["score"])
    notify_submission_returned(submission)
    return attempt
