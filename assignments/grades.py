"""
Grades earned outside an upload (a live quiz, an oral test) recorded in the
gradebook. Re-exported by ``assignments.services``.

Such a grade is an ordinary ``Submission`` without a version: graded and
returned at once, so the gradebook, the student's page and the parents see
it exactly like a returned piece of homework.
"""

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from accounts.permissions import NOT_ALLOWED

from . import permissions
from .models import Assignment, Submission, SubmissionStatus
from .notices import notify_submission_returned

NOT_PUBLISHED = _("Bài tập chưa được giao.")
SCORE_OUT_OF_RANGE = _("Điểm phải từ 0 đến %(points)s.")
NOT_IN_CLASS = _("Có học sinh không thuộc lớp nào của bài tập này mà bạn dạy.")
CENT = Decimal("0.01")


def _clean_score(value, points: Decimal) -> Decimal:
    try:
        score = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        score = None
    if score is None or not score.is_finite() or not (0 <= score <= points):
        raise ValidationError(
            {"score": ValidationError(SCORE_OUT_OF_RANGE, params={"points": points})}
        )
    return score.quantize(CENT)


def _clean_scores(assignment, scores: Mapping, by: User) -> dict[int, Decimal]:
    """Every score on the assignment's scale, for students ``by`` teaches."""
    cleaned = {
        int(student_id): _clean_score(value, assignment.points)
        for student_id, value in scores.items()
    }
    allowed = set(
        permissions.students_for_assignment(by, assignment)
        .filter(pk__in=list(cleaned), role=Role.STUDENT)
        .values_list("pk", flat=True)
    )
    if allowed != set(cleaned):
        raise ValidationError(NOT_IN_CLASS)
    return cleaned


@transaction.atomic
def record_grades(
    *,
    assignment: Assignment,
    scores: Mapping[int, Decimal],
    by: User,
    comment: str = "",
) -> list[Submission]:
    """
    Record a returned grade for each student id in ``scores``.

    All or nothing: the caller must manage the assignment, the assignment
    must be published, every score must lie in 0..``assignment.points`` and
    every student must be enrolled in one of its classes that the caller
    manages; otherwise nothing changes. Running it again updates the grades
    in place (one submission per student). Only students whose grade or
    comment changed are notified, with their parents, after commit; those
    changed submissions are returned.
    """
    if not permissions.can_manage_assignment(by, assignment):
        raise PermissionDenied(NOT_ALLOWED)
    if not assignment.is_published:
        raise ValidationError(NOT_PUBLISHED)
    cleaned = _clean_scores(assignment, scores, by)
    comment = (comment or "").strip()
    now = timezone.now()
    existing = {
        s.student_id: s
        for s in Submission.objects.select_for_update().filter(
            assignment=assignment, student_id__in=list(cleaned)
        )
    }
    changed = []
    for student_id, score in sorted(cleaned.items()):
        submission = existing.get(student_id) or Submission(
            assignment=assignment, student_id=student_id, submitted_at=now
        )
        if submission.is_returned and (submission.score, submission.comment) == (
            score,
            comment,
        ):
            continue
        submission.score, submission.comment = score, comment
        submission.graded_by, submission.graded_at = by, now
        submission.status, submission.returned_at = SubmissionStatus.RETURNED, now
        submission.full_clean()
        submission.save()
        changed.append(submission)
    for submission in changed:
        notify_submission_returned(submission)
    return changed
