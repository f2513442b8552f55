"""Reads of the live quiz game: the open question as the room shows it, and
kept runs for the results pages."""

from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from assignments.models import Choice, Quiz
from live import protocol as p
from live.models import QuizRun, QuizRunAnswer, QuizRunQuestion, QuizRunScore, RunStatus

from . import choice_ids, scoring


def open_item(session_id: int) -> QuizRunQuestion | None:
    """The open question of the session's running run, if any."""
    return (
        QuizRunQuestion.objects.select_related("run", "question")
        .filter(run__session_id=session_id, run__status=RunStatus.RUNNING, closed=False)
        .first()
    )


def question_body(item: QuizRunQuestion) -> p.QuizQuestionBody:
    """An opened question as students see it (no answer key)."""
    choices = Choice.objects.filter(question_id=item.question_id)
    ids = choice_ids.wire_ids(item.run_id, [c.pk for c in choices])
    shown = choice_ids.shown_order(item.run_id, choices)
    return p.quiz_question_body(
        run_id=item.run_id,
        question_id=item.question_id,
        index=item.index,
        count=item.run.question_count,
        text=item.question.text,
        choices=[{"id": ids[c.pk], "text": c.text} for c in shown],
        opens_at=item.opens_at,
        closes_at=item.closes_at,
        time_limit_ms=item.time_limit_ms,
    )


def question_frame(item: QuizRunQuestion) -> p.QuizQuestionFrame:
    """The ``quiz.question`` broadcast of an opened question."""
    return p.quiz_question(question_body(item))


def own_answer(item: QuizRunQuestion, student_id: int) -> p.YourAnswer | None:
    """``your_answer`` of ``room.state``: the student's stored choice."""
    choice_id = (
        QuizRunAnswer.objects.filter(
            run_id=item.run_id, question_id=item.question_id, student_id=student_id
        )
        .values_list("choice_id", flat=True)
        .first()
    )
    if choice_id is None:
        return None
    pks = Choice.objects.filter(question_id=item.question_id).values_list(
        "pk", flat=True
    )
    return own_answer_shown(choice_ids.wire_ids(item.run_id, pks), choice_id)


def own_answer_shown(wire_ids: dict[int, int], choice_id: int) -> p.YourAnswer:
    """A stored choice as ``your_answer`` shows it: the run's id, accepted."""
    return {"choice_id": wire_ids[choice_id], "accepted": True}


def progress(item: QuizRunQuestion) -> tuple[bool, int]:
    """Whether the question is still open, and how many answered it (on
    every process: counted in the database)."""
    closed = (
        QuizRunQuestion.objects.filter(pk=item.pk)
        .values_list("closed", flat=True)
        .first()
    )
    answered = QuizRunAnswer.objects.filter(
        run_id=item.run_id, question_id=item.question_id
    ).count()
    return closed is False, answered


def quiz_state(session_id: int, user_id: int, role: str) -> p.QuizState | None:
    """``room.state.quiz``: the open question plus the user's own answer."""
    item = open_item(session_id)
    if item is None or item.closes_at <= timezone.now():
        return None
    mine = own_answer(item, user_id) if role == p.STUDENT else None
    return {**question_body(item), "your_answer": mine}  # type: ignore[typeddict-item]


@dataclass
class QuestionSummary:
    index: int
    text: str
    answered: int
    correct: int
    share_correct: int | None  # percent of those who answered
    most_chosen_wrong: str | None
    most_chosen_wrong_count: int


def question_summaries(run: QuizRun) -> list[QuestionSummary]:
    """Per question: the share correct and the most chosen wrong answer."""
    items = list(
        QuizRunQuestion.objects.filter(run=run, closed=True)
        .select_related("question")
        .order_by("index")
    )
    wrong_ids = {
        scoring.most_chosen_wrong(item.counts, item.correct_choice_ids)
        for item in items
    }
    texts = dict(
        Choice.objects.filter(pk__in=[c for c in wrong_ids if c]).values_list(
            "pk", "text"
        )
    )
    summaries = []
    for item in items:
        wrong = scoring.most_chosen_wrong(item.counts, item.correct_choice_ids)
        summaries.append(
            QuestionSummary(
                index=item.index + 1,
                text=item.question.text,
                answered=item.answered_count,
                correct=item.correct_count,
                share_correct=(
                    round(100 * item.correct_count / item.answered_count)
                    if item.answered_count
                    else None
                ),
                most_chosen_wrong=texts.get(wrong),
                most_chosen_wrong_count=item.counts.get(str(wrong), 0) if wrong else 0,
            )
        )
    return summaries


def score_list_for_run(run: QuizRun):
    """Every student's total, best first."""
    return (
        QuizRunScore.objects.filter(run=run)
        .select_related("student")
        .order_by("rank", "student_id")
    )


def run_list_for_student(student: User):
    """Runs the student took part in (answered at least once), newest first."""
    return (
        QuizRun.objects.filter(Q(scores__student=student) | Q(answers__student=student))
        .select_related("session")
        .distinct()
        .order_by("-started_at")
    )


def student_result(run: QuizRun, student: User) -> dict | None:
    """One student's score, rank and answers in a run, or None if absent."""
    answers = list(
        QuizRunAnswer.objects.filter(run=run, student=student).values(
            "question_id", "choice__text", "correct", "points"
        )
    )
    score = QuizRunScore.objects.filter(run=run, student=student).first()
    if score is None and not answers:
        return None
    by_question = {a["question_id"]: a for a in answers}
    rows = []
    for item in (
        QuizRunQuestion.objects.filter(run=run)
        .select_related("question")
        .order_by("index")
    ):
        answer = by_question.get(item.question_id)
        rows.append(
            {
                "index": item.index + 1,
                "text": item.question.text,
                "choice": answer["choice__text"] if answer else None,
                "correct": bool(answer and answer["correct"]) if item.closed else None,
                "points": answer["points"] if answer and item.closed else 0,
            }
        )
    return {
        "score": score.score if score else 0,
        "rank": score.rank if score else None,
        "players": QuizRunScore.objects.filter(run=run).count(),
        "answers": rows,
    }


@dataclass(frozen=True)
class QuizChoice:
    pk: int
    label: str


def startable_quizzes(session, teacher: User) -> list[QuizChoice]:
    """The quiz picker of a room: one entry per quiz of the class's teachers
    that has questions, ``teacher``'s own first. Another teacher's quiz
    carries its owner's name, and quizzes whose labels would still read the
    same (one owner, one title) are numbered, so no two entries look alike."""
    quizzes = (
        Quiz.objects.filter(
            owner_id__in=session.classroom.teacher_ids(), questions__isnull=False
        )
        .select_related("owner")
        .distinct()
        .order_by("-created_at", "-pk")
    )
    own = [q for q in quizzes if q.owner_id == teacher.pk]
    others = [q for q in quizzes if q.owner_id != teacher.pk]
    labels = [
        q.title if q.owner_id == teacher.pk else f"{q.title} · {q.owner}"
        for q in own + others
    ]
    seen: dict[str, int] = {}
    choices = []
    for quiz, label in zip(own + others, labels, strict=True):
        seen[label] = seen.get(label, 0) + 1
        if labels.count(label) > 1:
            label = f"{label} ({seen[label]})"
        choices.append(QuizChoice(pk=quiz.pk, label=label))
    return choices
