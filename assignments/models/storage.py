"""
Where homework files go: the one private storage of ``files.storage``,
under generated names. ``private_storage`` stays importable here because
migration 0002 names it.
"""

from files.storage import generated_name
from files.storage import get_private_storage as private_storage

__all__ = ["private_storage", "submission_upload_to", "attachment_upload_to"]


def submission_upload_to(instance, filename: str) -> str:
    return generated_name("submissions", filename.rsplit(".", 1)[-1])


def attachment_upload_to(instance, filename: str) -> str:
    return generated_name("attachments", filename.rsplit(".", 1)[-1])
