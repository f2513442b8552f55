"""
Is a login session still signed in? For code that holds a session key
outside a request — the long-lived sockets re-check it every few seconds
(WS-04, AU-08).

A session signs in its user only while it exists, names a user who is
still active, and carries that user's current auth hash: a password
change, a reset by a teacher, a logout or "log out everywhere" each break
one of these, as Django's own ``get_user`` would see on the next request.
"""

from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.utils.crypto import constant_time_compare

from .models import User


def _load(session_key: str) -> dict:
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    if not store.exists(session_key):
        return {}
    return store.load()


def _hash_matches(user: User, session_hash: str | None) -> bool:
    if not session_hash:
        return False
    if constant_time_compare(session_hash, user.get_session_auth_hash()):
        return True
    return any(
        constant_time_compare(session_hash, fallback)
        for fallback in user.get_session_auth_fallback_hash()
    )


def signed_in_users(session_keys) -> dict[str, int | None]:
    """For each session key: the id of the user it still signs in, or None."""
    claims = {}
    for key in set(session_keys):
        data = _load(key)
        if data.get(BACKEND_SESSION_KEY) in settings.AUTHENTICATION_BACKENDS:
            try:
                claims[key] = (int(data[SESSION_KEY]), data.get(HASH_SESSION_KEY))
            except (KeyError, TypeError, ValueError):
                pass
    users = {
        user.pk: user
        for user in User.objects.filter(
            pk__in={user_id for user_id, _ in claims.values()}, is_active=True
        ).only("pk", "password", "session_generation")
    }
    found: dict[str, int | None] = dict.fromkeys(session_keys)
    for key, (user_id, session_hash) in claims.items():
        user = users.get(user_id)
        if user is not None and _hash_matches(user, session_hash):
            found[key] = user_id
    return found


def signs_in(session_key: str | None, user_id: int) -> bool:
    """Whether ``session_key`` still signs in the user ``user_id``."""
    return bool(session_key) and signed_in_users([session_key])[session_key] == user_id
