"""
Demo homework for ``manage.py seed_demo``: in each demo class, a photo
homework with submissions (some graded and returned), an overdue one with
late and missing work, and a quiz homework. Idempotent: an assignment that
already exists (same title in the class) is left as it is.
"""

import io
from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from . import question_bank, services
from .models import Assignment, QuestionKind, Quiz
from .quiz_homework import submit_quiz_attempt

PHOTO_TITLE = "Toán: cộng trừ phân số (chụp ảnh vở)"
OVERDUE_TITLE = "Tiếng Việt: tả cảnh sân trường"
QUIZ_TITLE = "Trắc nghiệm: phân số"
QUIZ_BANK_TITLE = "Ôn tập phân số"


def notebook_photo(label: str) -> SimpleUploadedFile:
    """A generated 'photo of a notebook page' (no real child's work)."""
    image = Image.new("RGB", (1200, 1600), (250, 248, 240))
    draw = ImageDraw.Draw(image)
    for y in range(120, 1600, 60):
        draw.line([(60, y), (1140, y)], fill=(170, 190, 230), width=2)
    draw.line([(140, 0), (140, 1600)], fill=(230, 120, 120), width=3)
    for row, text in enumerate([label, "1/2 + 1/3 = 5/6", "3/4 - 1/2 = 1/4"]):
        draw.text((170, 140 + row * 120), text, fill=(30, 40, 120))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return SimpleUploadedFile("bai-lam.jpg", buffer.getvalue(), "image/jpeg")


def _existing(classroom, title):
    return Assignment.objects.filter(classrooms=classroom, title=title).first()


def _quiz_for(teacher) -> Quiz:
    quiz = Quiz.objects.filter(owner=teacher, title=QUIZ_BANK_TITLE).first()
    if quiz:
        return quiz
    quiz = question_bank.create_quiz(owner=teacher, title=QUIZ_BANK_TITLE)
    question_bank.add_question(
        quiz=quiz,
        by=teacher,
        kind=QuestionKind.SINGLE,
        text="1/2 + 1/4 = ?",
        choices=[("3/4", True), ("2/6", False), ("1/6", False)],
        explanation="Quy đồng mẫu số: 2/4 + 1/4 = 3/4.",
    )
    question_bank.add_question(
        quiz=quiz,
        by=teacher,
        kind=QuestionKind.MULTIPLE,
        text="Phân số nào bằng 1/2?",
        choices=[("2/4", True), ("3/6", True), ("2/3", False)],
    )
    question_bank.add_question(
        quiz=quiz,
        by=teacher,
        kind=QuestionKind.TRUE_FALSE,
        text="3/5 lớn hơn 1/2.",
        true_is_correct=True,
    )
    question_bank.add_question(
        quiz=quiz,
        by=teacher,
        kind=QuestionKind.NUMERIC,
        text="Viết 3/4 dưới dạng số thập phân.",
        numeric_answer=Decimal("0.75"),
        tolerance=Decimal("0.001"),
    )
    return quiz


def _demo_answers(quiz: Quiz, right: int) -> dict:
    """Answers with the first ``right`` questions correct, the rest wrong."""
    answers = {}
    for index, question in enumerate(quiz.questions.prefetch_related("choices")):
        correct = index < right
        if question.kind == QuestionKind.NUMERIC:
            value = question.numeric_answer if correct else question.numeric_answer + 1
            answers[str(question.pk)] = str(value)
        else:
            picked = [c.pk for c in question.choices.all() if c.is_correct == correct]
            answers[str(question.pk)] = [
                str(pk) for pk in picked[:1] if not correct
            ] or [str(pk) for pk in picked]
    return answers


def _submit_photo(assignment, student):
    return services.submit_assignment(
        assignment=assignment,
        student=student,
        idempotency_key=f"demo-{assignment.pk}-{student.pk}",
        text="Em nộp bài ạ.",
        photos=[notebook_photo(student.display_name)],
    )


def seed_classroom(classroom, teacher, students, stdout) -> None:
    now = timezone.now()
    if not _existing(classroom, PHOTO_TITLE):
        homework = services.create_assignment(
            by=teacher,
            classrooms=[classroom],
            title=PHOTO_TITLE,
            instructions="<p>Làm bài 1–4 trang 45, chụp ảnh vở và nộp.</p>",
            due_at=now + timedelta(days=3),
            rubric=[
                {"name": "Đáp số", "points": "6"},
                {"name": "Trình bày", "points": "4"},
            ],
            publish=True,
        )
        for index, student in enumerate(students[:6]):
            submission = _submit_photo(homework, student)
            if index < 3:
                services.grade_submission(
                    submission=submission,
                    by=teacher,
                    score=Decimal(7 + index),
                    comment="Làm đúng, trình bày cần gọn hơn.",
                )
            if index < 2:
                services.return_submission(submission=submission, by=teacher)
    if not _existing(classroom, OVERDUE_TITLE):
        overdue = services.create_assignment(
            by=teacher,
            classrooms=[classroom],
            title=OVERDUE_TITLE,
            instructions="<p>Viết một đoạn văn 8–10 câu.</p>",
            opens_at=now - timedelta(days=7),
            due_at=now - timedelta(days=1),
            publish=True,
        )
        for student in students[:2]:
            services.submit_assignment(
                assignment=overdue,
                student=student,
                idempotency_key=f"demo-late-{overdue.pk}-{student.pk}",
                text="Sân trường em rộng và có nhiều cây phượng.",
            )
    if not _existing(classroom, QUIZ_TITLE):
        quiz_homework = services.create_assignment(
            by=teacher,
            classrooms=[classroom],
            title=QUIZ_TITLE,
            kind="quiz",
            quiz=_quiz_for(teacher),
            due_at=now + timedelta(days=5),
            show_correct_answers=True,
            publish=True,
        )
        for variant, student in enumerate(students[:3]):
            submit_quiz_attempt(
                assignment=quiz_homework,
                student=student,
                answers=_demo_answers(quiz_homework.quiz, right=4 - variant),
            )
    stdout.write(f"  homework     : {classroom.name} ready")


def seed(demo, stdout) -> None:
    """Add the demo homework to every demo class (idempotent)."""
    for classroom in demo.classrooms:
        teacher = classroom.homeroom_teacher
        students = demo.students.get(classroom.name, [])
        if teacher is None or not students:
            continue
        seed_classroom(classroom, teacher, students, stdout)
