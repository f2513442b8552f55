from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from classrooms.services import enroll_student
from families import tasks
from tests.factories import (
    AssignmentFactory,
    ClassroomFactory,
    ParentLinkFactory,
    StudentFactory,
)

pytestmark = pytest.mark.django_db


def test_homework_due_soon_reaches_the_parents_inbox_by_name(
    django_capture_on_commit_callbacks, settings
):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }
    classroom = ClassroomFactory()
    students = StudentFactory(), StudentFactory()
    for student in students:
        enroll_student(classroom=classroom, student=student)
    parent = ParentLinkFactory(student=students[1]).parent
    homework = AssignmentFactory(
        title="Bài Toán: phân số", due_at=timezone.now() + timedelta(hours=5)
    )
    homework.classrooms.set([classroom])
    with django_capture_on_commit_callbacks(execute=True):
        result = tasks.send_reminders.call()
    assert result["due_soon"] == 2
    message = next(m for m in mail.outbox if m.to == [parent.email])
    assert "Bài Toán: phân số" in message.subject
    assert "Bài Toán: phân số" in message.alternatives[0][0]
