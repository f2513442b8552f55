"""
``python manage.py seed_loadtest --students N``: a class of N students, its
teacher, one open live session and a quiz of 5 questions, for load tests.

Fast on purpose: users, enrolments and choices go in with ``bulk_create``
and every student shares one password hash computed once (hashing is what
makes creating thousands of accounts slow). Prints one JSON line with
``session_id`` and ``quiz_id``; then ``live_tickets <session_id> --users all``
gives the tickets.
"""

import json
import secrets

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from assignments.models import Choice, Question, Quiz
from classrooms.models import Classroom, Enrollment, School
from live.models import LiveSession, SessionStatus

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"]
MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Quốc", "Thu", "Hữu", "Gia"]
GIVEN = ["An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Khánh", "Linh", "Mai", "Nam"]


class Command(BaseCommand):
    help = (
        "Create a class of N students with an open live session and a 5-question quiz."
    )

    def add_arguments(self, parser):
        parser.add_argument("--students", type=int, default=1000)
        parser.add_argument("--questions", type=int, default=5)
        parser.add_argument("--time-limit", type=int, default=20, help="seconds")
        parser.add_argument(
            "--password",
            default="",
            help="shared password of every created account (random if empty)",
        )

    def handle(self, *args, students, questions, time_limit, password, **options):
        if not 1 <= students <= 100_000 or not 1 <= questions <= 50:
            raise CommandError("--students 1..100000, --questions 1..50")
        if not 5 <= time_limit <= 600:
            raise CommandError("--time-limit 5..600")
        password = password or secrets.token_urlsafe(12)
        tag = timezone.now().strftime("%m%d%H%M%S") + secrets.token_hex(2)
        with transaction.atomic():
            result = self._seed(tag, students, questions, time_limit, password)
        self.stdout.write(json.dumps(result))

    def _seed(self, tag, n, questions, time_limit, password):
        hashed = make_password(password)
        teacher, classroom = _class_with_teacher(tag, hashed)
        _students(classroom, tag, n, hashed)
        now = timezone.now()
        session = LiveSession.objects.create(
            classroom=classroom,
            title=f"Thử tải {n} học sinh",
            scheduled_at=now,
            status=SessionStatus.LIVE,
            opened_at=now,
            created_by=teacher,
        )
        quiz = _quiz(teacher, tag, questions, time_limit)
        return {
            "session_id": session.pk,
            "quiz_id": quiz.pk,
            "classroom_id": classroom.pk,
            "teacher": teacher.username,
            "students": n,
            "password": password,
        }


def _class_with_teacher(tag: str, hashed: str) -> tuple[User, Classroom]:
    school = School.objects.create(name=f"Trường thử tải {tag}", slug=f"lt-{tag}")
    teacher = User.objects.create(
        username=f"lt{tag}-teacher",
        display_name="Giáo viên Thử Tải",
        role=Role.TEACHER,
        password=hashed,
    )
    school.staff.add(teacher)
    classroom = Classroom.objects.create(
        school=school,
        name="LT",
        grade=6,
        school_year="2026-2027",
        homeroom_teacher=teacher,
    )
    return teacher, classroom


def _students(classroom: Classroom, tag: str, n: int, hashed: str) -> None:
    users = User.objects.bulk_create(
        [
            User(
                username=f"lt{tag}-s{i:05d}",
                display_name=(
                    f"{FAMILY[i % 10]} {MIDDLE[i % 8]} {GIVEN[(i // 10) % 10]}"
                ),
                role=Role.STUDENT,
                password=hashed,
            )
            for i in range(n)
        ],
        batch_size=2000,
    )
    if any(u.pk is None for u in users):  # backends without RETURNING
        users = list(User.objects.filter(username__startswith=f"lt{tag}-s"))
    Enrollment.objects.bulk_create(
        [Enrollment(classroom=classroom, student=u) for u in users],
        batch_size=2000,
    )


def _quiz(teacher: User, tag: str, questions: int, time_limit: int) -> Quiz:
    """A question bank of ``questions`` sums, four choices each."""
    quiz = Quiz.objects.create(owner=teacher, title=f"Ôn tập thử tải {tag}")
    choices = []
    for q in range(questions):
        question = Question.objects.create(
            quiz=quiz,
            position=q,
            text=f"Câu {q + 1}: {q + 2} × {q + 3} = ?",
            time_limit_seconds=time_limit,
        )
        right = (q + 2) * (q + 3)
        for c, value in enumerate([right - 1, right, right + 1, right + 2]):
            choices.append(
                Choice(
                    question=question,
                    position=c,
                    text=str(value),
                    is_correct=value == right,
                )
            )
    Choice.objects.bulk_create(choices)
    return quiz
