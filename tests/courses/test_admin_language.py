"""The Wagtail admin speaks Vietnamese to teachers (locale/vi)."""

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_our_catalogue_fills_strings_wagtail_lacks_in_vietnamese():
    with translation.override("vi"):
        assert translation.gettext("Save draft") == "Lưu bản nháp"
        assert translation.gettext("Request changes") == "Yêu cầu sửa"
    with translation.override("en"):
        assert translation.gettext("Save draft") == "Save draft"


def test_teacher_sees_the_lesson_editor_in_vietnamese(client, world):
    client.force_login(world.T1)
    html = client.get(
        reverse("wagtailadmin_pages:edit", args=[world.lesson_a.pk])
    ).content.decode()
    assert "Lưu bản nháp" in html
    assert "Xuất bản" in html
