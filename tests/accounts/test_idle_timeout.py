"""Pupils' sessions end after two idle hours; other roles keep two weeks."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.factories import StudentFactory, TeacherFactory
from tests.factories.accounts import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client, user):
    response = client.post(
        "/accounts/login/", {"username": user.username, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302


def signed_in(client) -> bool:
    return client.get(reverse("home")).status_code == 200


def test_a_pupil_idle_for_two_hours_is_signed_out(client, settings):
    pupil = StudentFactory()
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        sign_in(client, pupil)
        assert client.session.get_expiry_age() == settings.STUDENT_SESSION_IDLE_SECONDS
        clock.shift(timedelta(minutes=119))
        assert signed_in(client)
        # Use pushed the expiry forward: two more idle hours from now.
        clock.shift(timedelta(minutes=119))
        assert signed_in(client)
        clock.shift(timedelta(minutes=121))
        assert not signed_in(client)


def test_a_teacher_stays_signed_in_for_days(client):
    teacher = TeacherFactory()
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        sign_in(client, teacher)
        clock.shift(timedelta(days=3))
        assert signed_in(client)


def test_pupil_pages_do_not_write_the_session_on_every_request(client):
    pupil = StudentFactory()
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        sign_in(client, pupil)
        clock.shift(timedelta(seconds=10))
        response = client.get(reverse("home"))
        assert "sessionid" not in response.cookies  # not saved again
        clock.shift(timedelta(seconds=61))
        response = client.get(reverse("home"))
        assert response.cookies["sessionid"]["max-age"] == 2 * 60 * 60
