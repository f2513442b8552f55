"""
Durable writes of the realtime quiz: start a run, open the next question,
record answers, close a question (once), end the run, record a run in the
gradebook.

Plain sync functions, called from the room through ``database_sync_to_async``
and from views and tests directly. The database is the source of truth, so
every rule holds when students are spread over several server processes:

* an answer is acked only after ``record_answers`` committed it; the unique
  keys (run, question, student) and (run, student, client_id) make the first
  answer count and a re-sent ``client_id`` harmless;
* answers are written in batches (one INSERT ... ON CONFLICT DO NOTHING and
  one read-back per batch), because thousands arrive within a second;
* a question is closed by a conditional UPDATE (``closed = false`` → true):
  whichever process wins computes the counts and scores, once. Answer
  batches lock the question row (``FOR NO KEY UPDATE``) so a close waits for
  batches in flight and batches after it see the question closed.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import Case, Count, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Least
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from assignments.models import Choice, Question, QuestionKind, Quiz

from . import quiz_scoring as scoring
from .models import LiveSession, SessionStatus
from .protocol import ClientError
from .quiz_models import QuizAnswer, QuizRun, QuizRunQuestion, QuizRunScore, RunStatus

# Error codes of the quiz messages, beyond the contract's common ones.
NO_QUIZ = "no_quiz"
FORBIDDEN = "forbidden"
BAD_REQUEST = "bad_request"
QUIZ_NOT_FOUND = "quiz_not_found"
QUIZ_RUNNING = "quiz_running"
NO_MORE_QUESTIONS = "no_more_questions"
SESSION_NOT_LIVE = "session_not_live"

ERROR_MESSAGES = {
    NO_QUIZ: _("Chưa có câu đố nào."),
    FORBIDDEN: _("Vai trò của bạn không được làm việc này."),
    BAD_REQUEST: _("Thiếu trường hoặc trường không hợp lệ."),
    QUIZ_NOT_FOUND: _("Không tìm thấy bộ câu hỏi có thể chơi trong lớp này."),
    QUIZ_RUNNING: _("Một lượt trắc nghiệm đang diễn ra; hãy kết thúc nó trước."),
    NO_MORE_QUESTIONS: _("Đã hết câu hỏi; hãy kết thúc lượt chơi."),
    SESSION_NOT_LIVE: _("Buổi học không còn diễn ra."),
}

# quiz.ack reasons (contract section 4).
CLOSED = "closed"
ALREADY_ANSWERED = "already_answered"
NOT_OPEN = "not_open"
BAD_CHOICE = "bad_choice"


class QuizError(ClientError):
    """A refused quiz request; ``frame()`` gives the ``error`` reply."""

    def frame(self) -> dict:
        return {
            "type": "error",
            "code": self.code,
            "message": str(ERROR_MESSAGES.get(self.code, self.code)),
            "ref": self.ref,
        }


@dataclass(frozen=True)
class AnswerIn:
    """One ``quiz.answer`` as received, stamped with the server's clock."""

    session_id: int
    student_id: int
    question_id: int
    choice_id: int
    client_id: str
    received_at: datetime


def make_ack(
    question_id: int,
    client_id: str,
    *,
    accepted: bool,
    reason: str | None = None,
    duplicate: bool = False,
) -> dict:
    return {
        "type": "quiz.ack",
        "question_id": question_id,
        "client_id": client_id,
        "accepted": accepted,
        "reason": reason,
        "duplicate": duplicate,
    }


# ---------------------------------------------------------------------------
# Starting and opening


def is_teacher_of_session(user: User, session: LiveSession) -> bool:
    return user.is_teacher and user.pk in session.classroom.teacher_ids()


def playable_questions(quiz: Quiz) -> list[Question]:
    """Choice questions with at least two choices, one of them correct.

    Numeric questions need typed input and are left to homework.
    """
    questions = (
        quiz.questions.exclude(kind=QuestionKind.NUMERIC)
        .prefetch_related("choices")
        .order_by("position", "pk")
    )
    return [
        q
        for q in questions
        if len(q.choices.all()) >= 2 and any(c.is_correct for c in q.choices.all())
    ]


def _session(session_id: int) -> LiveSession:
    return LiveSession.objects.select_related("classroom").get(pk=session_id)


