"""
A realtime quiz in real browsers: the teacher runs a 2-question quiz, two
students on 360×740 phones answer, one student's connection drops and comes
back mid-question and still sees their answer (from the server, not from
the phone's storage), and the podium shows the right order.

pytest-django's ``live_server`` speaks WSGI only, so the site (pages,
static files and WebSockets) is served here by uvicorn in a thread of the
test process, against the same test database.
"""

import pytest

from classrooms.services import enroll_student
from live.models import LiveSession, QuizRunAnswer, SessionStatus
from live.quiz.scoring import nickname
from tests.e2e.conftest import PHONE_VIEWPORT, login
from tests.factories import ClassroomFactory, StudentFactory, TeacherFactory
from tests.factories.accounts import TEST_PASSWORD
from tests.live.quiz_support import make_quiz

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def phone(browser):
    context = browser.new_context(
        viewport=PHONE_VIEWPORT, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    return context, page


def enter_room(page, server, session):
    page.goto(f"{server.url}/live/{session.pk}/")
    page.wait_for_selector("#live-conn.conn-on")


def answer(page, text):
    page.locator(".quiz-choice", has_text=text).click()
    page.wait_for_selector("#quiz-status:has-text('Đã ghi nhận')")


def test_teacher_runs_a_quiz_students_answer_on_phones_and_see_the_podium(
    asgi_server, browser, desktop_page
):
    teacher = TeacherFactory(display_name="Cô Lê Thu Hà")
    classroom = ClassroomFactory(homeroom_teacher=teacher, name="6A")
    an = StudentFactory(display_name="Nguyễn Văn An")
    binh = StudentFactory(display_name="Trần Thị Bình")
    for student in (an, binh):
        enroll_student(classroom=classroom, student=student)
    session = LiveSession.objects.create(
        classroom=classroom,
        title="Toán 6A",
        scheduled_at="2026-11-22T08:00Z",
        status=SessionStatus.LIVE,
        created_by=teacher,
    )
    quiz = make_quiz(teacher, questions=2, time_limit=60, title="Ôn phân số")
    server = asgi_server

    login(desktop_page, server, teacher.username, TEST_PASSWORD)
    enter_room(desktop_page, server, session)
    phones = {}
    for student in (an, binh):
        context, page = phone(browser)
        login(page, server, student.username, TEST_PASSWORD)
        enter_room(page, server, session)
        phones[student.pk] = (context, page)
    an_page, binh_page = phones[an.pk][1], phones[binh.pk][1]

    desktop_page.select_option("#quiz-select", str(quiz.pk))
    desktop_page.click("#quiz-start")  # also opens the first question
    an_page.wait_for_selector("#quiz-title:has-text('Ôn phân số')")
    for page in (an_page, binh_page):
        page.wait_for_selector("#quiz-text:has-text('Câu 1')")

    # Question 1: An right ("Đáp án 1"), Bình wrong, then Bình's link drops.
    answer(an_page, "Đáp án 1")
    answer(binh_page, "Đáp án 3")
    desktop_page.wait_for_selector("#quiz-progress:has-text('2/2')")
    binh_context = phones[binh.pk][0]
    binh_page.evaluate("localStorage.clear()")
    binh_page.close()
    binh_page = binh_context.new_page()
    binh_page.set_default_timeout(20_000)
    enter_room(binh_page, server, session)
    mine = binh_page.locator(".quiz-choice.is-mine")
    assert mine.inner_text().strip() == "Đáp án 3"
    assert "Đã ghi nhận" in binh_page.inner_text("#quiz-status")
    assert binh_page.locator(".quiz-choice:not([disabled])").count() == 0

    desktop_page.click("#quiz-reveal")
    an_page.wait_for_selector("#quiz-you:has-text('Đúng')")
    binh_page.wait_for_selector("#quiz-you:has-text('Chưa đúng')")
    assert (
        binh_page.locator(".quiz-choice.is-right").inner_text().startswith("Đáp án 1")
    )

    # Question 2: both right, Bình first; An still wins on points.
    desktop_page.click("#quiz-next")
    binh_page.wait_for_selector("#quiz-text:has-text('Câu 2')")
    an_page.wait_for_selector("#quiz-text:has-text('Câu 2')")
    answer(binh_page, "Đáp án 1")
    answer(an_page, "Đáp án 1")
    desktop_page.click("#quiz-end")
    for page in (an_page, binh_page):
        page.wait_for_selector("#quiz-podium:not([hidden])")
        names = page.locator("#quiz-podium-list li").all_inner_texts()
        assert [n.split(" — ")[0] for n in names] == [
            nickname(an.display_name),
            nickname(binh.display_name),
        ]
        assert "Nguyễn Văn An" not in page.inner_text("#quiz-podium")

    assert QuizRunAnswer.objects.filter(student=binh).count() == 2
    assert QuizRunAnswer.objects.filter(student=an, correct=True).count() == 2
    for context, _page in phones.values():
        context.close()
