import pytest
from django.urls import reverse

from classrooms import services


@pytest.mark.parametrize(
    ("role", "template"),
    [
        ("teacher", "homes/teacher.html"),
        ("student", "homes/student.html"),
        ("parent", "homes/parent.html"),
        ("school_admin", "homes/school_admin.html"),
    ],
)
def test_each_role_lands_on_its_own_home(client, request, role, template):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert template in [t.name for t in response.templates]


def test_anonymous_home_redirects_to_login(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_teacher_home_lists_classes_with_join_code_and_create_button(
    client, classroom, teacher
):
    client.force_login(teacher)
    body = client.get(reverse("home")).content.decode()
    assert classroom.join_code in body
    assert reverse("classrooms:create-classroom") in body


def test_student_home_lists_classes_and_offers_the_join_form(
    client, classroom, student
):
    services.enroll_student(classroom=classroom, student=student)
    client.force_login(student)
    body = client.get(reverse("home")).content.decode()
    assert reverse("classrooms:classroom-detail", args=[classroom.pk]) in body
    assert reverse("classrooms:join-classroom") in body
    assert classroom.join_code not in body


def test_parent_home_lists_children_with_their_classes_and_unlink(client, world):
    client.force_login(world.P2)
    body = client.get(reverse("home")).content.decode()
    for student, classroom in ((world.S2, world.C1), (world.S3, world.C2)):
        assert student.display_name in body
        assert reverse("classrooms:classroom-detail", args=[classroom.pk]) in body
    assert reverse("classrooms:link-child") in body
    assert body.count("/remove/") == 2


def test_school_admin_home_lists_classes_people_and_revocable_links(client, world):
    client.force_login(world.A1)
    body = client.get(reverse("home")).content.decode()
    for person in (world.T1, world.T2, world.S1, world.S4, world.P1, world.P2):
        assert person.display_name in body
    assert world.C1.join_code in body and world.C2.join_code in body
    assert body.count("/remove/") == 3  # P1-S1, P2-S2, P2-S3


def test_home_pages_have_no_inline_script_or_style(client, world):
    for user in (world.T1, world.S1, world.P2, world.A1):
        client.force_login(user)
        body = client.get(reverse("home")).content.decode()
        assert "<script>" not in body and " style=" not in body
