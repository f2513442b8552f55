"""
Deleting private files that no row refers to, such as those left when a
process died between writing the files and committing the rows.

Every model field that keeps its files in the private storage counts
(homework submissions and attachments, class announcements, and any field
added later), so a file that something still refers to is never deleted.
"""

import logging
from collections.abc import Iterator
from datetime import timedelta

from django.apps import apps
from django.db.models import FileField
from django.utils import timezone

from .storage import private_storage, uses_private_storage

logger = logging.getLogger(__name__)

ORPHAN_MIN_AGE = timedelta(hours=1)


def private_file_fields() -> list[tuple[type, str]]:
    """(model, field name) for every field stored in the private storage."""
    return [
        (model, field.name)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, FileField) and uses_private_storage(field)
    ]


def referenced_names() -> set[str]:
    """The name of every private file that some row refers to."""
    names: set[str] = set()
    for model, field in private_file_fields():
        names.update(
            model._default_manager.exclude(**{field: ""})
            .values_list(field, flat=True)
            .iterator()
        )
    return names


def stored_names(folder: str = "") -> Iterator[str]:
    """Every file name in the private storage, below ``folder``."""
    try:
        folders, files = private_storage.listdir(folder)
    except FileNotFoundError:
        return
    prefix = f"{folder}/" if folder else ""
    for name in files:
        yield prefix + name
    for sub in folders:
        yield from stored_names(prefix + sub)


# Folders whose files no row refers to by design, kept by the apps that own
# them (``keep_folder`` in their AppConfig.ready): the live rooms' audio
# chunks, which the session's recording is rebuilt from.
_KEPT: set[str] = set()


def keep_folder(prefix: str) -> None:
    _KEPT.add(prefix.rstrip("/") + "/")


def delete_orphan_files(*, older_than: timedelta = ORPHAN_MIN_AGE) -> int:
    """
    Delete private files that no row refers to and that are older than
    ``older_than``: a recent file may belong to an upload whose rows are
    still being saved. Returns the number of files deleted.
    """
    referenced = referenced_names()
    cutoff = timezone.now() - older_than
    deleted = 0
    for name in stored_names():
        if name in referenced or name.startswith(tuple(_KEPT)):
            continue
        if private_storage.get_modified_time(name) >= cutoff:
            continue
        try:
            private_storage.delete(name)
        except OSError:
            logger.exception("Could not delete orphan file %s", name)
            continue
        deleted += 1
    return deleted
