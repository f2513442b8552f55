"""
Issue #11 as its users meet it: a second school beside the demo that
``make run`` serves. Its teacher, on a phone and through the links the pages
offer, schedules a live session and sets homework: neither lesson picker
offers a lesson of the demo school, and a demo lesson's address is the 404
page. A demo pupil who types the second school's join code is told, in
Vietnamese, that the class is closed to pupils of other schools, and is not
enrolled.
"""

from pathlib import Path

import pytest
from django.urls import reverse

from classrooms.models import Enrollment
from classrooms.services import enroll_student
from courses.models import LessonPage
from tests.e2e.conftest import login, seed_demo
from tests.factories import (
    ClassroomFactory,
    SchoolFactory,
    StudentFactory,
    TeacherFactory,
)
from tests.factories.accounts import TEST_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def _lesson_options(page):
    return [
        text.strip()
        for text in page.locator("select[name=lesson] option").all_inner_texts()
    ]


def test_a_second_school_beside_the_demo_reaches_nothing_of_it(live_server, phone_page):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    seed_demo()
    demo_lessons = list(LessonPage.objects.live().values_list("title", flat=True))
    demo_lesson = LessonPage.objects.live().first()
    assert demo_lessons
    school = SchoolFactory(name="Trường THCS Bình Minh", slug="thcs-binh-minh")
    teacher = TeacherFactory(display_name="Đỗ Thị Loan")
    school.staff.add(teacher)
    classroom = ClassroomFactory(
        school=school, homeroom_teacher=teacher, name="7B1", join_code="BMK7Q2"
    )
    enroll_student(classroom=classroom, student=StudentFactory())

    page = phone_page
    login(page, live_server, teacher.username, TEST_PASSWORD)
    page.locator("a", has_text="7B1").first.click()
    page.locator("a", has_text="Lên lịch").first.click()
    page.wait_for_selector("select[name=lesson]")
    offered = _lesson_options(page)
    page.screenshot(path=f"{SCREENSHOTS}/two-schools-live-form.png", full_page=True)
    assert not [title for title in demo_lessons if title in offered], offered

    page.goto(f"{live_server.url}/")
    page.locator("a", has_text="Giao bài tập").first.click()
    page.wait_for_selector("select[name=lesson]")
    offered = _lesson_options(page)
    assert not [title for title in demo_lessons if title in offered], offered

    response = page.goto(f"{live_server.url}{demo_lesson.url}")
    assert response.status == 404
    assert demo_lesson.title not in page.content()

    # A demo pupil types the other school's code.
    page.context.clear_cookies()
    login(page, live_server, "hs6a01", "lophoc-demo")
    join = page.locator("#join-class form")  # the pupil's home offers it
    join.locator("input[name=code]").fill("BMK7Q2")
    join.locator("button[type=submit]").click()
    page.wait_for_load_state()
    page.screenshot(path=f"{SCREENSHOTS}/two-schools-join-refused.png", full_page=True)
    assert "không nhận học sinh ngoài trường" in page.content()
    assert not Enrollment.objects.filter(
        classroom=classroom, student__username="hs6a01"
    ).exists()
    assert page.url.startswith(live_server.url + reverse("classrooms:join-classroom"))
