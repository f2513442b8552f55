"""``seed_loadtest``: a class of N students, an open session, a 5-question quiz."""

import io
import json

import pytest
from django.core.management import call_command

from accounts.models import User
from assignments.models import Quiz
from classrooms.models import Enrollment
from live.models import LiveSession
from live.quiz import services

pytestmark = pytest.mark.django_db


def test_seed_loadtest_creates_a_playable_class_and_prints_one_json_line():
    out = io.StringIO()
    call_command("seed_loadtest", students=40, password="mat-khau-tai", stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert len(lines) == 1
    data = json.loads(lines[0])
    session = LiveSession.objects.get(pk=data["session_id"])
    assert session.status == "live"
    assert Enrollment.objects.filter(classroom=session.classroom).count() == 40
    students = User.objects.filter(enrollments__classroom=session.classroom)
    # One hash shared by all, and it is a real one: the password logs in.
    assert students.values("password").distinct().count() == 1
    assert students.first().check_password("mat-khau-tai")
    quiz = Quiz.objects.get(pk=data["quiz_id"])
    teacher = session.classroom.homeroom_teacher
    assert quiz.owner == teacher
    run = services.start_quiz(session_id=session.pk, quiz_id=quiz.pk, user=teacher)
    assert run.question_count == 5


def test_seed_loadtest_twice_makes_two_separate_classes():
    first, second = io.StringIO(), io.StringIO()
    call_command("seed_loadtest", students=3, stdout=first)
    call_command("seed_loadtest", students=3, stdout=second)
    a, b = json.loads(first.getvalue()), json.loads(second.getvalue())
    assert a["session_id"] != b["session_id"]
    assert User.objects.students().count() == 6
