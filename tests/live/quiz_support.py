"""Shared set-up for the realtime quiz tests (a class, a live session, a quiz)."""

from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

from assignments.models import Choice, Question, Quiz
from classrooms.services import enroll_student
from live.models import LiveSession, QuizRun, RunStatus, SessionStatus
from live.quiz import choice_ids
from live.quiz.services import AnswerIn
from tests.factories import ClassroomFactory, StudentFactory


@dataclass
class QuizRoom:
    classroom: object
    teacher: object
    session: LiveSession
    quiz: Quiz
    students: list = field(default_factory=list)

    def question(self, index: int) -> Question:
        return self.quiz.questions.order_by("position", "pk")[index]

    def right(self, index: int) -> Choice:
        return self.question(index).choices.get(is_correct=True)

    def wrong(self, index: int, which: int = 0) -> Choice:
        return list(self.question(index).choices.filter(is_correct=False))[which]


def make_quiz(owner, *, questions: int = 2, time_limit: int = 20, title="Phân số"):
    quiz = Quiz.objects.create(owner=owner, title=title)
    for q in range(questions):
        question = Question.objects.create(
            quiz=quiz,
            position=q,
            text=f"Câu {q + 1}: 1/2 + 1/{q + 2} = ?",
            time_limit_seconds=time_limit,
            explanation="Quy đồng mẫu số.",
        )
        for c in range(4):
            Choice.objects.create(
                question=question, position=c, text=f"Đáp án {c}", is_correct=c == 1
            )
    return quiz


def make_room(*, students: int = 3, questions: int = 2, time_limit: int = 20):
    classroom = ClassroomFactory()
    teacher = classroom.homeroom_teacher
    session = LiveSession.objects.create(
        classroom=classroom,
        title="Toán 6A",
        scheduled_at=timezone.now(),
        status=SessionStatus.LIVE,
        opened_at=timezone.now(),
        created_by=teacher,
    )
    quiz = make_quiz(teacher, questions=questions, time_limit=time_limit)
    room = QuizRoom(classroom, teacher, session, quiz)
    for _ in range(students):
        student = StudentFactory()
        enroll_student(classroom=classroom, student=student)
        room.students.append(student)
    return room


def on_wire(choice) -> int:
    """The id under which the running run of the choice's quiz shows it."""
    choice = choice if hasattr(choice, "question_id") else Choice.objects.get(pk=choice)
    run_id = QuizRun.objects.get(
        quiz_id=choice.question.quiz_id, status=RunStatus.RUNNING
    ).pk
    pks = Choice.objects.filter(question_id=choice.question_id).values_list(
        "pk", flat=True
    )
    return choice_ids.wire_ids(run_id, pks)[choice.pk]


def answer(room, student, question, choice, client_id, at: datetime | None = None):
    """A ``quiz.answer`` of ``choice`` (a Choice, as shown; an int, as sent)."""
    return AnswerIn(
        session_id=room.session.pk,
        student_id=student.pk,
        question_id=question.pk if hasattr(question, "pk") else question,
        choice_id=on_wire(choice) if hasattr(choice, "pk") else choice,
        client_id=client_id,
        received_at=at or timezone.now(),
    )


# Key names that would hint at the answer key in what students receive.
ANSWER_KEY_WORDS = ("correct", "answer", "explanation", "score", "points")


def answer_key_paths(payload, path=""):
    """Every key path in a payload whose name hints at the answer key."""
    found = []
    if isinstance(payload, dict):
        for key, value in payload.items():
            if any(word in key.lower() for word in ANSWER_KEY_WORDS):
                found.append(f"{path}.{key}")
            found.extend(answer_key_paths(value, f"{path}.{key}"))
    elif isinstance(payload, list):
        for i, value in enumerate(payload):
            found.extend(answer_key_paths(value, f"{path}[{i}]"))
    return found
