from pathlib import Path

from wagtail.documents.models import AbstractDocument
from wagtail.images.models import AbstractImage

from assignments.models import AssignmentAttachment, SubmissionFile
from files.storage import PrivateStorage, private_storage


def test_homework_files_are_not_wagtail_images_or_documents():
    for model in (SubmissionFile, AssignmentAttachment):
        assert not issubclass(model, AbstractImage)
        assert not issubclass(model, AbstractDocument)
        storage = model._meta.get_field("file").storage
        assert storage is private_storage
        assert isinstance(storage, PrivateStorage)


def test_private_storage_is_outside_media_root_and_has_no_url(settings):
    assert private_storage.base_url is None
    media_root = Path(settings.MEDIA_ROOT).resolve()
    assert not Path(private_storage.location).is_relative_to(media_root)
    try:
        private_storage.url("submissions/x.jpg")
    except ValueError:
        pass
    else:  # pragma: no cover - the assertion below explains the failure
        raise AssertionError("private storage must not hand out URLs")
