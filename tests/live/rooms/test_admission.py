"""
A join made cheap for a rejoin storm (#13, build 4; live.rooms.admission):
the room's facts are read once per process, the user's standing on every
join, and no access rule is loosened by the cache.
"""

import pytest
from channels.db import database_sync_to_async as db
from django.db import connection
from django.test.utils import CaptureQueriesContext

from classrooms.services import remove_student
from live.models import Attendance, SessionStatus
from live.protocol import CLOSE_FORBIDDEN, CLOSE_NOT_OPEN, CLOSE_UNAUTHENTICATED
from live.realtime import wire
from live.realtime.hub import RoomHub
from live.rooms import admission, services
from tests.live.conftest import Room, close_code, connect, joined, ticket_for

pytestmark = pytest.mark.django_db(transaction=True)


def _admit(room: Room, user, memo, ticket=None):
    claims = services.parse_ticket(ticket) if ticket else None
    return services.admit(
        session_id=room.session.pk,
        user=None if claims else user,
        ticket=claims,
        memo=memo,
    )


def test_once_the_room_is_known_a_join_costs_two_statements():
    room = Room(students=3)
    memo = {}
    _admit(room, room.students[0], memo)
    with CaptureQueriesContext(connection) as queries:
        admitted = _admit(room, room.students[1], memo)
    assert len(queries) == 2, [q["sql"][:80] for q in queries]
    assert admitted.grant.role == "student"
    assert admitted.grant.session["title"] == room.session.title
    row = Attendance.objects.get(session=room.session, user=room.students[1])
    assert row.open_sockets == 1 and row.first_joined_at is not None


def test_a_ticket_join_checks_the_password_on_the_row_it_loads():
    room = Room()
    memo = {}
    pupil = room.students[0]
    ticket = ticket_for(pupil, room.session)
    assert _admit(room, None, memo, ticket).grant.user_id == pupil.pk
    pupil.set_password("a-new-password-1")
    pupil.save()
    with pytest.raises(services.JoinRefused) as refused:
        _admit(room, None, memo, ticket)
    assert refused.value.code == CLOSE_UNAUTHENTICATED


def test_a_pupil_removed_or_unenrolled_after_the_room_was_cached_is_refused_at_once():
    room = Room(students=3)
    memo = {}
    removed, left = room.students[0], room.students[1]
    _admit(room, room.students[2], memo)  # the room is now cached
    services.remove_participant(
        session_id=room.session.pk, user_id=removed.pk, by=room.teacher
    )
    remove_student(classroom=room.classroom, student=left, by=room.teacher)
    for user in (removed, left, room.outsider):
        with pytest.raises(services.JoinRefused) as refused:
            _admit(room, user, memo)
        assert refused.value.code == CLOSE_FORBIDDEN


def test_an_open_question_reaches_room_state_with_the_pupils_own_answer():
    from live.quiz import selectors
    from live.quiz import services as quiz
    from tests.live.quiz_support import answer, make_room, on_wire

    room = make_room(students=2)
    quiz.start_quiz(session_id=room.session.pk, quiz_id=room.quiz.pk, user=room.teacher)
    _results, item = quiz.open_next_question(
        session_id=room.session.pk, user=room.teacher
    )
    pupil, other = room.students
    memo = {}
    _admit(room, other, memo)  # the room is cached with its open question
    quiz.record_answer(answer(room, pupil, item.question_id, room.right(0), "c1"))
    state = _admit(room, pupil, memo).quiz
    assert state["question_id"] == item.question_id
    assert state["your_answer"] == {
        "choice_id": on_wire(room.right(0)),
        "accepted": True,
    }
    # What the uncached read gives, to the byte.
    assert state == selectors.quiz_state(room.session.pk, pupil.pk, "student")
    assert _admit(room, other, memo).quiz["your_answer"] is None


@pytest.mark.asyncio
async def test_the_hub_forgets_a_rooms_facts_on_quiz_session_and_facts_messages(
    settings,
):
    settings.REDIS_URL = ""
    hub = RoomHub(None, "test")
    channel = wire.room_channel("test", 7)
    unfollowed = hub.memo(7)
    unfollowed["facts"] = "stale"
    hub.on_message(channel, wire.facts_message())
    assert hub.memo(7) == {}  # a room nobody here follows: thrown away too
    for frame, forgets in [
        ({"type": "chat.message", "text": "hi"}, False),
        ({"type": "quiz.question", "question_id": 1}, True),
        ({"type": "session.ended"}, True),
    ]:
        hub.memo(7)["facts"] = "cached"
        hub.on_message(channel, wire.numbered(wire.numbered_head(frame), 1))
        assert ("facts" in hub.memo(7)) is not forgets, frame


@pytest.mark.asyncio
async def test_a_pupil_turned_away_before_the_teacher_opens_gets_in_right_after():
    room = await db(Room)(status=SessionStatus.SCHEDULED)
    teacher, _ = await joined(room.teacher, room.session)  # the room is followed
    early, _ = await connect(room.students[0], room.session)
    assert await close_code(early) == CLOSE_NOT_OPEN
    await db(services.open_session)(session=room.session, by=room.teacher)
    pupil, state = await joined(room.students[1], room.session)
    assert state["session"]["status"] == SessionStatus.LIVE
    await pupil.disconnect()
    await teacher.disconnect()


@pytest.mark.asyncio
async def test_a_teacher_taken_off_the_class_cannot_rejoin_from_the_cache():
    room = await db(Room)()
    other = await db(lambda: room.classroom.homeroom_teacher)()
    pupil, _ = await joined(room.students[0], room.session)  # the room is followed
    first, _ = await joined(other, room.session)
    await first.disconnect()

    def replace_teacher():
        from tests.factories import TeacherFactory

        room.classroom.homeroom_teacher = TeacherFactory()
        room.classroom.save()

    await db(replace_teacher)()
    again, _ = await connect(other, room.session)
    assert await close_code(again) == CLOSE_FORBIDDEN
    await pupil.disconnect()


def test_facts_older_than_their_limit_are_read_again(monkeypatch):
    room = Room()
    memo = {}
    facts = admission.room_facts(room.session.pk, memo)
    assert admission.room_facts(room.session.pk, memo) is facts
    monkeypatch.setattr(admission, "FACTS_SECONDS", -1)
    assert admission.room_facts(room.session.pk, memo) is not facts
