"""Recording the answers of the live quiz game, in batches."""

from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction

from assignments.models import Choice
from live import protocol as p
from live.models import QuizRunAnswer, QuizRunQuestion, RunStatus

from .. import choice_ids, scoring


@dataclass(frozen=True)
class AnswerIn:
    """One ``quiz.answer`` as received, stamped with the server's clock."""

    session_id: int
    student_id: int
    question_id: int
    choice_id: int  # as the run shows it (live.quiz.choice_ids)
    client_id: str
    received_at: datetime


def record_answers(answers: list[AnswerIn]) -> list[p.QuizAckFrame]:
    """Store a batch of answers durably and return one ``quiz.ack`` each.

    The acks are in the order of ``answers`` and valid only because this
    function returns after the commit.
    """
    by_session: dict[int, list[int]] = {}
    for position, answer in enumerate(answers):
        by_session.setdefault(answer.session_id, []).append(position)
    acks: list[p.QuizAckFrame | None] = [None] * len(answers)
    for session_id, positions in by_session.items():
        batch = [answers[i] for i in positions]
        for position, ack in zip(
            positions, _record_session_answers(session_id, batch), strict=True
        ):
            acks[position] = ack
    return acks  # type: ignore[return-value]


def record_answer(answer: AnswerIn) -> p.QuizAckFrame:
    """One answer, for callers without a batcher (tests, tools)."""
    return record_answers([answer])[0]


@transaction.atomic
def _record_session_answers(
    session_id: int, batch: list[AnswerIn]
) -> list[p.QuizAckFrame]:
    items = _lock_open_items(session_id, {a.question_id for a in batch})
    run_id = next(iter(items.values())).run_id if items else None
    if run_id is None:
        return [_refusal(a, p.AckReason.NOT_OPEN) for a in batch]
    earlier = {
        (student_id, client_id): question_id
        for question_id, student_id, client_id in _answers_of(
            run_id, {a.student_id for a in batch}
        )
    }
    choices = _choices_as_shown(run_id, items)
    acks: list[p.QuizAckFrame | None] = [None] * len(batch)
    rows: list[QuizRunAnswer] = []
    pending: list[int] = []
    for position, answer in enumerate(batch):
        previous = earlier.get((answer.student_id, answer.client_id))
        if previous is not None:
            acks[position] = p.quiz_ack(
                previous, answer.client_id, accepted=True, duplicate=True
            )
            continue
        judged = _judge(run_id, answer, items, choices)
        if isinstance(judged, QuizRunAnswer):
            rows.append(judged)
            pending.append(position)
        else:
            acks[position] = judged
    if rows:
        _insert_answers(rows)
        _resolve_pending(run_id, batch, pending, acks)
    return acks  # type: ignore[return-value]


def _judge(
    run_id: int, answer: AnswerIn, items: dict, choices: dict
) -> "QuizRunAnswer | p.QuizAckFrame":
    """The row to store for a first answer, or the ack refusing it."""
    item = items.get(answer.question_id)
    choice = choices.get((answer.question_id, answer.choice_id))
    if item is None:
        return _refusal(answer, p.AckReason.NOT_OPEN)
    if item.closed or scoring.is_late(answer.received_at, item.closes_at):
        return _refusal(answer, p.AckReason.CLOSED)
    if choice is None or choice["question_id"] != item.question_id:
        return _refusal(answer, p.AckReason.BAD_CHOICE)
    elapsed = scoring.elapsed_ms(item.opens_at, answer.received_at, item.time_limit_ms)
    correct = choice["is_correct"]
    return QuizRunAnswer(
        run_id=run_id,
        question_id=answer.question_id,
        student_id=answer.student_id,
        choice_id=choice["pk"],
        client_id=answer.client_id,
        received_at=answer.received_at,
        elapsed_ms=elapsed,
        correct=correct,
        points=scoring.points_for(
            correct=correct, elapsed=elapsed, time_limit_ms=item.time_limit_ms
        ),
    )


