"""Reads for homework pages: a student's list, grading queues, gradebooks."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from accounts.models import User
from accounts.names import sort_people
from classrooms.models import Classroom
from classrooms.selectors import student_list_for_classroom

from . import permissions
from .models import Assignment, Submission, SubmissionStatus, SubmissionVersion

MISSING = "missing"
TO_DO = "todo"


def _student_state(assignment: Assignment, submission: Submission | None, now):
    if submission is None:
        return MISSING if assignment.is_past_due(now) else TO_DO
    return submission.status


def assignment_list_for_student(student: User) -> dict[str, list]:
    """
    The student's homework grouped as to do, submitted, late and returned.
    A grade appears only on returned work (security-tests AZ-13).
    """
    now = timezone.now()
    assignments = permissions.visible_assignments(student).order_by("due_at", "pk")
    submissions = {
        s.assignment_id: s
        for s in Submission.objects.filter(student=student, assignment__in=assignments)
    }
    groups: dict[str, list] = {"todo": [], "submitted": [], "late": [], "returned": []}
    for assignment in assignments:
        submission = submissions.get(assignment.pk)
        state = _student_state(assignment, submission, now)
        row = {"assignment": assignment, "submission": submission, "state": state}
        if state in (TO_DO, MISSING):
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
        counts = dict.fromkeys([MISSING, *SubmissionStatus.values, TO_DO], 0)
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
    queue = GradingQueue(assignment=assignment)
    for student in students:
        submission = submissions.get(student.pk)
        state = _student_state(assignment, submission, now)
        queue.rows.append(QueueRow(student=student, state=state, submission=submission))
    return queue


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


def home_context(user: User) -> dict:
    """The homework part of a role home: what is due, or what is to grade."""
    if user.is_student:
        return {"homework_due": assignment_list_for_student(user)["todo"][:5]}
    if user.is_teacher:
        ungraded = Count(
            "submissions",
            filter=Q(
                submissions__status__in=[
                    SubmissionStatus.SUBMITTED,
                    SubmissionStatus.LATE,
                ]
            ),
        )
        to_grade = (
            permissions.managed_assignments(user)
            .annotate(ungraded=ungraded)
            .filter(ungraded__gt=0)
            .prefetch_related("classrooms")
            .order_by("due_at")[:5]
        )
        return {"homework_to_grade": list(to_grade)}
    return {}
