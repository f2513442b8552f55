"""A finished quiz run recorded in the gradebook with one action."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assignments import selectors as assignment_selectors
from assignments.models import Assignment, Submission, SubmissionStatus
from classrooms.services import enroll_student
from live.models import QuizRunScore
from live.quiz import gradebook as quiz_gradebook
from live.quiz import services
from live.quiz.views import RECORDED
from tests.factories import ClassroomFactory, ParentLinkFactory, StudentFactory
from tests.live.quiz_support import answer, make_room

pytestmark = pytest.mark.django_db


def _play(room, *, end=True):
    """2 questions, answers after 1 s of 20: a right twice, b right then wrong,
    c never answers. A right answer after 1 s earns 975 of 1000."""
    run = services.start_quiz(
        session_id=room.session.pk, quiz_id=room.quiz.pk, user=room.teacher
    )
    a, b, _c = room.students
    for index in range(2):
        opens = timezone.now()
        services.open_next_question(
            session_id=room.session.pk, user=room.teacher, now=opens
        )
        at = opens + timedelta(seconds=1)
        b_choice = room.right(index) if index == 0 else room.wrong(index, 2)
        services.record_answers(
            [
                answer(
                    room, a, room.question(index), room.right(index), f"a{index}", at
                ),
                answer(room, b, room.question(index), b_choice, f"b{index}", at),
            ]
        )
    if end:
        services.end_quiz(session_id=room.session.pk, user=room.teacher)
    run.refresh_from_db()
    return run


@pytest.fixture
def played():
    room = make_room(students=3)
    return room, _play(room)


def _grades(assignment):
    return dict(
        Submission.objects.filter(assignment=assignment).values_list(
            "student_id", "score"
        )
    )


def test_scaled_grade_is_run_score_over_1000_per_question_rounded_to_tenth():
    assert quiz_gradebook.scaled_grade(
        run_score=1950, played=2, points=Decimal(10)
    ) == Decimal("9.8")
    assert quiz_gradebook.scaled_grade(
        run_score=975, played=2, points=Decimal(10)
    ) == Decimal("4.9")
    assert quiz_gradebook.scaled_grade(
        run_score=3000, played=3, points=Decimal(20)
    ) == Decimal(20)
    assert quiz_gradebook.scaled_grade(
        run_score=0, played=3, points=Decimal(10)
    ) == Decimal(0)


def test_run_becomes_a_closed_published_column_with_scaled_returned_grades(played):
    room, run = played
    a, b, c = room.students
    assert list(
        QuizRunScore.objects.filter(run=run)
        .order_by("rank")
        .values_list("student_id", "score")
    ) == [(a.pk, 1950), (b.pk, 975)]
    assignment = quiz_gradebook.record_quiz_run_in_gradebook(run=run, by=room.teacher)
    run.refresh_from_db()
    assert run.gradebook_assignment == assignment
    assert list(assignment.classrooms.all()) == [room.classroom]
    assert assignment.is_published and assignment.is_closed
    assert assignment.points == Decimal(10)
    assert room.quiz.title in assignment.title
    assert timezone.localtime(run.started_at).strftime("%d/%m/%Y") in assignment.title
    assert _grades(assignment) == {a.pk: Decimal("9.8"), b.pk: Decimal("4.9")}
    assert set(
        Submission.objects.filter(assignment=assignment).values_list(
            "status", flat=True
        )
    ) == {SubmissionStatus.RETURNED}


def test_recording_twice_reuses_the_column_without_duplicates(played):
    room, run = played
    first = quiz_gradebook.record_quiz_run_in_gradebook(run=run, by=room.teacher)
    second = quiz_gradebook.record_quiz_run_in_gradebook(run=run, by=room.teacher)
    assert first == second
    assert Assignment.objects.filter(classrooms=room.classroom).count() == 1
    assert Submission.objects.filter(assignment=first).count() == 2


def test_points_set_the_scale_of_a_new_column(played):
    room, run = played
    assignment = quiz_gradebook.record_quiz_run_in_gradebook(
        run=run, by=room.teacher, points=Decimal(100)
    )
    a, b, _c = room.students
    assert _grades(assignment) == {a.pk: Decimal("97.5"), b.pk: Decimal("48.8")}


def test_absent_and_departed_students_get_no_grade(played):
    room, run = played
    a, b, c = room.students
    b.enrollments.all().delete()
    assignment = quiz_gradebook.record_quiz_run_in_gradebook(run=run, by=room.teacher)
    assert set(_grades(assignment)) == {a.pk}


def test_gradebook_shows_the_run_and_leaves_the_absent_student_missing(played):
    room, run = played
    a, b, c = room.students
    assignment = quiz_gradebook.record_quiz_run_in_gradebook(run=run, by=room.teacher)
    book = assignment_selectors.gradebook_for_classroom(room.classroom)
    column = book.assignments.index(assignment)
    scores = {row["student"].pk: row["cells"][column]["score"] for row in book.rows}
    assert scores == {a.pk: Decimal("9.8"), b.pk: Decimal("4.9"), c.pk: None}
    absent = assignment_selectors.assignment_list_for_student(c)["todo"]
    assert [(r["assignment"], r["state"]) for r in absent] == [(assignment, "missing")]


def test_student_and_parent_see_the_returned_quiz_grade(played, client):
    room, run = played
    a = room.students[0]
    parent = ParentLinkFactory(student=a).parent
    assignment = quiz_gradebook.record_quiz_run_in_gradebook(run=run, by=room.teacher)
    submission = Submission.objects.get(assignment=assignment, student=a)
    returned = assignment_selectors.assignment_list_for_student(a)["returned"]
    assert [r["submission"] for r in returned] == [submission]
    for viewer in (a, parent):
        client.force_login(viewer)
        page = client.get(reverse("assignments:submission", args=[submission.pk]))
        assert page.status_code == 200
        assert page.context["show_grade"] is True
        # Vietnamese pages write 9,80; English ones 9.80.
        assert re.search(r"<strong>9[,.]80?</strong>", page.content.decode())


def test_running_run_is_not_recorded(db):
    room = make_room(students=3)
    run = _play(room, end=False)
    with pytest.raises(
        ValidationError, match=re.escape(str(quiz_gradebook.RUN_NOT_ENDED))
    ):
        quiz_gradebook.record_quiz_run_in_gradebook(run=run, by=room.teacher)
    assert not Assignment.objects.exists()


def test_other_teacher_and_student_are_refused(played):
    room, run = played
    for user in (ClassroomFactory().homeroom_teacher, room.students[0]):
        with pytest.raises(PermissionDenied):
            quiz_gradebook.record_quiz_run_in_gradebook(run=run, by=user)
    assert not Assignment.objects.exists()


def _record_url(run):
    return reverse("live:quiz-run-record-grades", args=[run.pk])


def test_teacher_records_with_one_post_and_a_second_post_does_not_duplicate(
    played, client
):
    room, run = played
    client.force_login(room.teacher)
    page = client.get(reverse("live:quiz-run-results", args=[run.pk]))
    assert _record_url(run) in page.content.decode()
    response = client.post(_record_url(run), follow=True)
    assert response.redirect_chain == [
        (reverse("live:quiz-run-results", args=[run.pk]), 302)
    ]
    assert str(RECORDED) in response.content.decode()
    assert (
        reverse("assignments:gradebook", args=[room.classroom.pk])
        in response.content.decode()
    )
    client.post(_record_url(run))
    assert Assignment.objects.count() == 1
    assert Submission.objects.count() == 2


def test_post_on_a_running_run_shows_the_error_and_records_nothing(db, client):
    room = make_room(students=3)
    run = _play(room, end=False)
    client.force_login(room.teacher)
    response = client.post(_record_url(run), follow=True)
    assert str(quiz_gradebook.RUN_NOT_ENDED) in response.content.decode()
    assert not Assignment.objects.exists()


def test_other_teacher_student_and_outsider_get_404(played, client):
    room, run = played
    outsider = StudentFactory()
    enroll_student(classroom=ClassroomFactory(), student=outsider)
    for user in (ClassroomFactory().homeroom_teacher, room.students[0], outsider):
        client.force_login(user)
        assert client.post(_record_url(run)).status_code == 404
    assert not Assignment.objects.exists()


def test_record_action_refuses_get_and_needs_csrf(played, client):
    room, run = played
    client.force_login(room.teacher)
    assert client.get(_record_url(run)).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(room.teacher)
    assert strict.post(_record_url(run)).status_code == 403
    assert not Assignment.objects.exists()
