"""
The authorisation world of docs/security-tests.md, built with the real
services: 2 schools × 2 classes × 2 teachers × 4 students, plus parents P1
(child S1), P2 (children S2 and S3, one in each class of school A) and P3
(no children yet), and a school admin per school.

    school A "Trường THCS Hoa Sen"        school B "Trường THCS Bình Minh"
      admin A1                              admin A2
      C1 "Lớp 6A1"  T1  S1 S2               C3 "Lớp 7B1"  T3  S5 S6
      C2 "Lớp 6A2"  T2  S3 S4               C4 "Lớp 7B2"  T4  S7 S8

Everyone and everything has a fixed name, username, email and join code,
each unique and none contained in another, so that "X is not in the page"
can neither pass nor fail by chance. The labels are those the catalogue
uses (P1 GETs S2's submission → 404).
"""

from dataclasses import dataclass, fields

from accounts.models import User
from classrooms import services
from classrooms.models import Classroom, School
from tests.factories import (
    ClassroomFactory,
    ParentFactory,
    SchoolAdminFactory,
    SchoolFactory,
    StudentFactory,
    TeacherFactory,
)

NAMES = {
    "A1": "Hồ Văn Tài",
    "A2": "Mai Thị Uyên",
    "T1": "Phạm Thị Hoà",
    "T2": "Võ Văn Khánh",
    "T3": "Đỗ Thị Loan",
    "T4": "Bùi Văn Mạnh",
    "S1": "Nguyễn Minh An",
    "S2": "Trần Thu Bích",
    "S3": "Lê Quốc Cường",
    "S4": "Hoàng Ngọc Diệp",
    "S5": "Phan Gia Hưng",
    "S6": "Vũ Thảo Giang",
    "S7": "Đặng Hải Yến",
    "S8": "Ngô Tuấn Kiệt",
    "P1": "Nguyễn Văn Phúc",
    "P2": "Trần Thị Quyên",
    "P3": "Lý Thị Sương",
}
# (label, name, join code, teacher, students), per school.
CLASSES = {
    "A": [
        ("C1", "Lớp 6A1", "WAKA2E", "T1", ("S1", "S2")),
        ("C2", "Lớp 6A2", "WAKB3F", "T2", ("S3", "S4")),
    ],
    "B": [
        ("C3", "Lớp 7B1", "WBKC4G", "T3", ("S5", "S6")),
        ("C4", "Lớp 7B2", "WBKD5H", "T4", ("S7", "S8")),
    ],
}
SCHOOLS = {
    "A": ("Trường THCS Hoa Sen", "world-hoa-sen", "A1"),
    "B": ("Trường THCS Bình Minh", "world-binh-minh", "A2"),
}
# (parent, child, teacher who issues the invite code)
PARENT_LINKS = [("P1", "S1", "T1"), ("P2", "S2", "T1"), ("P2", "S3", "T2")]
FACTORIES = {
    "A": SchoolAdminFactory,
    "T": TeacherFactory,
    "S": StudentFactory,
    "P": ParentFactory,
}


@dataclass
class World:
    school_a: School
    school_b: School
    A1: User
    A2: User
    T1: User
    T2: User
    T3: User
    T4: User
    C1: Classroom
    C2: Classroom
    C3: Classroom
    C4: Classroom
    S1: User
    S2: User
    S3: User
    S4: User
    S5: User
    S6: User
    S7: User
    S8: User
    P1: User
    P2: User
    P3: User

    def label(self, obj) -> str:
        """The world's name for a user or classroom, e.g. ``"S2"``."""
        for field in fields(self):
            if getattr(self, field.name) == obj:
                return field.name
        raise LookupError(obj)

    def people(self, kind: str) -> list[User]:
        """Everyone of one kind, in label order: ``people("S")`` is S1..S8."""
        return [
            getattr(self, f.name)
            for f in fields(self)
            if f.name[0] == kind and f.name[1:].isdigit()
        ]


def _person(label: str) -> User:
    tag = label.lower()
    extra = {} if label[0] == "S" else {"email": f"{tag}@world.example"}
    return FACTORIES[label[0]](
        username=f"world_{tag}", display_name=NAMES[label], **extra
    )


def build_world() -> dict:
    """Create the world; returns its objects by label (see ``World``)."""
    objects = {label: _person(label) for label in NAMES}
    for key, (name, slug, admin) in SCHOOLS.items():
        school = SchoolFactory(name=name, slug=slug)
        school.admins.add(objects[admin])
        objects[f"school_{key.lower()}"] = school
        for label, class_name, code, teacher, students in CLASSES[key]:
            classroom = ClassroomFactory(
                school=school,
                name=class_name,
                join_code=code,
                homeroom_teacher=objects[teacher],
            )
            for student in students:
                services.enroll_student(classroom=classroom, student=objects[student])
            objects[label] = classroom
    for parent, child, teacher in PARENT_LINKS:
        invite = services.create_parent_invite(
            student=objects[child], by=objects[teacher]
        )
        services.link_parent_by_code(parent=objects[parent], code=invite.code)
    return objects


def make_world() -> World:
    return World(**build_world())
