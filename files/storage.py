"""
The private storage: where uploads that only some people may see are kept.

It is the ``STORAGES["private"]`` alias of the settings, so a deployment can
point it at another backend (S3, ...) by settings alone. The default,
``PrivateStorage``, is a folder outside ``MEDIA_ROOT`` without URLs: such
files are served only by permission-checked views.

Model fields use ``storage=get_private_storage``: Django calls a storage
callable once, when the model class is built, so it returns a proxy that
looks the alias up again whenever ``STORAGES`` changes (tests point it at a
temporary folder).
"""

import uuid

from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import timezone
from django.utils.functional import LazyObject, empty

PRIVATE = "private"


class PrivateStorage(FileSystemStorage):
    """A filesystem storage that never hands out a public URL."""

    @property
    def base_url(self):
        return None


class PrivateStorageProxy(LazyObject):
    """``storages["private"]``, resolved on first use after each change."""

    def _setup(self):
        self._wrapped = storages[PRIVATE]


private_storage = PrivateStorageProxy()


def get_private_storage():
    """The storage callable for ``FileField(storage=...)``."""
    return private_storage


@receiver(setting_changed)
def _forget_private_storage(*, setting, **kwargs):
    if setting == "STORAGES":
        private_storage._wrapped = empty


def generated_name(folder: str, extension: str) -> str:
    """A random name: the uploader's filename never reaches the storage."""
    today = timezone.now()
    return f"{folder}/{today:%Y/%m}/{uuid.uuid4().hex}.{extension}"


def uses_private_storage(field) -> bool:
    """Whether a model field keeps its files in the private storage."""
    return getattr(field, "storage", None) is private_storage
