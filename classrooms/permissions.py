"""
May this user see or change this school, classroom, enrolment or parent link?

The one place that answers it for the ``classrooms`` app; every view asks
here. What a user may not see is answered with 404 by the caller
(``get_object_or_404(visible_classrooms(user), pk=...)``), so existence is
never confirmed to outsiders.
"""

from django.db.models import Q

from accounts.models import User

from .models import Classroom, Enrollment, ParentLink, School


def visible_classrooms(user: User):
    return Classroom.objects.visible_to(user)


def managed_classrooms(user: User):
    return Classroom.objects.managed_by(user)


def can_manage_classroom(user: User, classroom: Classroom) -> bool:
    return managed_classrooms(user).filter(pk=classroom.pk).exists()


def can_view_roster(user: User, classroom: Classroom) -> bool:
    """Teachers and school admins see the roster; students and parents don't."""
    return can_manage_classroom(user, classroom)


def administered_schools(user: User):
    if not user.is_authenticated or not user.is_active:
        return School.objects.none()
    return School.objects.filter(admins=user)


def can_administer_school(user: User, school: School) -> bool:
    return administered_schools(user).filter(pk=school.pk).exists()


def can_manage_student(user: User, student: User) -> bool:
    """Teachers of one of the student's classes and admins of their school."""
    return Enrollment.objects.filter(
        student=student, classroom__in=managed_classrooms(user)
    ).exists()


def home_classroom_id(student: User) -> int | None:
    """
    The class that owns a pupil's account: the one they were first enrolled
    in (the roster import or the first code they typed). Classes joined
    later by code get the class's work, never the account.
    """
    return (
        Enrollment.objects.filter(student=student)
        .order_by("created_at", "pk")
        .values_list("classroom_id", flat=True)
        .first()
    )


def may_join_by_code(student: User, classroom: Classroom) -> bool:
    """
    A pupil joins classes of their home school by code; a class of another
    school only where that school takes outside pupils (issue #11). A pupil
    with no class yet has no home school, so their first code makes one.
    """
    home = home_classroom_id(student)
    if home is None or home == classroom.pk:
        return True
    home_school_id = (
        Classroom.objects.filter(pk=home).values_list("school_id", flat=True).first()
    )
    return (
        home_school_id == classroom.school_id or classroom.school.allow_external_pupils
    )


def can_manage_account(user: User, student: User) -> bool:
    """
    Account-level powers (password reset, parent invites): teachers of the
    pupil's home class and admins of its school (issue #11), not the
    teachers of a class the pupil later joined by code.
    """
    home = home_classroom_id(student)
    return home is not None and managed_classrooms(user).filter(pk=home).exists()


def is_parent_of(user: User, student: User) -> bool:
    return ParentLink.objects.filter(parent=user, student=student).exists()


def removable_parent_links(user: User):
    """Links ``user`` may remove: their own as a parent, or their school's."""
    if not user.is_authenticated or not user.is_active:
        return ParentLink.objects.none()
    return ParentLink.objects.filter(
        Q(parent=user)
        | Q(student__enrollments__classroom__school__in=administered_schools(user))
    ).distinct()


def can_remove_parent_link(user: User, link: ParentLink) -> bool:
    """The parent themself, or an admin of the child's home school."""
    if not user.is_authenticated or not user.is_active:
        return False
    if link.parent_id == user.pk:
        return True
    home = home_classroom_id(link.student)
    return home is not None and (
        administered_schools(user).filter(classrooms__pk=home).exists()
    )


def roster_students(user: User, classroom: Classroom):
    """Students of ``classroom`` whose records ``user`` may open (or none)."""
    if not can_view_roster(user, classroom):
        return User.objects.none()
    return User.objects.filter(enrollments__classroom=classroom)
