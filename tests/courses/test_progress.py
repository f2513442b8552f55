"""Progress: a student marks lessons done; teachers see a class × lesson table."""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from courses import services
from courses.models import LessonProgress
from tests.factories import LessonPageFactory

pytestmark = pytest.mark.django_db


def table_url(world, classroom=None, course=None):
    return reverse(
        "course_progress:course-progress",
        args=[(classroom or world.C1).pk, (course or world.course_a).pk],
    )


def test_student_marks_a_lesson_done_with_the_button(client, world):
    client.force_login(world.S1)
    response = client.post(reverse("courses:mark-done", args=[world.lesson_a.pk]))
    assert response.status_code == 302
    assert LessonProgress.objects.filter(
        student=world.S1, lesson=world.lesson_a
    ).exists()
    page = client.get(world.lesson_a.url).content.decode()
    assert "Em đã học xong bài này." in page
    assert "Tôi đã học xong bài này" not in page


def test_marking_twice_keeps_one_row(world):
    services.mark_lesson_done(student=world.S1, lesson=world.lesson_a)
    services.mark_lesson_done(student=world.S1, lesson=world.lesson_a)
    assert LessonProgress.objects.filter(student=world.S1).count() == 1


@pytest.mark.parametrize("who", ["T1", "P1", "S3"])
def test_only_enrolled_students_record_progress(world, who):
    with pytest.raises(PermissionDenied):
        services.mark_lesson_done(student=getattr(world, who), lesson=world.lesson_a)
    assert not LessonProgress.objects.exists()


def test_mark_done_needs_post(client, world):
    client.force_login(world.S1)
    url = reverse("courses:mark-done", args=[world.lesson_a.pk])
    assert client.get(url).status_code == 405


def test_course_page_shows_the_students_progress(client, world):
    LessonPageFactory(parent=world.course_a, title="Bài hai")
    services.mark_lesson_done(student=world.S1, lesson=world.lesson_a)
    client.force_login(world.S1)
    html = client.get(world.course_a.url).content.decode()
    assert "Em đã học 1/2 bài" in html
    assert '<progress max="2" value="1">' in html


def test_teacher_sees_who_finished_which_lesson(client, world):
    second = LessonPageFactory(parent=world.course_a, title="Bài hai")
    services.mark_lesson_done(student=world.S1, lesson=world.lesson_a)
    client.force_login(world.T1)
    response = client.get(table_url(world))
    assert response.status_code == 200
    table = response.context["table"]
    assert [lesson.pk for lesson in table.lessons] == [world.lesson_a.pk, second.pk]
    assert table.rows == [(world.S1, [True, False]), (world.S2, [False, False])]
    assert table.lesson_totals == [1, 0]
    html = response.content.decode()
    assert world.S1.display_name in html
    assert len(re.findall("✓", html)) == 1


def test_course_page_links_the_teacher_to_their_class_table(client, world):
    client.force_login(world.T1)
    html = client.get(world.course_a.url).content.decode()
    assert table_url(world) in html


@pytest.mark.parametrize("who", ["T2", "S1", "P1"])
def test_others_get_404_for_the_progress_table(client, world, who):
    client.force_login(getattr(world, who))
    assert client.get(table_url(world)).status_code == 404


def test_table_for_a_course_not_linked_to_the_class_is_404(client, world):
    client.force_login(world.T1)
    assert client.get(table_url(world, course=world.course_b)).status_code == 404
