"""
A teacher writes homework instructions on a 360×740 phone with the toolbar
(no HTML to type); with JavaScript off the plain textarea still works.
"""

import pytest

from assignments.models import Assignment
from classrooms.services import enroll_student
from tests.e2e.conftest import PHONE_VIEWPORT, login
from tests.factories import ClassroomFactory, StudentFactory, TeacherFactory
from tests.factories.accounts import TEST_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def classroom():
    teacher = TeacherFactory(display_name="Cô Nguyễn Thu Hà")
    classroom = ClassroomFactory(homeroom_teacher=teacher, name="6A")
    enroll_student(classroom=classroom, student=StudentFactory())
    return classroom


def start_homework(page, live_server, classroom):
    login(page, live_server, classroom.homeroom_teacher.username, TEST_PASSWORD)
    page.goto(f"{live_server.url}/homework/new/")
    page.fill("#id_title", "Bài tập phân số tuần 5")
    page.check(f"input[name=classrooms][value='{classroom.pk}']")
    page.fill("#id_due_at", "2030-06-01T20:00")


def test_teacher_formats_instructions_with_the_toolbar_on_a_phone(
    live_server, phone_page, classroom
):
    page = phone_page
    start_homework(page, live_server, classroom)
    assert not page.locator("#id_instructions").is_visible()
    toolbar = page.get_by_role("toolbar", name="Định dạng văn bản")
    for button in toolbar.get_by_role("button").all():
        box = button.bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44
    page.click(".rich-text__editor")
    page.keyboard.type("Làm bài ")
    toolbar.get_by_role("button", name="Đậm").click()
    page.keyboard.type("1 đến 4")
    toolbar.get_by_role("button", name="Đậm").click()
    page.keyboard.type(" rồi chụp ảnh vở, ví dụ 3/4 + 1/4 = 1.")
    page.keyboard.press("Enter")
    toolbar.get_by_role("button", name="Danh sách gạch đầu dòng").click()
    page.keyboard.type("Bài 1")
    page.once("dialog", lambda dialog: dialog.accept("https://vi.wikipedia.org/"))
    page.keyboard.press("Shift+Home")
    toolbar.get_by_role("button", name="Liên kết").click()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.click("form.form button[type=submit]")
    page.wait_for_url("**/grading/")
    html = Assignment.objects.get().instructions
    assert "<b>1 đến 4</b>" in html
    assert "3/4 + 1/4 = 1." in html
    assert '<ul><li><a href="https://vi.wikipedia.org/"' in html
    assert "Bài 1</a></li></ul>" in html


def test_without_javascript_the_textarea_takes_plain_text(
    live_server, browser, classroom
):
    context = browser.new_context(viewport=PHONE_VIEWPORT, java_script_enabled=False)
    page = context.new_page()
    try:
        start_homework(page, live_server, classroom)
        page.fill("#id_instructions", "Làm bài 1 đến 4.\n\nChụp ảnh vở rõ nét.")
        page.click("form.form button[type=submit]")
        page.wait_for_url("**/grading/")
    finally:
        context.close()
    assert Assignment.objects.get().instructions == (
        "<p>Làm bài 1 đến 4.</p><p>Chụp ảnh vở rõ nét.</p>"
    )
