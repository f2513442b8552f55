"""Lesson attachments: only the allowlisted document types (WAGTAILDOCS_EXTENSIONS)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.documents import get_document_model

pytestmark = pytest.mark.django_db


def upload(client, world, name: str, content: bytes):
    return client.post(
        reverse("wagtaildocs:add"),
        {
            "title": name,
            "collection": world.course_a.collection_id,
            "file": SimpleUploadedFile(name, content),
        },
    )


@pytest.mark.parametrize(
    "name",
    ["trang.html", "hinh.svg", "chay.exe", "macro.docm", "cu.doc", "bang.xls", "x.js"],
)
def test_a_teacher_cannot_attach_a_file_type_that_is_not_allowlisted(
    client, world, name
):
    client.force_login(world.T1)
    before = get_document_model().objects.count()
    response = upload(client, world, name, b"<script>alert(1)</script>")
    assert response.status_code == 200  # the form again, with the error
    assert response.context["form"].errors["file"]
    assert get_document_model().objects.count() == before


@pytest.mark.parametrize("name", ["phieu.pdf", "bai-hat.mp3", "bai-giang.mp4"])
def test_a_teacher_attaches_documents_audio_and_video(client, world, name):
    client.force_login(world.T1)
    before = get_document_model().objects.count()
    response = upload(client, world, name, b"%PDF-1.4 sample")
    assert response.status_code == 302
    assert get_document_model().objects.count() == before + 1
