"""
The Wagtail admin speaks Vietnamese to teachers (``locale/vi``): the screens
a teacher meets, walked as a teacher, hold at most 2 % English words
(``english_words``); the catalogue fills what Wagtail's own lacks.
"""

import json
from collections import Counter

import pytest
from django.urls import reverse
from django.utils import translation

from courses.demo import name_site

from .admin_screens import (
    moderation_outcomes,
    moderation_screens,
    submit_for_moderation,
    teacher_actions,
    teacher_screens,
)
from .editor_forms import editor_post_data
from .english_words import WordCount, visible_text

pytestmark = pytest.mark.django_db

MAX_ENGLISH = 0.02


def screen_html(response) -> str:
    """The HTML of a page, or of the modal a JSON response carries."""
    if response["Content-Type"].startswith("application/json"):
        return json.loads(response.content).get("html", "")
    return response.content.decode()


def slug_in_use_screen(client, world) -> str:
    """A new lesson whose slug a published lesson already holds."""
    add = reverse(
        "wagtailadmin_pages:add", args=["courses", "lessonpage", world.course_a.pk]
    )
    data = editor_post_data(client.get(add).context["form"])
    data.update({"title": world.lesson_a.title, "slug": world.lesson_a.slug})
    response = client.post(add, data)
    assert response.status_code == 200 and response.context["form"].errors
    return screen_html(response)


def walk(client, world) -> dict[str, str]:
    """Visible text of every screen, keyed by URL, as the teachers see it."""
    client.force_login(world.T1)
    texts = {url: client.get(url, follow=True) for url in teacher_screens(world)}
    texts = {url: visible_text(screen_html(r)) for url, r in texts.items()}
    texts["slug in use"] = visible_text(slug_in_use_screen(client, world))
    actions = teacher_actions(client, world)
    head, task_state = submit_for_moderation(client, world)
    for who, user in (("author", world.T1), ("approver", head)):
        client.force_login(user)
        for url in moderation_screens(world, task_state):
            response = client.get(url, follow=True)
            texts[f"{who} {url}"] = visible_text(screen_html(response))
    actions.update(moderation_outcomes(client, world, head, task_state))
    for done, response in actions.items():
        assert response.status_code == 200, done
        texts[done] = visible_text(screen_html(response))
    return texts


def test_admin_screens_a_teacher_meets_are_in_vietnamese(client, world):
    name_site()  # as seed_demo does: no "Welcome to your new Wagtail site!"
    texts = walk(client, world)
    count = WordCount()
    for text in texts.values():
        count.add(text)
    worst = {
        url: f"{WordCount().add(text).ratio:.0%}"
        for url, text in texts.items()
        if WordCount().add(text).ratio > MAX_ENGLISH
    }
    common = Counter(word.lower() for word in count.english).most_common(40)
    print(f"English words: {len(count.english)}/{count.total} = {count.ratio:.1%}")
    assert count.total > 3000
    assert count.ratio <= MAX_ENGLISH, (f"{count.ratio:.1%}", worst, common)


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
