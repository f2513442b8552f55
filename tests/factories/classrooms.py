from types import SimpleNamespace

import factory

from classrooms.models import Classroom, Enrollment, ParentLink, School

from .accounts import ParentFactory, SchoolAdminFactory, StudentFactory, TeacherFactory

__all__ = [
    "SchoolFactory",
    "ClassroomFactory",
    "EnrollmentFactory",
    "ParentLinkFactory",
    "build_authz_world",
]


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    name = factory.Sequence(lambda n: f"Trường THCS Số {n}")
    slug = factory.Sequence(lambda n: f"school-{n}")


class ClassroomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Classroom
        skip_postgeneration_save = True

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"6A{n}")
    grade = 6
    school_year = "2026-2027"
    homeroom_teacher = factory.SubFactory(TeacherFactory)

    @factory.post_generation
    def _staff(obj, create, extracted, **kwargs):
        if create and obj.homeroom_teacher_id:
            obj.school.staff.add(obj.homeroom_teacher)


class EnrollmentFactory(factory.django.DjangoModelFactory):
    """Prefer ``classrooms.services.enroll_student`` in tests; this is for bulk setup."""

    class Meta:
        model = Enrollment

    classroom = factory.SubFactory(ClassroomFactory)
    student = factory.SubFactory("tests.factories.accounts.StudentFactory")


class ParentLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ParentLink

    parent = factory.SubFactory("tests.factories.accounts.ParentFactory")
    student = factory.SubFactory("tests.factories.accounts.StudentFactory")


def _authz_school(prefix: str):
    from classrooms import services

    school = SchoolFactory()
    admin = SchoolAdminFactory()
    school.admins.add(admin)
    t1, t2 = TeacherFactory(), TeacherFactory()
    c1 = ClassroomFactory(school=school, name=f"{prefix}1", homeroom_teacher=t1)
    c2 = ClassroomFactory(school=school, name=f"{prefix}2", homeroom_teacher=t2)
    students = StudentFactory.create_batch(4)
    for student in students[:2]:
        services.enroll_student(classroom=c1, student=student)
    for student in students[2:]:
        services.enroll_student(classroom=c2, student=student)
    return school, admin, (t1, t2), (c1, c2), students


def build_authz_world() -> SimpleNamespace:
    """
    The authorization fixture of ../shared/security-tests.md, built through
    the services: schools A and B, each with an admin and classes C1/C2
    (A, teachers T1/T2) or C3/C4 (B, T3/T4) of two students each
    (S1-S2 in C1, S3-S4 in C2, S5-S6 in C3, S7-S8 in C4); parents P1 (child
    S1), P2 (S2 and S3, one in each class of school A) and P3 (no children).
    """
    from classrooms import services

    school_a, admin_a, (t1, t2), (c1, c2), (s1, s2, s3, s4) = _authz_school("6A")
    school_b, admin_b, (t3, t4), (c3, c4), (s5, s6, s7, s8) = _authz_school("7B")
    p1, p2, p3 = ParentFactory(), ParentFactory(), ParentFactory()
    for parent, child, teacher in ((p1, s1, t1), (p2, s2, t1), (p2, s3, t2)):
        invite = services.create_parent_invite(student=child, by=teacher)
        services.link_parent_by_code(parent=parent, code=invite.code)
    return SimpleNamespace(**locals())
