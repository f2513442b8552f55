"""
Issue #11, Build 2: a pupil joins a class of another school by code only
where that school takes outside pupils; its admin decides, on their home page.
"""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from classrooms import services
from classrooms.models import Enrollment, School
from tests.factories import StudentFactory

pytestmark = pytest.mark.django_db


def test_a_pupil_cannot_join_a_class_of_a_school_that_takes_no_outside_pupils(world):
    with pytest.raises(ValidationError) as raised:
        services.join_classroom_by_code(student=world.S1, code=world.C3.join_code)
    assert raised.value.messages == [str(services.OTHER_SCHOOL_CLOSED)]
    assert not Enrollment.objects.filter(student=world.S1, classroom=world.C3).exists()


def test_a_pupil_joins_a_class_of_a_school_that_takes_outside_pupils(world):
    services.set_external_pupils_allowed(
        school=world.C3.school, allowed=True, by=world.A2
    )
    assert services.join_classroom_by_code(student=world.S1, code=world.C3.join_code)
    assert Enrollment.objects.filter(student=world.S1, classroom=world.C3).exists()


def test_a_pupil_joins_another_class_of_their_own_school_whatever_the_setting(world):
    assert not world.C1.school.allow_external_pupils
    assert services.join_classroom_by_code(student=world.S1, code=world.C2.join_code)


def test_a_pupil_without_a_class_may_join_any_school_and_it_becomes_home(world):
    newcomer = StudentFactory()
    services.join_classroom_by_code(student=newcomer, code=world.C3.join_code)
    with pytest.raises(ValidationError):
        services.join_classroom_by_code(student=newcomer, code=world.C1.join_code)
    assert list(newcomer.enrollments.values_list("classroom", flat=True)) == [
        world.C3.pk
    ]


def test_the_join_page_explains_a_refusal_and_enrols_nobody(client, world):
    client.force_login(world.S1)
    response = client.post(
        reverse("classrooms:join-classroom"), {"code": world.C3.join_code}
    )
    assert response.status_code == 200
    assert "trường đó không nhận học sinh ngoài trường" in response.text
    assert not Enrollment.objects.filter(student=world.S1, classroom=world.C3).exists()


def test_school_admin_turns_outside_pupils_on_and_off_from_their_home(client, world):
    school = world.C3.school
    client.force_login(world.A2)
    home = client.get(reverse("home")).text
    action = reverse("classrooms:school-join-policy", args=[school.pk])
    assert f'action="{action}"' in home
    response = client.post(action, {"allow_external_pupils": "on"})
    assert response.status_code == 302
    school.refresh_from_db()
    assert school.allow_external_pupils
    client.post(action, {})
    school.refresh_from_db()
    assert not school.allow_external_pupils


@pytest.mark.parametrize("who", ["A1", "T3", "S5", "P1"])
def test_only_the_schools_own_admin_may_change_the_setting(client, world, who):
    school = world.C3.school
    client.force_login(getattr(world, who))
    url = reverse("classrooms:school-join-policy", args=[school.pk])
    response = client.post(url, {"allow_external_pupils": "on"})
    missing = client.post(
        reverse("classrooms:school-join-policy", args=[987654]),
        {"allow_external_pupils": "on"},
    )
    assert response.status_code == 404
    assert response.content == missing.content
    assert not School.objects.get(pk=school.pk).allow_external_pupils