@transaction.atomic
def start_quiz(*, session_id: int, quiz_id, user: User) -> QuizRun:
    """Start a run of one of the class teachers' quizzes in a live session."""
    session = _session(session_id)
    if not is_teacher_of_session(user, session):
        raise QuizError(FORBIDDEN)
    if session.status != SessionStatus.LIVE:
        raise QuizError(SESSION_NOT_LIVE)
    if not isinstance(quiz_id, int) or isinstance(quiz_id, bool):
        raise QuizError(BAD_REQUEST)
    # Only quizzes owned by a teacher of this class: a quiz id of another
    # class is answered as "not found" so its existence is not confirmed.
    quiz = Quiz.objects.filter(
        pk=quiz_id, owner_id__in=session.classroom.teacher_ids()
    ).first()
    questions = playable_questions(quiz) if quiz else []
    if not questions:
        raise QuizError(QUIZ_NOT_FOUND)
    LiveSession.objects.select_for_update().filter(pk=session.pk).first()
    if QuizRun.objects.running().filter(session=session).exists():
        raise QuizError(QUIZ_RUNNING)
    return QuizRun.objects.create(
        session=session,
        quiz=quiz,
        started_by=user,
        title=quiz.title,
        question_count=len(questions),
        question_ids=[q.pk for q in questions],
    )


def started_frame(run: QuizRun) -> dict:
    return {
        "type": "quiz.started",
        "run_id": run.pk,
        "quiz_id": run.quiz_id,
        "title": run.title,
        "question_count": run.question_count,
    }


def question_frame(item: QuizRunQuestion) -> dict:
    """The ``quiz.question`` frame of an opened question (no answer key)."""
    choices = Choice.objects.filter(question_id=item.question_id).order_by(
        "position", "pk"
    )
    return {
        "type": "quiz.question",
        **scoring.question_payload(
            run_id=item.run_id,
            question_id=item.question_id,
            index=item.index,
            count=item.run.question_count,
            text=item.question.text,
            choices=[{"id": c.pk, "text": c.text} for c in choices],
            opens_at=item.opens_at,
            closes_at=item.closes_at,
            time_limit_ms=item.time_limit_ms,
        ),
    }


def _locked_running_run(session_id: int) -> QuizRun:
    run = QuizRun.objects.select_for_update().running().filter(session_id=session_id)
    run = run.first()
    if run is None:
        raise QuizError(NO_QUIZ)
    return run


def open_next_question(
    *, session_id: int, user: User, now: datetime | None = None
) -> tuple["Closed | None", QuizRunQuestion]:
    """Open the next question; an open one is closed first.

    Returns the results of the question closed on the way (or ``None``) and
    the newly opened question.
    """
    session = _session(session_id)
    if not is_teacher_of_session(user, session):
        raise QuizError(FORBIDDEN)
    now = now or timezone.now()
    with transaction.atomic():
        run = _locked_running_run(session.pk)
        results = None
        current = run.items.filter(closed=False).first()
        if current is not None:
            results = _close(current.pk, now)
        index = run.current_index + 1
        if index >= run.question_count:
            raise QuizError(NO_MORE_QUESTIONS)
        question = Question.objects.get(pk=run.question_ids[index])
        limit_ms = question.time_limit_seconds * 1000
        item = QuizRunQuestion.objects.create(
            run=run,
            question=question,
            index=index,
            time_limit_ms=limit_ms,
            opens_at=now,
            closes_at=now + timedelta(milliseconds=limit_ms),
        )
        run.current_index = index
        run.save(update_fields=["current_index"])
    return results, item


# ---------------------------------------------------------------------------
# Answers


def record_answers(answers: list[AnswerIn]) -> list[dict]:
    """Store a batch of answers durably and return one ``quiz.ack`` each.

    The acks are in the order of ``answers`` and valid only because this
    function returns after the commit.
    """
    by_session: dict[int, list[int]] = {}
    for position, answer in enumerate(answers):
        by_session.setdefault(answer.session_id, []).append(position)
    acks: list[dict | None] = [None] * len(answers)
    for session_id, positions in by_session.items():
        batch = [answers[p] for p in positions]
        for position, ack in zip(
            positions, _record_session_answers(session_id, batch), strict=True
        ):
            acks[position] = ack
    return acks  # type: ignore[return-value]


