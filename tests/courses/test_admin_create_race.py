"""
Wagtail's autosave racing a Publish click on the "add lesson" page
(courses.admin_views): the second request used to fail ``Page.full_clean``
on the slug the first had just taken, and Wagtail answered 500 with half a
page saved. The race is replayed deterministically: the form's "is the slug
free?" check is made to answer as it did before the twin was saved.
"""

from unittest import mock

import pytest
from django.urls import reverse
from wagtail.models import Page

from courses.models import LessonPage
from tests.factories import LessonPageFactory, stream

from .editor_forms import editor_post_data

pytestmark = pytest.mark.django_db

TITLE = "Bài 5. Rút gọn phân số"


@pytest.fixture
def add_lesson(world, client):
    """POST data for the teacher's "add lesson" form, with a title typed."""
    client.force_login(world.T1)
    url = reverse(
        "wagtailadmin_pages:add", args=["courses", "lessonpage", world.course_a.pk]
    )
    response = client.get(url)
    assert response.status_code == 200
    data = editor_post_data(response.context["form"])
    data.update(title=TITLE, slug="bai-5-rut-gon-phan-so")
    return url, data


def race(client, url, data, **headers):
    """
    POST as if the form had been validated before the twin was saved: the
    form's slug check (the first) says "free", the model's own check at
    save time (every later one) sees the twin.
    """
    real = Page._slug_is_available
    calls = []

    def first_says_free(*args, **kwargs):
        calls.append(args)
        return True if len(calls) == 1 else real(*args, **kwargs)

    with mock.patch.object(Page, "_slug_is_available", side_effect=first_says_free):
        response = client.post(url, data, **headers)
    assert len(calls) >= 2, "the save-time check did not run"
    return response


def lessons_titled(title):
    return LessonPage.objects.filter(title=title)


def test_publish_after_an_autosave_lands_on_the_autosaved_draft(
    world, client, add_lesson
):
    url, data = add_lesson
    # The autosave's JSON POST creates the draft first.
    autosave = client.post(url, data, HTTP_ACCEPT="application/json")
    assert autosave.status_code == 200 and autosave.json()["success"]
    twin = lessons_titled(TITLE).get()

    response = race(client, url, {**data, "action-publish": "action-publish"})

    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_pages:edit", args=[twin.pk])
    assert lessons_titled(TITLE).count() == 1  # nothing half-saved
    page = client.get(response.url)
    assert "Bài đã được tự động lưu ngay trước khi bạn bấm" in page.content.decode()


def test_a_second_autosave_in_the_race_gets_a_json_error_not_a_500(
    world, client, add_lesson
):
    url, data = add_lesson
    client.post(url, data, HTTP_ACCEPT="application/json")
    response = race(client, url, data, HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert response.json()["error_code"] == "already_created"
    assert lessons_titled(TITLE).count() == 1


def test_a_clash_with_someone_elses_page_is_a_form_error(world, client, add_lesson):
    url, data = add_lesson
    LessonPageFactory(
        parent=world.course_a,
        title="Bài của cô khác",
        slug="bai-5-rut-gon-phan-so",
        body=stream(("paragraph", "<p>x</p>")),
    )
    response = race(client, url, {**data, "action-publish": "action-publish"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not lessons_titled(TITLE).exists()


def test_the_add_page_view_still_asks_for_admin_access(world, client):
    client.force_login(world.S1)
    url = reverse(
        "wagtailadmin_pages:add", args=["courses", "lessonpage", world.course_a.pk]
    )
    assert client.get(url).status_code in (302, 403, 404)
    assert client.post(url, {"title": TITLE}).status_code in (302, 403, 404)
    assert not lessons_titled(TITLE).exists()
