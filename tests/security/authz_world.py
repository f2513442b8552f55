"""
The two-school world of the authorisation matrix (AZ-12, issue #11): the
people and classes of ``tests.worlds`` plus, for the first class of each
school (C1 in school A, C3 in school B), everything a class owns, made with
the real services: a private course with a lesson, an image and a document;
homework with an attachment and a photo handed in by the class's first pupil;
quiz homework; an announcement with an attachment; a live session with an
ended quiz run the pupil played; a notification and a calendar feed of the
pupil's own.

The matrix asks each role about school A's objects; school B's mirror makes
"another school" a real school with its own records, not an empty one.
"""

import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from assignments import services as assignment_services
from assignments.models import AssignmentKind
from classrooms import announcements
from classrooms.models import ParentLink
from courses import services as course_services
from live.models import QuizRun, QuizRunScore, RunStatus
from live.rooms import services as live_services
from notifications.models import Delivery, DeliveryStatus, Notification
from tests.factories import (
    CourseDocumentFactory,
    CourseImageFactory,
    CourseIndexPageFactory,
    LessonPageFactory,
    stream,
)
from tests.files.samples import image_bytes
from tests.live.quiz_support import make_quiz
from tests.worlds import build_world


@dataclass
class ClassThings:
    """What one class owns; ``pupil`` is its first pupil, the owner."""

    course: object
    lesson: object
    image: object
    document: object
    homework: object
    attachment: object
    quiz_homework: object
    submission: object
    photo: object
    quiz: object
    announcement: object
    session: object
    run: object
    notification: object
    feed: object
    link: object
    delivery: object


def _photo():
    return SimpleUploadedFile("bai-lam.jpg", image_bytes(), content_type="image/jpeg")


def _pdf(name):
    return SimpleUploadedFile(
        name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", "application/pdf"
    )


def build_class_things(index, *, teacher, classroom, pupil, parent_link, tag):
    course = course_services.create_course(
        index=index, title=f"Toán {tag}", subject="math", grade=6, teachers=[teacher]
    )
    classroom.courses.add(course)
    image = CourseImageFactory(collection=course.collection)
    document = CourseDocumentFactory(
        collection=course.collection,
        file=ContentFile(b"%PDF-1.4 phieu", name=f"phieu-{tag}.pdf"),
    )
    lesson = LessonPageFactory(
        parent=course,
        title=f"Bài riêng {tag}: Phân số",
        body=stream(
            ("paragraph", f"<p>Nội dung riêng của lớp {tag}.</p>"),
            ("image", {"image": image.pk, "alt": "", "caption": ""}),
            ("attachment", {"document": document.pk, "label": "Phiếu"}),
        ),
    )
    due = timezone.now() + timedelta(days=2)
    homework = assignment_services.create_assignment(
        by=teacher,
        classrooms=[classroom],
        title=f"Bài tập {tag}",
        due_at=due,
        lesson=lesson,
        attachments=[_pdf(f"de-{tag}.pdf")],
        publish=True,
    )
    quiz = make_quiz(teacher, title=f"Kiểm tra {tag}")
    quiz_homework = assignment_services.create_assignment(
        by=teacher,
        classrooms=[classroom],
        title=f"Trắc nghiệm {tag}",
        due_at=due,
        kind=AssignmentKind.QUIZ,
        quiz=quiz,
        publish=True,
    )
    submission = assignment_services.submit_assignment(
        assignment=homework,
        student=pupil,
        idempotency_key=uuid.uuid4().hex,
        photos=[_photo()],
    )
    announcement = announcements.post_announcement(
        classroom=classroom,
        author=teacher,
        title=f"Thông báo {tag}",
        attachment=_pdf(f"thong-bao-{tag}.pdf"),
        also_to_parents=True,
    )
    session = live_services.create_session(
        classroom=classroom,
        title=f"Học trực tuyến {tag}",
        scheduled_at=timezone.now(),
        by=teacher,
        lesson=lesson,
    )
    session = live_services.open_session(session=session, by=teacher)
    _record_audio(session)
    run = QuizRun.objects.create(
        session=session,
        quiz=quiz,
        started_by=teacher,
        title=quiz.title,
        status=RunStatus.ENDED,
        question_count=0,
        ended_at=timezone.now(),
    )
    QuizRunScore.objects.create(run=run, student=pupil, score=1000, rank=1)
    notification = Notification.objects.create(
        recipient=pupil, event="test", title=f"Tin riêng {tag}", url="/"
    )
    parent_notice = Notification.objects.create(
        recipient=parent_link.parent, event="test", title=f"Tin gia đình {tag}"
    )
    delivery = Delivery.objects.create(
        notification=parent_notice,
        channel="email",
        status=DeliveryStatus.FAILED,
        attempts=5,
        last_error="SMTP 550",
    )
    return ClassThings(
        course=course,
        lesson=lesson,
        image=image,
        document=document,
        homework=homework,
        attachment=homework.attachments.get(),
        quiz_homework=quiz_homework,
        submission=submission,
        photo=submission.versions.get().files.get(),
        quiz=quiz,
        announcement=announcement,
        session=session,
        run=run,
        notification=notification,
        feed=live_services.create_calendar_feed(user=pupil),
        link=parent_link,
        delivery=delivery,
    )


def build_authz_world():
    """The people (``tests.worlds``) and what C1 (``a``) and C3 (``b``) own."""
    objects = build_world()
    index = CourseIndexPageFactory(title="Khoá học")
    link_b = ParentLink.objects.create(parent=objects["P3"], student=objects["S6"])
    objects["a"] = build_class_things(
        index,
        teacher=objects["T1"],
        classroom=objects["C1"],
        pupil=objects["S1"],
        parent_link=ParentLink.objects.get(parent=objects["P1"], student=objects["S1"]),
        tag="A",
    )
    objects["b"] = build_class_things(
        index,
        teacher=objects["T3"],
        classroom=objects["C3"],
        pupil=objects["S5"],
        parent_link=link_b,
        tag="B",
    )
    return objects


def _record_audio(session) -> None:
    """A few seconds of the teacher's voice, so the recording has a row."""
    from live.audio.recording import chunk_of, finalise_recording, write_chunk
    from live.protocol import build_bundle

    packet = bytes([11 << 3]) + b"\x01" * 30
    data = chunk_of(build_bundle(n, n * 360, [packet] * 6) for n in range(5))
    write_chunk(f"live-audio/{session.pk}/chunks/0000000000001-0.bin", data)
    finalise_recording(session_id=session.pk)
