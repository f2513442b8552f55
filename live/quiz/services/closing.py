"""Closing a question of the live quiz game (once), ending the run and
keeping every student's total."""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Case, Count, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Least
from django.utils import timezone

from accounts.models import User
from assignments.models import Choice
from live import protocol as p
from live.models import QuizRun, QuizRunAnswer, QuizRunQuestion, QuizRunScore, RunStatus

from .. import choice_ids, scoring
from ..selectors import open_item
from .common import driven_session, locked_running_run


@dataclass
class Closed:
    """What the one caller that closed a question announces and keeps."""

    run_id: int
    question_id: int
    result: p.QuizResultFrame
    ranked: list  # [(rank, Standing)] over the closed questions
    extra: dict  # student_id -> (answered, correct) over the closed questions
    this_question: dict  # student_id -> (points, correct) for this question

    def you_frames(self, student_ids) -> dict[int, p.QuizYouFrame]:
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
            frames[sid] = p.quiz_you(
                question_id=self.question_id,
                correct=correct,
                points=points,
                score=score,
                rank=rank,
            )
        return frames


def close_question(*, item_id: int, now: datetime | None = None) -> Closed | None:
    """Close a question if still open; only the caller that closes it gets
    the outcome, every other caller gets ``None``.

    The totals are computed here but written by ``save_scores`` after the
    results went out: they are derived from the stored answers, so writing
    them later (or again) cannot change them.
    """
    with transaction.atomic():
        return close_locked(item_id, now or timezone.now())


def close_if_due(session_id: int, now: datetime | None = None) -> Closed | None:
    """Close the open question when its deadline passed (any process may)."""
    now = now or timezone.now()
    item = open_item(session_id)
    if item is None or item.closes_at > now:
        return None
    return close_question(item_id=item.pk, now=now)


def close_locked(item_id: int, now: datetime) -> Closed | None:
    """``close_question`` inside the caller's transaction."""
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
        for sid, points, correct, choice_id in QuizRunAnswer.objects.filter(
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
    shown = choice_ids.wire_ids(item.run_id, [pk for pk, _c in choice_rows])
    return Closed(
        run_id=item.run_id,
        question_id=item.question_id,
        result=p.quiz_result(
            question_id=item.question_id,
            correct_choice_ids=sorted(shown[pk] for pk in correct_ids),
            counts={
                str(shown[int(pk)]): n
                for pk, n in sorted(item.counts.items(), key=lambda c: shown[int(c[0])])
            },
            leaderboard=scoring.leaderboard(ranked, scoring.RESULT_LEADERBOARD_SIZE),
        ),
        ranked=ranked,
        extra=extra,
        this_question={
            sid: (points, correct)
            for sid, (points, correct, _choice) in this_question.items()
        },
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
        QuizRunAnswer.objects.filter(run=run, question_id__in=list(limits))
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
) -> tuple[Closed | None, p.QuizEndedFrame]:
    """End the running run: close its open question, keep everything.

    Returns the outcome of a question closed on the way (or ``None``) and
    the ``quiz.ended`` frame with the podium. Totals are stored here.
    """
    session = driven_session(session_id, user)
    now = now or timezone.now()
    with transaction.atomic():
        run = locked_running_run(session.pk)
        current = run.items.filter(closed=False).first()
        closed = close_locked(current.pk, now) if current else None
        run.status = RunStatus.ENDED
        run.ended_at = now
        run.save(update_fields=["status", "ended_at"])
        ranked = refresh_scores(run)
    return closed, p.quiz_ended(
        run_id=run.pk, leaderboard=scoring.leaderboard(ranked, scoring.PODIUM_SIZE)
    )
