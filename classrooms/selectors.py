"""Reads about classrooms used in several places."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q

from accounts.models import User
from accounts.names import sort_people, vietnamese_name_key

from .models import Classroom, ParentLink, School


def student_list_for_classroom(classroom: Classroom) -> list[User]:
    """The class list in Vietnamese order (given name first)."""
    students = User.objects.filter(enrollments__classroom=classroom, is_active=True)
    return sort_people(students)


def children_for_parent(parent: User) -> list[User]:
    children = User.objects.filter(parent_links__parent=parent)
    return sort_people(children)


def student_and_parent_ids(
    *,
    classrooms: Iterable[Classroom] | None = None,
    students: Iterable[User | int] | None = None,
    with_parents: bool = True,
) -> set[int]:
    """
    Who hears about a class's or a student's work: the ids of the active
    students of ``classrooms`` (or of exactly ``students``) and, unless
    ``with_parents`` is off, of their linked parents.
    """
    student_ids: set[int] = set()
    if classrooms is not None:
        student_ids |= set(
            User.objects.filter(
                enrollments__classroom__in=list(classrooms), is_active=True
            ).values_list("pk", flat=True)
        )
    if students is not None:
        student_ids |= {getattr(student, "pk", student) for student in students}
    if not with_parents or not student_ids:
        return student_ids
    parent_ids = ParentLink.objects.filter(student_id__in=student_ids).values_list(
        "parent_id", flat=True
    )
    return student_ids | set(parent_ids)


def classroom_list_for_user(user: User):
    """The classes to show on a user's home, whatever their role."""
    if user.is_student:
        return Classroom.objects.attended_by(user).select_related("school")
    if user.is_teacher:
        return Classroom.objects.taught_by(user).select_related("school")
    return Classroom.objects.visible_to(user).select_related("school")


def classroom_cards_for_user(user: User) -> list[Classroom]:
    """Classes for a home page, each with ``student_count`` and its teachers."""
    return list(
        classroom_list_for_user(user)
        .select_related("homeroom_teacher")
        .annotate(student_count=Count("enrollments", distinct=True))
        .order_by("-school_year", "grade", "name")
    )


@dataclass
class ChildCard:
    """A parent's child with the link (to unlink) and the child's classes."""

    link: ParentLink
    student: User
    classrooms: list[Classroom]


def child_cards_for_parent(parent: User) -> list[ChildCard]:
    links = ParentLink.objects.filter(parent=parent).select_related("student")
    cards = [
        ChildCard(
            link=link,
            student=link.student,
            classrooms=list(
                Classroom.objects.attended_by(link.student).select_related("school")
            ),
        )
        for link in links
    ]
    return sorted(
        cards, key=lambda card: vietnamese_name_key(card.student.display_name)
    )


@dataclass
class SchoolOverview:
    """What a school admin sees of one school: classes and people."""

    school: School
    classrooms: list[Classroom]
    teachers: list[User]
    students: list[User]
    parent_links: list[ParentLink]


def school_overviews_for_admin(user: User) -> list[SchoolOverview]:
    """Each school ``user`` administers, with its classes, staff and families."""
    overviews = []
    for school in School.objects.filter(admins=user):
        students = User.objects.filter(enrollments__classroom__school=school).distinct()
        links = ParentLink.objects.filter(student__in=students).select_related(
            "parent", "student"
        )
        overviews.append(
            SchoolOverview(
                school=school,
                classrooms=list(
                    school.classrooms.select_related("homeroom_teacher")
                    .annotate(student_count=Count("enrollments", distinct=True))
                    .order_by("-school_year", "grade", "name")
                ),
                teachers=sort_people(school.staff.all()),
                students=sort_people(students),
                parent_links=sorted(
                    links,
                    key=lambda link: (
                        vietnamese_name_key(link.parent.display_name),
                        vietnamese_name_key(link.student.display_name),
                    ),
                ),
            )
        )
    return overviews


def schools_for_new_classroom(user: User):
    """Schools in which ``user`` may open a class: taught at or administered."""
    if not user.is_authenticated or not user.is_active:
        return School.objects.none()
    if user.is_teacher:
        return School.objects.filter(Q(staff=user) | Q(admins=user)).distinct()
    return School.objects.filter(admins=user)


def teacher_list_for_classroom(classroom: Classroom) -> list[User]:
    """The homeroom teacher first, then subject teachers in name order."""
    subject = [
        t for t in classroom.teachers.all() if t.pk != classroom.homeroom_teacher_id
    ]
    homeroom = [classroom.homeroom_teacher] if classroom.homeroom_teacher_id else []
    return homeroom + sort_people(subject)


def parent_links_for_student(student: User) -> list[ParentLink]:
    links = ParentLink.objects.filter(student=student).select_related("parent")
    return sorted(links, key=lambda link: vietnamese_name_key(link.parent.display_name))
