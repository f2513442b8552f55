import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from classrooms.services import enroll_student
from live.rooms.services import read_ticket
from tests.factories import LiveSessionFactory, StudentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(classroom):
    for name in ("hs.an", "hs.binh"):
        enroll_student(classroom=classroom, student=StudentFactory(username=name))
    StudentFactory(username="hs.khac")
    return LiveSessionFactory(classroom=classroom)


def run(*args) -> list[dict]:
    out = StringIO()
    call_command("live_tickets", *args, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_all_prints_the_teachers_and_every_student(session, teacher):
    lines = run(str(session.pk), "--users", "all")
    assert [(x["username"], x["role"]) for x in lines] == [
        (teacher.username, "teacher"),
        ("hs.an", "student"),
        ("hs.binh", "student"),
    ]
    for line in lines:
        assert set(line) == {"user_id", "username", "role", "ticket", "expires_at"}
        assert read_ticket(line["ticket"]) == (line["user_id"], session.pk)


def test_some_users_and_ttl(session):
    lines = run(str(session.pk), "--users", "hs.binh", "--ttl", "60")
    assert [x["username"] for x in lines] == ["hs.binh"]


def test_outsider_or_unknown_session_is_a_clear_error(session):
    with pytest.raises(CommandError, match="hs.khac"):
        run(str(session.pk), "--users", "hs.khac")
    with pytest.raises(CommandError):
        run(str(session.pk + 100))
