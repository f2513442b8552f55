"""
The one way a permission-checked file leaves Lophoc.

Views check the permission first, then call ``private_file_response``. It
answers byte ranges (``Range: bytes=a-b``, ``a-``, ``-n``) with 206 so a
phone can seek in a lesson video or resume a download over weak 3G, and 416
for a range beyond the file. With ``LOPHOC_ACCEL_REDIRECT`` set (the
production nginx site), it sends no bytes: an ``X-Accel-Redirect`` header
hands the file to an nginx ``internal`` location, which does the ranges
itself. The permission check always stays in Django.
"""

import mimetypes
import re
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header

from .storage import private_storage

CHUNK = 64 * 1024
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def parse_range(header: str, size: int) -> tuple[int, int] | None | bool:
    """
    ``(first, last)`` for one satisfiable byte range, ``None`` when the
    header is absent or not one plain byte range (serve the whole file), and
    ``False`` when it asks for bytes the file doesn't have (416).
    """
    match = _RANGE.match(header.replace(" ", "")) if header else None
    if not match or match.groups() == ("", ""):
        return None
    first, last = match.groups()
    if first == "":
        length = int(last)
        if length == 0:
            return False
        return max(size - length, 0), size - 1
    first = int(first)
    if last and int(last) < first:
        return None  # not a valid range: ignored, as RFC 9110 says
    if first >= size:
        return False
    return first, min(int(last), size - 1) if last else size - 1


def _read(handle, first: int, length: int):
    try:
        handle.seek(first)
        while length > 0:
            chunk = handle.read(min(CHUNK, length))
            if not chunk:
                break
            length -= len(chunk)
            yield chunk
    finally:
        handle.close()


def _accel_prefix(storage) -> str | None:
    prefix = settings.LOPHOC_ACCEL_REDIRECT
    if not prefix or not isinstance(storage, FileSystemStorage):
        return None
    folder = "private" if storage.location == private_storage.location else "media"
    return f"{prefix.rstrip('/')}/{folder}/"


def private_file_response(
    request,
    field_file,
    *,
    content_type: str | None = None,
    as_attachment: bool = False,
    filename: str | None = None,
    cache_control: str = "private, no-store",
):
    """The answer for a file the caller has already allowed ``request.user`` to see."""
    storage = field_file.storage
    name = field_file.name
    content_type = (
        content_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
    )
    try:
        size = storage.size(name)
    except (OSError, NotImplementedError):
        raise Http404
    prefix = _accel_prefix(storage)
    if prefix:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix + quote(name)
    else:
        wanted = (
            None if request.headers.get("If-Range") else request.headers.get("Range")
        )
        span = parse_range(wanted or "", size)
        if span is False:
            response = HttpResponse(status=416, content_type=content_type)
            response["Content-Range"] = f"bytes */{size}"
            response["Accept-Ranges"] = "bytes"
            return response
        try:
            handle = storage.open(name, "rb")
        except OSError:
            raise Http404
        first, last = span or (0, size - 1)
        length = max(last - first + 1, 0)
        response = StreamingHttpResponse(
            _read(handle, first, length),
            status=206 if span else 200,
            content_type=content_type,
        )
        response["Content-Length"] = str(length)
        if span:
            response["Content-Range"] = f"bytes {first}-{last}/{size}"
    response["Accept-Ranges"] = "bytes"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = cache_control
    if as_attachment or filename:
        response["Content-Disposition"] = content_disposition_header(
            as_attachment, filename or name.rsplit("/", 1)[-1]
        )
    return response
