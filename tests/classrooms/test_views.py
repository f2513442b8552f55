import re

import pytest
from django.urls import reverse

from classrooms import services
from classrooms.models import Classroom, Enrollment, ParentInviteCode, ParentLink
from tests.factories import SchoolFactory


def test_teacher_creates_a_class_and_lands_on_its_join_code(client, classroom, teacher):
    client.force_login(teacher)
    response = client.post(
        reverse("classrooms:create-classroom"),
        {
            "school": classroom.school.pk,
            "name": "6C",
            "grade": "6",
            "school_year": "2026-2027",
        },
        follow=True,
    )
    created = Classroom.objects.get(name="6C")
    assert created.homeroom_teacher == teacher
    assert response.redirect_chain[-1][0] == reverse(
        "classrooms:classroom-detail", args=[created.pk]
    )
    assert created.join_code in response.content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {"name": "6C", "grade": "abc", "school_year": "2026-2027"},
        {"name": "6C", "grade": "13", "school_year": "2026-2027"},
        {"name": "6C", "grade": "6", "school_year": "2026"},
        {"name": "6C", "grade": "6", "school_year": "2026-2028"},
        {"name": "", "grade": "6", "school_year": "2026-2027"},
        {"name": "x" * 51, "grade": "6", "school_year": "2026-2027"},
        {"name": "6C", "grade": "6", "school_year": "2026-2027", "school": "999999"},
        {"name": "6C", "grade": "6", "school_year": "2026-2027", "school": "x'--"},
        {"grade": ["6", "7"], "name": ["6C", "6D"]},
    ],
)
def test_malformed_class_form_changes_nothing(client, classroom, teacher, data):
    client.force_login(teacher)
    data = {"school": classroom.school.pk, **data}
    response = client.post(reverse("classrooms:create-classroom"), data)
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert Classroom.objects.count() == 1


def test_class_in_a_school_the_teacher_is_not_in_is_refused(client, classroom, teacher):
    other = SchoolFactory()
    client.force_login(teacher)
    data = {"school": other.pk, "name": "6C", "grade": "6", "school_year": "2026-2027"}
    response = client.post(reverse("classrooms:create-classroom"), data)
    assert response.status_code == 200
    assert not Classroom.objects.filter(school=other).exists()


def test_duplicate_class_shows_a_translated_error(client, classroom, teacher):
    client.force_login(teacher)
    data = {
        "school": classroom.school.pk,
        "name": classroom.name,
        "grade": "6",
        "school_year": classroom.school_year,
    }
    response = client.post(reverse("classrooms:create-classroom"), data)
    assert str(services.CLASSROOM_EXISTS) in response.content.decode()


@pytest.mark.parametrize("role", ["student", "parent"])
def test_students_and_parents_cannot_open_the_create_class_page(
    client, db, role, request
):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("classrooms:create-classroom")).status_code == 404


def test_student_joins_through_the_form(client, classroom, student):
    client.force_login(student)
    response = client.post(
        reverse("classrooms:join-classroom"), {"code": classroom.join_code}, follow=True
    )
    assert Enrollment.objects.filter(classroom=classroom, student=student).exists()
    assert response.redirect_chain[-1][0] == reverse(
        "classrooms:classroom-detail", args=[classroom.pk]
    )


@pytest.mark.parametrize("code", ["WRONG1", "", "x" * 500, "' OR 1=1 --", "\x00"])
def test_bad_join_code_answers_with_a_message(client, classroom, student, code):
    client.force_login(student)
    response = client.post(reverse("classrooms:join-classroom"), {"code": code})
    assert response.status_code == 200
    assert 'class="errorlist"' in response.content.decode()
    assert not Enrollment.objects.exists()


def test_disabled_code_is_refused_through_the_form(client, classroom, student, teacher):
    services.set_join_enabled(classroom=classroom, enabled=False, by=teacher)
    client.force_login(student)
    response = client.post(
        reverse("classrooms:join-classroom"), {"code": classroom.join_code}
    )
    assert str(services.JOIN_CODE_INVALID) in response.content.decode()
    assert not Enrollment.objects.exists()


def test_teacher_regenerates_disables_and_enables_the_code(client, classroom, teacher):
    client.force_login(teacher)
    old = classroom.join_code
    client.post(reverse("classrooms:regenerate-join-code", args=[classroom.pk]))
    classroom.refresh_from_db()
    assert classroom.join_code != old
    client.post(reverse("classrooms:disable-join-code", args=[classroom.pk]))
    classroom.refresh_from_db()
    assert classroom.join_enabled is False
    client.post(reverse("classrooms:enable-join-code", args=[classroom.pk]))
    classroom.refresh_from_db()
    assert classroom.join_enabled is True


def test_join_code_actions_refuse_get(client, classroom, teacher):
    client.force_login(teacher)
    old = classroom.join_code
    response = client.get(
        reverse("classrooms:regenerate-join-code", args=[classroom.pk])
    )
    assert response.status_code == 405
    classroom.refresh_from_db()
    assert classroom.join_code == old


