"""
AU-03 at its figure: an attacker timing the answers learns nothing.

Login with an unknown username and login with a known one and a wrong
password answer with the same status and message (``test_auth.py``) and,
here, with median times within 50 ms. The same for password reset with a
known and an unknown address: the mail goes through the task queue, so
neither answer waits for SMTP.

These tests use the real password hashers (Argon2, then PBKDF2 for old
hashes) and axes, which the rest of the suite turns off for speed: an
unknown username is only as slow as a known one because Django hashes the
given password anyway. Trials alternate between the two cases so that a
slow moment of the machine hits both; each request comes from its own
address so that no limit answers instead of the view.
"""

import itertools
import statistics
import time

import pytest
from django.core.cache import cache

from tests.factories import TeacherFactory

pytestmark = pytest.mark.django_db

TRIALS = 15
BUDGET = 0.050  # seconds between the two medians (security-tests AU-03)
LOGIN = "/accounts/login/"
RESET = "/accounts/password/reset/"

addresses = (f"10.77.{n // 250}.{n % 250 + 1}" for n in itertools.count())


@pytest.fixture
def real_security(settings):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    settings.AXES_ENABLED = True
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    cache.clear()
    yield
    cache.clear()


def timed(client, url, data):
    started = time.perf_counter()
    response = client.post(url, data, REMOTE_ADDR=next(addresses))
    return time.perf_counter() - started, response


def compare(ask_a, ask_b):
    """Median seconds of each case, alternating, after one warm-up each."""
    ask_a(), ask_b()
    times = {"a": [], "b": []}
    for _ in range(TRIALS):
        for key, ask in (("a", ask_a), ("b", ask_b)):
            seconds, response = ask()
            times[key].append((seconds, response.status_code))
    statuses = {code for case in times.values() for _, code in case}
    medians = [statistics.median(s for s, _ in times[key]) for key in "ab"]
    return medians, statuses


def test_unknown_user_and_wrong_password_take_the_same_time(client, real_security):
    teacher = TeacherFactory()
    assert teacher.password.startswith("argon2")

    def unknown():
        data = {"username": "khong-co-ai", "password": "sai-mat-khau-1"}
        return timed(client, LOGIN, data)

    def wrong():
        data = {"username": teacher.username, "password": "sai-mat-khau-1"}
        return timed(client, LOGIN, data)

    (t_unknown, t_wrong), statuses = compare(unknown, wrong)
    assert statuses == {200}
    assert abs(t_unknown - t_wrong) < BUDGET, (t_unknown, t_wrong)
    # The comparison means something only if the hasher really ran.
    assert t_wrong > 0.01


def test_reset_for_a_known_and_an_unknown_address_takes_the_same_time(
    client, real_security
):
    # Three resets an hour per address: a different known teacher per trial.
    known = iter(TeacherFactory.create_batch(TRIALS + 1))
    unknown_addresses = (f"khong-co-{n}@truong.example" for n in itertools.count())

    def ask_known():
        return timed(client, RESET, {"email": next(known).email})

    def ask_unknown():
        return timed(client, RESET, {"email": next(unknown_addresses)})

    (t_known, t_unknown), statuses = compare(ask_known, ask_unknown)
    assert statuses == {302}
    assert abs(t_known - t_unknown) < BUDGET, (t_known, t_unknown)
