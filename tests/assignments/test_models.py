from wagtail.documents.models import AbstractDocument
from wagtail.images.models import AbstractImage

from assignments.models import AssignmentAttachment, SubmissionFile
from assignments.models.storage import PrivateStorage, private_media_root


def test_homework_files_are_not_wagtail_images_or_documents():
    for model in (SubmissionFile, AssignmentAttachment):
        assert not issubclass(model, AbstractImage)
        assert not issubclass(model, AbstractDocument)
        assert isinstance(model._meta.get_field("file").storage, PrivateStorage)


def test_private_storage_is_outside_media_root_and_has_no_url(settings):
    storage = PrivateStorage()
    assert storage.base_url is None
    assert not str(private_media_root()).startswith(str(settings.MEDIA_ROOT) + "/")
    try:
        storage.url("submissions/x.jpg")
    except ValueError:
        pass
    else:  # pragma: no cover - the assertion below explains the failure
        raise AssertionError("private storage must not hand out URLs")
