"""Reads for homework pages: a student's list, grading queues, gradebooks."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone

from accounts.models import User
from accounts.names import sort_people
from classrooms.models import Classroom, Enrollment
from classrooms.permissions import managed_classrooms
from classrooms.selectors import student_list_for_classroom

from . import permissions
from .models import Assignment, Submission, SubmissionStatus, SubmissionVersion

MISSING = "missing"
TO_DO = "todo"
EXCUSED = "excused"


def _student_state(
    assignment: Assignment, submission: Submission | None, now, joined_at=None
):
    if submission is not None:
        return submission.status
    if not assignment.is_past_due(now):
        return TO_DO
    if assignment.excuses_late_joiner(joined_at, now):
        return EXCUSED
    return MISSING


def _joined_at(assignments, students) -> dict[tuple[int, int], object]:
    """
    (assignment, student) → when the student first joined one of the
    assignment's classes; two queries whatever the number of rows.
    """
    links: dict[int, list[int]] = {}
    for assignment_id, classroom_id in Assignment.classrooms.through.objects.filter(
        assignment__in=assignments
    ).values_list("assignment_id", "classroom_id"):
        links.setdefault(classroom_id, []).append(assignment_id)
    joined: dict[tuple[int, int], object] = {}
    for student_id, classroom_id, created_at in Enrollment.objects.filter(
        student__in=students, classroom_id__in=links
    ).values_list("student_id", "classroom_id", "created_at"):
        for assignment_id in links[classroom_id]:
            key = (assignment_id, student_id)
            if key not in joined or created_at < joined[key]:
                joined[key] = created_at
    return joined


def assignment_list_for_student(student: User) -> dict[str, list]:
    """
    The student's homework grouped as to do, submitted, late and returned,
    plus past-due work set before the student joined the class ("optional").
    A grade appears only on returned work (security-tests AZ-13).
    """
    now = timezone.now()
    assignments = list(
        permissions.visible_assignments(student).order_by("due_at", "pk")
    )
    submissions = {
        s.assignment_id: s
        for s in Submission.objects.filter(student=student, assignment__in=assignments)
    }
    joined = _joined_at(assignments, [student])
    groups: dict[str, list] = {
        "todo": [],
        "submitted": [],
        "late": [],
        "returned": [],
        "optional": [],
    }
    for assignment in assignments:
        submission = submissions.get(assignment.pk)
        state = _student_state(
            assignment, submission, now, joined.get((assignment.pk, student.pk))
        )
        row = {"assignment": assignment, "submission": submission, "state": state}
        if state == EXCUSED:
            groups["optional"].append(row)
        elif state in (TO_DO, MISSING):
            groups["todo"].append(row)
        elif state == SubmissionStatus.RETURNED:
            groups["returned"].append(row)
        elif submission.is_late:
            groups["late"].append(row)
        else:
            groups["submitted"].append(row)
    return groups


def assignment_list_for_children(parent: User) -> list[dict]:
    """For each linked child, their homework with its state."""
    children = sort_people(User.objects.filter(parent_links__parent=parent))
    return [
        {"child": child, "groups": assignment_list_for_student(child)}
        for child in children
    ]


def assignment_list_for_teacher(user: User) -> list[Assignment]:
    """
    The homework a teacher manages, newest due date first, each with its
    classes and, counting only the pupils of classes the user manages,
    ``pupil_count``, ``submitted_count`` and ``waiting_count`` (handed in,
    not yet graded). Four queries whatever the number of assignments.
    """
    managed = managed_classrooms(user)
    assignments = list(
        permissions.managed_assignments(user)
        .prefetch_related("classrooms")
        .order_by("-due_at", "-pk")
    )
    ids = [a.pk for a in assignments]
    pupils = dict(
        Assignment.objects.filter(pk__in=ids)
        .annotate(
            n=Count(
                "classrooms__enrollments__student",
                distinct=True,
                filter=Q(
                    classrooms__in=managed,
                    classrooms__enrollments__student__is_active=True,
                ),
            )
        )
        .values_list("pk", "n")
    )
    handed_in = {
        row["assignment"]: row
        for row in permissions.gradeable_submissions(user)
        .filter(assignment__in=ids, student__is_active=True)
        .values("assignment")
        .annotate(
            n=Count("pk"),
            waiting=Count(
                "pk",
                filter=Q(
                    status__in=[SubmissionStatus.SUBMITTED, SubmissionStatus.LATE]
                ),
            ),
        )
        .order_by()
    }
    for assignment in assignments:
        row = handed_in.get(assignment.pk, {})
        assignment.pupil_count = pupils.get(assignment.pk, 0)
        assignment.submitted_count = row.get("n", 0)
        assignment.waiting_count = row.get("waiting", 0)
    return assignments


@dataclass
class QueueRow:
    student: User
    state: str
    submission: Submission | None = None


@dataclass
class GradingQueue:
    assignment: Assignment
    rows: list[QueueRow] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys([MISSING, *SubmissionStatus.values, TO_DO, EXCUSED], 0)
        for row in self.rows:
            counts[row.state] += 1
        return counts

    def neighbours(self, submission_id: int) -> tuple[int | None, int | None]:
        """Previous and next submissions, in class-list order, for navigation."""
        ids = [r.submission.pk for r in self.rows if r.submission]
        if submission_id not in ids:
            return None, None
        i = ids.index(submission_id)
        return (ids[i - 1] if i > 0 else None, ids[i + 1] if i + 1 < len(ids) else None)


def grading_queue(user: User, assignment: Assignment) -> GradingQueue:
    """Every student the grader teaches for ``assignment``, in class-list order."""
    now = timezone.now()
    students = sort_people(permissions.students_for_assignment(user, assignment))
    submissions = {
        s.student_id: s
        for s in permissions.gradeable_submissions(user).filter(assignment=assignment)
    }
    joined = _joined_at([assignment], students)
    queue = GradingQueue(assignment=assignment)
    for student in students:
        submission = submissions.get(student.pk)
        state = _student_state(
            assignment, submission, now, joined.get((assignment.pk, student.pk))
        )
        queue.rows.append(QueueRow(student=student, state=state, submission=submission))
    return queue


WAITING = [SubmissionStatus.SUBMITTED, SubmissionStatus.LATE]


def submissions_to_grade(user: User):
    """
    Every piece of work handed in and not yet graded that ``user`` grades,
    oldest first (the order it should be marked in), each with
    ``classroom_name``: the pupil's class among the homework's classes the
    user manages. A QuerySet, so the page can count it and page through it:
    nothing is ever left off silently.
    """
    class_name = Enrollment.objects.filter(
        student=OuterRef("student"),
        classroom__in=managed_classrooms(user),
        classroom__assignments=OuterRef("assignment"),
    ).values("classroom__name")[:1]
    return (
        permissions.gradeable_submissions(user)
        .filter(status__in=WAITING, student__is_active=True)
        .select_related("assignment", "student")
        .annotate(classroom_name=Subquery(class_name))
        .order_by("submitted_at", "pk")
    )


def get_submission_for_grading(submission: Submission) -> Submission:
    """A submission with every version and its files, newest version first."""
    versions = SubmissionVersion.objects.prefetch_related("files").order_by("-number")
    return (
        Submission.objects.select_related("assignment", "student")
        .prefetch_related(Prefetch("versions", queryset=versions))
        .get(pk=submission.pk)
    )


@dataclass
class Gradebook:
    classroom: Classroom
    assignments: list[Assignment]
    rows: list[dict]
    averages: list[Decimal | None]


def _average(values: list[Decimal]) -> Decimal | None:
    if not values:
        return None
    return (sum(values) / len(values)).quantize(Decimal("0.01"))


def gradebook_for_classroom(classroom: Classroom) -> Gradebook:
    """Students (Vietnamese order) × published assignments, totals, averages."""
    students = student_list_for_classroom(classroom)
    assignments = list(Assignment.objects.published().for_classroom(classroom))
    scores = {
        (s.student_id, s.assignment_id): s.score
        for s in Submission.objects.graded().filter(
            assignment__in=assignments, student__in=students
        )
    }
    submitted = set(
        Submission.objects.filter(
            assignment__in=assignments, student__in=students
        ).values_list("student_id", "assignment_id")
    )
    rows = []
    for student in students:
        cells = []
        for assignment in assignments:
            key = (student.pk, assignment.pk)
            cells.append({"score": scores.get(key), "submitted": key in submitted})
        graded = [c["score"] for c in cells if c["score"] is not None]
        rows.append(
            {
                "student": student,
                "cells": cells,
                "total": sum(graded, Decimal(0)),
                "average": _average(graded),
            }
        )
    averages = [
        _average(
            [r["cells"][i]["score"] for r in rows if r["cells"][i]["score"] is not None]
        )
        for i in range(len(assignments))
    ]
    return Gradebook(classroom, assignments, rows, averages)


HOME_ROWS = 5


def home_context(user: User) -> dict:
    """The homework part of a role home: what is due, or what is to grade."""
    if user.is_student:
        return {"homework_due": assignment_list_for_student(user)["todo"][:HOME_ROWS]}
    if user.is_teacher:
        ungraded = Count("submissions", filter=Q(submissions__status__in=WAITING))
        to_grade = (
            permissions.managed_assignments(user)
            .annotate(ungraded=ungraded)
            .filter(ungraded__gt=0)
            .prefetch_related("classrooms")
            .order_by("due_at")
        )
        return {
            "homework_to_grade": list(to_grade[:HOME_ROWS]),
            "homework_to_grade_count": to_grade.count(),
            "submissions_to_grade_count": submissions_to_grade(user).count(),
        }
    return {}
