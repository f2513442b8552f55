"""
Who may open which classroom page (security-tests AZ-06, AZ-08, AZ-10 and
the issue's "Done when"): outsiders get a 404 identical to a missing id.
"""

import pytest
from django.urls import reverse

from classrooms.models import Enrollment, ParentInviteCode, ParentLink


def _urls(classroom, student):
    return {
        "classroom": reverse("classrooms:classroom-detail", args=[classroom.pk]),
        "roster": reverse("classrooms:roster", args=[classroom.pk]),
        "student": reverse(
            "classrooms:student-detail", args=[classroom.pk, student.pk]
        ),
        "import": reverse("classrooms:import-roster", args=[classroom.pk]),
    }


def _get(client, user, url):
    client.force_login(user)
    return client.get(url)


@pytest.mark.parametrize("page", ["classroom", "roster", "student", "import"])
@pytest.mark.parametrize("outsider", ["T2", "T3", "P3", "S3", "S5", "A2", "p1_for_c2"])
def test_outsiders_get_404_for_a_class_its_roster_and_a_students_links(
    client, world, page, outsider
):
    """C1 (S1, S2) seen by another class's teacher, another school, an
    unrelated parent, another student, and a parent whose child is elsewhere."""
    classroom, student = world.C1, world.S1
    if outsider == "p1_for_c2":
        classroom, student, outsider = world.C2, world.S3, "P1"
    response = _get(client, getattr(world, outsider), _urls(classroom, student)[page])
    assert response.status_code == 404
    assert student.display_name.encode() not in response.content


@pytest.mark.parametrize("page", ["roster", "student", "import"])
@pytest.mark.parametrize("member", ["S1", "S2", "P1", "P2"])
def test_students_and_parents_of_the_class_do_not_see_the_roster(
    client, world, page, member
):
    response = _get(client, getattr(world, member), _urls(world.C1, world.S1)[page])
    assert response.status_code == 404


@pytest.mark.parametrize("viewer", ["T1", "A1"])
@pytest.mark.parametrize("page", ["classroom", "roster", "student", "import"])
def test_teacher_and_school_admin_open_every_class_page(client, world, viewer, page):
    response = _get(client, getattr(world, viewer), _urls(world.C1, world.S1)[page])
    assert response.status_code == 200


def test_student_page_shows_the_students_parent_links(client, world):
    response = _get(client, world.T1, _urls(world.C1, world.S2)["student"])
    assert world.P2.display_name in response.content.decode()


@pytest.mark.parametrize("member", ["S1", "S2", "P1", "P2"])
def test_members_and_parents_see_the_class_without_its_join_code(client, world, member):
    response = _get(
        client, getattr(world, member), _urls(world.C1, world.S1)["classroom"]
    )
    assert response.status_code == 200
    assert world.C1.join_code not in response.content.decode()


def test_teacher_sees_the_join_code(client, world):
    response = _get(client, world.T1, _urls(world.C1, world.S1)["classroom"])
    assert world.C1.join_code in response.content.decode()


def test_not_yours_and_missing_give_the_same_404_body(client, world):
    client.force_login(world.T1)
    foreign = client.get(reverse("classrooms:classroom-detail", args=[world.C2.pk]))
    missing = client.get(reverse("classrooms:classroom-detail", args=[999_999]))
    assert foreign.status_code == missing.status_code == 404
    assert foreign.content == missing.content


def test_teacher_cannot_open_another_classes_student_through_own_class(client, world):
    """AZ-08 mixed form: /classes/C1/students/<S3 of C2>/."""
    client.force_login(world.T1)
    url = reverse("classrooms:student-detail", args=[world.C1.pk, world.S3.pk])
    assert client.get(url).status_code == 404


def test_teacher_cannot_remove_another_classes_student_through_own_class(client, world):
    client.force_login(world.T1)
    url = reverse("classrooms:remove-student", args=[world.C1.pk, world.S3.pk])
    assert client.post(url).status_code == 404
    assert Enrollment.objects.filter(classroom=world.C2, student=world.S3).exists()


def test_teacher_cannot_issue_an_invite_for_another_classes_student(client, world):
    client.force_login(world.T1)
    url = reverse("classrooms:create-parent-invite", args=[world.C1.pk, world.S3.pk])
    assert client.post(url).status_code == 404
    assert not ParentInviteCode.objects.filter(student=world.S3, created_by=world.T1)


@pytest.mark.parametrize("action", ["regenerate", "disable", "enable"])
@pytest.mark.parametrize("outsider", ["T2", "S1", "P1", "A2"])
def test_outsiders_cannot_change_the_join_code(client, world, action, outsider):
    client.force_login(getattr(world, outsider))
    before = (world.C1.join_code, world.C1.join_enabled)
    url = reverse(f"classrooms:{action}-join-code", args=[world.C1.pk])
    assert client.post(url).status_code == 404
    world.C1.refresh_from_db()
    assert (world.C1.join_code, world.C1.join_enabled) == before


@pytest.mark.parametrize("outsider", ["P3", "P2", "T1", "A2", "S1"])
def test_outsiders_cannot_remove_a_parent_link(client, world, outsider):
    link = ParentLink.objects.get(parent=world.P1, student=world.S1)
    client.force_login(getattr(world, outsider))
    url = reverse("classrooms:remove-parent-link", args=[link.pk])
    assert client.post(url).status_code == 404
    assert ParentLink.objects.filter(pk=link.pk).exists()


def test_school_admin_sees_only_their_own_school_on_the_home(client, world):
    """AZ-10: tenant isolation on the admin home."""
    client.force_login(world.A1)
    body = client.get(reverse("home")).content.decode()
    assert world.S1.display_name in body and world.C1.join_code in body
    assert world.S5.display_name not in body and world.C3.join_code not in body


def test_parent_home_lists_exactly_their_children(client, world):
    client.force_login(world.P2)
    body = client.get(reverse("home")).content.decode()
    assert world.S2.display_name in body and world.S3.display_name in body
    assert world.S1.display_name not in body and world.S4.display_name not in body


def test_query_string_filters_do_not_widen_what_a_student_sees(client, world):
    """AZ-06: ?student= and ?class= are ignored."""
    client.force_login(world.S1)
    body = client.get(
        reverse("home"), {"student": world.S3.pk, "class": world.C2.pk}
    ).content.decode()
    assert world.C1.name in body
    assert world.C2.name not in body and world.S3.display_name not in body
