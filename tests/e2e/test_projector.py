"""
The quiz on a classroom projector (#13 Build 5): the teacher opens "Màn
chiếu" from the console and runs a question; at 1920×1080 the projector
shows the question, its choices and answered/total live, the answers as
bars with the right one marked after the reveal, and the podium at the end.
"""

import pytest

from classrooms.services import enroll_student
from live.models import LiveSession, SessionStatus
from tests.e2e.conftest import PHONE_VIEWPORT, login
from tests.factories import ClassroomFactory, StudentFactory, TeacherFactory
from tests.factories.accounts import TEST_PASSWORD
from tests.live.quiz_support import make_quiz

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_projector_shows_the_question_the_answers_as_bars_and_the_podium(
    asgi_server, browser
):
    teacher = TeacherFactory(display_name="Cô Lê Thu Hà")
    classroom = ClassroomFactory(homeroom_teacher=teacher, name="6A")
    an = StudentFactory(display_name="Nguyễn Văn An")
    enroll_student(classroom=classroom, student=an)
    session = LiveSession.objects.create(
        classroom=classroom, title="Toán 6A", scheduled_at="2026-12-07T08:00Z",
        status=SessionStatus.LIVE, created_by=teacher,
    )  # fmt: skip
    quiz = make_quiz(teacher, questions=1, time_limit=60, title="Ôn phân số")
    room = f"{asgi_server.url}/live/{session.pk}/"

    t_ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    console = t_ctx.new_page()
    console.set_default_timeout(20_000)
    login(console, asgi_server, teacher.username, TEST_PASSWORD)
    console.goto(room)
    console.wait_for_selector("#live-conn.conn-on")
    with t_ctx.expect_page() as opened:
        console.click("#live-projector")
    projector = opened.value
    projector.set_viewport_size({"width": 1920, "height": 1080})
    projector.wait_for_selector("#pj-waiting:has-text('Chờ câu hỏi')")

    s_ctx = browser.new_context(viewport=PHONE_VIEWPORT, is_mobile=True, has_touch=True)
    phone = s_ctx.new_page()
    phone.set_default_timeout(20_000)
    login(phone, asgi_server, an.username, TEST_PASSWORD)
    phone.goto(room)
    phone.wait_for_selector("#live-conn.conn-on")

    console.select_option("#quiz-select", str(quiz.pk))
    console.click("#quiz-start")
    projector.wait_for_selector("#pj-question:has-text('Câu 1')")
    assert projector.locator("#pj-choices li").count() == 4
    assert "1/1" in projector.locator("#pj-index").inner_text()
    projector.wait_for_selector("#pj-countdown:has-text(' s')")
    phone.locator(".quiz-choice", has_text="Đáp án 1").click()
    projector.wait_for_selector("#pj-progress:has-text('1/1')")
    projector.screenshot(path="var/screenshots/projector-question.png")

    console.click("#quiz-reveal")
    projector.wait_for_selector("#pj-choices li.is-right")
    right = projector.locator("#pj-choices li.is-right")
    assert (
        "Đáp án 1" in right.inner_text() and right.locator(".pj-n").inner_text() == "1"
    )
    # The right choice got every answer: its bar grows to the tile's width.
    projector.wait_for_function(
        "() => document.querySelector('#pj-choices li.is-right .pj-bar')"
        ".getBoundingClientRect().width > 400"
    )
    projector.wait_for_selector("#pj-leaders li:has-text('An')")
    projector.screenshot(path="var/screenshots/projector-result.png")

    console.once("dialog", lambda d: d.accept())
    console.click("#quiz-end")
    projector.wait_for_selector("#pj-podium-list li:has-text('An')")
    assert projector.evaluate("document.documentElement.scrollWidth") <= 1920
    projector.screenshot(path="var/screenshots/projector-podium.png")
    s_ctx.close()
    t_ctx.close()
