import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from classrooms.announcements import post_announcement
from classrooms.models import Announcement
from classrooms.services import enroll_student
from files.uploads import DOCUMENT_NOT_ALLOWED
from notifications.models import Notification
from tests.factories import (
    ClassroomFactory,
    ParentLinkFactory,
    StudentFactory,
)

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }


@pytest.fixture
def family(classroom):
    """A class with one student and their parent, and an outsider family."""
    child, outsider_child = StudentFactory(), StudentFactory()
    enroll_student(classroom=classroom, student=child)
    enroll_student(classroom=ClassroomFactory(), student=outsider_child)
    parent = ParentLinkFactory(student=child).parent
    outsider = ParentLinkFactory(student=outsider_child).parent
    return {"child": child, "parent": parent, "outsider": outsider}


def post(classroom, teacher, captured, **kwargs):
    with captured(execute=True):
        return post_announcement(
            classroom=classroom,
            author=teacher,
            title=kwargs.pop("title", "Nghỉ học thứ Sáu"),
            body="Cả lớp học bù vào thứ Bảy.",
            **kwargs,
        )


def test_announcement_reaches_students_and_only_optionally_parents(
    classroom, teacher, family, django_capture_on_commit_callbacks
):
    post(classroom, teacher, django_capture_on_commit_callbacks, title="Chỉ học sinh")
    post(
        classroom,
        teacher,
        django_capture_on_commit_callbacks,
        title="Cả phụ huynh",
        also_to_parents=True,
    )
    child_titles = set(
        Notification.objects.filter(recipient=family["child"]).values_list(
            "title", flat=True
        )
    )
    parent_titles = set(
        Notification.objects.filter(recipient=family["parent"]).values_list(
            "title", flat=True
        )
    )
    assert child_titles == {
        f"{classroom.name}: Chỉ học sinh",
        f"{classroom.name}: Cả phụ huynh",
    }
    assert parent_titles == {f"{classroom.name}: Cả phụ huynh"}
    assert not Notification.objects.filter(recipient=family["outsider"]).exists()
    assert not Notification.objects.filter(recipient=teacher).exists()


def test_teacher_posts_with_attachment_through_the_form(client, classroom, teacher):
    client.force_login(teacher)
    response = client.post(
        reverse("announcements:create", args=[classroom.pk]),
        {
            "title": "Lịch kiểm tra",
            "attachment": SimpleUploadedFile("../../lịch kiểm tra.pdf", PDF),
        },
    )
    assert response.status_code == 302
    announcement = Announcement.objects.get()
    assert announcement.attachment_name == "lịch kiểm tra.pdf"
    assert ".." not in announcement.attachment.name
    assert "lịch" not in announcement.attachment.name
    # Private storage: outside MEDIA_ROOT, so no web server can hand it out.
    media_root = Path(settings.MEDIA_ROOT).resolve()
    assert not Path(announcement.attachment.path).is_relative_to(media_root)
    assert Path(announcement.attachment.path).read_bytes() == PDF


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("bai.pdf", b"MZ\x90\x00 not a pdf"),
        ("virus.exe", b"MZ\x90\x00"),
        ("page.html", b"<script>alert(1)</script>"),
        ("note.txt", b"\x00\x01binary"),
    ],
)
def test_bad_attachment_gets_a_message_and_nothing_is_saved(
    client, classroom, teacher, name, content
):
    client.force_login(teacher)
    response = client.post(
        reverse("announcements:create", args=[classroom.pk]),
        {"title": "Tệp lạ", "attachment": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 400
    assert str(DOCUMENT_NOT_ALLOWED) % {"name": name} in response.content.decode()
    assert not Announcement.objects.exists()


def test_attached_photo_is_kept_without_its_location(
    classroom, teacher, django_capture_on_commit_callbacks
):
    image = Image.new("RGB", (80, 60), (10, 120, 200))
    exif = Image.Exif()
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (21.0, 1.0, 30.0)})
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes())
    announcement = post(
        classroom,
        teacher,
        django_capture_on_commit_callbacks,
        attachment=SimpleUploadedFile("san-truong.jpg", buffer.getvalue()),
    )
    with announcement.attachment.open("rb") as stored:
        kept = Image.open(stored)
        assert kept.size == (80, 60)
        assert not kept.getexif().get_ifd(GPS_IFD)
    assert announcement.attachment_name == "san-truong.jpg"


def test_student_cannot_post(client, classroom, family):
    client.force_login(family["child"])
    response = client.post(
        reverse("announcements:create", args=[classroom.pk]), {"title": "Hack"}
    )
    assert response.status_code == 404
    assert not Announcement.objects.exists()


def test_attachment_is_served_only_to_those_who_may_see_it(
    client, classroom, teacher, family, django_capture_on_commit_callbacks
):
    to_class = post(
        classroom,
        teacher,
        django_capture_on_commit_callbacks,
        attachment=SimpleUploadedFile("de.pdf", PDF),
    )
    to_parents = post(
        classroom,
        teacher,
        django_capture_on_commit_callbacks,
        attachment=SimpleUploadedFile("thu-moi.pdf", PDF),
        also_to_parents=True,
    )

    def fetch(user, announcement):
        client.logout()
        if user:
            client.force_login(user)
        return client.get(reverse("announcements:attachment", args=[announcement.pk]))

    response = fetch(family["child"], to_class)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]
    assert fetch(family["parent"], to_parents).status_code == 200
    assert fetch(family["parent"], to_class).status_code == 404
    outsider = fetch(family["outsider"], to_parents)
    missing = client.get(reverse("announcements:attachment", args=[999999]))
    assert outsider.status_code == missing.status_code == 404
    assert outsider.content == missing.content
    assert fetch(None, to_parents).status_code == 302


def test_parent_list_shows_only_announcements_sent_to_parents(
    client, classroom, teacher, family, django_capture_on_commit_callbacks
):
    post(classroom, teacher, django_capture_on_commit_callbacks, title="Riêng lớp")
    post(
        classroom,
        teacher,
        django_capture_on_commit_callbacks,
        title="Họp phụ huynh",
        also_to_parents=True,
    )
    client.force_login(family["parent"])
    html = client.get(reverse("announcements:list", args=[classroom.pk])).content
    assert "Họp phụ huynh" in html.decode()
    assert "Riêng lớp" not in html.decode()
    client.force_login(family["outsider"])
    response = client.get(reverse("announcements:list", args=[classroom.pk]))
    assert response.status_code == 404
