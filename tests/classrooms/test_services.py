import re
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from classrooms import selectors, services
from classrooms.models import Classroom, Enrollment, ParentInviteCode, ParentLink
from classrooms.signals import enrollment_removed, parent_link_removed
from tests.factories import ParentFactory, StudentFactory, TeacherFactory
from tests.signals import caught


def test_student_joins_a_class_with_its_code(classroom, student):
    joined = services.join_classroom_by_code(
        student=student, code=f" {classroom.join_code.lower()} "
    )
    assert joined == classroom
    assert Enrollment.objects.filter(classroom=classroom, student=student).exists()


def test_wrong_join_code_is_refused_and_enrols_nobody(classroom, student):
    with pytest.raises(
        ValidationError, match=re.escape(str(services.JOIN_CODE_INVALID))
    ):
        services.join_classroom_by_code(student=student, code="ZZZZZZ")
    assert not Enrollment.objects.exists()


def test_disabled_join_code_is_refused(classroom, student, teacher):
    services.set_join_enabled(classroom=classroom, enabled=False, by=teacher)
    with pytest.raises(
        ValidationError, match=re.escape(str(services.JOIN_CODE_INVALID))
    ):
        services.join_classroom_by_code(student=student, code=classroom.join_code)
    assert not Enrollment.objects.exists()


def test_regenerated_join_code_retires_the_old_one(classroom, student, teacher):
    old = classroom.join_code
    services.regenerate_join_code(classroom=classroom, by=teacher)
    classroom.refresh_from_db()
    assert classroom.join_code != old
    with pytest.raises(ValidationError):
        services.join_classroom_by_code(student=student, code=old)
    assert services.join_classroom_by_code(student=student, code=classroom.join_code)


def test_only_students_join_by_code(classroom, teacher):
    with pytest.raises(
        ValidationError, match=re.escape(str(services.ONLY_STUDENTS_JOIN))
    ):
        services.join_classroom_by_code(student=teacher, code=classroom.join_code)


def test_join_code_guessing_is_rate_limited_per_student(classroom, student):
    for _ in range(services.CODE_ATTEMPTS):
        with pytest.raises(ValidationError):
            services.join_classroom_by_code(student=student, code="AAAAAA")
    with pytest.raises(
        ValidationError, match=re.escape(str(services.TOO_MANY_ATTEMPTS))
    ):
        services.join_classroom_by_code(student=student, code=classroom.join_code)
    assert not Enrollment.objects.exists()
    other = StudentFactory()
    assert services.join_classroom_by_code(student=other, code=classroom.join_code)


def test_another_teacher_cannot_change_the_join_code(classroom):
    outsider = TeacherFactory()
    with pytest.raises(PermissionDenied):
        services.regenerate_join_code(classroom=classroom, by=outsider)
    with pytest.raises(PermissionDenied):
        services.set_join_enabled(classroom=classroom, enabled=False, by=outsider)


def test_teacher_creates_a_class_as_its_homeroom_teacher(classroom, teacher):
    created = services.create_classroom(
        school=classroom.school,
        name=" 6B ",
        grade=6,
        school_year="2026-2027",
        created_by=teacher,
    )
    assert (created.name, created.homeroom_teacher) == ("6B", teacher)
    assert created.join_code and created.join_enabled


def test_duplicate_class_name_in_a_year_is_refused(classroom, teacher):
    with pytest.raises(ValidationError):
        services.create_classroom(
            school=classroom.school,
            name=classroom.name,
            grade=6,
            school_year=classroom.school_year,
            created_by=teacher,
        )
    assert Classroom.objects.count() == 1


def test_teacher_of_another_school_cannot_create_a_class_here(classroom):
    with pytest.raises(PermissionDenied):
        services.create_classroom(
            school=classroom.school,
            name="9C",
            grade=9,
            school_year="2026-2027",
            created_by=TeacherFactory(),
        )


def test_removing_a_student_ends_enrolment_and_signals_after_commit(
    classroom, teacher, student, django_capture_on_commit_callbacks, catch_signal
):
    services.enroll_student(classroom=classroom, student=student)
    received = catch_signal(enrollment_removed)
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_student(classroom=classroom, student=student, by=teacher)
    assert not Enrollment.objects.filter(student=student).exists()
    assert received[0]["classroom_id"] == classroom.pk
    assert received[0]["student_id"] == student.pk


def test_parent_invite_links_once_then_is_spent(world):
    invite = services.create_parent_invite(student=world.S4, by=world.T2)
    link = services.link_parent_by_code(parent=world.P3, code=invite.code)
    assert (link.parent, link.student) == (world.P3, world.S4)
    with pytest.raises(
        ValidationError, match=re.escape(str(services.INVITE_CODE_INVALID))
    ):
        services.link_parent_by_code(parent=ParentFactory(), code=invite.code)
    assert ParentLink.objects.filter(student=world.S4).count() == 1


