"""
QR login cards (issue #16, accounts.badges): a card signs its pupil in
within two requests on a new session key and leaves no token behind; only
its hash is stored; voiding or replacing it ends at once the sessions it
opened; a card that does not work answers the same whatever the reason;
guessing from one address is throttled with 429 and signs nobody in.
"""

import secrets

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts import badges
from accounts.models import BadgeSession, LoginBadge
from lms.logs import redact


def _url(token: str) -> str:
    return reverse("badge-sign-in", args=[token])


def _signed_in_as(client) -> int | None:
    value = client.session.get(SESSION_KEY)
    return int(value) if value else None


def test_a_card_signs_its_pupil_in_and_lands_on_a_clean_home(world, client):
    token = badges.issue_badge(student=world.S1, by=world.T1)
    client.get(reverse("accounts:login"))
    before = client.cookies.get(settings.SESSION_COOKIE_NAME)
    first = client.get(_url(token))
    assert first.status_code == 302 and first["Location"] == "/"
    assert first["Referrer-Policy"] == "no-referrer"
    assert "no-store" in first["Cache-Control"]
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert before is None or after != before.value
    assert _signed_in_as(client) == world.S1.pk
    home = client.get(first["Location"])
    assert home.status_code == 200
    assert world.S1.display_name in home.content.decode()
    assert token not in home.content.decode()


def test_the_database_holds_only_the_tokens_hash(world):
    token = badges.issue_badge(student=world.S1, by=world.T1)
    badge = LoginBadge.objects.get(user=world.S1)
    assert (
        badge.token_hash == badges.hash_token(token) and token not in badge.token_hash
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_loginbadge")
        rows = cursor.fetchall()
    assert not any(token in str(value) for row in rows for value in row)
    assert len(token) == 22  # 16 random bytes, 128 bits


def test_voiding_a_card_ends_at_once_the_sessions_it_opened(world):
    token = badges.issue_badge(student=world.S1, by=world.T1)
    phone, laptop = Client(), Client()
    phone.get(_url(token))
    laptop.force_login(world.S1)  # a password sign-in: not the card's
    assert phone.get("/").status_code == 200
    assert badges.void_badge(student=world.S1)
    assert phone.get("/").status_code == 302  # back to the login page
    assert _signed_in_as(phone) is None
    assert laptop.get("/").status_code == 200
    assert phone.get(_url(token)).status_code == 404
    assert not BadgeSession.objects.exists()


def test_a_new_card_voids_the_old_one_and_its_sessions(world):
    old = badges.issue_badge(student=world.S1, by=world.T1)
    phone = Client()
    phone.get(_url(old))
    new = badges.issue_badge(student=world.S1, by=world.T1)
    assert _signed_in_as(phone) is None
    assert Client().get(_url(old)).status_code == 404
    assert Client().get(_url(new)).status_code == 302
    assert (
        LoginBadge.objects.filter(user=world.S1, revoked_at__isnull=True).count() == 1
    )


BAD_TOKENS = {
    "random": lambda w: secrets.token_urlsafe(16),
    "revoked": lambda w: _revoked(w),
    "too short": lambda w: "abc",
    "not base64url": lambda w: "%" * 22,
    "very long": lambda w: "A" * 5000,
    "of an inactive pupil": lambda w: _inactive(w),
}


def _revoked(world):
    token = badges.issue_badge(student=world.S2, by=world.T1)
    badges.void_badge(student=world.S2)
    return token


def _inactive(world):
    token = badges.issue_badge(student=world.S3, by=world.T2)
    world.S3.is_active = False
    world.S3.save()
    return token


@pytest.mark.parametrize("make", BAD_TOKENS.values(), ids=BAD_TOKENS.keys())
def test_a_card_that_does_not_work_gets_one_answer_whatever_the_reason(
    world, client, make
):
    response = client.get(_url(make(world)))
    assert response.status_code == 404
    assert response["Referrer-Policy"] == "no-referrer"
    page = response.content.decode()
    assert "Thẻ này không dùng được nữa" in page
    for pupil in (world.S1, world.S2, world.S3):
        assert pupil.display_name not in page
    assert _signed_in_as(client) is None


def test_guessing_from_one_address_is_throttled_and_signs_nobody_in(
    world, client, settings
):
    settings.LOPHOC_BADGE_FAILURES_PER_IP = 20
    valid = badges.issue_badge(student=world.S1, by=world.T1)
    answers = [
        client.get(_url(secrets.token_urlsafe(16))).status_code for _ in range(1000)
    ]
    assert answers[:20] == [404] * 20
    assert set(answers[20:]) == {429}
    # While the address is cooling off, even a real card is refused there...
    blocked = client.get(_url(valid))
    assert blocked.status_code == 429 and _signed_in_as(client) is None
    assert "đợi 15 phút" in blocked.content.decode()
    # ... and another address (the next school) is not held back.
    other = Client(REMOTE_ADDR="192.0.2.77")
    assert other.get(_url(valid)).status_code == 302


def test_a_class_signing_in_with_good_cards_behind_one_address_is_never_throttled(
    world, settings
):
    settings.LOPHOC_BADGE_FAILURES_PER_IP = 3
    for pupil in (world.S1, world.S2) * 5:
        token = badges.issue_badge(student=pupil, by=world.T1)
        assert Client().get(_url(token)).status_code == 302


def test_opening_a_card_while_another_child_is_signed_in_switches_child(world):
    phone = Client()
    phone.get(_url(badges.issue_badge(student=world.S1, by=world.T1)))
    first_session = phone.session.session_key
    phone.get(_url(badges.issue_badge(student=world.S2, by=world.T1)))
    assert _signed_in_as(phone) == world.S2.pk
    assert phone.session.session_key != first_session


def test_zalos_own_browser_is_asked_to_open_chrome_and_signs_nobody_in(world, client):
    token = badges.issue_badge(student=world.S1, by=world.T1)
    zalo = "Mozilla/5.0 (Linux; Android 12) Chrome/120 Mobile Zalo android/12110"
    response = client.get(_url(token), HTTP_USER_AGENT=zalo)
    assert response.status_code == 200 and _signed_in_as(client) is None
    page = response.content.decode()
    assert "Mở bằng Chrome" in page
    assert "intent://testserver/b/" in page and "package=com.android.chrome" in page
    assert response["Referrer-Policy"] == "no-referrer"
    here = client.get(_url(token) + "?here=1", HTTP_USER_AGENT=zalo)
    assert here.status_code == 302 and _signed_in_as(client) == world.S1.pk


def test_the_cards_path_is_blanked_in_log_lines():
    event = redact(None, "info", {"request": "GET /b/AbCdEfGhIjKlMnOpQrStUv"})
    assert event["request"] == "GET /b/[redacted]"
