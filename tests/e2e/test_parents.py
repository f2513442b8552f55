"""
A parent on a 360×740 phone logs in, sees the child's overdue homework, and
the notification bell updates without a reload when the teacher returns a
grade in another browser.

pytest-django's ``live_server`` speaks WSGI only, so the site (pages, static
files and the bell's WebSocket) is served by uvicorn in a thread of the test
process, against the same test database (as in ``test_quiz.py``).
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from assignments import services as homework
from classrooms.services import enroll_student
from tests.e2e.conftest import login
from tests.factories import (
    AssignmentFactory,
    ClassroomFactory,
    ParentFactory,
    ParentLinkFactory,
    StudentFactory,
    TeacherFactory,
)
from tests.factories.accounts import TEST_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_parent_sees_overdue_homework_and_a_live_notification_on_return(
    asgi_server, phone_page, desktop_page
):
    teacher = TeacherFactory(display_name="Cô Nguyễn Thu Hà")
    classroom = ClassroomFactory(homeroom_teacher=teacher, name="6A")
    child = StudentFactory(display_name="Trần Minh Khoa")
    enroll_student(classroom=classroom, student=child)
    parent = ParentFactory(display_name="Trần Văn Hùng")
    ParentLinkFactory(parent=parent, student=child)
    overdue = AssignmentFactory(
        title="Bài Toán chương 2", due_at=timezone.now() - timedelta(days=1)
    )
    overdue.classrooms.set([classroom])
    essay = AssignmentFactory(
        title="Bài Văn tả cảnh", due_at=timezone.now() + timedelta(days=2)
    )
    essay.classrooms.set([classroom])
    submission = homework.submit_assignment(
        assignment=essay, student=child, idempotency_key="e2e", text="Bài làm của em"
    )

    # The parent, on a phone, sees the overdue homework on their home.
    login(phone_page, asgi_server, parent.username, TEST_PASSWORD)
    card = phone_page.locator(".card", has_text="Trần Minh Khoa")
    assert "Bài Toán chương 2" in card.locator(".overdue").inner_text()
    # The child's card fits a 360 px screen (the whole page is the home's
    # concern: other apps add sections to it).
    box = card.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    phone_page.wait_for_selector("[data-notification-bell][data-live='1']")
    count = phone_page.locator("[data-bell-count]")
    assert count.is_hidden()
    phone_page.evaluate("window.lophocNoReload = true")

    # The teacher grades and returns the essay in another browser.
    login(desktop_page, asgi_server, teacher.username, TEST_PASSWORD)
    desktop_page.goto(f"{asgi_server.url}/homework/submissions/{submission.pk}/")
    desktop_page.fill("#id_score", "8")
    desktop_page.fill("#id_comment", "Bài viết giàu hình ảnh.")
    desktop_page.click("button[name=return]")
    desktop_page.wait_for_selector(".message-success")

    # The parent's bell updates without a reload.
    phone_page.wait_for_selector("[data-bell-count]:not([hidden])")
    assert count.inner_text() == "1"
    assert "Bài Văn tả cảnh" in phone_page.inner_text("[data-bell-toast]")
    assert phone_page.evaluate("window.lophocNoReload") is True

    # Following the bell shows the notification in the list.
    phone_page.click("[data-notification-bell]")
    phone_page.wait_for_url("**/notifications/")
    assert "Bài Văn tả cảnh" in phone_page.inner_text(".notification-list")
    submission.refresh_from_db()
    assert submission.score == Decimal(8)