def record_answer(answer: AnswerIn) -> dict:
    """One answer, for callers without a batcher (tests, tools)."""
    return record_answers([answer])[0]


@transaction.atomic
def _record_session_answers(session_id: int, batch: list[AnswerIn]) -> list[dict]:
    question_ids = {a.question_id for a in batch}
    student_ids = {a.student_id for a in batch}
    items = _lock_open_items(session_id, question_ids)
    run_id = next(iter(items.values())).run_id if items else None
    if run_id is None:
        return [
            make_ack(a.question_id, a.client_id, accepted=False, reason=NOT_OPEN)
            for a in batch
        ]
    earlier = {
        (student_id, client_id): question_id
        for question_id, student_id, client_id in _answers_of(run_id, student_ids)
    }
    choices = {
        c["pk"]: c
        for c in Choice.objects.filter(question_id__in=list(items)).values(
            "pk", "question_id", "is_correct"
        )
    }
    acks: list[dict | None] = [None] * len(batch)
    rows: list[QuizAnswer] = []
    pending: list[int] = []
    for position, answer in enumerate(batch):
        previous = earlier.get((answer.student_id, answer.client_id))
        item = items.get(answer.question_id)
        choice = choices.get(answer.choice_id)
        if previous is not None:
            acks[position] = make_ack(
                previous, answer.client_id, accepted=True, duplicate=True
            )
        elif item is None:
            acks[position] = _refusal(answer, NOT_OPEN)
        elif item.closed or scoring.is_late(answer.received_at, item.closes_at):
            acks[position] = _refusal(answer, CLOSED)
        elif choice is None or choice["question_id"] != item.question_id:
            acks[position] = _refusal(answer, BAD_CHOICE)
        else:
            elapsed = scoring.elapsed_ms(
                item.opens_at, answer.received_at, item.time_limit_ms
            )
            correct = choice["is_correct"]
            rows.append(
                QuizAnswer(
                    run_id=run_id,
                    question_id=answer.question_id,
                    student_id=answer.student_id,
                    choice_id=answer.choice_id,
                    client_id=answer.client_id,
                    received_at=answer.received_at,
                    elapsed_ms=elapsed,
                    correct=correct,
                    points=scoring.points_for(
                        correct=correct,
                        elapsed=elapsed,
                        time_limit_ms=item.time_limit_ms,
                    ),
                )
            )
            pending.append(position)
    if rows:
        _insert_answers(rows)
        _resolve_pending(run_id, batch, pending, acks)
    return acks  # type: ignore[return-value]


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


def _insert_answers(rows: list[QuizAnswer]) -> None:
    """INSERT ... ON CONFLICT DO NOTHING: the unique keys decide who wins.

    On PostgreSQL one statement over ``unnest`` arrays, several times faster
    than ``bulk_create`` for a burst of thousands of rows.
    """
    if connection.vendor != "postgresql":
        QuizAnswer.objects.bulk_create(rows, ignore_conflicts=True)
        return
    names = ", ".join(name for name, _type in _INSERT_COLUMNS)
    arrays = ", ".join(f"%s::{kind}[]" for _name, kind in _INSERT_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {QuizAnswer._meta.db_table} ({names}) "  # noqa: S608
            f"SELECT * FROM unnest({arrays}) ON CONFLICT DO NOTHING",
            [[getattr(row, name) for row in rows] for name, _type in _INSERT_COLUMNS],
        )


def _refusal(answer: AnswerIn, reason: str) -> dict:
    return make_ack(answer.question_id, answer.client_id, accepted=False, reason=reason)


def _answers_of(run_id: int, student_ids):
    """(question_id, student_id, client_id) of these students' answers.

    On PostgreSQL the ids go as one array parameter: psycopg's client-side
    binding spends ~0.1 s splitting a query with a thousand ``IN`` markers.
    """
    rows = QuizAnswer.objects.filter(run_id=run_id)
    if connection.vendor == "postgresql":
        rows = rows.extra(where=["student_id = ANY(%s)"], params=[list(student_ids)])
    else:
        rows = rows.filter(student_id__in=student_ids)
    return rows.values_list("question_id", "student_id", "client_id")


