"""Reads of kept quiz runs for the results pages."""

from dataclasses import dataclass

from django.db.models import Q

from accounts.models import User
from assignments.models import Choice

from . import quiz_scoring as scoring
from .quiz_models import QuizAnswer, QuizRun, QuizRunQuestion, QuizRunScore


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


def run_list_for_session(session_id: int):
    return QuizRun.objects.filter(session_id=session_id).order_by("-started_at")


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
        QuizAnswer.objects.filter(run=run, student=student).values(
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