def _choices_as_shown(run_id: int, items: dict) -> dict[tuple[int, int], dict]:
    """(question id, the choice id the run shows) → the choice's row."""
    rows: dict[int, list[dict]] = {}
    for row in Choice.objects.filter(question_id__in=list(items)).values(
        "pk", "question_id", "is_correct"
    ):
        rows.setdefault(row["question_id"], []).append(row)
    shown = {}
    for question_id, choices in rows.items():
        ids = choice_ids.wire_ids(run_id, [c["pk"] for c in choices])
        for choice in choices:
            shown[question_id, ids[choice["pk"]]] = choice
    return shown


def _lock_open_items(session_id: int, question_ids) -> dict[int, QuizRunQuestion]:
    """The running run's questions among ``question_ids``, share-locked.

    On PostgreSQL ``FOR SHARE``: answer batches (from every process) don't
    wait for each other, while a close's UPDATE waits for the batches in
    flight, and batches after it read ``closed = true``. SQLite serialises
    writers anyway.
    """
    items = QuizRunQuestion.objects.filter(
        run__session_id=session_id,
        run__status=RunStatus.RUNNING,
        question_id__in=question_ids,
    )
    if connection.vendor == "postgresql":
        sql, params = items.query.sql_with_params()
        items = QuizRunQuestion.objects.raw(
            f"{sql} FOR SHARE OF {QuizRunQuestion._meta.db_table}", params
        )
    return {item.question_id: item for item in items}


_INSERT_COLUMNS = (
    ("run_id", "bigint"),
    ("question_id", "bigint"),
    ("student_id", "bigint"),
    ("choice_id", "bigint"),
    ("client_id", "varchar"),
    ("received_at", "timestamptz"),
    ("elapsed_ms", "integer"),
    ("correct", "boolean"),
    ("points", "integer"),
)


def _insert_answers(rows: list[QuizRunAnswer]) -> None:
    """INSERT ... ON CONFLICT DO NOTHING: the unique keys decide who wins.

    On PostgreSQL one statement over ``unnest`` arrays, several times faster
    than ``bulk_create`` for a burst of thousands of rows.
    """
    if connection.vendor != "postgresql":
        QuizRunAnswer.objects.bulk_create(rows, ignore_conflicts=True)
        return
    names = ", ".join(name for name, _type in _INSERT_COLUMNS)
    arrays = ", ".join(f"%s::{kind}[]" for _name, kind in _INSERT_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {QuizRunAnswer._meta.db_table} ({names}) "  # noqa: S608
            f"SELECT * FROM unnest({arrays}) ON CONFLICT DO NOTHING",
            [[getattr(row, name) for row in rows] for name, _type in _INSERT_COLUMNS],
        )


def _refusal(answer: AnswerIn, reason: p.AckReason) -> p.QuizAckFrame:
    return p.quiz_ack(
        answer.question_id, answer.client_id, accepted=False, reason=reason
    )


def _answers_of(run_id: int, student_ids):
    """(question_id, student_id, client_id) of these students' answers.

    On PostgreSQL the ids go as one array parameter: psycopg's client-side
    binding spends ~0.1 s splitting a query with a thousand ``IN`` markers.
    """
    rows = QuizRunAnswer.objects.filter(run_id=run_id)
    if connection.vendor == "postgresql":
        rows = rows.extra(where=["student_id = ANY(%s)"], params=[list(student_ids)])
    else:
        rows = rows.filter(student_id__in=student_ids)
    return rows.values_list("question_id", "student_id", "client_id")


def _resolve_pending(run_id, batch, pending, acks) -> None:
    """Read the stored rows back and ack each pending answer from them."""
    stored = list(_answers_of(run_id, {batch[i].student_id for i in pending}))
    by_question = {(q, s): c for q, s, c in stored}
    by_client = {(s, c): q for q, s, c in stored}
    claimed: set[tuple[int, str]] = set()
    for position in pending:
        answer = batch[position]
        key = (answer.student_id, answer.client_id)
        if by_question.get((answer.question_id, answer.student_id)) == answer.client_id:
            acks[position] = p.quiz_ack(
                answer.question_id,
                answer.client_id,
                accepted=True,
                duplicate=key in claimed,
            )
            claimed.add(key)
        elif key in by_client:
            # The client reused one id for two questions: the id names the
            # first answer, which is what a re-send gets back.
            acks[position] = p.quiz_ack(
                by_client[key], answer.client_id, accepted=True, duplicate=True
            )
        else:
            acks[position] = _refusal(answer, p.AckReason.ALREADY_ANSWERED)
