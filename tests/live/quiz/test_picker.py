"""The room's quiz picker (#13): one entry per quiz, no two alike.

In the demo, a class's homeroom teacher and its subject teacher each own a
quiz named "Ôn tập phân số": the picker listed two identical entries.
"""

import re

import pytest
from django.urls import reverse

from live.quiz.selectors import startable_quizzes
from tests.factories import TeacherFactory
from tests.live.quiz_support import make_quiz, make_room

pytestmark = pytest.mark.django_db


def picker_options(client, room, teacher) -> list[tuple[str, str]]:
    client.force_login(teacher)
    html = client.get(reverse("live:room", args=[room.session.pk])).content.decode()
    select = html.split('id="quiz-select"', 1)[1].split("</select>", 1)[0]
    return re.findall(r'<option value="(\d+)">([^<]*)</option>', select)


def test_two_teachers_quizzes_of_the_same_title_read_apart_in_the_picker(client):
    room = make_room(students=1)
    colleague = TeacherFactory(display_name="Thầy Phạm Minh")
    room.classroom.teachers.add(colleague)
    room.quiz.title = "Ôn tập phân số"
    room.quiz.save()
    theirs = make_quiz(colleague, title="Ôn tập phân số")

    options = picker_options(client, room, room.teacher)

    assert [int(pk) for pk, _label in options] == [room.quiz.pk, theirs.pk]
    labels = [label for _pk, label in options]
    assert len(set(labels)) == len(labels) == 2
    assert labels == ["Ôn tập phân số", "Ôn tập phân số · Thầy Phạm Minh"]


def test_one_teachers_two_quizzes_of_one_title_are_numbered_and_empty_ones_left_out():
    room = make_room(students=1)
    room.quiz.title = "Kiểm tra nhanh"
    room.quiz.save()
    second = make_quiz(room.teacher, title="Kiểm tra nhanh")
    make_quiz(room.teacher, questions=0, title="Chưa có câu hỏi")

    choices = startable_quizzes(room.session, room.teacher)

    assert {c.pk for c in choices} == {room.quiz.pk, second.pk}
    assert sorted(c.label for c in choices) == [
        "Kiểm tra nhanh (1)",
        "Kiểm tra nhanh (2)",
    ]
