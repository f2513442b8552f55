"""
Homework instructions are written with the lesson editor's toolbar, not in
HTML; without JavaScript the textarea takes plain text.
"""

import json
import re

import pytest
from django.urls import reverse

from assignments import services
from assignments.models import Assignment
from courses.blocks import RICH_TEXT_FEATURES

pytestmark = pytest.mark.django_db


def new_homework_form(client, world):
    client.force_login(world.T1)
    return client.get(reverse("assignments:create")).content.decode()


def editor_config(html: str) -> dict:
    attribute = re.search(r'data-rich-text="([^"]*)"', html).group(1)
    return json.loads(attribute.replace("&quot;", '"'))


def test_instructions_field_offers_the_lesson_toolbar(client, world):
    html = new_homework_form(client, world)
    config = editor_config(html)
    assert config["features"] == RICH_TEXT_FEATURES
    assert config["labels"]["bold"] == "Đậm"
    assert config["labels"]["link"] == "Liên kết"
    assert "js/assignments/rich_text.js" in html
    assert "thẻ HTML" not in html and "&lt;p&gt;" not in html


def post_homework(client, world, instructions):
    data = {
        "title": "Đọc hiểu ca dao",
        "classrooms": [world.C1.pk],
        "kind": "upload",
        "instructions": instructions,
        "points": "10",
        "due_at": "2030-06-01T20:00",
        "late_policy": "accept",
        "publish": "on",
    }
    response = client.post(reverse("assignments:create"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Assignment.objects.get(title="Đọc hiểu ca dao")


def test_what_the_editor_writes_is_kept(client, world):
    client.force_login(world.T1)
    written = (
        "<p>Đọc <b>kĩ</b> bài, <i>trả lời</i> câu x<sup>2</sup> và H<sub>2</sub>O:"
        '</p><ul><li>câu 1</li></ul><ol><li>câu 2</li></ol><p><a href="https://'
        'vi.wikipedia.org/wiki/Ca_dao">Ca dao</a></p>'
    )
    homework = post_homework(client, world, written)
    for tag in ("<b>kĩ</b>", "<i>trả lời</i>", "<sup>2</sup>", "<sub>2</sub>"):
        assert tag in homework.instructions
    assert "<ul><li>câu 1</li></ul>" in homework.instructions
    assert 'href="https://vi.wikipedia.org/wiki/Ca_dao"' in homework.instructions


def test_plain_text_without_the_editor_keeps_its_paragraphs(client, world):
    client.force_login(world.T1)
    typed = "Làm bài 1 và 2.\r\nChụp ảnh vở.\r\n\r\nHạn: thứ Sáu, 3 < 5 & 5 > 3."
    homework = post_homework(client, world, typed)
    assert homework.instructions == (
        "<p>Làm bài 1 và 2.<br>Chụp ảnh vở.</p>"
        "<p>Hạn: thứ Sáu, 3 &lt; 5 &amp; 5 &gt; 3.</p>"
    )


def test_markup_is_still_cleaned_as_before():
    cleaned = services.sanitize_instructions(
        '<p style="color:red" onclick="x()">Đọc <script>alert(1)</script>'
        '<a href="javascript:alert(1)">đây</a></p>'
    )
    assert cleaned == '<p>Đọc <a rel="noopener noreferrer nofollow">đây</a></p>'


def test_empty_instructions_stay_empty():
    assert services.sanitize_instructions("") == ""
    assert services.sanitize_instructions("  \n ") == "  \n "