def test_expired_parent_invite_is_refused(world):
    invite = services.create_parent_invite(student=world.S4, by=world.T2)
    later = timezone.now() + services.PARENT_INVITE_TTL + timedelta(minutes=1)
    with time_machine.travel(later), pytest.raises(ValidationError):
        services.link_parent_by_code(parent=world.P3, code=invite.code)
    assert not ParentLink.objects.filter(parent=world.P3).exists()


def test_parent_cannot_claim_a_child_by_student_number_or_username(world):
    """AZ-04: only a school-issued code links; ids and usernames don't."""
    for guess in (str(world.S4.pk), world.S4.username, f"{world.S4.pk:08d}"):
        with pytest.raises(ValidationError):
            services.link_parent_by_code(parent=world.P3, code=guess)
    assert not ParentLink.objects.filter(parent=world.P3).exists()


def test_invite_code_entry_is_rate_limited(world):
    invite = services.create_parent_invite(student=world.S4, by=world.T2)
    for _ in range(services.CODE_ATTEMPTS):
        with pytest.raises(ValidationError):
            services.link_parent_by_code(parent=world.P3, code="AAAAAAAA")
    with pytest.raises(
        ValidationError, match=re.escape(str(services.TOO_MANY_ATTEMPTS))
    ):
        services.link_parent_by_code(parent=world.P3, code=invite.code)
    assert not ParentInviteCode.objects.get(pk=invite.pk).used_at


def test_only_the_students_teachers_issue_invites(world):
    with pytest.raises(PermissionDenied):
        services.create_parent_invite(student=world.S3, by=world.T1)
    with pytest.raises(PermissionDenied):
        services.create_parent_invite(student=world.S1, by=world.A2)
    assert services.create_parent_invite(student=world.S1, by=world.A1)


def test_only_parent_accounts_redeem_invites(world):
    invite = services.create_parent_invite(student=world.S4, by=world.T2)
    with pytest.raises(
        ValidationError, match=re.escape(str(services.ONLY_PARENTS_LINK))
    ):
        services.link_parent_by_code(parent=world.S1, code=invite.code)


def test_unlinked_child_disappears_from_the_parents_list_at_once(
    world, django_capture_on_commit_callbacks, catch_signal
):
    """AZ-03: P2 sees exactly S2 and S3; after the school unlinks S3, only S2."""
    assert {c.student for c in selectors.child_cards_for_parent(world.P2)} == {
        world.S2,
        world.S3,
    }
    link = ParentLink.objects.get(parent=world.P2, student=world.S3)
    received = catch_signal(parent_link_removed)
    with django_capture_on_commit_callbacks(execute=True):
        services.unlink_parent(link=link, by=world.A1)
    assert [c.student for c in selectors.child_cards_for_parent(world.P2)] == [world.S2]
    assert received == [
        {
            "signal": parent_link_removed,
            "sender": ParentLink,
            "parent_id": world.P2.pk,
            "student_id": world.S3.pk,
        }
    ]


def test_teacher_and_other_schools_admin_cannot_unlink(world):
    link = ParentLink.objects.get(parent=world.P1, student=world.S1)
    for outsider in (world.T1, world.A2, world.P2):
        with pytest.raises(PermissionDenied):
            services.unlink_parent(link=link, by=outsider)
    assert ParentLink.objects.filter(pk=link.pk).exists()


def test_roster_lists_students_in_vietnamese_order(classroom):
    names = ["Nguyễn Văn Bình", "Trần Thị Anh", "Lê Chi", "Vũ Thị Ánh"]
    for name in names:
        services.enroll_student(
            classroom=classroom, student=StudentFactory(display_name=name)
        )
    assert [
        s.display_name for s in selectors.student_list_for_classroom(classroom)
    ] == [
        "Trần Thị Anh",
        "Vũ Thị Ánh",
        "Nguyễn Văn Bình",
        "Lê Chi",
    ]


def test_catching_a_signal_in_a_test_leaves_the_apps_receivers_connected(db):
    sent = {
        enrollment_removed: {"classroom_id": 0, "student_id": 0},
        parent_link_removed: {"parent_id": 0, "student_id": 0},
    }
    assert enrollment_removed.receivers, "live's revocation receiver is connected"
    for signal, kwargs in sent.items():
        before = list(signal.receivers)
        with caught(signal) as received:
            signal.send(sender=None, **kwargs)
        assert received == [{"signal": signal, "sender": None, **kwargs}]
        assert signal.receivers == before
