"""
The authorization world of security-tests.md, reduced to what homework needs:
school A with classes C1 (teacher T1) and C2 (teacher T2), school B with C3
(teacher T3); students S1, S2 in C1, S3, S4 in C2, S5 in C3; parents P1
(child S1), P2 (children S2 and S3, one in each class) and P3 (no child).
"""

import uuid
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from assignments import services
from classrooms.services import enroll_student
from tests.factories import (
    ClassroomFactory,
    ParentFactory,
    ParentLinkFactory,
    SchoolAdminFactory,
    SchoolFactory,
    StudentFactory,
    TeacherFactory,
)
from tests.files.samples import image_bytes, upload


@dataclass
class World:
    T1: User
    T2: User
    T3: User
    S1: User
    S2: User
    S3: User
    S4: User
    S5: User
    P1: User
    P2: User
    P3: User
    A1: User
    C1: object
    C2: object
    C3: object


@pytest.fixture
def world(db) -> World:
    school_a, school_b = SchoolFactory(), SchoolFactory()
    t1, t2, t3 = TeacherFactory(), TeacherFactory(), TeacherFactory()
    c1 = ClassroomFactory(school=school_a, homeroom_teacher=t1, name="6A")
    c2 = ClassroomFactory(school=school_a, homeroom_teacher=t2, name="6B")
    c3 = ClassroomFactory(school=school_b, homeroom_teacher=t3, name="7A")
    students = [StudentFactory() for _ in range(5)]
    for student, classroom in zip(students, [c1, c1, c2, c2, c3], strict=True):
        enroll_student(classroom=classroom, student=student)
    s1, s2, s3, s4, s5 = students
    p1, p2, p3 = ParentFactory(), ParentFactory(), ParentFactory()
    ParentLinkFactory(parent=p1, student=s1)
    ParentLinkFactory(parent=p2, student=s2)
    ParentLinkFactory(parent=p2, student=s3)
    admin = SchoolAdminFactory()
    school_a.admins.add(admin)
    return World(t1, t2, t3, s1, s2, s3, s4, s5, p1, p2, p3, admin, c1, c2, c3)


def make_assignment(teacher, classrooms, **kwargs):
    """Published homework through the real service."""
    defaults = {
        "title": "Bài tập Toán tuần 3",
        "instructions": "<p>Làm bài 1–3.</p>",
        "due_at": timezone.now() + timedelta(days=2),
        "publish": True,
    }
    defaults.update(kwargs)
    return services.create_assignment(by=teacher, classrooms=classrooms, **defaults)


def photo(name="bai-lam.jpg", **kwargs):
    return upload(name, image_bytes(**kwargs))


def submit(assignment, student, key=None, **kwargs):
    kwargs.setdefault("photos", [photo()])
    return services.submit_assignment(
        assignment=assignment,
        student=student,
        idempotency_key=key or uuid.uuid4().hex,
        **kwargs,
    )


@pytest.fixture
def homework(world):
    """A published upload homework for C1, made by T1."""
    return make_assignment(world.T1, [world.C1])
