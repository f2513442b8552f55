"""
No dead ends around a lesson (issue #20, Build 5): the lesson page lists the
homework set on it, search results and lesson pickers name the course.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assignments import services as homework
from assignments.forms import AssignmentForm
from assignments.models import Quiz
from classrooms.permissions import managed_classrooms
from courses import selectors
from live.rooms.forms import LiveSessionForm
from tests.factories import LessonPageFactory, UnitPageFactory, stream

pytestmark = pytest.mark.django_db


def set_homework(world, title, lesson=None, classrooms=None, publish=True):
    return homework.create_assignment(
        by=world.T1,
        classrooms=classrooms or [world.C1],
        title=title,
        due_at=timezone.now() + timedelta(days=2),
        lesson=lesson,
        publish=publish,
    )


def test_lesson_page_links_to_the_homework_set_on_it(world, client):
    on_lesson = set_homework(world, "Luyện tập phân số bằng nhau", world.lesson_a)
    set_homework(world, "Bài không gắn với bài học")
    client.force_login(world.S1)
    body = client.get(world.lesson_a.url).content.decode()
    assert "Bài tập của bài học này" in body
    detail = reverse("assignments:detail", args=[on_lesson.pk])
    assert f'href="{detail}">Luyện tập phân số bằng nhau</a>' in body
    assert "Bài không gắn với bài học" not in body


def test_homework_not_yet_set_is_not_shown_to_pupils(world, client):
    set_homework(world, "Bài nháp của cô", world.lesson_a, publish=False)
    client.force_login(world.S1)
    body = client.get(world.lesson_a.url).content.decode()
    assert "Bài nháp của cô" not in body
    assert "Bài tập của bài học này" not in body
    client.force_login(world.T1)
    assert "Bài nháp của cô" in client.get(world.lesson_a.url).content.decode()


def test_search_results_name_the_course(world, client):
    client.force_login(world.S1)
    response = client.get(reverse("courses:search"), {"q": "phan so"})
    body = response.content.decode()
    assert f"· {world.course_a.title}</span>" in body


def test_courses_of_lessons_reads_every_course_in_one_query(
    world, django_assert_num_queries
):
    unit = UnitPageFactory(parent=world.course_b, title="Chương 1")
    deep = LessonPageFactory(
        parent=unit, title="Bài trong chương", body=stream(("paragraph", "<p>x</p>"))
    )
    lessons = [world.lesson_a, world.lesson_b, deep]
    with django_assert_num_queries(1):
        courses = selectors.courses_of_lessons(lessons)
    assert courses == {
        world.lesson_a.pk: world.course_a,
        world.lesson_b.pk: world.course_b,
        deep.pk: world.course_b,
    }


def test_lesson_pickers_name_the_course(world):
    expected = f"{world.course_a.title} — {world.lesson_a.title}"
    form = AssignmentForm(
        classrooms=managed_classrooms(world.T1),
        quizzes=Quiz.objects.none(),
        user=world.T1,
    )
    labels = [label for _value, label in form.fields["lesson"].choices]
    assert expected in labels
    form = LiveSessionForm(classrooms=managed_classrooms(world.T1), user=world.T1)
    labels = [label for _value, label in form.fields["lesson"].choices]
    assert expected in labels
    assert labels[0] == "— không dùng trang chiếu —"
