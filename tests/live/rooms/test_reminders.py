from datetime import timedelta

import pytest
from django.utils import timezone

from classrooms.services import enroll_student
from live.models import SessionStatus
from live.rooms import reminders, tasks
from live.rooms import services as live_services
from notifications import services as notifications
from notifications.models import Notification
from tests.factories import (
    ClassroomFactory,
    LiveSessionFactory,
    ParentLinkFactory,
    StudentFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def pupils():
    classroom = ClassroomFactory()
    present, absent = StudentFactory(), StudentFactory()
    for student in (present, absent):
        enroll_student(classroom=classroom, student=student)
    parent = ParentLinkFactory(student=absent).parent
    return classroom, present, absent, parent


def titles(event):
    return sorted(
        Notification.objects.filter(event=event).values_list("recipient", "title")
    )


def test_starting_soon_reaches_the_class_once(
    pupils, django_capture_on_commit_callbacks
):
    classroom, present, absent, parent = pupils
    LiveSessionFactory(
        classroom=classroom,
        title="Ôn tập phân số",
        status=SessionStatus.SCHEDULED,
        scheduled_at=timezone.now() + timedelta(minutes=10),
    )
    LiveSessionFactory(
        classroom=classroom,
        status=SessionStatus.SCHEDULED,
        scheduled_at=timezone.now() + timedelta(hours=3),
    )
    for _run in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            reminders.notify_live_starting()
    rows = titles(notifications.LIVE_SESSION_STARTING)
    assert [recipient for recipient, _title in rows] == sorted([present.pk, absent.pk])
    assert all("Ôn tập phân số" in title for _r, title in rows)


def test_missed_session_tells_the_absent_student_and_parents_once(
    pupils, django_capture_on_commit_callbacks
):
    classroom, present, absent, parent = pupils
    session = LiveSessionFactory(
        classroom=classroom, title="Luyện đề", status=SessionStatus.LIVE
    )
    live_services.record_join(session_id=session.pk, user_id=present.pk)
    session.status = SessionStatus.ENDED
    session.ended_at = timezone.now()
    session.save()
    for _run in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            assert reminders.notify_live_missed() in (0, 1)
    rows = titles(notifications.LIVE_SESSION_MISSED)
    assert sorted(r for r, _t in rows) == sorted([absent.pk, parent.pk])
    assert all(absent.display_name in title for _r, title in rows)


def test_the_live_reminders_job_sends_both_and_queues_its_next_run(
    pupils, django_capture_on_commit_callbacks, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    classroom, present, absent, parent = pupils
    LiveSessionFactory(
        classroom=classroom,
        status=SessionStatus.SCHEDULED,
        scheduled_at=timezone.now() + timedelta(minutes=5),
    )
    with django_capture_on_commit_callbacks(execute=True):
        result = tasks.send_live_reminders.call()
    assert result == {"live_starting": 2, "live_missed": 0}
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "live.rooms.tasks.send_live_reminders"
    assert queued.run_after > timezone.now() + timedelta(minutes=4)
