"""
The lesson editor in a real browser: the preview panel shows the lesson
being written, and typing maths does not open Draftail's command palette.
"""

import pytest

from courses import services
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
