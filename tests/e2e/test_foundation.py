"""
In a real browser: a teacher creates a class and sees its join code; a
student on a phone-sized screen signs in, enters the code and sees the class.
"""

import re

import pytest

from classrooms.models import Classroom
from tests.factories import SchoolFactory, StudentFactory, TeacherFactory
from tests.factories.accounts import TEST_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _fits_the_screen(page) -> bool:
    width = page.evaluate("document.documentElement.scrollWidth")
    return width <= page.viewport_size["width"]


def test_teacher_creates_a_class_and_a_student_joins_it_on_a_phone(
    live_server, desktop_page, phone_page, log_in
):
    teacher = TeacherFactory(display_name="Nguyễn Thị Lan")
    SchoolFactory(name="Trường THCS Nguyễn Du").staff.add(teacher)
    student = StudentFactory(display_name="Trần Minh Khôi")

    log_in(desktop_page, teacher.username, TEST_PASSWORD)
    desktop_page.click("main >> text=Tạo lớp")
    desktop_page.fill("input[name=name]", "6E")
    desktop_page.fill("input[name=grade]", "6")
    desktop_page.fill("input[name=school_year]", "2026-2027")
    desktop_page.click("main button[type=submit]")
    desktop_page.wait_for_url(re.compile(r"/classes/\d+/$"))
    shown_code = desktop_page.inner_text("[data-testid=join-code]").strip()
    classroom = Classroom.objects.get(name="6E")
    assert shown_code == classroom.join_code

    log_in(phone_page, student.username, TEST_PASSWORD)
    assert _fits_the_screen(phone_page)
    phone_page.fill("#join-class input[name=code]", shown_code.lower())
    phone_page.click("#join-class button[type=submit]")
    phone_page.wait_for_url(f"{live_server.url}/classes/{classroom.pk}/")
    assert "Lớp 6E" in phone_page.inner_text("h1")
    assert _fits_the_screen(phone_page)
    assert classroom.enrollments.filter(student=student).exists()

    desktop_page.goto(f"{live_server.url}/classes/{classroom.pk}/students/")
    assert "Trần Minh Khôi" in desktop_page.inner_text("table.roster")


def test_wrong_code_on_a_phone_shows_a_message(live_server, phone_page, log_in):
    student = StudentFactory()
    log_in(phone_page, student.username, TEST_PASSWORD)
    phone_page.fill("#join-class input[name=code]", "ZZZZZZ")
    phone_page.click("#join-class button[type=submit]")
    assert "Mã lớp không đúng" in phone_page.inner_text("main")
    assert _fits_the_screen(phone_page)
