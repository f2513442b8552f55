"""
AU-02: one address trying many usernames is slowed down by a cool-off; one
pupil mistyping behind a school's NAT never blocks the classmates (AU-01).
"""

import re
import time

import pytest
from axes.models import AccessAttempt

from tests.factories import StudentFactory
from tests.factories.accounts import TEST_PASSWORD

LOGIN = "/accounts/login/"
REFUSED = "Có quá nhiều lần đăng nhập sai từ mạng này"


def _login(client, username, password, ip):
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_one_address_trying_1000_usernames_is_refused_for_a_cooloff_and_locks_no_account(
    client, settings, db
):
    settings.AXES_ENABLED = True
    pupil = StudentFactory()
    statuses = [
        _login(client, f"doan-{i}", "Matkhau2026", ip="203.0.113.9").status_code
        for i in range(1000)
    ]
    assert statuses[:100] == [200] * 100  # the ordinary "wrong password" page
    assert statuses[100:] == [429] * 900

    refused = _login(client, pupil.username, TEST_PASSWORD, ip="203.0.113.9")
    assert refused.status_code == 429
    assert REFUSED in refused.content.decode()
    assert "_auth_user_id" not in client.session
    # Refused before any password was checked: the pupil's account saw nothing.
    assert not AccessAttempt.objects.filter(username=pupil.username).exists()
    assert not AccessAttempt.objects.filter(failures_since_start__gte=2).exists()

    assert (
        _login(client, pupil.username, TEST_PASSWORD, ip="198.51.100.4").status_code
        == 302
    )


def test_the_refusal_ends_after_the_cooloff(client, settings, db):
    """In real time, so that Redis (the services profile) expires it too."""
    settings.LOPHOC_LOGIN_USERNAMES_PER_IP = 5
    settings.LOPHOC_LOGIN_IP_COOLOFF_SECONDS = 2
    pupil = StudentFactory()
    started = time.monotonic()
    for i in range(5):
        _login(client, f"doan-{i}", "Matkhau2026", ip="203.0.113.9")
    blocked = _login(client, pupil.username, TEST_PASSWORD, ip="203.0.113.9")
    assert blocked.status_code == 429
    time.sleep(max(0, started + 2.5 - time.monotonic()))
    after = _login(client, pupil.username, TEST_PASSWORD, ip="203.0.113.9")
    assert after.status_code == 302


def test_the_refusal_reads_the_same_for_a_real_and_an_unknown_username(client, db):
    pupil = StudentFactory()
    for i in range(100):
        _login(client, f"doan-{i}", "Matkhau2026", ip="203.0.113.9")
    known = _login(client, pupil.username, "Matkhau2026", ip="203.0.113.9")
    unknown = _login(client, "khong-co-ai", "Matkhau2026", ip="203.0.113.9")
    assert known.status_code == unknown.status_code == 429
    assert _page(known, pupil.username) == _page(unknown, "khong-co-ai")


def _page(response, username):
    """The page without what differs on every request (token) or is typed."""
    body = response.content.decode().replace(username, "")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", body)


def test_one_pupil_mistyping_a_hundred_times_behind_a_nat_blocks_no_classmate(
    client, db
):
    """Distinct usernames count, not failures (axes is off here to show it)."""
    pupils = StudentFactory.create_batch(30)
    for _ in range(100):
        _login(client, pupils[0].username, "sai-mat-khau", ip="10.0.0.1")
    for other in pupils[1:]:
        response = _login(client, other.username, TEST_PASSWORD, ip="10.0.0.1")
        assert response.status_code == 302, other.username
        client.logout()


@pytest.mark.parametrize("pupils", [60])
def test_a_class_that_each_mistypes_once_still_logs_in(client, db, pupils):
    for pupil in StudentFactory.create_batch(pupils):
        assert _login(client, pupil.username, "sai", ip="10.0.0.1").status_code == 200
        response = _login(client, pupil.username, TEST_PASSWORD, ip="10.0.0.1")
        assert response.status_code == 302, pupil.username
        client.logout()
