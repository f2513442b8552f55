""" "Log out of other devices": every other session ends, this one stays."""

import pytest
from django.contrib.auth.base_user import AbstractBaseUser
from django.test import Client
from django.urls import reverse

from accounts import services
from accounts.sessions import signs_in
from tests.factories import StudentFactory, TeacherFactory

pytestmark = pytest.mark.django_db


def signed_in_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_users_own_button_ends_other_sessions_and_keeps_this_one():
    teacher = TeacherFactory()
    here, lost_phone = signed_in_client(teacher), signed_in_client(teacher)
    old_key = lost_phone.session.session_key

    response = here.post(reverse("accounts:end-other-sessions"), follow=True)

    assert "Đã đăng xuất khỏi các thiết bị khác." in response.content.decode()
    assert here.get(reverse("home")).status_code == 200
    assert signs_in(here.session.session_key, teacher.pk)
    assert lost_phone.get(reverse("home")).status_code == 302
    assert not signs_in(old_key, teacher.pk)


def test_the_password_still_works_after_logging_out_everywhere():
    pupil = StudentFactory()
    pupil.set_password("hoc-sinh-123")
    pupil.save()
    services.end_sessions(user=pupil)
    assert Client().login(username=pupil.username, password="hoc-sinh-123")


def test_ending_sessions_twice_ends_the_sessions_opened_in_between():
    pupil = StudentFactory()
    services.end_sessions(user=pupil)
    between = signed_in_client(pupil)
    key = between.session.session_key
    assert signs_in(key, pupil.pk)
    services.end_sessions(user=pupil)
    assert not signs_in(key, pupil.pk)


def test_sessions_from_before_the_feature_stay_signed_in():
    # Generation 0 is Django's own hash: upgrading logs nobody out.
    pupil = StudentFactory()
    assert pupil.get_session_auth_hash() == AbstractBaseUser.get_session_auth_hash(
        pupil
    )


def test_the_button_is_on_the_password_page_and_refuses_get():
    client = signed_in_client(StudentFactory())
    page = client.get(reverse("accounts:password-change")).content.decode()
    assert reverse("accounts:end-other-sessions") in page
    assert "Đăng xuất khỏi các thiết bị khác" in page
    assert client.get(reverse("accounts:end-other-sessions")).status_code == 405


def test_signed_out_visitors_are_sent_to_login():
    response = Client().post(reverse("accounts:end-other-sessions"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
