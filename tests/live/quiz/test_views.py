"""Results pages: teachers of the class, the student and their parents."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from live.quiz import services
from tests.factories import ClassroomFactory, ParentLinkFactory, TeacherFactory
from tests.live.quiz_support import answer, make_room

pytestmark = pytest.mark.django_db


@pytest.fixture
def played():
    """A finished 2-question run: a right twice, b right then wrong, c absent."""
    room = make_room(students=3)
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
        services.record_answers(
            [
                answer(
                    room, a, room.question(index), room.right(index), f"a{index}", at
                ),
                answer(
                    room,
                    b,
                    room.question(index),
                    room.right(index) if index == 0 else room.wrong(index, 2),
                    f"b{index}",
                    at,
                ),
            ]
        )
    services.end_quiz(session_id=room.session.pk, user=room.teacher)
    return room, run


def test_teacher_sees_share_correct_most_chosen_wrong_and_scores(client, played):
    room, run = played
    client.force_login(room.teacher)
    response = client.get(reverse("live:quiz-run-results", args=[run.pk]))
    assert response.status_code == 200
    questions = response.context["questions"]
    assert [(q.share_correct, q.answered) for q in questions] == [(100, 2), (50, 2)]
    assert questions[1].most_chosen_wrong == room.wrong(1, 2).text
    scores = list(response.context["scores"])
    assert [s.student_id for s in scores] == [room.students[0].pk, room.students[1].pk]
    assert scores[0].score > scores[1].score > 0
    assert room.students[0].display_name in response.content.decode()


def test_teacher_of_another_class_gets_404(client, played):
    _room, run = played
    client.force_login(ClassroomFactory().homeroom_teacher)
    assert (
        client.get(reverse("live:quiz-run-results", args=[run.pk])).status_code == 404
    )
    client.force_login(TeacherFactory())
    assert client.get(reverse("live:quiz-run-list")).context["runs"].count() == 0


def test_student_cannot_see_class_results(client, played):
    room, run = played
    client.force_login(room.students[0])
    assert (
        client.get(reverse("live:quiz-run-results", args=[run.pk])).status_code == 404
    )


def test_student_sees_own_result_and_not_a_classmates(client, played):
    room, run = played
    a, b, _c = room.students
    client.force_login(b)
    own = client.get(reverse("live:quiz-student-result", args=[run.pk, b.pk]))
    assert own.status_code == 200
    assert [row["correct"] for row in own.context["result"]["answers"]] == [True, False]
    assert own.context["result"]["rank"] == 2
    other = client.get(reverse("live:quiz-student-result", args=[run.pk, a.pk]))
    assert other.status_code == 404
    assert client.get(reverse("live:quiz-student-runs", args=[a.pk])).status_code == 404


def test_parent_sees_their_childs_result_only(client, played):
    room, run = played
    a, b, _c = room.students
    link = ParentLinkFactory(student=a)
    client.force_login(link.parent)
    runs = client.get(reverse("live:quiz-student-runs", args=[a.pk]))
    assert list(runs.context["runs"]) == [run]
    assert (
        client.get(reverse("live:quiz-student-result", args=[run.pk, a.pk])).status_code
        == 200
    )
    assert (
        client.get(reverse("live:quiz-student-result", args=[run.pk, b.pk])).status_code
        == 404
    )


def test_absent_student_has_no_result_page(client, played):
    room, run = played
    absent = room.students[2]
    client.force_login(absent)
    assert (
        client.get(
            reverse("live:quiz-student-result", args=[run.pk, absent.pk])
        ).status_code
        == 404
    )


def test_anonymous_is_sent_to_login(client, played):
    _room, run = played
    response = client.get(reverse("live:quiz-run-results", args=[run.pk]))
    assert response.status_code == 302
