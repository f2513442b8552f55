"""Attendance time counting, tickets, chat idempotency, removal."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from classrooms.services import enroll_student
from live.models import Attendance, ChatMessage
from live.rooms import services
from tests.factories import LiveSessionFactory, StudentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(classroom):
    return LiveSessionFactory(classroom=classroom)


def test_attendance_counts_time_once_per_user_across_two_sockets(session, student):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        services.record_join(session_id=session.pk, user_id=student.pk)
        clock.shift(timedelta(minutes=5))
        services.record_join(session_id=session.pk, user_id=student.pk)  # 2nd tab
        clock.shift(timedelta(minutes=5))
        services.record_leave(session_id=session.pk, user_id=student.pk)
        clock.shift(timedelta(minutes=5))
        services.record_leave(session_id=session.pk, user_id=student.pk)
        clock.shift(timedelta(minutes=30))
        services.record_join(session_id=session.pk, user_id=student.pk)
        clock.shift(timedelta(minutes=2))
        services.record_leave(session_id=session.pk, user_id=student.pk)
    row = Attendance.objects.get(session=session, user=student)
    assert row.connected_seconds == 17 * 60
    assert row.first_joined_at == start
    assert row.last_left_at == start + timedelta(minutes=47)
    assert row.open_sockets == 0


def test_ticket_names_user_and_session_and_expires(session, student):
    issued = services.issue_ticket(user=student, session=session, ttl=30)
    assert services.read_ticket(issued["ticket"]) == (student.pk, session.pk)
    with time_machine.travel(timezone.now() + timedelta(seconds=31)):
        assert services.read_ticket(issued["ticket"]) is None
    assert services.read_ticket(issued["ticket"] + "x") is None
    assert services.read_ticket("") is None


def test_chat_with_the_same_client_id_is_stored_once(session, teacher):
    first = services.post_chat_message(
        session_id=session.pk, author_id=teacher.pk, text="Chào", client_id="c1"
    )
    again = services.post_chat_message(
        session_id=session.pk, author_id=teacher.pk, text="Chào", client_id="c1"
    )
    assert first.pk == again.pk and ChatMessage.objects.count() == 1


def test_only_the_teacher_removes_and_only_students(session, teacher, classroom):
    student = StudentFactory()
    enroll_student(classroom=classroom, student=student)
    with pytest.raises(PermissionDenied):
        services.remove_participant(
            session_id=session.pk, user_id=teacher.pk, by=student
        )
    assert not services.remove_participant(
        session_id=session.pk, user_id=teacher.pk, by=teacher
    )
    assert services.remove_participant(
        session_id=session.pk, user_id=student.pk, by=teacher
    )
    assert Attendance.objects.get(user=student).removed_at is not None


def test_class_roster_lists_people_in_vietnamese_order_not_by_code_point(session):
    """By given name (tên), and Đ after D, not by code point of the full name."""
    for name in ("Lê Văn Đức", "Nguyễn Văn Bình", "Trần Thị Anh", "Phạm Dũng"):
        enroll_student(
            classroom=session.classroom, student=StudentFactory(display_name=name)
        )
    names = [
        row["name"]
        for row in services.class_roster(session_id=session.pk)
        if row["role"] == "student"
    ]
    assert names == ["Trần Thị Anh", "Nguyễn Văn Bình", "Phạm Dũng", "Lê Văn Đức"]