def test_teacher_removes_a_student(client, world):
    client.force_login(world.T1)
    url = reverse("classrooms:remove-student", args=[world.C1.pk, world.S1.pk])
    assert client.post(url).status_code == 302
    assert not Enrollment.objects.filter(classroom=world.C1, student=world.S1).exists()


def test_invite_issued_on_the_student_page_links_the_parent(client, world):
    client.force_login(world.T2)
    url = reverse("classrooms:create-parent-invite", args=[world.C2.pk, world.S4.pk])
    response = client.post(url)
    invite = ParentInviteCode.objects.get(student=world.S4)
    assert invite.code in response.content.decode()
    client.force_login(world.P3)
    response = client.post(
        reverse("classrooms:link-child"), {"code": invite.code}, follow=True
    )
    assert ParentLink.objects.filter(parent=world.P3, student=world.S4).exists()
    assert world.S4.display_name in response.content.decode()


def test_wrong_invite_code_answers_with_a_message(client, world):
    client.force_login(world.P3)
    response = client.post(reverse("classrooms:link-child"), {"code": "NOPE1234"})
    assert str(services.INVITE_CODE_INVALID) in response.content.decode()
    assert not ParentLink.objects.filter(parent=world.P3).exists()


def test_parent_unlinks_their_child(client, world):
    link = ParentLink.objects.get(parent=world.P1, student=world.S1)
    client.force_login(world.P1)
    response = client.post(reverse("classrooms:remove-parent-link", args=[link.pk]))
    assert response.status_code == 302
    assert not ParentLink.objects.filter(pk=link.pk).exists()


def test_unlink_ignores_an_offsite_next_url(client, world):
    link = ParentLink.objects.get(parent=world.P1, student=world.S1)
    client.force_login(world.A1)
    url = reverse("classrooms:remove-parent-link", args=[link.pk])
    response = client.post(url, {"next": "https://evil.example/"})
    assert response["Location"] == reverse("home")


@pytest.mark.parametrize(
    "url",
    [
        "/classes/999999/",
        "/classes/999999/students/",
        "/classes/999999/students/1/",
        "/classes/999999/students/import/",
        "/classes/abc/",
        "/classes/1/join-code/explode/",
    ],
)
def test_unknown_ids_are_404_not_500(client, world, url):
    client.force_login(world.T1)
    assert client.get(url).status_code == 404
    assert client.post(url).status_code in (404, 405)


def test_teacher_resets_a_students_password_and_old_sessions_end(client, world):
    from django.test import Client

    student_client = Client()
    student_client.force_login(world.S1)
    client.force_login(world.T1)
    url = reverse("classrooms:reset-student-password", args=[world.C1.pk, world.S1.pk])
    response = client.post(url)
    shown = re.search(r'data-testid="new-password">(\w+)<', response.content.decode())
    world.S1.refresh_from_db()
    assert shown and world.S1.check_password(shown[1])
    assert "no-store" in response["Cache-Control"]
    assert student_client.get(reverse("home")).status_code == 302  # signed out


@pytest.mark.parametrize("outsider", ["T2", "A2", "P1", "S2"])
def test_outsiders_cannot_reset_a_students_password(client, world, outsider):
    before = world.S1.password
    client.force_login(getattr(world, outsider))
    url = reverse("classrooms:reset-student-password", args=[world.C1.pk, world.S1.pk])
    assert client.post(url).status_code == 404
    world.S1.refresh_from_db()
    assert world.S1.password == before


def test_teacher_signs_a_pupil_out_everywhere_and_the_password_stays(client, world):
    from django.test import Client

    pupil_phone = Client()
    pupil_phone.force_login(world.S1)
    password = world.S1.password
    client.force_login(world.T1)
    page = reverse("classrooms:student-detail", args=[world.C1.pk, world.S1.pk])
    url = reverse("classrooms:end-student-sessions", args=[world.C1.pk, world.S1.pk])
    assert url in client.get(page).content.decode()

    response = client.post(url, follow=True)

    assert "đã được đăng xuất khỏi mọi thiết bị" in response.content.decode()
    assert pupil_phone.get(reverse("home")).status_code == 302  # signed out
    assert client.get(reverse("home")).status_code == 200  # the teacher is not
    world.S1.refresh_from_db()
    assert world.S1.password == password


@pytest.mark.parametrize("outsider", ["T2", "A2", "P1", "S2"])
def test_outsiders_cannot_sign_a_pupil_out(client, world, outsider):
    from django.test import Client

    pupil_phone = Client()
    pupil_phone.force_login(world.S1)
    client.force_login(getattr(world, outsider))
    url = reverse("classrooms:end-student-sessions", args=[world.C1.pk, world.S1.pk])
    assert client.post(url).status_code == 404
    assert pupil_phone.get(reverse("home")).status_code == 200
