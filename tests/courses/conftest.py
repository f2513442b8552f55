"""A small world: classes 6A and 6B, each with its own private course."""

from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile

from classrooms.services import enroll_student
from courses import services
from courses.models import CourseIndexPage, CoursePage, LessonPage, Subject
from tests.factories import (
    ClassroomFactory,
    CourseDocumentFactory,
    CourseImageFactory,
    CourseIndexPageFactory,
    LessonPageFactory,
    ParentFactory,
    ParentLinkFactory,
    SchoolFactory,
    StudentFactory,
    TeacherFactory,
    ensure_wagtail_tree,
    stream,
)


@dataclass
class CourseWorld:
    index: CourseIndexPage
    t1: object
    t2: object
    s1: object
    s2: object
    p1: object
    class_a: object
    class_b: object
    course_a: CoursePage
    course_b: CoursePage
    lesson_a: LessonPage
    lesson_b: LessonPage
    image_b: object
    document_b: object


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
    school = SchoolFactory()
    index = CourseIndexPageFactory(title=f"Khoá học {school.name}")
    t1, t2 = TeacherFactory(), TeacherFactory()
    class_a = ClassroomFactory(school=school, name="6A", homeroom_teacher=t1)
    class_b = ClassroomFactory(school=school, name="6B", homeroom_teacher=t2)
    s1, s2 = StudentFactory(), StudentFactory()
    enroll_student(classroom=class_a, student=s1)
    enroll_student(classroom=class_b, student=s2)
    p1 = ParentFactory()
    ParentLinkFactory(parent=p1, student=s1)
    course_a, lesson_a, _image_a, _doc_a = build_course(index, "Toán 6A", t1, class_a)
    course_b, lesson_b, image_b, document_b = build_course(
        index, "Toán 6B", t2, class_b
    )
    return CourseWorld(
        index=index,
        t1=t1,
        t2=t2,
        s1=s1,
        s2=s2,
        p1=p1,
        class_a=class_a,
        class_b=class_b,
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
