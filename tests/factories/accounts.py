import factory
from faker import Faker

from accounts.models import Role, User

__all__ = [
    "UserFactory",
    "TeacherFactory",
    "StudentFactory",
    "ParentFactory",
    "SchoolAdminFactory",
]

fake_vi = Faker("vi_VN")
TEST_PASSWORD = "mat-khau-thu-nghiem-123"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.LazyFunction(fake_vi.name)
    role = Role.STUDENT
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class TeacherFactory(UserFactory):
    username = factory.Sequence(lambda n: f"teacher{n}")
    role = Role.TEACHER
    email = factory.Sequence(lambda n: f"teacher{n}@school.example")


class StudentFactory(UserFactory):
    username = factory.Sequence(lambda n: f"student{n}")
    role = Role.STUDENT


class ParentFactory(UserFactory):
    username = factory.Sequence(lambda n: f"parent{n}")
    role = Role.PARENT
    email = factory.Sequence(lambda n: f"parent{n}@family.example")


class SchoolAdminFactory(UserFactory):
    username = factory.Sequence(lambda n: f"admin{n}")
    role = Role.SCHOOL_ADMIN
    email = factory.Sequence(lambda n: f"admin{n}@school.example")
