"""
Answers the courses app's homework-link hook (``courses.hooks``).

A lesson's homework block stores an assignment id; ``courses`` cannot import
this app, so it asks the ``lophoc_resolve_homework`` hook, and this module
answers with the assignment's title and URL when the user may see it.
"""

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from wagtail import hooks

from courses.hooks import RESOLVE_HOMEWORK, HomeworkLink

from . import permissions


@hooks.register(RESOLVE_HOMEWORK)
def resolve_homework(assignment_id, user) -> HomeworkLink | None:
    """The assignment as this user may see it, or ``None`` (missing or not theirs)."""
    assignment = permissions.visible_assignments(user).filter(pk=assignment_id).first()
    if assignment is None:
        return None
    due = formats.date_format(
        timezone.localtime(assignment.due_at), "SHORT_DATETIME_FORMAT"
    )
    return HomeworkLink(
        title=assignment.title,
        url=reverse("assignments:detail", args=[assignment.pk]),
        due_label=_("Hạn nộp: %(due)s") % {"due": due},
    )
