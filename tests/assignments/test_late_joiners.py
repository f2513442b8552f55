"""
A pupil who joins a class after its homework was set is not marked as having
missed it when the due date passes, unless the teacher made it required.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assignments import selectors
from classrooms.services import enroll_student
from families.selectors import child_overview
from tests.factories import StudentFactory

from .conftest import make_assignment, submit

pytestmark = pytest.mark.django_db

# The world's pupils joined today; the homework is set a month later.
SET = timezone.now().replace(microsecond=0) + timedelta(days=30)
DUE = SET + timedelta(days=3)


@pytest.fixture
def late_week(world, time_machine):
    """Homework set on Monday for C1; a new pupil joins C1 on Tuesday."""
    time_machine.move_to(SET)
    homework = make_assignment(world.T1, [world.C1], due_at=DUE)
    required = make_assignment(
        world.T1,
        [world.C1],
        due_at=DUE,
        title="Bài bắt buộc cho mọi em",
        required_for_late_joiners=True,
    )
    time_machine.move_to(SET + timedelta(days=1))
    newcomer = StudentFactory(display_name="Đinh Quang Vinh")
    enroll_student(classroom=world.C1, student=newcomer)
    time_machine.move_to(DUE + timedelta(days=1))
    return homework, required, newcomer


def states(queue):
    return {row.student.display_name: row.state for row in queue.rows}


def test_late_joiner_is_excused_but_earlier_pupils_are_missing(world, late_week):
    homework, _required, newcomer = late_week
    queue = selectors.grading_queue(world.T1, homework)
    assert states(queue) == {
        world.S1.display_name: selectors.MISSING,
        world.S2.display_name: selectors.MISSING,
        newcomer.display_name: selectors.EXCUSED,
    }
    assert queue.counts()["missing"] == 2
    assert queue.counts()["excused"] == 1


def test_homework_the_teacher_made_required_counts_late_joiners_missing(
    world, late_week
):
    _homework, required, newcomer = late_week
    queue = selectors.grading_queue(world.T1, required)
    assert states(queue)[newcomer.display_name] == selectors.MISSING


def test_late_joiner_who_hands_in_anyway_shows_as_late(world, late_week):
    homework, _required, newcomer = late_week
    submit(homework, newcomer)
    queue = selectors.grading_queue(world.T1, homework)
    assert states(queue)[newcomer.display_name] == "late"


def test_pupil_already_in_another_class_of_the_homework_is_not_excused(
    world, time_machine
):
    """Joining a second class later does not excuse work set for the first."""
    time_machine.move_to(SET)
    homework = make_assignment(world.A1, [world.C1, world.C2], due_at=DUE)
    time_machine.move_to(SET + timedelta(days=1))
    enroll_student(classroom=world.C2, student=world.S1)
    time_machine.move_to(DUE + timedelta(days=1))
    groups = selectors.assignment_list_for_student(world.S1)
    assert [r["state"] for r in groups["todo"]] == [selectors.MISSING]
    assert groups["optional"] == []
    assert homework


def test_student_sees_excused_work_as_optional_not_to_do(world, late_week, as_user):
    homework, required, newcomer = late_week
    response = as_user(newcomer).get(reverse("assignments:list"))
    groups = response.context["groups"]
    assert [r["assignment"] for r in groups["optional"]] == [homework]
    assert [r["assignment"] for r in groups["todo"]] == [required]
    body = response.content.decode()
    assert "Không bắt buộc: giao trước khi em vào lớp" in body
    home = selectors.home_context(newcomer)["homework_due"]
    assert [r["assignment"] for r in home] == [required]


def test_parent_of_a_late_joiner_is_not_told_the_work_is_missing(world, time_machine):
    time_machine.move_to(SET)
    homework = make_assignment(world.T2, [world.C2], due_at=DUE, title="Bài lớp 6A2")
    time_machine.move_to(SET + timedelta(days=1))
    enroll_student(classroom=world.C2, student=world.S1)  # P1's child moves in
    time_machine.move_to(DUE + timedelta(days=1))
    overview = child_overview(world.S1)
    assert homework not in [r["assignment"] for r in overview.missing]
    assert homework not in [r["assignment"] for r in overview.upcoming]


def test_grading_queue_page_counts_the_excused(world, late_week, as_user):
    homework, _required, _newcomer = late_week
    response = as_user(world.T1).get(reverse("assignments:queue", args=[homework.pk]))
    body = response.content.decode()
    assert "Không bắt buộc (vào lớp sau)" in body
    assert "Chưa nộp: 2" in body


def test_teacher_can_make_homework_required_for_late_joiners(world, as_user):
    response = as_user(world.T1).post(
        reverse("assignments:create"),
        {
            "title": "Ôn tập cả lớp",
            "classrooms": [world.C1.pk],
            "kind": "upload",
            "points": "10",
            "due_at": "2030-01-01T20:00",
            "late_policy": "accept",
            "required_for_late_joiners": "on",
            "publish": "on",
        },
    )
    assert response.status_code == 302
    homework = world.C1.assignments.get(title="Ôn tập cả lớp")
    assert homework.required_for_late_joiners is True
