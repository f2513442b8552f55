"""Lesson blocks: math, self-check, homework link, escaping (XS-01)."""

import pytest
from django.test import RequestFactory
from wagtail import hooks

from courses.blocks import (
    CalloutBlock,
    HomeworkLinkBlock,
    LessonStreamBlock,
    MathBlock,
    SelfCheckBlock,
)
from courses.hooks import RESOLVE_HOMEWORK, HomeworkLink
from courses.mathml import latex_to_mathml
from tests.factories import LessonPageFactory, stream


def render(block, raw_value, user=None):
    request = RequestFactory().get("/")
    request.user = user
    value = block.to_python(raw_value)
    return block.render(value, context={"request": request})


def test_math_renders_mathml_without_network():
    html = render(MathBlock(), {"latex": r"\frac{1}{2}", "display": True})
    assert "<math" in html and "<mfrac>" in html
    assert "math-error" not in html


@pytest.mark.parametrize("latex", [r"\frac{1}{", r"\begin{matrix", "^^", r"\left("])
def test_invalid_latex_shows_source_with_a_marker(latex):
    html = render(MathBlock(), {"latex": latex, "display": True})
    assert "math-error" in html
    assert "Công thức chưa hiển thị được" in html
    assert "<math" not in html


@pytest.mark.parametrize(
    "latex",
    [
        r"\text{<script>alert(1)</script>}",
        r"\href{javascript:alert(1)}{x}",
        r"\text{<img src=x onerror=alert(1)>}",
    ],
)
def test_latex_cannot_inject_markup(latex):
    assert latex_to_mathml(latex) is None
    html = render(MathBlock(), {"latex": latex, "display": False})
    assert "<script" not in html and "<img" not in html
    assert "&lt;" in html or "javascript:" not in html.split("<code>")[0]


def test_self_check_works_without_javascript_through_details():
    html = render(
        SelfCheckBlock(),
        {
            "question": "1/2 bằng phân số nào?",
            "options": [
                {"text": "2/4", "correct": True},
                {"text": "3/4", "correct": False},
            ],
            "explanation": "<p>Nhân tử và mẫu với 2.</p>",
        },
    )
    assert "<details>" in html
    assert "Đáp án:</strong> 2/4" in html
    assert html.count('type="radio"') == 2
    assert html.count("data-correct") == 1
    # The "Kiểm tra" button only appears once the script runs.
    assert "hidden data-check" in html


def test_rich_text_in_callout_strips_scripts_and_handlers():
    html = render(
        CalloutBlock(),
        {
            "kind": "warning",
            "text": '<p onclick="x()">Chú ý<script>alert(1)</script>'
            '<a href="javascript:alert(1)">xem</a></p>',
        },
    )
    assert "<script" not in html
    assert "onclick" not in html
    assert "javascript:" not in html


def test_homework_link_asks_the_registered_resolver(db, student):
    calls = []

    def fake_resolver(assignment_id, user):
        calls.append((assignment_id, user))
        if assignment_id == 42:
            return HomeworkLink(title="Bài tập phân số", url="/homework/42/")
        return None

    with hooks.register_temporarily(RESOLVE_HOMEWORK, fake_resolver):
        found = render(HomeworkLinkBlock(), {"assignment_id": 42, "label": ""}, student)
        missing = render(
            HomeworkLinkBlock(), {"assignment_id": 9, "label": ""}, student
        )
    assert calls == [(42, student), (9, student)]
    assert 'href="/homework/42/"' in found and "Bài tập phân số" in found
    assert "/homework/" not in missing
    assert "chưa mở cho em" in missing


def test_homework_link_without_resolver_renders_a_notice(db, student):
    html = render(HomeworkLinkBlock(), {"assignment_id": 5, "label": ""}, student)
    assert "chưa mở cho em" in html


def test_every_block_type_declares_icon_template_description_and_preview():
    for name, block in LessonStreamBlock().child_blocks.items():
        meta = block.meta
        assert meta.icon, name
        assert meta.template.startswith("blocks/"), name
        assert meta.description, name
        assert meta.preview_value is not None, name


def test_lesson_with_broken_formula_renders_the_rest(client, db, world):
    lesson = LessonPageFactory(
        parent=world.course_a,
        title="Bài công thức lỗi",
        body=stream(
            ("math", {"latex": r"\frac{1}{", "display": True}),
            ("paragraph", "<p>Phần tiếp theo vẫn hiện.</p>"),
        ),
    )
    client.force_login(world.S1)
    response = client.get(lesson.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "math-error" in html and r"\frac{1}{" in html
    assert "Phần tiếp theo vẫn hiện." in html
