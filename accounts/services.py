"""Writes about accounts."""

from django.conf import settings
from django.contrib.auth import update_session_auth_hash
from django.db.models import F

from .models import User


def save_language(*, user: User, language: str | None) -> User:
    """Store ``language`` as the user's preference if it is one Lophoc offers."""
    if language in dict(settings.LANGUAGES) and language != user.language:
        user.language = language
        user.save(update_fields=["language"])
    return user


def end_sessions(*, user: User, keep_request=None) -> None:
    """
    "Log out everywhere": every session of ``user`` ends, and with them the
    live and notification sockets (they re-check the session's auth hash
    every few seconds, accounts.sessions). With ``keep_request``, the
    session of that request stays signed in (the user's own button).
    """
    User.objects.filter(pk=user.pk).update(
        session_generation=F("session_generation") + 1
    )
    user.refresh_from_db(fields=["session_generation"])
    if keep_request is not None:
        update_session_auth_hash(keep_request, user)
