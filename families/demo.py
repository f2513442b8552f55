"""
Demo data for the parent pages (runs after the homework and live seeders).

The demo parent's children are the first pupils of their classes, who hand
everything in on time in the homework demo; a parent page with nothing
missing shows little. So each class also gets one overdue exercise that
half the class (including those children) has not handed in.
"""

from datetime import timedelta

from django.utils import timezone

from assignments import services as homework
from assignments.models import Assignment

MISSING_TITLE = "Tiếng Anh: Unit 2 — viết 5 câu về gia đình"


def seed(demo, stdout) -> None:
    now = timezone.now()
    for classroom in demo.classrooms:
        teacher = classroom.homeroom_teacher
        students = demo.students.get(classroom.name, [])
        if teacher is None or not students:
            continue
        if Assignment.objects.filter(classrooms=classroom, title=MISSING_TITLE):
            continue
        exercise = homework.create_assignment(
            by=teacher,
            classrooms=[classroom],
            title=MISSING_TITLE,
            instructions="<p>Write five sentences about your family.</p>",
            opens_at=now - timedelta(days=6),
            due_at=now - timedelta(days=2),
            publish=True,
        )
        # The second half of the class handed it in; the first half did not.
        for student in students[len(students) // 2 :]:
            homework.submit_assignment(
                assignment=exercise,
                student=student,
                idempotency_key=f"demo-missing-{exercise.pk}-{student.pk}",
                text="My family has four people.",
            )
    # An address for the first demo parent, so the worker shows the weekly
    # summary and notification emails (console backend in development).
    parent = demo.parents[0] if demo.parents else None
    if parent is not None and not parent.email:
        parent.email = f"{parent.username}@demo.lophoc.vn"
        parent.save(update_fields=["email"])
    stdout.write("  parents      : overdue exercise for the parent pages ready")
