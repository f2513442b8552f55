"""
The admin as a school's own: no third party learns who uses it, it carries
Lophoc's name, offers approval only where a course has it, and its rich-text
editor keeps "/" for fractions.
"""

import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import Page, Site

from courses.widgets import INIT_EVENT, LessonRichTextArea

from .admin_screens import moderation_screens, submit_for_moderation, teacher_screens

pytestmark = pytest.mark.django_db


def test_no_admin_page_references_gravatar(client, world):
    client.force_login(world.T1)
    urls = teacher_screens(world)
    head, task_state = submit_for_moderation(client, world)
    for user, screens in [
        (world.T1, urls),
        (head, moderation_screens(world, task_state)),
    ]:
        client.force_login(user)
        for url in screens:
            response = client.get(url, follow=True)
            assert response.status_code == 200, url
            assert "gravatar" not in response.content.decode().lower(), url


def test_user_list_shows_no_gravatar_either(client, world):
    root = get_user_model().objects.create_superuser(
        username="root", password="x", display_name="Quản trị", email="r@x.example"
    )
    client.force_login(root)
    for url in (reverse("wagtailusers_users:index"), reverse("wagtailadmin_home")):
        assert "gravatar" not in client.get(url).content.decode().lower()


def test_seeded_dashboard_is_titled_lophoc(client):
    call_command("seed_demo", stdout=io.StringIO())
    assert Site.objects.get(is_default_site=True).site_name == "Lophoc"
    teacher = get_user_model().objects.get(username="gv.lan")
    client.force_login(teacher)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Lophoc" in html
    assert "localhost" not in html


def test_no_workflow_is_offered_on_a_course_without_moderation(client, world):
    assert Page.get_first_root_node().get_workflow() is None
    assert world.lesson_a.get_workflow() is None
    client.force_login(world.T1)
    edit = reverse("wagtailadmin_pages:edit", args=[world.lesson_a.pk])
    html = client.get(edit).content.decode()
    assert "Moderators approval" not in html
    assert 'name="action-submit"' not in html
    assert 'name="action-publish"' in html


def test_moderated_course_offers_its_own_workflow(client, world):
    head, _task_state = submit_for_moderation(client, world)
    client.force_login(world.T2)
    edit = reverse("wagtailadmin_pages:edit", args=[world.lesson_b.pk])
    assert 'name="action-submit"' not in client.get(edit).content.decode()
    client.force_login(head)
    edit = reverse("wagtailadmin_pages:edit", args=[world.lesson_a.pk])
    html = client.get(edit).content.decode()
    assert "Tổ trưởng chuyên môn" in html
    assert "Moderators approval" not in html


def test_rich_text_fields_use_the_editor_without_the_command_palette(client, world):
    client.force_login(world.T1)
    edit = reverse("wagtailadmin_pages:edit", args=[world.course_a.pk])
    response = client.get(edit)
    widget = response.context["form"].fields["description"].widget
    assert isinstance(widget, LessonRichTextArea)
    html = response.content.decode()
    assert f'data-w-init-event-value="{INIT_EVENT}"' in html
    assert "js/courses/rich_text.js" in html
    lesson_edit = reverse("wagtailadmin_pages:edit", args=[world.lesson_a.pk])
    lesson_html = client.get(lesson_edit).content.decode()
    assert "lophoc.widgets.LessonRichTextArea" in lesson_html


def test_rich_text_placeholder_no_longer_mentions_the_slash(client, world):
    widget = LessonRichTextArea(features=["bold"])
    options = json.loads(
        widget.get_context("x", "", {"id": "x"})["widget"]["attrs"][
            "data-w-init-detail-value"
        ]
    )
    assert options["placeholder"] == "Viết nội dung…"
    assert "/" not in options["placeholder"]
