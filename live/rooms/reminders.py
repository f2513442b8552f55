"""
Live-session reminders: a session starting soon (to its class's students)
and a missed session (to the absent student and their parents). They run
every few minutes from the worker's ``send_live_reminders`` job
(``live.rooms.tasks``).

A recipient who already has the notification for that session is skipped,
so the job can run as often as needed.
"""

from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from classrooms.models import ParentLink
from live.models import Attendance, LiveSession, SessionStatus
from notifications import services as notifications
from notifications.models import Notification

STARTING_WINDOW = timedelta(minutes=15)
MISSED_WINDOW = timedelta(days=1)


def _not_yet_told(users, event: str, url: str):
    told = Notification.objects.filter(recipient=OuterRef("pk"), event=event, url=url)
    return users.exclude(Exists(told))


def _students(session: LiveSession):
    return User.objects.filter(
        enrollments__classroom=session.classroom_id, is_active=True
    )


def notify_live_starting(*, now: datetime | None = None) -> int:
    """Tell each class's students of a session starting within 15 minutes."""
    now = now or timezone.now()
    sessions = LiveSession.objects.filter(
        status=SessionStatus.SCHEDULED,
        scheduled_at__gt=now,
        scheduled_at__lte=now + STARTING_WINDOW,
    ).select_related("classroom")
    told = 0
    for session in sessions:
        url = reverse("live:room", args=[session.pk])
        event = notifications.LIVE_SESSION_STARTING
        recipients = list(_not_yet_told(_students(session), event, url))
        start = timezone.localtime(session.scheduled_at).strftime("%H:%M")
        notifications.notify(
            event=event,
            recipients=recipients,
            title=_("Sắp vào học trực tuyến: %(title)s lúc %(time)s")
            % {"title": session.title, "time": start},
            url=url,
        )
        told += len(recipients)
    return told


def notify_live_missed(*, now: datetime | None = None) -> int:
    """Tell a student who never joined an ended session, and their parents."""
    now = now or timezone.now()
    sessions = LiveSession.objects.filter(
        status=SessionStatus.ENDED, ended_at__gte=now - MISSED_WINDOW
    ).select_related("classroom")
    event = notifications.LIVE_SESSION_MISSED
    told = 0
    for session in sessions:
        url = reverse("live:room", args=[session.pk])
        joined = Attendance.objects.filter(
            session=session, user=OuterRef("pk"), first_joined_at__isnull=False
        )
        absent = _not_yet_told(_students(session).exclude(Exists(joined)), event, url)
        for student in absent:
            parents = ParentLink.objects.filter(student=student).values_list(
                "parent_id", flat=True
            )
            notifications.notify(
                event=event,
                recipients=[student.pk, *parents],
                title=_("%(name)s vắng buổi học trực tuyến: %(title)s")
                % {"name": student.display_name, "title": session.title},
                url=url,
            )
            told += 1
    return told
