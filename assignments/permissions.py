"""
May this user see or change this assignment, submission or file?

The one place that answers it for the ``assignments`` app. Views fetch
objects through these querysets with ``get_object_or_404``, so what a user
may not see is a 404 and existence is never confirmed to outsiders.

- Teachers and school admins manage the assignments of the classes they
  manage, and see the submissions of those classes' students.
- Students see the published, opened assignments of their classes and only
  their own submissions.
- Parents see what their linked children see.
- Grades and comments reach students and parents only once returned.
"""

from django.db.models import Exists, OuterRef, Q

from accounts.models import User
from classrooms.models import Enrollment
from classrooms.permissions import managed_classrooms

from .models import (
    Assignment,
    AssignmentAttachment,
    Quiz,
    Submission,
    SubmissionFile,
)


def _active(user: User) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def managed_assignments(user: User):
    """Assignments for at least one class the user manages."""
    if not _active(user) or not (user.is_teacher or user.is_school_admin):
        return Assignment.objects.none()
    return Assignment.objects.filter(classrooms__in=managed_classrooms(user)).distinct()


def visible_assignments(user: User):
    """Managed ones, plus published and opened ones of a student's classes."""
    if not _active(user):
        return Assignment.objects.none()
    if user.is_teacher or user.is_school_admin:
        return managed_assignments(user)
    if user.is_student:
        return (
            Assignment.objects.opened()
            .filter(classrooms__enrollments__student=user)
            .distinct()
        )
    if user.is_parent:
        return (
            Assignment.objects.opened()
            .filter(classrooms__enrollments__student__parent_links__parent=user)
            .distinct()
        )
    return Assignment.objects.none()


def can_manage_assignment(user: User, assignment: Assignment) -> bool:
    return managed_assignments(user).filter(pk=assignment.pk).exists()


def can_submit(user: User, assignment: Assignment) -> bool:
    """Only an enrolled student of one of the assignment's classes."""
    return (
        _active(user)
        and user.is_student
        and visible_assignments(user).filter(pk=assignment.pk).exists()
    )


def gradeable_submissions(user: User):
    """Submissions of students in classes the user manages, for those classes."""
    if not _active(user) or not (user.is_teacher or user.is_school_admin):
        return Submission.objects.none()
    taught = Enrollment.objects.filter(
        student=OuterRef("student"),
        classroom__in=managed_classrooms(user),
        classroom__assignments=OuterRef("assignment"),
    )
    return Submission.objects.filter(Exists(taught))


def visible_submissions(user: User):
    """Own submissions, a linked child's, or gradeable ones."""
    if not _active(user):
        return Submission.objects.none()
    if user.is_teacher or user.is_school_admin:
        return gradeable_submissions(user)
    if user.is_student:
        return Submission.objects.filter(student=user)
    if user.is_parent:
        return Submission.objects.filter(student__parent_links__parent=user)
    return Submission.objects.none()


def can_grade(user: User, submission: Submission) -> bool:
    return gradeable_submissions(user).filter(pk=submission.pk).exists()


def can_see_grade(user: User, submission: Submission) -> bool:
    """Teachers see grades at once; students and parents once returned."""
    if can_grade(user, submission):
        return True
    return (
        submission.is_returned
        and visible_submissions(user).filter(pk=submission.pk).exists()
    )


def visible_submission_files(user: User):
    return SubmissionFile.objects.filter(
        version__submission__in=visible_submissions(user)
    )


def visible_attachments(user: User):
    return AssignmentAttachment.objects.filter(assignment__in=visible_assignments(user))


def editable_quizzes(user: User):
    """Teachers author and reuse their own question banks."""
    if not _active(user) or not user.is_teacher:
        return Quiz.objects.none()
    return Quiz.objects.owned_by(user)


def students_for_assignment(user: User, assignment: Assignment):
    """The students a grader sees for ``assignment``: their managed classes'."""
    return User.objects.filter(
        Q(enrollments__classroom__in=managed_classrooms(user))
        & Q(enrollments__classroom__assignments=assignment),
        is_active=True,
    ).distinct()
