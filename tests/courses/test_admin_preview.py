"""
The editor's preview panel may frame the page being edited; nothing else on
the site may be framed (``lms.csp``).
"""

import pytest
from django.urls import reverse

from courses.models import LessonPage
from tests.csp import directives

from .editor_forms import editor_post_data

pytestmark = pytest.mark.django_db


def frame_ancestors(response) -> str:
    return directives(response["Content-Security-Policy"])["frame-ancestors"]


def open_preview(client, page, **changes):
    """What the preview panel does: post the form, then load the iframe."""
    edit = reverse("wagtailadmin_pages:edit", args=[page.pk])
    data = {**editor_post_data(client.get(edit).context["form"]), **changes}
    preview = reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk])
    assert client.post(preview, data).json()["is_valid"]
    return client.get(preview, {"mode": "", "in_preview_panel": "true"})


def test_preview_panel_may_frame_the_lesson_being_edited(client, world):
    client.force_login(world.T1)
    response = open_preview(client, world.lesson_a, title="Bản xem trước")
    assert response.status_code == 200
    assert "Bản xem trước" in response.content.decode()
    assert frame_ancestors(response) == "'self'"
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    # The rest of the site policy still holds inside the preview.
    assert directives(response["Content-Security-Policy"])["script-src"] == "'self'"


def test_published_lesson_may_not_be_framed(client, world):
    client.force_login(world.S1)
    response = client.get(world.lesson_a.url)
    assert response.status_code == 200
    assert frame_ancestors(response) == "'none'"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/pages/{lesson}/edit/",
        "/admin/images/",
        "/django-admin/login/",
    ],
)
def test_admin_pages_may_not_be_framed(client, world, url):
    client.force_login(world.T1)
    response = client.get(url.format(lesson=world.lesson_a.pk))
    assert response.status_code == 200
    assert frame_ancestors(response) == "'none'"
    # Admin pages keep their inline scripts, from this site only.
    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == "'self' 'unsafe-inline'"
    assert policy["connect-src"] == "'self'"


def test_block_previews_in_the_block_picker_may_be_framed(client, world):
    client.force_login(world.T1)
    callout = LessonPage.body.field.stream_block.child_blocks["callout"]
    preview = reverse("wagtailadmin_block_preview")
    response = client.get(preview, {"id": callout.definition_prefix})
    assert response.status_code == 200
    assert frame_ancestors(response) == "'self'"
