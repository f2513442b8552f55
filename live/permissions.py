"""
Who may do what with a live session. Every view and the consumer ask here;
what a user may not see is a 404 for the caller.
"""

from django.db.models import Q

from accounts.models import User
from classrooms.models import Classroom, Enrollment
from classrooms.permissions import managed_classrooms

from .models import LiveSession
from .protocol import OBSERVER, STUDENT, TEACHER


def room_role(user: User, session: LiveSession) -> str | None:
    """``teacher``, ``student``, ``observer`` or None (may not join)."""
    if not user.is_authenticated or not user.is_active:
        return None
    classroom = session.classroom
    if classroom.homeroom_teacher_id == user.pk or (
        classroom.teachers.filter(pk=user.pk).exists()
    ):
        return TEACHER
    if (
        user.is_student
        and Enrollment.objects.filter(classroom=classroom, student=user).exists()
    ):
        return STUDENT
    if user.is_school_admin and classroom.school.admins.filter(pk=user.pk).exists():
        return OBSERVER
    return None


def visible_sessions(user: User):
    """Sessions of classes the user teaches, attends, administers or parents."""
    if not user.is_authenticated or not user.is_active:
        return LiveSession.objects.none()
    return LiveSession.objects.filter(
        classroom__in=Classroom.objects.visible_to(user)
    ).select_related("classroom")


def managed_sessions(user: User):
    """Sessions a user may open, end and report on."""
    if not user.is_authenticated or not user.is_active:
        return LiveSession.objects.none()
    return LiveSession.objects.filter(
        classroom__in=managed_classrooms(user)
    ).select_related("classroom")


def can_create_session(user: User, classroom: Classroom) -> bool:
    return user.is_teacher and room_role_for_classroom(user, classroom) == TEACHER


def room_role_for_classroom(user: User, classroom: Classroom) -> str | None:
    if classroom.homeroom_teacher_id == user.pk:
        return TEACHER
    return TEACHER if classroom.teachers.filter(pk=user.pk).exists() else None


def attendance_visible_students(user: User, session: LiveSession):
    """Students whose attendance ``user`` may see: all for staff, own children."""
    students = User.objects.filter(enrollments__classroom=session.classroom)
    if managed_sessions(user).filter(pk=session.pk).exists():
        return students
    if user.is_authenticated and user.is_parent:
        return students.filter(Q(parent_links__parent=user))
    return students.none()
