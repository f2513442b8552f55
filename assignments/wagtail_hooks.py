"""
Answers the courses app's homework-link hook (``courses.hooks``) and adds the
homework section to the class page (``classrooms.hooks``).

A lesson's homework block stores an assignment id; ``courses`` cannot import
this app, so it asks the ``lophoc_resolve_homework`` hook, and this module
answers with the assignment's title and URL when the user may see it.
"""

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from wagtail import hooks

from classrooms.hooks import (
    CLASSROOM_SECTIONS,
    ClassroomItem,
    ClassroomLink,
    ClassroomSection,
)
from classrooms.permissions import can_manage_classroom
from courses.hooks import LESSON_HOMEWORK, RESOLVE_HOMEWORK, HomeworkLink

from . import permissions


@hooks.register(RESOLVE_HOMEWORK)
def resolve_homework(assignment_id, user) -> HomeworkLink | None:
    """The assignment as this user may see it, or ``None`` (missing or not theirs)."""
    assignment = permissions.visible_assignments(user).filter(pk=assignment_id).first()
    if assignment is None:
        return None
    return _link(assignment)


@hooks.register(LESSON_HOMEWORK)
def lesson_homework(lesson, user) -> list[HomeworkLink]:
    """Homework set on ``lesson`` that ``user`` may see, soonest due first."""
    assignments = permissions.visible_assignments(user).filter(lesson=lesson)
    return [_link(a) for a in assignments.order_by("due_at", "pk")]


def _link(assignment) -> HomeworkLink:
    return HomeworkLink(
        title=assignment.title,
        url=reverse("assignments:detail", args=[assignment.pk]),
        due_label=_due_label(assignment),
    )


def _due_label(assignment) -> str:
    due = formats.date_format(
        timezone.localtime(assignment.due_at), "SHORT_DATETIME_FORMAT"
    )
    return _("Hạn nộp: %(due)s") % {"due": due}


@hooks.register(CLASSROOM_SECTIONS)
def classroom_homework(classroom, user) -> ClassroomSection | None:
    """Homework of this class: set and grade it, and the gradebook (staff only)."""
    if user.is_student:
        url = reverse("assignments:list")
        return ClassroomSection(
            key="homework",
            title=_("Bài tập"),
            links=[ClassroomLink(_("Bài tập của em"), url)],
        )
    if not can_manage_classroom(user, classroom):
        return None
    recent = (
        permissions.managed_assignments(user)
        .filter(classrooms=classroom)
        .order_by("-due_at")[:5]
    )
    return ClassroomSection(
        key="homework",
        title=_("Bài tập"),
        links=[
            ClassroomLink(
                _("Giao bài tập"), reverse("assignments:create"), primary=True
            ),
            ClassroomLink(_("Tất cả bài tập"), reverse("assignments:list")),
            ClassroomLink(
                _("Sổ điểm"), reverse("assignments:gradebook", args=[classroom.pk])
            ),
        ],
        items=[
            ClassroomItem(
                title=assignment.title,
                url=reverse("assignments:queue", args=[assignment.pk]),
                detail=_due_label(assignment),
            )
            for assignment in recent
        ],
        empty=_("Lớp chưa có bài tập nào."),
    )
