"""
What a join reads, made cheap enough for a rejoin storm (#13, build 4).

After a deploy or a school's Wi-Fi drop, thousands of sockets of one room
join within seconds. What every one of them needs about the *room* — the
session's status and title, the class, its teachers, the slide count, the
open quiz question — is the same, so each process keeps it in the room's
memo (``RoomHub.memo``): loaded once, dropped by the hub when the room's
state changes (a ``quiz.*`` or ``session.*`` broadcast, or
``events.room_changed`` after the session opens), and at most
``FACTS_SECONDS`` old either way.

What is about the *user* — active, password (for the ticket), enrolled,
removed from this session, their answer to the open question — is read
fresh on every join, in one statement (``joiner``): a pupil removed a
moment ago is refused at once, on every process.
"""

import time
from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.utils import timezone

from accounts.models import User
from classrooms.models import Classroom, Enrollment
from live import protocol as p
from live.models import Attendance, LiveSession, QuizRunAnswer
from live.quiz import choice_ids
from live.quiz.selectors import open_item, own_answer_shown, question_body

from .slides import slide_count

FACTS_SECONDS = 10.0  # the most a room's cached facts may lag behind the database


@dataclass(frozen=True, slots=True)
class OpenQuestion:
    """The open quiz question as every pupil's ``room.state`` shows it."""

    run_id: int
    question_id: int
    closes_at: datetime
    body: dict  # p.QuizQuestionBody without ``your_answer``
    wire_ids: dict[int, int]  # choice pk -> the run's id on the wire


@dataclass(frozen=True, slots=True)
class RoomFacts:
    session_id: int
    status: str
    classroom_id: int
    school_id: int
    teacher_ids: frozenset[int]
    session: dict  # room.state.session
    slide_count: int | None
    question: OpenQuestion | None
    loaded_at: float


def load_facts(session_id: int) -> RoomFacts | None:
    """The room's side of a join, from the database (None: no such session)."""
    session = (
        LiveSession.objects.select_related("classroom").filter(pk=session_id).first()
    )
    if session is None:
        return None
    classroom: Classroom = session.classroom
    item = open_item(session_id)
    question = None
    if item is not None:
        pks = item.question.choices.values_list("pk", flat=True)
        question = OpenQuestion(
            run_id=item.run_id,
            question_id=item.question_id,
            closes_at=item.closes_at,
            body=dict(question_body(item)),
            wire_ids=choice_ids.wire_ids(item.run_id, pks),
        )
    return RoomFacts(
        session_id=session.pk,
        status=session.status,
        classroom_id=classroom.pk,
        school_id=classroom.school_id,
        teacher_ids=frozenset(classroom.teacher_ids()),
        session={
            "id": session.pk,
            "title": session.title,
            "status": session.status,
            "classroom": classroom.name,
        },
        slide_count=slide_count(session),
        question=question,
        loaded_at=time.monotonic(),
    )


def room_facts(session_id: int, memo: dict | None) -> RoomFacts | None:
    """The room's facts from ``memo`` (the hub's, for this room) while they
    are fresh, else from the database (and kept there)."""
    facts = memo.get("facts") if memo is not None else None
    if facts is None or time.monotonic() - facts.loaded_at > FACTS_SECONDS:
        facts = load_facts(session_id)
        if memo is not None and facts is not None:
            memo["facts"] = facts
    return facts


@dataclass(frozen=True, slots=True)
class Joiner:
    user: User
    enrolled: bool  # in the session's class as a pupil
    removed: bool  # barred from this session by its teacher
    answer_choice: int | None  # their stored choice for the open question


# What a join reads of the user (the rest stays deferred until asked for):
# the ticket's auth hash, the role rules and the name. In the model's field
# order, as ``Model.from_db`` expects.
JOINER_FIELDS = tuple(
    f.attname
    for f in User._meta.concrete_fields
    if f.attname
    in {"id", "username", "display_name", "role", "is_active", "password"}
    | {"session_generation"}
)


def _joiner_sql() -> str:
    def table(model):
        return connection.ops.quote_name(model._meta.db_table)

    def col(model, name):
        return connection.ops.quote_name(model._meta.get_field(name).column)

    fields = ", ".join(
        f"u.{connection.ops.quote_name(User._meta.get_field(name).column)}"
        for name in JOINER_FIELDS
    )
    pk = col(User, "id")
    e, a, q = Enrollment, Attendance, QuizRunAnswer
    return (
        f"SELECT {fields}, "  # noqa: S608 - names from _meta, values as parameters
        f"EXISTS (SELECT 1 FROM {table(e)} e WHERE e.{col(e, 'classroom')} = %s"
        f" AND e.{col(e, 'student')} = u.{pk}), "
        f"EXISTS (SELECT 1 FROM {table(a)} a WHERE a.{col(a, 'session')} = %s"
        f" AND a.{col(a, 'user')} = u.{pk} AND a.{col(a, 'removed_at')} IS NOT NULL), "
        f"(SELECT q.{col(q, 'choice')} FROM {table(q)} q WHERE q.{col(q, 'run')} = %s"
        f" AND q.{col(q, 'question')} = %s AND q.{col(q, 'student')} = u.{pk}) "
        f"FROM {table(User)} u WHERE u.{pk} = %s AND u.{col(User, 'is_active')}"
    )


_SQL: dict[str, str] = {}


def joiner(user_id: int, facts: RoomFacts | None) -> Joiner | None:
    """The active user ``user_id`` and their standing in the room, in one
    statement: the ORM spends about 2 ms of CPU building and reading it,
    which a rejoin storm pays thousands of times a second (the tables and
    columns come from the models' ``_meta``; the values are parameters).
    None: no such active user."""
    sql = _SQL.get(connection.alias)
    if sql is None:
        sql = _SQL[connection.alias] = _joiner_sql()
    question = facts.question if facts else None
    params = [
        facts.classroom_id if facts else 0,
        facts.session_id if facts else 0,
        question.run_id if question else 0,
        question.question_id if question else 0,
        user_id,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    *values, enrolled, removed, answer = row
    values[JOINER_FIELDS.index("is_active")] = bool(
        values[JOINER_FIELDS.index("is_active")]
    )
    user = User.from_db(connection.alias, JOINER_FIELDS, values)
    return Joiner(
        user=user,
        enrolled=bool(enrolled),
        removed=bool(removed),
        answer_choice=answer,
    )


def quiz_state(facts: RoomFacts, joiner: Joiner, role: str) -> dict | None:
    """``room.state.quiz`` from the cached question: what
    ``live.quiz.selectors.quiz_state`` reads, without its three queries."""
    question = facts.question
    if question is None or question.closes_at <= timezone.now():
        return None
    mine = None
    if role == p.STUDENT and joiner.answer_choice is not None:
        mine = own_answer_shown(question.wire_ids, joiner.answer_choice)
    return {**question.body, "your_answer": mine}