def _resolve_pending(run_id, batch, pending, acks) -> None:
    """Read the stored rows back and ack each pending answer from them."""
    stored = list(_answers_of(run_id, {batch[p].student_id for p in pending}))
    by_question = {(q, s): c for q, s, c in stored}
    by_client = {(s, c): q for q, s, c in stored}
    claimed: set[tuple[int, str]] = set()
    for position in pending:
        answer = batch[position]
        key = (answer.student_id, answer.client_id)
        if by_question.get((answer.question_id, answer.student_id)) == answer.client_id:
            acks[position] = make_ack(
                answer.question_id,
                answer.client_id,
                accepted=True,
                duplicate=key in claimed,
            )
            claimed.add(key)
        elif key in by_client:
            # The client reused one id for two questions: the id names the
            # first answer, which is what a re-send gets back.
            acks[position] = make_ack(
                by_client[key], answer.client_id, accepted=True, duplicate=True
            )
        else:
            acks[position] = _refusal(answer, ALREADY_ANSWERED)


def own_answer(item: QuizRunQuestion, student_id: int) -> dict | None:
    """``your_answer`` of ``room.state``: the student's stored choice."""
    choice_id = (
        QuizAnswer.objects.filter(
            run_id=item.run_id, question_id=item.question_id, student_id=student_id
        )
        .values_list("choice_id", flat=True)
        .first()
    )
    return None if choice_id is None else {"choice_id": choice_id, "accepted": True}


def answered_count(item: QuizRunQuestion) -> int:
    return QuizAnswer.objects.filter(
        run_id=item.run_id, question_id=item.question_id
    ).count()


# ---------------------------------------------------------------------------
# Closing, results, ending


def open_item(session_id: int) -> QuizRunQuestion | None:
    """The open question of the session's running run, if any."""
    return (
        QuizRunQuestion.objects.select_related("run", "question")
        .filter(run__session_id=session_id, run__status=RunStatus.RUNNING, closed=False)
        .first()
    )


@dataclass
class Closed:
    """What the one caller that closed a question announces and keeps."""

    run_id: int
    question_id: int
    result: dict  # the quiz.result frame
    ranked: list  # [(rank, Standing)] over the closed questions
    extra: dict  # student_id -> (answered, correct) over the closed questions
    this_question: dict  # student_id -> (points, correct) for this question

    def you_frames(self, student_ids) -> dict[int, dict]:
        """The private ``quiz.you`` of each given student.

        A student without any answer has score 0 and ranks after everyone
        who answered.
        """
        by_student = {s.student_id: (rank, s.score) for rank, s in self.ranked}
        last = len(self.ranked) + 1
        frames = {}
        for sid in student_ids:
            rank, score = by_student.get(sid, (last, 0))
            points, correct = self.this_question.get(sid, (0, False))
            frames[sid] = {
                "type": "quiz.you",
                "question_id": self.question_id,
                "correct": correct,
                "points": points,
                "score": score,
                "rank": rank,
            }
        return frames


def close_question(*, item_id: int, now: datetime | None = None) -> Closed | None:
    """Close a question if still open; only the caller that closes it gets
    the outcome, every other caller gets ``None``.

    The totals are computed here but written by ``save_scores`` after the
    results went out: they are derived from the stored answers, so writing
    them later (or again) cannot change them.
    """
    with transaction.atomic():
        return _close(item_id, now or timezone.now())


def close_if_due(session_id: int, now: datetime | None = None) -> Closed | None:
    """Close the open question when its deadline passed (any process may)."""
    now = now or timezone.now()
    item = open_item(session_id)
    if item is None or item.closes_at > now:
        return None
    return close_question(item_id=item.pk, now=now)


