"""
Every page ``seed_demo`` writes opens in the Wagtail editor, and the
moderated course goes through its approval workflow in the admin screens.
"""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import Page, WorkflowState

from courses.models import CoursePage, LessonPage
from courses.permissions import course_for_page

from .editor_forms import editor_post_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    call_command("seed_demo", stdout=io.StringIO())


@pytest.fixture
def superuser(seeded):
    return get_user_model().objects.create_superuser(
        username="root", password="x", display_name="Quản trị hệ thống"
    )


def seeded_pages():
    return Page.objects.filter(depth__gt=1).specific().order_by("path")


def test_every_seeded_page_opens_in_the_editor_for_its_teachers(client, seeded):
    opened = 0
    for page in seeded_pages():
        course = course_for_page(page)
        if course is None:
            continue
        for teacher in course.teachers.all():
            client.force_login(teacher)
            edit = reverse("wagtailadmin_pages:edit", args=[page.pk])
            response = client.get(edit)
            assert response.status_code == 200, (page.title, teacher.username)
            opened += 1
    assert opened == LessonPage.objects.count() + CoursePage.objects.count() + 1


def test_every_seeded_page_opens_in_the_editor_for_an_admin(client, superuser):
    client.force_login(superuser)
    for page in seeded_pages():
        edit = reverse("wagtailadmin_pages:edit", args=[page.pk])
        assert client.get(edit).status_code == 200, page.title


def test_saving_an_untouched_seeded_lesson_keeps_its_rich_text(client, seeded):
    lesson = LessonPage.objects.get(title="Bài 1. Ca dao về quê hương")
    client.force_login(course_for_page(lesson).teachers.get())
    edit = reverse("wagtailadmin_pages:edit", args=[lesson.pk])
    data = editor_post_data(client.get(edit).context["form"])
    assert client.post(edit, data).status_code == 302
    saved = lesson.get_latest_revision_as_object()
    before = [block.get_prep_value() for block in lesson.body]
    assert [block.get_prep_value() for block in saved.body] == before
    assert "<br/>" in str(lesson.body[1].value)


def test_moderated_lesson_is_submitted_then_approved_in_the_admin(client, seeded):
    lesson = LessonPage.objects.get(title="Bài 1. Ca dao về quê hương")
    author = course_for_page(lesson).teachers.get()
    client.force_login(author)
    edit = reverse("wagtailadmin_pages:edit", args=[lesson.pk])
    form = client.get(edit).context["form"]
    data = {**editor_post_data(form), "title": "Bài 1. Ca dao quê hương"}
    data["action-submit"] = "action-submit"
    response = client.post(edit, data)
    assert response.status_code == 302, response.context["form"].errors
    state = WorkflowState.objects.get(object_id=str(lesson.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert client.get(edit).status_code == 200

    approver = state.current_task_state.task.specific.groups.get().user_set.first()
    client.force_login(approver)
    dashboard = client.get(reverse("wagtailadmin_home"))
    assert "Bài 1. Ca dao quê hương" in dashboard.content.decode()
    task_state = state.current_task_state
    for name, args in [
        ("wagtailadmin_pages:edit", [lesson.pk]),
        ("wagtailadmin_pages:workflow_preview", [lesson.pk, task_state.task_id]),
        ("wagtailadmin_pages:workflow_history", [lesson.pk]),
        ("wagtailadmin_reports:workflow", []),
        ("wagtailadmin_reports:workflow_tasks", []),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 200, name
    approve = reverse(
        "wagtailadmin_pages:workflow_action",
        args=[lesson.pk, "approve", task_state.pk],
    )
    assert client.get(approve).status_code == 200
    assert client.post(approve, {"comment": "Đạt yêu cầu"}).status_code in (200, 302)
    lesson.refresh_from_db()
    assert lesson.title == "Bài 1. Ca dao quê hương"
    assert lesson.live and not lesson.has_unpublished_changes
