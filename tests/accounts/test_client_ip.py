"""
The client address behind nginx: only trusted proxies' X-Forwarded-For is
believed (accounts.client_ip), and the login lockout keys on it.
"""

import pytest
from django.test import RequestFactory

from accounts.client_ip import client_ip
from tests.factories import TeacherFactory
from tests.factories.accounts import TEST_PASSWORD

LOGIN = "/accounts/login/"
NGINX = "127.0.0.1"


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True


def _request(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def _login(client, username, password, forwarded):
    return client.post(
        LOGIN,
        {"username": username, "password": password},
        REMOTE_ADDR=NGINX,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def test_behind_a_trusted_proxy_the_forwarded_client_is_used(settings):
    settings.LOPHOC_TRUSTED_PROXIES = [NGINX]
    assert client_ip(_request(NGINX, "203.0.113.5")) == "203.0.113.5"


def test_a_forged_left_entry_is_ignored_behind_a_trusted_proxy(settings):
    """AU-01: nginx appends the peer it saw; what the client wrote is to its left."""
    settings.LOPHOC_TRUSTED_PROXIES = [NGINX]
    assert client_ip(_request(NGINX, "6.6.6.6, 203.0.113.5")) == "203.0.113.5"


def test_trusted_proxies_may_be_networks_and_are_all_skipped(settings):
    settings.LOPHOC_TRUSTED_PROXIES = ["10.0.0.0/8", NGINX]
    assert client_ip(_request(NGINX, "203.0.113.5, 10.1.2.3")) == "203.0.113.5"


def test_with_no_trusted_proxy_a_forged_header_changes_nothing(settings):
    """AU-01: X-Forwarded-For from an untrusted peer is never believed."""
    settings.LOPHOC_TRUSTED_PROXIES = []
    assert client_ip(_request("198.51.100.9", "6.6.6.6")) == "198.51.100.9"
    assert client_ip(_request(NGINX, "6.6.6.6")) == NGINX


def test_a_garbled_header_falls_back_to_the_peer(settings):
    settings.LOPHOC_TRUSTED_PROXIES = [NGINX]
    assert client_ip(_request(NGINX, "not-an-ip")) == NGINX


def test_behind_nginx_a_lockout_locks_one_client_not_the_other(
    client, axes_on, settings, db
):
    """AU-01: one trusted proxy, two clients; five wrong passwords lock only one."""
    settings.LOPHOC_TRUSTED_PROXIES = [NGINX]
    teacher = TeacherFactory()
    for _ in range(5):
        _login(client, teacher.username, "wrong-password", "203.0.113.5")
    locked = _login(client, teacher.username, TEST_PASSWORD, "203.0.113.5")
    assert locked.status_code == 429
    other = _login(client, teacher.username, TEST_PASSWORD, "198.51.100.20")
    assert other.status_code == 302


def test_without_trusted_proxies_forging_the_header_does_not_escape_a_lockout(
    client, axes_on, settings, db
):
    """AU-01: 0 trusted proxies: a new X-Forwarded-For is still the same client."""
    settings.LOPHOC_TRUSTED_PROXIES = []
    teacher = TeacherFactory()
    for _ in range(5):
        _login(client, teacher.username, "wrong-password", "203.0.113.5")
    forged = _login(client, teacher.username, TEST_PASSWORD, "198.51.100.20")
    assert forged.status_code == 429
