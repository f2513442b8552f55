"""
A family for parent tests, built with the real services: one child in each of
two schools, homework overdue / due / submitted-but-unreturned / returned,
and an ended live session the first child attended.
"""

import io
from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from assignments import services as homework
from classrooms.services import enroll_student
from live.models import SessionStatus
from live.rooms import services as live_services
from tests.factories import (
    AssignmentFactory,
    ClassroomFactory,
    LiveSessionFactory,
    ParentFactory,
    ParentLinkFactory,
    StudentFactory,
)


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }


def png_upload(name="bai-lam.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def family(db, django_capture_on_commit_callbacks):
    now = timezone.now()
    math_class, english_class = ClassroomFactory(), ClassroomFactory()
    teacher = math_class.homeroom_teacher
    an, binh = (
        StudentFactory(display_name="Nguyễn Văn An"),
        StudentFactory(display_name="Nguyễn Thị Bình"),
    )
    enroll_student(classroom=math_class, student=an)
    enroll_student(classroom=english_class, student=binh)
    parent = ParentFactory(display_name="Trần Thị Mai")
    ParentLinkFactory(parent=parent, student=an)
    ParentLinkFactory(parent=parent, student=binh)
    stranger_child = StudentFactory(display_name="Lê Minh Cường")
    enroll_student(classroom=math_class, student=stranger_child)
    stranger = ParentLinkFactory(student=stranger_child).parent

    overdue = AssignmentFactory(
        title="Bài Toán chương 2", due_at=now - timedelta(days=1)
    )
    overdue.classrooms.set([math_class])
    due = AssignmentFactory(title="Bài Văn tả cảnh", due_at=now + timedelta(days=3))
    due.classrooms.set([math_class])
    pending = AssignmentFactory(title="Bài Sử tuần 4", due_at=now + timedelta(days=2))
    pending.classrooms.set([math_class])
    returned = AssignmentFactory(title="Bài Lý lực đẩy", due_at=now + timedelta(days=2))
    returned.classrooms.set([math_class])
    english = AssignmentFactory(title="English unit 3", due_at=now - timedelta(hours=5))
    english.classrooms.set([english_class])

    with django_capture_on_commit_callbacks(execute=True):
        unreturned = homework.submit_assignment(
            assignment=pending, student=an, idempotency_key="k1", text="Bài làm"
        )
        homework.grade_submission(
            submission=unreturned, by=teacher, score=Decimal(4), comment="Chưa đạt"
        )
        graded = homework.submit_assignment(
            assignment=returned, student=an, idempotency_key="k2", photos=[png_upload()]
        )
        homework.grade_submission(
            submission=graded, by=teacher, score=Decimal("9.5"), comment="Làm rất tốt"
        )
        homework.return_submission(submission=graded, by=teacher)
        stranger_work = homework.submit_assignment(
            assignment=due,
            student=stranger_child,
            idempotency_key="k3",
            photos=[png_upload("cuong.png")],
        )

    attended = LiveSessionFactory(
        classroom=math_class,
        title="Ôn tập hình học",
        status=SessionStatus.ENDED,
        scheduled_at=now - timedelta(days=2),
    )
    LiveSessionFactory(
        classroom=math_class,
        title="Luyện đề",
        status=SessionStatus.ENDED,
        scheduled_at=now - timedelta(days=1),
    )
    live_services.record_join(session_id=attended.pk, user_id=an.pk)
    live_services.record_leave(session_id=attended.pk, user_id=an.pk)

    return SimpleNamespace(
        parent=parent,
        an=an,
        binh=binh,
        teacher=teacher,
        math_class=math_class,
        stranger=stranger,
        stranger_child=stranger_child,
        stranger_work=stranger_work,
        graded=graded,
        unreturned=unreturned,
    )
