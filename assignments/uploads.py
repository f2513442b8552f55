"""
Writing homework files to private storage, and cleaning up after failures.

Files are written before the database rows (see
``services.submit_assignment``); these helpers make sure a failure never
leaves a file without its row; what a crash still leaves behind is deleted
by ``manage.py delete_orphan_files`` (``files.cleanup``).
"""

import logging
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _

from files.storage import generated_name, private_storage
from files.uploads import CleanFile, UploadError

logger = logging.getLogger(__name__)

STORAGE_FAILED = _("Không lưu được bài nộp. Vui lòng thử lại.")


def clean_uploads(uploads, cleaner, field: str) -> list[CleanFile]:
    cleaned, errors = [], []
    for upload in uploads:
        try:
            cleaned.append(cleaner(upload))
        except UploadError as error:
            errors.append(ValidationError(error.message, params=error.params))
    if errors:
        raise ValidationError({field: errors})
    return cleaned


def write_files(cleaned: Sequence[CleanFile], folder: str) -> list[str]:
    """Write every file first; on any failure remove those already written."""
    written: list[str] = []
    try:
        for clean in cleaned:
            name = generated_name(folder, clean.extension)
            written.append(private_storage.save(name, ContentFile(clean.content)))
    except Exception as error:
        logger.exception("Storage failed while saving homework files")
        delete_files(written)
        raise ValidationError(STORAGE_FAILED) from error
    return written


def delete_files(names: Iterable[str]) -> None:
    for name in names:
        try:
            private_storage.delete(name)
        except OSError:
            logger.exception("Could not delete orphan file %s", name)
