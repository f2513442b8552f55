"""
Who may do what with a live session. Every view, the consumer and the quiz
ask here; what a user may not see is a 404 for the caller.
"""

from django.db.models import Q

from accounts.models import User
from classrooms.models import Classroom, Enrollment
from classrooms.permissions import managed_classrooms
from live.models import LiveSession
from live.protocol import OBSERVER, STUDENT, TEACHER


def is_teacher_of(user: User, classroom: Classroom) -> bool:
    """The one "is teacher of this room" rule: an active teacher account
    that is the class's homeroom teacher or one of its subject teachers.

    The room role ``teacher``, scheduling a session and driving the live
    quiz game all ask this.
    """
    return teaches(user, classroom.teacher_ids())


def teaches(user: User, teacher_ids) -> bool:
    """``is_teacher_of`` over the class's ``teacher_ids``, already read."""
    return (
        user.is_authenticated
        and user.is_active
        and user.is_teacher
        and user.pk in teacher_ids
    )


def room_role(user: User, session: LiveSession) -> str | None:
    """``teacher``, ``student``, ``observer`` or None (may not join)."""
    classroom = session.classroom
    return room_role_of(
        user,
        teacher_ids=classroom.teacher_ids(),
        enrolled=lambda: Enrollment.objects.filter(
            classroom=classroom, student=user
        ).exists(),
        administers=lambda: classroom.school.admins.filter(pk=user.pk).exists(),
    )


def room_role_of(user: User, *, teacher_ids, enrolled, administers) -> str | None:
    """The rule of ``room_role`` over facts the caller already has: the
    class's ``teacher_ids``, whether the user is ``enrolled`` in it and
    ``administers`` its school (each a bool, or a callable asked only when
    needed). A join reads them in one statement (``live.rooms.admission``)."""
    if not user.is_authenticated or not user.is_active:
        return None
    if teaches(user, teacher_ids):
        return TEACHER
    if user.is_student and (enrolled() if callable(enrolled) else enrolled):
        return STUDENT
    if user.is_school_admin and (
        administers() if callable(administers) else administers
    ):
        return OBSERVER
    return None


def may_hear_recording(user: User, session: LiveSession) -> bool:
    """The class (its teachers, its pupils, the school's admins) may play a
    session's recording; nobody else, parents included, hears the lecture."""
    return room_role(user, session) is not None


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


def attendance_visible_students(user: User, session: LiveSession):
    """Students whose attendance ``user`` may see: all for staff, own children."""
    students = User.objects.filter(enrollments__classroom=session.classroom)
    if managed_sessions(user).filter(pk=session.pk).exists():
        return students
    if user.is_authenticated and user.is_parent:
        return students.filter(Q(parent_links__parent=user))
    return students.none()
