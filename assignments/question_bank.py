"""
The question bank: a teacher's quizzes (``Quiz``), each a set of
``Question``s with their ``Choice``s. Quiz homework (``quiz_homework``) and
the live quiz game (``live``) both play them; neither changes the bank.
"""

from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.permissions import NOT_ALLOWED

from . import permissions
from .models import Choice, Question, QuestionKind, Quiz

NEED_TWO_CHOICES = _("Câu hỏi lựa chọn cần ít nhất hai lựa chọn.")
NEED_ONE_CORRECT = _("Câu hỏi một đáp án cần đúng một lựa chọn đúng.")
NEED_SOME_CORRECT = _("Hãy đánh dấu ít nhất một lựa chọn đúng.")
NEED_NUMERIC_ANSWER = _("Hãy nhập đáp số.")
TRUE_FALSE_CHOICES = (_("Đúng"), _("Sai"))


def create_quiz(*, owner: User, title: str, description: str = "") -> Quiz:
    if not owner.is_teacher:
        raise PermissionDenied(NOT_ALLOWED)
    quiz = Quiz(owner=owner, title=title.strip(), description=description.strip())
    quiz.full_clean()
    quiz.save()
    return quiz


@transaction.atomic
def add_question(
    *,
    quiz: Quiz,
    by: User,
    kind: str,
    text: str,
    choices: Sequence[tuple[str, bool]] = (),
    true_is_correct: bool = True,
    numeric_answer: Decimal | None = None,
    tolerance: Decimal = Decimal(0),
    points: int = 1,
    explanation: str = "",
    time_limit_seconds: int = 20,
) -> Question:
    """Add a question; true/false questions get their two choices here."""
    if not permissions.editable_quizzes(by).filter(pk=quiz.pk).exists():
        raise PermissionDenied(NOT_ALLOWED)
    if kind == QuestionKind.TRUE_FALSE:
        choices = [
            (str(TRUE_FALSE_CHOICES[0]), true_is_correct),
            (str(TRUE_FALSE_CHOICES[1]), not true_is_correct),
        ]
    choices = [(t.strip(), bool(c)) for t, c in choices if t and t.strip()]
    _check_question(kind, choices, numeric_answer)
    question = Question(
        quiz=quiz,
        position=quiz.questions.count() + 1,
        kind=kind,
        text=text.strip(),
        explanation=explanation.strip(),
        points=points,
        time_limit_seconds=time_limit_seconds,
        numeric_answer=numeric_answer if kind == QuestionKind.NUMERIC else None,
        tolerance=tolerance or 0,
    )
    question.full_clean()
    question.save()
    if kind != QuestionKind.NUMERIC:
        Choice.objects.bulk_create(
            Choice(question=question, position=i, text=t, is_correct=c)
            for i, (t, c) in enumerate(choices, start=1)
        )
    return question


def _check_question(kind, choices, numeric_answer) -> None:
    if kind == QuestionKind.NUMERIC:
        if numeric_answer is None:
            raise ValidationError({"numeric_answer": NEED_NUMERIC_ANSWER})
        return
    if len(choices) < 2:
        raise ValidationError({"choices": NEED_TWO_CHOICES})
    correct = sum(1 for _t, c in choices if c)
    if kind == QuestionKind.SINGLE and correct != 1:
        raise ValidationError({"choices": NEED_ONE_CORRECT})
    if correct < 1:
        raise ValidationError({"choices": NEED_SOME_CORRECT})
