"""
The demo school for ``manage.py seed_demo``: Trường THCS Nguyễn Du with a
school admin, two teachers, classes 6A and 6B of 30 pupils each, and a parent
account for every pupil (one parent has a child in each class).

Everything is looked up by username or slug, so seeding twice changes
nothing. The demo password is hashed once and the encoded hash reused,
because hashing 100+ passwords with Argon2 would take most of a minute.
"""

from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction

from accounts.models import Role, User

from .models import Classroom, ParentLink, School
from .services import enroll_student

DEMO_PASSWORD = "lophoc-demo"  # noqa: S105 (printed on purpose: demo only)
SCHOOL_SLUG = "thcs-nguyen-du"
SCHOOL_NAME = "Trường THCS Nguyễn Du"
SCHOOL_YEAR = "2026-2027"
STUDENTS_PER_CLASS = 30

FAMILY_NAMES = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ",
    "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý",
]  # fmt: skip
MIDDLE_NAMES = [
    "Văn", "Thị", "Minh", "Ngọc", "Gia", "Bảo", "Thanh", "Đức", "Khánh",
    "Quỳnh", "Hữu", "Phương", "Anh", "Tuấn", "Thu",
]  # fmt: skip
GIVEN_NAMES = [
    "An", "Anh", "Bình", "Châu", "Chi", "Cường", "Dũng", "Dương", "Đạt",
    "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa", "Huy", "Hương", "Khoa",
    "Khôi", "Lan", "Linh", "Long", "Mai", "Minh", "My", "Nam", "Ngân",
    "Nhi", "Phúc", "Quân", "Quyên", "Sơn", "Tâm", "Thảo", "Trang", "Tú",
    "Uyên", "Việt", "Vy", "Yến",
]  # fmt: skip
PARENT_GIVEN_NAMES = [
    "Hùng", "Thắng", "Tuyết", "Hằng", "Lộc", "Nga", "Quang", "Thúy",
    "Toàn", "Hiền", "Kiên", "Loan", "Phong", "Oanh", "Trung", "Xuân",
]  # fmt: skip


@dataclass
class DemoSchool:
    """What ``seed`` built, handed to the per-app seeders of higher layers."""

    school: School
    admin: User
    teachers: list[User]
    classrooms: list[Classroom]
    students: dict[str, list[User]] = field(default_factory=dict)
    parents: list[User] = field(default_factory=list)
    password: str = DEMO_PASSWORD


def student_name(class_index: int, number: int) -> str:
    """A deterministic, real-looking Vietnamese name for pupil ``number``."""
    seed = class_index * STUDENTS_PER_CLASS + number
    family = FAMILY_NAMES[(seed * 7) % len(FAMILY_NAMES)]
    middle = MIDDLE_NAMES[(seed * 5 + class_index) % len(MIDDLE_NAMES)]
    given = GIVEN_NAMES[(seed * 11 + 3) % len(GIVEN_NAMES)]
    if class_index == 1 and number == 1:
        # Sibling of the first pupil of 6A: same family, same parent.
        family = student_name(0, 1).split()[0]
    return f"{family} {middle} {given}"


def _user(username: str, display_name: str, role: str, encoded: str, **extra) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "display_name": display_name,
            "role": role,
            "password": encoded,
            **extra,
        },
    )
    return user


@transaction.atomic
def seed() -> DemoSchool:
    """Create (or find) the demo school and return what it holds."""
    encoded = make_password(DEMO_PASSWORD)
    school, _created = School.objects.get_or_create(
        slug=SCHOOL_SLUG, defaults={"name": SCHOOL_NAME}
    )
    admin = _user(
        "quantri", "Phạm Thị Hồng", Role.SCHOOL_ADMIN, encoded,
        email="quantri@thcs-nguyendu.example",
    )  # fmt: skip
    school.admins.add(admin)
    teachers = [
        _user(
            "gv.lan", "Nguyễn Thị Lan", Role.TEACHER, encoded,
            email="lan@thcs-nguyendu.example",
        ),
        _user(
            "gv.hung", "Trần Văn Hùng", Role.TEACHER, encoded,
            email="hung@thcs-nguyendu.example",
        ),
    ]  # fmt: skip
    school.staff.add(*teachers)
    demo = DemoSchool(school=school, admin=admin, teachers=teachers, classrooms=[])
    for index, name in enumerate(["6A", "6B"]):
        classroom, _created = Classroom.objects.get_or_create(
            school=school,
            school_year=SCHOOL_YEAR,
            name=name,
            defaults={"grade": 6, "homeroom_teacher": teachers[index]},
        )
        classroom.teachers.add(teachers[1 - index])
        demo.classrooms.append(classroom)
        demo.students[name] = _seed_students(classroom, index, encoded)
    demo.parents = _seed_parents(demo, encoded)
    return demo


def _seed_students(classroom: Classroom, class_index: int, encoded: str) -> list:
    students = []
    for number in range(1, STUDENTS_PER_CLASS + 1):
        student = _user(
            f"hs{classroom.name.lower()}{number:02d}",
            student_name(class_index, number),
            Role.STUDENT,
            encoded,
        )
        enroll_student(classroom=classroom, student=student)
        students.append(student)
    return students


def _seed_parents(demo: DemoSchool, encoded: str) -> list[User]:
    """One parent per pupil; ``ph6a01`` also has the first pupil of 6B."""
    parents = []
    first_a, first_b = demo.students["6A"][0], demo.students["6B"][0]
    for number, student in enumerate(
        [*demo.students["6A"], *demo.students["6B"][1:]], start=1
    ):
        family = student.display_name.split()[0]
        given = PARENT_GIVEN_NAMES[number % len(PARENT_GIVEN_NAMES)]
        parent = _user(
            f"ph{student.username[2:]}", f"{family} Văn {given}", Role.PARENT, encoded
        )
        ParentLink.objects.get_or_create(parent=parent, student=student)
        if student.pk == first_a.pk:
            ParentLink.objects.get_or_create(parent=parent, student=first_b)
        parents.append(parent)
    return parents