def _close(item_id: int, now: datetime) -> Closed | None:
    won = QuizRunQuestion.objects.filter(pk=item_id, closed=False).update(
        closed=True, closed_at=now, closes_at=Least("closes_at", Value(now))
    )
    if not won:
        return None
    item = QuizRunQuestion.objects.select_related("run").get(pk=item_id)
    choice_rows = list(
        Choice.objects.filter(question_id=item.question_id).values_list(
            "pk", "is_correct"
        )
    )
    correct_ids = sorted(pk for pk, is_correct in choice_rows if is_correct)
    this_question = {
        sid: (points, correct, choice_id)
        for sid, points, correct, choice_id in QuizAnswer.objects.filter(
            run_id=item.run_id, question_id=item.question_id
        ).values_list("student_id", "points", "correct", "choice_id")
    }
    chosen = [row[2] for row in this_question.values()]
    item.counts = scoring.histogram([pk for pk, _c in choice_rows], chosen)
    item.answered_count = len(chosen)
    item.correct_count = sum(1 for row in this_question.values() if row[1])
    item.correct_choice_ids = correct_ids
    item.save(
        update_fields=[
            "counts",
            "answered_count",
            "correct_count",
            "correct_choice_ids",
        ]
    )
    ranked, extra = standings(item.run)
    return Closed(
        run_id=item.run_id,
        question_id=item.question_id,
        result={
            "type": "quiz.result",
            "question_id": item.question_id,
            "correct_choice_ids": correct_ids,
            "counts": item.counts,
            "leaderboard": scoring.leaderboard(ranked, scoring.RESULT_LEADERBOARD_SIZE),
        },
        ranked=ranked,
        extra=extra,
        this_question={sid: (p, c) for sid, (p, c, _ch) in this_question.items()},
    )


def standings(run: QuizRun) -> tuple[list, dict]:
    """Every student's total over the closed questions, ranked.

    Derived from the answers in one aggregate query (never incremented), so
    a repeated or concurrent call cannot double-count.
    """
    limits = dict(
        run.items.filter(closed=True).values_list("question_id", "time_limit_ms")
    )
    limit_total = sum(limits.values())
    answered_limit = Case(
        *[When(question_id=q, then=Value(ms)) for q, ms in limits.items()],
        default=Value(0),
        output_field=IntegerField(),
    )
    rows = (
        QuizAnswer.objects.filter(run=run, question_id__in=list(limits))
        .values("student_id", "student__display_name")
        .annotate(
            score=Sum("points"),
            elapsed=Sum("elapsed_ms"),
            answered_limit=Sum(answered_limit),
            answered=Count("pk"),
            correct_n=Count("pk", filter=Q(correct=True)),
        )
        .order_by()
    )
    extra = {}
    rows_standings = []
    for row in rows:
        total_ms = row["elapsed"] + limit_total - row["answered_limit"]
        rows_standings.append(
            scoring.Standing(
                row["student_id"], row["student__display_name"], row["score"], total_ms
            )
        )
        extra[row["student_id"]] = (row["answered"], row["correct_n"])
    return scoring.rank_standings(rows_standings), extra


def save_scores(*, run_id: int, ranked: list, extra: dict) -> None:
    """Write the totals computed at a close (idempotent upsert)."""
    QuizRunScore.objects.bulk_create(
        [
            QuizRunScore(
                run_id=run_id,
                student_id=s.student_id,
                score=s.score,
                total_ms=s.total_ms,
                answered_count=extra[s.student_id][0],
                correct_count=extra[s.student_id][1],
                rank=rank,
            )
            for rank, s in ranked
        ],
        update_conflicts=True,
        unique_fields=["run", "student"],
        update_fields=["score", "total_ms", "answered_count", "correct_count", "rank"],
        batch_size=1000,
    )


def save_closed(closed: Closed) -> None:
    save_scores(run_id=closed.run_id, ranked=closed.ranked, extra=closed.extra)


def refresh_scores(run: QuizRun) -> list:
    """Recompute, store and return the ranked totals of a run."""
    ranked, extra = standings(run)
    save_scores(run_id=run.pk, ranked=ranked, extra=extra)
    return ranked


def end_quiz(
    *, session_id: int, user: User, now: datetime | None = None
) -> tuple[Closed | None, dict]:
    """End the running run: close its open question, keep everything.

    Returns the outcome of a question closed on the way (or ``None``) and
    the ``quiz.ended`` frame with the podium. Totals are stored here.
    """
    session = _session(session_id)
    if not is_teacher_of_session(user, session):
        raise QuizError(FORBIDDEN)
    now = now or timezone.now()
    with transaction.atomic():
        run = _locked_running_run(session.pk)
        current = run.items.filter(closed=False).first()
        closed = _close(current.pk, now) if current else None
        run.status = RunStatus.ENDED
        run.ended_at = now
        run.save(update_fields=["status", "ended_at"])
        ranked = refresh_scores(run)
    return closed, {
        "type": "quiz.ended",
        "run_id": run.pk,
        "leaderboard": scoring.leaderboard(ranked, scoring.PODIUM_SIZE),
    }
