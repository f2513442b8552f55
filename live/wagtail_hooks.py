"""
Adds the live-class section to the class page (``classrooms.hooks``): the
class's recent sessions, "Lên lịch" for its teachers, attendance for those
who may see it. Who may do what stays in ``live.rooms.permissions``.
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
from live.rooms import permissions, selectors


def _session_item(session, user, can_report) -> ClassroomItem:
    room_url = reverse("live:room", args=[session.pk])
    attendance_url = reverse("live:attendance", args=[session.pk])
    may_join = permissions.room_role(user, session) is not None
    links = [ClassroomLink(_("Điểm danh"), attendance_url)] if can_report else []
    when = formats.date_format(
        timezone.localtime(session.scheduled_at), "SHORT_DATETIME_FORMAT"
    )
    return ClassroomItem(
        title=session.title,
        url=room_url if may_join else (attendance_url if can_report else ""),
        detail=when,
        links=links,
    )


@hooks.register(CLASSROOM_SECTIONS)
def classroom_live_sessions(classroom, user) -> ClassroomSection | None:
    sessions = list(
        permissions.visible_sessions(user)
        .filter(classroom=classroom)
        .order_by("-scheduled_at")[:5]
    )
    can_schedule = selectors.classrooms_for_new_session(user).filter(pk=classroom.pk)
    staff = permissions.managed_sessions(user).filter(classroom=classroom)
    can_report = staff.exists() or user.is_parent
    links = []
    if can_schedule.exists():
        links.append(
            ClassroomLink(_("Lên lịch"), reverse("live:create-session"), primary=True)
        )
    if not user.is_parent:
        links.append(ClassroomLink(_("Tất cả buổi học"), reverse("live:list-sessions")))
    return ClassroomSection(
        key="live",
        title=_("Lớp trực tuyến"),
        links=links,
        items=[_session_item(s, user, can_report) for s in sessions],
        empty=_("Lớp chưa có buổi học trực tuyến nào."),
    )
