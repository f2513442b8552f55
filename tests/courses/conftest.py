"""The authorisation world with a private course for each class of school A."""

from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile

from courses import services
from courses.models import CourseIndexPage, CoursePage, LessonPage, Subject
from tests.factories import (
    CourseDocumentFactory,
    CourseImageFactory,
    CourseIndexPageFactory,
    LessonPageFactory,
    ensure_wagtail_tree,
    stream,
)
from tests.worlds import World, build_world


@dataclass
class CourseWorld(World):
    """The authorisation world plus a private course for each class of
    school A: course A for C1 (taught by T1: S1, S2), course B for C2 (T2:
    S3, S4), each with a lesson, an image and a document."""

    index: CourseIndexPage = None
    course_a: CoursePage = None
    course_b: CoursePage = None
    lesson_a: LessonPage = None
    lesson_b: LessonPage = None
    image_b: object = None
    document_b: object = None


def build_course(index, title, teacher, classroom, subject=Subject.MATH):
    course = services.create_course(
        index=index, title=title, subject=subject, grade=6, teachers=[teacher]
    )
    classroom.courses.add(course)
    image = CourseImageFactory(collection=course.collection)
    document = CourseDocumentFactory(
        collection=course.collection,
        file=ContentFile(b"%PDF-1.4 phieu bai tap", name="phieu.pdf"),
    )
    lesson = LessonPageFactory(
        parent=course,
        title=f"{title}: Phân số bằng nhau",
        body=stream(
            ("paragraph", "<p>Hai phân số bằng nhau khi tích chéo bằng nhau.</p>"),
            ("image", {"image": image.pk, "alt": "", "caption": "Hình minh hoạ"}),
            ("attachment", {"document": document.pk, "label": "Phiếu bài tập"}),
        ),
    )
    return course, lesson, image, document


@pytest.fixture
def world(db) -> CourseWorld:
    objects = build_world()
    school = objects["school_a"]
    index = CourseIndexPageFactory(title=f"Khoá học {school.name}")
    course_a, lesson_a, _image_a, _doc_a = build_course(
        index, "Toán 6A", objects["T1"], objects["C1"]
    )
    course_b, lesson_b, image_b, document_b = build_course(
        index, "Toán 6B", objects["T2"], objects["C2"]
    )
    return CourseWorld(
        **objects,
        index=index,
        course_a=course_a,
        course_b=course_b,
        lesson_a=lesson_a,
        lesson_b=lesson_b,
        image_b=image_b,
        document_b=document_b,
    )


@pytest.fixture(autouse=True)
def _wagtail_tree(request):
    """Wagtail's base rows, even after a browser test flushed the database."""
    uses_db = request.node.get_closest_marker("django_db") or (
        "db" in request.fixturenames
    )
    if request.instance is None and uses_db:
        request.getfixturevalue("db")
        ensure_wagtail_tree()


@pytest.fixture(autouse=True)
def _index_immediately(settings):
    """Wagtail updates its search index in background tasks; run them inline."""
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "ENQUEUE_ON_COMMIT": False,
        }
    }
