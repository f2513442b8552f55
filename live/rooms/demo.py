"""
Demo live sessions for class 6A (called by ``manage.py seed_demo``):
one already open so a client can connect right after ``make run`` (its id
is printed), one upcoming, and one past session with attendance records.
Idempotent: sessions are found by class and title.
"""

from datetime import timedelta

from django.utils import timezone

from courses.models import LessonPage
from live.models import Attendance, LiveSession, SessionStatus

OPEN_TITLE = "Toán 6A — Phân số (đang học)"
NEXT_TITLE = "Ngữ văn 6A — Tả cảnh"
PAST_TITLE = "Khoa học 6A — Vòng tuần hoàn của nước"


def _session(classroom, teacher, title, **fields) -> LiveSession:
    session, _ = LiveSession.objects.get_or_create(
        classroom=classroom,
        title=title,
        defaults={"created_by": teacher, **fields},
    )
    return session


def seed(demo, stdout) -> None:
    classroom = next(c for c in demo.classrooms if c.name == "6A")
    teacher = classroom.homeroom_teacher or demo.teachers[0]
    now = timezone.now().replace(second=0, microsecond=0)
    # The open session shows the demo's first fractions lesson as slides.
    slides = LessonPage.objects.live().filter(title__icontains="phân số").first()
    live = _session(
        classroom,
        teacher,
        OPEN_TITLE,
        scheduled_at=now,
        status=SessionStatus.LIVE,
        opened_at=now,
        lesson=slides,
    )
    _session(
        classroom, teacher, NEXT_TITLE, scheduled_at=now + timedelta(days=1, hours=1)
    )
    start = now - timedelta(days=1)
    past = _session(
        classroom,
        teacher,
        PAST_TITLE,
        scheduled_at=start,
        status=SessionStatus.ENDED,
        opened_at=start,
        ended_at=start + timedelta(minutes=45),
    )
    students = demo.students["6A"]
    # Most came on time, two were late, the last two were absent.
    for i, student in enumerate(students[:-2]):
        late = timedelta(minutes=15) if i in (1, 4) else timedelta(minutes=1)
        Attendance.objects.get_or_create(
            session=past,
            user=student,
            defaults={
                "first_joined_at": start + late,
                "last_left_at": start + timedelta(minutes=45),
                "connected_seconds": int(
                    (timedelta(minutes=44) - late).total_seconds()
                ),
            },
        )
    stdout.write(
        f"  live session : id {live.pk} (class 6A, open) — "
        f"python manage.py live_tickets {live.pk} --users all"
    )
