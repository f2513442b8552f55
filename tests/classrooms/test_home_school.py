"""
Issue #11, hole 2: account-level powers belong to the pupil's home class and
school. A teacher of school B whose class code a school-A pupil types gets
that class's work, not the account: no password reset, no parent invite, no
unlinking the child's parents (AZ-10 tenant isolation, the account side).
"""

import pytest
from django.core.exceptions import PermissionDenied

from classrooms import permissions, services
from classrooms.models import ParentInviteCode, ParentLink

pytestmark = pytest.mark.django_db


@pytest.fixture
def s1_joined_c3(world):
    """S1 (home class C1, school A) types the code of T3's class C3 (school B)."""
    services.set_external_pupils_allowed(
        school=world.C3.school, allowed=True, by=world.A2
    )
    services.join_classroom_by_code(student=world.S1, code=world.C3.join_code)
    return world


def test_teacher_of_a_class_joined_by_code_cannot_reset_the_pupils_password(
    s1_joined_c3,
):
    world = s1_joined_c3
    password_hash = world.S1.password
    with pytest.raises(PermissionDenied):
        services.reset_student_password(student=world.S1, by=world.T3)
    world.S1.refresh_from_db()
    assert world.S1.password == password_hash


def test_teacher_of_a_class_joined_by_code_cannot_issue_a_parent_invite(
    s1_joined_c3,
):
    world = s1_joined_c3
    with pytest.raises(PermissionDenied):
        services.create_parent_invite(student=world.S1, by=world.T3)
    assert not ParentInviteCode.objects.filter(created_by=world.T3).exists()


def test_admin_of_the_other_school_cannot_unlink_the_pupils_parent(s1_joined_c3):
    world = s1_joined_c3
    link = ParentLink.objects.get(parent=world.P1, student=world.S1)
    assert not permissions.can_remove_parent_link(world.A2, link)
    with pytest.raises(PermissionDenied):
        services.unlink_parent(link=link, by=world.A2)
    assert ParentLink.objects.filter(pk=link.pk).exists()


def test_home_class_teacher_and_home_school_admin_keep_the_account_powers(
    s1_joined_c3,
):
    world = s1_joined_c3
    assert services.reset_student_password(student=world.S1, by=world.T1)
    assert services.reset_student_password(student=world.S1, by=world.A1)
    assert services.create_parent_invite(student=world.S1, by=world.T1)
    link = ParentLink.objects.get(parent=world.P1, student=world.S1)
    assert permissions.can_remove_parent_link(world.A1, link)
