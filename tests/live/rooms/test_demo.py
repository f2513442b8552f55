from io import StringIO

import pytest

from classrooms import demo as school_demo
from courses import demo as courses_demo
from live.models import Attendance, LiveSession, SessionStatus
from live.rooms import demo
from live.rooms.slides import slide_count
from tests.factories import ensure_wagtail_tree

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent_and_prints_the_open_session():
    school = school_demo.seed()
    out = StringIO()
    demo.seed(school, out)
    demo.seed(school, StringIO())
    sessions = LiveSession.objects.filter(classroom__name="6A")
    assert sessions.count() == 3
    live = sessions.get(status=SessionStatus.LIVE)
    assert f"id {live.pk}" in out.getvalue()
    assert sessions.filter(status=SessionStatus.SCHEDULED).count() == 1
    past = sessions.get(status=SessionStatus.ENDED)
    assert (
        Attendance.objects.filter(session=past).count()
        == len(school.students["6A"]) - 2
    )


def test_demo_open_session_shows_the_fractions_lesson_as_slides():
    ensure_wagtail_tree()
    school = school_demo.seed()
    courses_demo.seed(school, StringIO())
    demo.seed(school, StringIO())

    live = LiveSession.objects.get(classroom__name="6A", status=SessionStatus.LIVE)
    assert "phân số" in live.lesson.title.lower()
    assert slide_count(live) == len(live.lesson.specific.body) > 1
