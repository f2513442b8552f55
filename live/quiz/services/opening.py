"""Starting a run of the live quiz game and opening its questions."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from assignments.models import Question, QuestionKind, Quiz
from live import protocol as p
from live.models import LiveSession, QuizRun, QuizRunQuestion, SessionStatus

from .closing import Closed, close_locked
from .common import driven_session, locked_running_run


def playable_questions(quiz: Quiz) -> list[Question]:
    """Choice questions with at least two choices, one of them correct.

    Numeric questions need typed input and are left to quiz homework.
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


@transaction.atomic
def start_quiz(*, session_id: int, quiz_id, user: User) -> QuizRun:
    """Start a run of one of the class teachers' question banks."""
    session = driven_session(session_id, user)
    if session.status != SessionStatus.LIVE:
        raise p.ClientError(p.ErrorCode.SESSION_NOT_LIVE)
    if not p.is_int(quiz_id):
        raise p.ClientError(p.ErrorCode.BAD_REQUEST)
    # Only quizzes owned by a teacher of this class: a quiz id of another
    # class is answered as "not found" so its existence is not confirmed.
    quiz = Quiz.objects.filter(
        pk=quiz_id, owner_id__in=session.classroom.teacher_ids()
    ).first()
    questions = playable_questions(quiz) if quiz else []
    if not questions:
        raise p.ClientError(p.ErrorCode.QUIZ_NOT_FOUND)
    LiveSession.objects.select_for_update().filter(pk=session.pk).first()
    if QuizRun.objects.running().filter(session=session).exists():
        raise p.ClientError(p.ErrorCode.QUIZ_RUNNING)
    return QuizRun.objects.create(
        session=session,
        quiz=quiz,
        started_by=user,
        title=quiz.title,
        question_count=len(questions),
        question_ids=[q.pk for q in questions],
    )


def open_next_question(
    *, session_id: int, user: User, now: datetime | None = None
) -> tuple[Closed | None, QuizRunQuestion]:
    """Open the next question; an open one is closed first.

    Returns the results of the question closed on the way (or ``None``) and
    the newly opened question.
    """
    session = driven_session(session_id, user)
    now = now or timezone.now()
    with transaction.atomic():
        run = locked_running_run(session.pk)
        results = None
        current = run.items.filter(closed=False).first()
        if current is not None:
            results = close_locked(current.pk, now)
        index = run.current_index + 1
        if index >= run.question_count:
            raise p.ClientError(p.ErrorCode.NO_MORE_QUESTIONS)
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
