"""
Private file storage for homework: outside ``MEDIA_ROOT`` and without a URL.

Submission files and attachments are served only by permission-checked views
(``assignments.views.files``), so the storage has no ``base_url`` and
``url()`` raises. The location is read from the settings on every access, so
a test that points ``MEDIA_ROOT`` at a temporary folder gets a private
folder beside it.
"""

import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils import timezone


def private_media_root() -> Path:
    configured = getattr(settings, "LOPHOC_PRIVATE_MEDIA_ROOT", None)
    if configured:
        return Path(configured)
    return Path(settings.MEDIA_ROOT).parent / "private-media"


class PrivateStorage(FileSystemStorage):
    """A filesystem storage that never hands out a public URL."""

    @property
    def base_location(self):
        return str(private_media_root())

    @property
    def location(self):
        return str(private_media_root().resolve())

    @property
    def base_url(self):
        return None


def private_storage() -> PrivateStorage:
    return PrivateStorage()


def generated_name(folder: str, extension: str) -> str:
    """A random name: the uploader's filename never reaches the filesystem."""
    today = timezone.now()
    return f"{folder}/{today:%Y/%m}/{uuid.uuid4().hex}.{extension}"


def submission_upload_to(instance, filename: str) -> str:
    return generated_name("submissions", filename.rsplit(".", 1)[-1])


def attachment_upload_to(instance, filename: str) -> str:
    return generated_name("attachments", filename.rsplit(".", 1)[-1])
