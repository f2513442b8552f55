"""
Writing homework files to private storage, and cleaning up after failures.

Files are written before the database rows (see
``services.submit_assignment``); these helpers make sure a failure never
leaves a file without its row.
"""

import logging
from collections.abc import Iterable, Sequence
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import images
from .models import AssignmentAttachment, SubmissionFile, private_storage
from .models.storage import generated_name, private_media_root

logger = logging.getLogger(__name__)

STORAGE_FAILED = _("Không lưu được bài nộp. Vui lòng thử lại.")


def clean_uploads(uploads, cleaner, field: str) -> list[images.CleanFile]:
    cleaned, errors = [], []
    for upload in uploads:
        try:
            cleaned.append(cleaner(upload))
        except images.UploadError as error:
            errors.append(ValidationError(error.message, params=error.params))
    if errors:
        raise ValidationError({field: errors})
    return cleaned


def write_files(cleaned: Sequence[images.CleanFile], folder: str) -> list[str]:
    """Write every file first; on any failure remove those already written."""
    storage = private_storage()
    written: list[str] = []
    try:
        for clean in cleaned:
            name = generated_name(folder, clean.extension)
            written.append(storage.save(name, ContentFile(clean.content)))
    except Exception as error:
        logger.exception("Storage failed while saving homework files")
        delete_files(written)
        raise ValidationError(STORAGE_FAILED) from error
    return written


def delete_files(names: Iterable[str]) -> None:
    storage = private_storage()
    for name in names:
        try:
            storage.delete(name)
        except OSError:
            logger.exception("Could not delete orphan file %s", name)


def delete_orphan_files(*, older_than: timedelta = timedelta(hours=1)) -> int:
    """
    Remove private files that no row refers to, such as those left when the
    process died between writing the files and committing the rows. Recent
    files are kept: they may belong to a submission still being saved.
    Returns the number of files deleted.
    """
    root = private_media_root()
    if not root.exists():
        return 0
    referenced = set(SubmissionFile.objects.values_list("file", flat=True))
    referenced |= set(AssignmentAttachment.objects.values_list("file", flat=True))
    cutoff = (timezone.now() - older_than).timestamp()
    deleted = 0
    for path in root.rglob("*"):
        name = path.relative_to(root).as_posix()
        if path.is_file() and name not in referenced and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            deleted += 1
    return deleted
