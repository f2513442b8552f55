"""Writes about accounts."""

from django.conf import settings

from .models import User


def save_language(*, user: User, language: str | None) -> User:
    """Store ``language`` as the user's preference if it is one Lophoc offers."""
    if language in dict(settings.LANGUAGES) and language != user.language:
        user.language = language
        user.save(update_fields=["language"])
    return user
