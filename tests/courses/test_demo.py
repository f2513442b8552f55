"""The demo courses: idempotent, linked to the demo classes, every block used."""

import io

import pytest
from wagtail.models import WorkflowPage

from classrooms import demo as school_demo
from courses import demo
from courses.blocks import LessonStreamBlock
from courses.models import CoursePage, LessonPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    school = school_demo.seed()
    demo.seed(school, io.StringIO())
    return school


def test_demo_is_idempotent(seeded):
    counts = (CoursePage.objects.count(), LessonPage.objects.count())
    demo.seed(seeded, io.StringIO())
    assert (CoursePage.objects.count(), LessonPage.objects.count()) == counts
    assert counts[0] == 2


def test_demo_courses_are_linked_to_every_demo_class(seeded):
    for classroom in seeded.classrooms:
        titles = sorted(classroom.courses.values_list("title", flat=True))
        assert titles == ["Ngữ văn 6", "Toán 6"]


def test_demo_lessons_use_every_block_but_the_uploaded_video(seeded):
    used = {
        block.block_type for lesson in LessonPage.objects.all() for block in lesson.body
    }
    expected = set(LessonStreamBlock().child_blocks) - {"video_file"}
    assert expected <= used


def test_literature_course_is_moderated(seeded):
    literature = CoursePage.objects.get(title="Ngữ văn 6")
    workflow = WorkflowPage.objects.get(page=literature).workflow
    assert workflow.name == "Tổ trưởng chuyên môn duyệt"


def test_demo_lessons_render_for_a_demo_student(client, seeded):
    settings_students = seeded.students[seeded.classrooms[0].name]
    client.force_login(settings_students[0])
    for lesson in LessonPage.objects.live():
        response = client.get(lesson.url)
        assert response.status_code == 200, lesson.title
        assert "/media/" not in response.content.decode()
