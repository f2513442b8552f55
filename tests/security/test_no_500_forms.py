"""
No 500 for anything a user can send (issue #12, build 4): numbers and dates.

Catalogue rows: "Bad inputs" (figures table: 0 5xx for any form input) and
WS-10's NaN / huge numbers, for the HTTP forms that teachers and pupils post.
"""

from decimal import Decimal

import pytest

from assignments.forms import AssignmentForm, GradeForm, QuestionForm
from assignments.models import Quiz
from classrooms.models import Classroom
from live.rooms.forms import LiveSessionForm

NOT_FINITE = ["NaN", "nan", "sNaN", "Infinity", "-Infinity", "inf", "-inf", "1e999"]


def assignment_form(world, **data):
    base = {
        "title": "Bài tập tuần 3",
        "classrooms": [world.C1.pk],
        "kind": "upload",
        "points": "10",
        "due_at": "2030-05-01T08:00",
        "late_policy": "accept",
    }
    base.update(data)
    return AssignmentForm(
        data=base,
        classrooms=Classroom.objects.filter(pk=world.C1.pk),
        quizzes=Quiz.objects.none(),
        user=world.T1,
    )


@pytest.mark.parametrize("points", NOT_FINITE)
def test_rubric_line_with_a_non_finite_number_is_a_form_error(world, points):
    """Bad inputs: "Trình bày: NaN" used to raise InvalidOperation (a 500)."""
    form = assignment_form(world, rubric=f"Nội dung: 3\nTrình bày: {points}")
    assert not form.is_valid()
    assert "rubric" in form.errors


def test_a_good_rubric_still_parses(world):
    form = assignment_form(world, rubric="Nội dung: 3\nTrình bày: 2,5")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["rubric"] == [
        {"name": "Nội dung", "points": "3"},
        {"name": "Trình bày", "points": "2.5"},
    ]


@pytest.mark.parametrize("value", NOT_FINITE)
def test_numeric_fields_refuse_non_finite_numbers(world, value):
    """Bad inputs: every DecimalField/IntegerField a user posts."""
    assert "points" in assignment_form(world, points=value).errors
    grade = GradeForm(
        data={"score": value, "rubric_0": value},
        rubric=[{"name": "Nội dung", "points": "3"}],
    )
    assert {"score", "rubric_0"} <= set(grade.errors)
    question = QuestionForm(
        data={
            "kind": "numeric",
            "text": "2 + 2?",
            "numeric_answer": value,
            "tolerance": value,
            "points": value,
        }
    )
    assert {"numeric_answer", "tolerance", "points"} <= set(question.errors)


@pytest.mark.parametrize(
    "when", ["0001-01-01T00:00", "9999-12-31T23:59", "1899-03-01T10:00"]
)
def test_assignment_dates_outside_a_sane_range_are_form_errors(world, when, settings):
    """Bad inputs: a date in year 1 in due_at/opens_at used to overflow (500)."""
    form = assignment_form(world, due_at=when, opens_at=when)
    assert not form.is_valid()
    assert {"due_at", "opens_at"} <= set(form.errors)


@pytest.mark.parametrize("when", ["0001-01-01T00:00", "9999-12-31T23:59"])
def test_live_session_date_outside_a_sane_range_is_a_form_error(world, when):
    """Bad inputs: scheduled_at in year 1 used to overflow (500)."""
    form = LiveSessionForm(
        data={"classroom": world.C1.pk, "title": "Ôn tập", "scheduled_at": when},
        classrooms=Classroom.objects.filter(pk=world.C1.pk),
        user=world.T1,
    )
    assert not form.is_valid()
    assert "scheduled_at" in form.errors


def test_sane_dates_still_accepted(world):
    form = assignment_form(
        world, due_at="2030-05-01T08:00", opens_at="2030-04-01T08:00"
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["points"] == Decimal("10")
