"""
The lesson editor in a real browser: the preview panel shows the lesson
being written, and typing maths does not open Draftail's command palette.
"""

from collections import Counter

import pytest

from courses import services
from tests.courses.english_words import WordCount
from tests.factories import (
    CourseIndexPageFactory,
    LessonPageFactory,
    TeacherFactory,
    stream,
)
from tests.factories.accounts import TEST_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def lesson():
    teacher = TeacherFactory(display_name="Cô Lê Thu Hà")
    course = services.create_course(
        index=CourseIndexPageFactory(title="Khoá học THCS Nguyễn Du"),
        title="Toán 6",
        subject="math",
        grade=6,
        teachers=[teacher],
    )
    return LessonPageFactory(
        parent=course,
        title="Bài 3. So sánh phân số",
        body=stream(("paragraph", "<p>Quy đồng mẫu số rồi so sánh tử số.</p>")),
    )


@pytest.fixture(autouse=True)
def _leave_the_editor(live_server, desktop_page):
    """
    The editor autosaves and refreshes its preview in the background: leave
    it and let the last request finish before the database is flushed.
    """
    yield
    desktop_page.goto("about:blank")
    desktop_page.wait_for_timeout(500)


def rendered_text(page) -> str:
    """What the browser shows (CSS-hidden text left out) and reads out."""
    return page.evaluate(
        """() => [document.body.innerText, ...Array.from(
            document.querySelectorAll("[title], [aria-label], [placeholder], [alt]"),
            (el) => ["title", "aria-label", "placeholder", "alt"]
                .map((name) => el.getAttribute(name) || "").join("\\n"),
        )].join("\\n")"""
    )


def open_editor(page, live_server, log_in, lesson):
    teacher = lesson.get_parent().specific.teachers.get()
    log_in(page, teacher.username, TEST_PASSWORD)
    page.goto(f"{live_server.url}/admin/pages/{lesson.pk}/edit/")
    page.wait_for_selector("[data-draftail-editor] [contenteditable=true]")


def test_preview_panel_shows_the_lesson_being_edited(
    live_server, desktop_page, log_in, lesson
):
    page = desktop_page
    blocked = []
    page.on(
        "console",
        lambda message: "frame-ancestors" in message.text and blocked.append(message),
    )
    open_editor(page, live_server, log_in, lesson)
    page.fill("#id_title", "Bài 3. So sánh hai phân số")
    page.locator("[data-side-panel-toggle='preview']").click()
    frame = page.frame_locator("#w-preview-iframe")
    heading = frame.locator("h1", has_text="Bài 3. So sánh hai phân số")
    heading.wait_for()
    assert frame.locator("text=Quy đồng mẫu số").count() == 1
    assert not blocked


def test_typing_a_fraction_opens_no_command_palette(
    live_server, desktop_page, log_in, lesson
):
    page = desktop_page
    open_editor(page, live_server, log_in, lesson)
    editor = page.locator("[data-draftail-editor] [contenteditable=true]").first
    editor.click()
    page.keyboard.press("End")
    page.keyboard.type(" Ví dụ: 1/2 và a/b")
    palette = page.locator("[data-draftail-editor] [role=combobox]")
    assert palette.count() == 0
    page.keyboard.press("Enter")
    page.keyboard.type("Dòng mới")
    blocks = editor.locator("[data-block='true']")
    assert blocks.count() == 2
    assert "1/2 và a/b" in blocks.nth(0).inner_text()
    assert blocks.nth(1).inner_text() == "Dòng mới"
    assert editor.locator("li").count() == 0


def test_empty_rich_text_invites_writing_not_slash(
    live_server, desktop_page, log_in, lesson
):
    page = desktop_page
    open_editor(page, live_server, log_in, lesson)
    course = lesson.get_parent()
    page.goto(f"{live_server.url}/admin/pages/{course.pk}/edit/")
    # Draftail shows its placeholder as generated content of an empty block.
    placeholder = page.locator("[data-draftail-editor] style").first
    assert 'content: "Viết nội dung…"' in placeholder.text_content()
    assert "/" not in page.locator("[data-draftail-editor]").first.inner_text()


def test_editor_as_the_browser_renders_it_is_in_vietnamese(
    live_server, desktop_page, log_in, lesson
):
    """The text JavaScript puts on screen (sidebar, StreamField, Draftail)."""
    page = desktop_page
    open_editor(page, live_server, log_in, lesson)
    count = WordCount()
    count.add(rendered_text(page))
    for panel in ("status", "preview", "checks", "comments"):
        toggle = page.locator(f"[data-side-panel-toggle='{panel}']")
        if toggle.count():
            toggle.click()
            page.wait_for_timeout(300)
            count.add(rendered_text(page))
    page.locator("[data-draftail-editor] [contenteditable=true]").first.click()
    page.locator("button.c-sf-add-button").first.click()
    page.wait_for_selector("[role=listbox], [role=option]")
    count.add(rendered_text(page))
    page.keyboard.press("Escape")
    for url in ("/admin/", f"/admin/pages/{lesson.get_parent().pk}/"):
        page.goto(f"{live_server.url}{url}")
        page.wait_for_selector(".sidebar-main-menu")
        count.add(rendered_text(page))
    common = Counter(word.lower() for word in count.english).most_common(30)
    print(f"English words in the browser: {count.ratio:.1%} of {count.total}")
    assert count.total > 1000
    assert count.ratio <= 0.02, (f"{count.ratio:.1%}", common)
