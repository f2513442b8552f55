"""The lesson homework block resolves through ``courses.hooks``."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assignments import services
from classrooms.services import enroll_student
from courses.hooks import resolve_homework
from tests.factories import ClassroomFactory, StudentFactory


@pytest.fixture
def published_assignment(classroom, teacher):
    assignment = services.create_assignment(
        by=teacher,
        classrooms=[classroom],
        title="Bài tập phân số",
        instructions="<p>Làm bài 1, 2.</p>",
        points=10,
        opens_at=timezone.now() - timedelta(hours=1),
        due_at=timezone.now() + timedelta(days=2),
    )
    return services.publish_assignment(assignment=assignment, by=teacher)


@pytest.mark.django_db
def test_enrolled_student_gets_the_assignment_title_and_url(
    classroom, published_assignment
):
    student = StudentFactory()
    enroll_student(classroom=classroom, student=student)

    link = resolve_homework(published_assignment.pk, student)

    assert link.title == "Bài tập phân số"
    assert link.url == reverse("assignments:detail", args=[published_assignment.pk])
    assert link.due_label


@pytest.mark.django_db
def test_student_of_another_class_gets_nothing(published_assignment):
    outsider = StudentFactory()
    enroll_student(classroom=ClassroomFactory(), student=outsider)

    assert resolve_homework(published_assignment.pk, outsider) is None


@pytest.mark.django_db
def test_unknown_assignment_resolves_to_nothing(student):
    assert resolve_homework(987654, student) is None
