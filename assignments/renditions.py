"""
Homework photos at the sizes graders and pupils look at them: a phone-width
copy and a 1,600 px copy, each made on first request and kept
(``PhotoRendition``); the photo as stored is sent only when asked for.
"""

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from files.renditions import shrink

from .models import PhotoRendition, SubmissionFile

PHONE = 800
SCREEN = 1600
# The ``?size=`` of the photo's URL.
JPEG = "image/jpeg"
SIZES = {"phone": PHONE, "screen": SCREEN}


def rendition_file(stored: SubmissionFile, size: int):
    """
    (file, content type) to send for the photo ``stored`` at ``size``: the
    photo itself when it is no bigger, else its kept smaller copy, made now
    if this is the first request. Two first requests at once keep one copy.
    """
    if max(stored.width or 0, stored.height or 0) <= size:
        return stored.file, stored.content_type
    existing = stored.renditions.filter(width=size).first()
    if existing:
        return existing.file, JPEG
    with stored.file.open("rb") as handle:
        content, _width, _height = shrink(handle, size)
    rendition = PhotoRendition(source=stored, width=size, size=len(content))
    rendition.file.save("photo.jpg", ContentFile(content), save=False)
    try:
        with transaction.atomic():
            rendition.save()
    except IntegrityError:
        # Another request made it first: keep theirs, drop our copy.
        rendition.file.delete(save=False)
        return stored.renditions.get(width=size).file, JPEG
    return rendition.file, JPEG
