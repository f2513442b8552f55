"""Hosted videos behind a local placeholder until tapped (PR-04)."""

import re

import pytest

from courses import demo
from tests.factories import LessonPageFactory, stream

pytestmark = pytest.mark.django_db


def _lesson_with_video(world, **block):
    demo._video_embed()  # the cached oEmbed answer: no network in tests
    return LessonPageFactory(
        parent=world.course_b,
        body=stream(("video", {"video": demo.VIDEO_URL, **block})),
    )


def _outside_templates(html: str) -> str:
    return re.sub(r"<template\b.*?</template>", "", html, flags=re.S)


def test_video_page_has_no_third_party_address_outside_the_inert_player(client, world):
    """PR-04: nothing on the page makes the browser call the provider."""
    lesson = _lesson_with_video(world, caption="Video: phân số là gì?")
    client.force_login(world.S3)
    html = client.get(lesson.url).content.decode()
    assert "<template data-player>" in html
    assert "youtube-nocookie.com/embed/ysz5S6PUM-U" in html  # kept for the tap
    page = _outside_templates(html)
    assert "<iframe" not in page
    for tag in re.findall(r"<(?:img|script|link|iframe|source|video)\b[^>]*>", page):
        assert not re.search(r"(?:src|href|srcset)=\"(?:https?:)?//", tag), tag


def test_video_placeholder_shows_title_duration_and_data_estimate(client, world):
    lesson = _lesson_with_video(world, duration=4)
    client.force_login(world.S3)
    html = client.get(lesson.url).content.decode()
    poster = re.search(
        r'<button type="button" class="video-poster".*?</button>', html, re.S
    )
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", poster.group(0)))
    assert "Phân số" in text  # the title the provider gave
    assert "4 phút" in text
    assert "khoảng 21 MB dữ liệu" in text  # 4 min × 5 MB + the 1 MB player
    assert "Chạm để tải video từ YouTube" in text


def test_video_without_duration_states_the_cost_per_minute(client, world):
    lesson = _lesson_with_video(world)
    client.force_login(world.S3)
    html = client.get(lesson.url).content.decode()
    assert "khoảng 5 MB mỗi phút xem" in html
