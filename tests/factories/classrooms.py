import factory

from classrooms.models import Classroom, Enrollment, ParentLink, School

from .accounts import TeacherFactory

__all__ = [
    "SchoolFactory",
    "ClassroomFactory",
    "EnrollmentFactory",
    "ParentLinkFactory",
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
