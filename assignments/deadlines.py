"""
When work may be handed in: the one submission-window check, used by
homework uploads and quiz homework alike.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Assignment

NOT_OPEN_YET = _("Bài tập này chưa mở.")
PAST_HARD_DEADLINE = _("Đã quá hạn nộp. Bài tập này không nhận bài nộp muộn.")


def check_submission_window(assignment: Assignment, *, now: datetime) -> None:
    """
    Raise ``ValidationError`` unless work may be handed in at ``now``: the
    assignment must be open, and not past a deadline that refuses late work
    (late work is otherwise accepted and flagged).
    """
    if not assignment.is_open(now):
        raise ValidationError(NOT_OPEN_YET)
    if assignment.is_past_due(now) and assignment.refuses_late:
        raise ValidationError(PAST_HARD_DEADLINE)
