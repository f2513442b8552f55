"""Reads about live sessions used by pages, feeds and reports."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.names import sort_people
from classrooms.models import Classroom
from live.models import (
    Attendance,
    CalendarFeed,
    LiveRecording,
    LiveSession,
    SessionStatus,
)
from live.protocol import STUDENT, TEACHER

from . import permissions, rules, services


def session_list_for_home(user, *, limit: int = 10):
    """Live and upcoming sessions of the user's classes (children's for parents)."""
    recent = timezone.now() - timedelta(hours=12)
    return (
        permissions.visible_sessions(user)
        .exclude(status=SessionStatus.ENDED)
        .filter(scheduled_at__gte=recent)
        .order_by("scheduled_at")[:limit]
    )


def session_list_for_calendar(user):
    since = timezone.now() - timedelta(days=30)
    return (
        permissions.visible_sessions(user)
        .filter(scheduled_at__gte=since)
        .order_by("scheduled_at")
    )


def classrooms_for_new_session(user):
    return Classroom.objects.taught_by(user)


@dataclass
class AttendanceRow:
    student_id: int
    name: str
    status: str
    first_joined_at: object
    minutes: int

    @property
    def status_label(self) -> str:
        return rules.ATTENDANCE_LABELS[self.status]


def attendance_report(session: LiveSession, viewer) -> list[AttendanceRow]:
    """Each student the viewer may see: present / late / absent, minutes."""
    students = sort_people(permissions.attendance_visible_students(viewer, session))
    rows = {
        a.user_id: a
        for a in Attendance.objects.filter(
            session=session, user_id__in=[s.pk for s in students]
        )
    }
    start = session.opened_at or session.scheduled_at
    now = session.ended_at or timezone.now()
    report = []
    for student in students:
        row = rows.get(student.pk)
        first = row.first_joined_at if row else None
        seconds = services.connected_seconds(row, now) if row else 0
        report.append(
            AttendanceRow(
                student_id=student.pk,
                name=student.get_full_name(),
                status=rules.attendance_status(first, max(start, session.scheduled_at)),
                first_joined_at=first,
                minutes=round(seconds / 60),
            )
        )
    return report


def calendar_feed_path(user) -> str | None:
    """The path of the user's private calendar feed, if they made one."""
    token = CalendarFeed.objects.filter(user=user).values_list("token", flat=True)
    token = token.first()
    return reverse("live:calendar-feed", args=[token]) if token else None


def recording_of(session: LiveSession):
    """The session's recording, or None (ask ``may_hear_recording`` first)."""
    return LiveRecording.objects.filter(session=session).first()


def missed_recordings(user, *, limit: int = 5):
    """Ended sessions of a pupil's classes that they missed and that have a
    recording: the catch-up, newest first."""
    if not user.is_authenticated or not user.is_student:
        return LiveSession.objects.none()
    joined = Attendance.objects.filter(user=user, first_joined_at__isnull=False)
    return (
        permissions.visible_sessions(user)
        .filter(status=SessionStatus.ENDED, recording__isnull=False)
        .exclude(pk__in=joined.values("session_id"))
        .select_related("recording")
        .order_by("-scheduled_at")[:limit]
    )


def home_context(user) -> dict:
    """The live section of a role home: next sessions and the private feed
    (or the button that makes it: a GET never writes)."""
    return {
        "live_sessions": session_list_for_home(user),
        "live_missed": missed_recordings(user),
        "live_calendar_path": calendar_feed_path(user),
    }


def ticket_holders(session: LiveSession, *, usernames=None) -> list[tuple]:
    """(user, room role) for the class's teachers, then its active students."""
    classroom = session.classroom
    teacher_ids = classroom.teacher_ids()
    people = User.objects.filter(is_active=True).filter(
        Q(pk__in=teacher_ids) | Q(enrollments__classroom=classroom)
    )
    if usernames is not None:
        people = people.filter(username__in=usernames)
    people = people.distinct().order_by("pk")
    return [(u, TEACHER if u.pk in teacher_ids else STUDENT) for u in people]
