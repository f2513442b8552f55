"""
QR login cards for pupils who cannot type a username and a password
(issue #16, docs/sign-in.md).

A card holds ``https://<host>/b/<token>``, where the token is
``secrets.token_urlsafe(16)`` (128 bits). Lophoc keeps only its SHA-256
(``LoginBadge.token_hash``), so a copy of the database signs nobody in, and
a card can be printed only when it is made. Opening the link signs the
pupil in, cycles the session key and redirects to the pupil's home with
``Referrer-Policy: no-referrer``, so the token leaves the address bar at
once and is never sent on as a ``Referer``.

Voiding a card (or making a new one, which voids the old) ends at once every
session it opened (``BadgeSession``). Who may make or void a card is the
pupil's home-school question: ``classrooms.services`` asks it, then calls
these functions.

Guessing: a client address that sends ``LOPHOC_BADGE_FAILURES_PER_IP``
unusable tokens in a cool-off window gets 429 for every card until the
window ends, a valid one too; cards that work are not counted, so a class
signing in behind one school address is never slowed.
"""

import hashlib
import re
import secrets
from importlib import import_module

from django.conf import settings
from django.contrib.auth import login
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from . import throttles
from .models import BadgeSession, LoginBadge, Role, User

TOKEN_BYTES = 16
# token_urlsafe(16) is 22 characters of [A-Za-z0-9_-].
TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{22}$")
BACKEND = "django.contrib.auth.backends.ModelBackend"
SESSION_BADGE = "lophoc_badge"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _ended_sessions(badges) -> None:
    store = import_module(settings.SESSION_ENGINE).SessionStore
    rows = BadgeSession.objects.filter(badge__in=badges)
    for key in rows.values_list("session_key", flat=True):
        store(key).delete()
    rows.delete()


def void_badge(*, student: User) -> bool:
    """Void the pupil's card in use, ending the sessions it opened."""
    with transaction.atomic():
        badges = list(
            LoginBadge.objects.select_for_update().filter(
                user=student, revoked_at__isnull=True
            )
        )
        if not badges:
            return False
        LoginBadge.objects.filter(pk__in=[b.pk for b in badges]).update(
            revoked_at=timezone.now()
        )
        _ended_sessions(badges)
    return True


def issue_badge(*, student: User, by: User | None) -> str:
    """A new card for ``student`` (the old one is voided); its token, once."""
    if student.role != Role.STUDENT:
        raise ValueError("Login cards are for pupils.")
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with transaction.atomic():
        void_badge(student=student)
        LoginBadge.objects.create(
            user=student, token_hash=hash_token(token), created_by=by
        )
    return token


def badge_in_use(student: User) -> LoginBadge | None:
    return LoginBadge.objects.filter(user=student, revoked_at__isnull=True).first()


def _failures_key(ip: str) -> str:
    return f"badge:ip:{ip}"


def guessing_blocked(ip: str) -> bool:
    return cache.get(_failures_key(ip), 0) >= settings.LOPHOC_BADGE_FAILURES_PER_IP


def _usable_badge(token: str) -> LoginBadge | None:
    if not TOKEN_SHAPE.match(token or ""):
        return None
    return (
        LoginBadge.objects.select_related("user")
        .filter(
            token_hash=hash_token(token),
            revoked_at__isnull=True,
            user__is_active=True,
            user__role=Role.STUDENT,
        )
        .first()
    )


def sign_in_with_badge(request, token: str, ip: str) -> User | None:
    """
    Sign the card's pupil in on ``request`` (a new session key) and return
    them, or None for a token that is random, malformed, voided or of a
    pupil no longer active. Callers check ``guessing_blocked`` first.
    """
    badge = _usable_badge(token)
    if badge is None:
        window = settings.LOPHOC_LOGIN_IP_COOLOFF_SECONDS
        throttles.spend(
            _failures_key(ip), settings.LOPHOC_BADGE_FAILURES_PER_IP, window
        )
        return None
    if request.user.is_authenticated:
        # One child per browser session: whoever was signed in is signed out.
        request.session.flush()
    login(request, badge.user, backend=BACKEND)
    request.session[SESSION_BADGE] = badge.pk
    request.session.save()
    BadgeSession.objects.create(badge=badge, session_key=request.session.session_key)
    return badge.user
