"""
The one upload validator: every file a user uploads (homework photos and
files, homework attachments, class announcement attachments) passes here.

Photos: the format is sniffed from the magic bytes and checked against an
allowlist *before* Pillow decodes anything; the pixel count read from the
header is capped well below Pillow's own bomb limit; then the image is
decoded, downscaled to at most 2000 px on the long side, turned upright from
its EXIF orientation and re-encoded with no metadata at all (children's
location data must never be stored). HEIC is converted to JPEG.

Other files (PDF, Office documents, plain text) are accepted by sniffed type
with a size limit and stored as they are. An Office file must be the
archive it claims to be (its kind's parts, no macros, bounded entries);
legacy Office formats (.doc, .xls, .ppt), which carry macros, are refused
with a message asking for .docx/.xlsx/.pptx or PDF.
"""

import io
import threading
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

MAX_PHOTO_BYTES = 15 * 1024 * 1024
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
# The memory a decode may take is bounded per format: a JPEG is decoded at a
# reduced scale (``draft``, 1/2 … 1/8), so 40 Mpx costs about a tenth of its
# full size; PNG and WebP decode in full (4 bytes a pixel with alpha), so
# their cap is lower: 16 Mpx is 64 MB at most. A 6320×6320 WebP of 71 KB
# would have cost about 680 MB.
MAX_PIXELS_BY_FORMAT = {
    "JPEG": MAX_PIXELS,
    "HEIF": 24_000_000,
    "PNG": 16_000_000,
    "WEBP": 16_000_000,
}
# At most this many photos are decoded at once in one server process (the
# process that also carries the live rooms); the others wait their turn.
DECODE_SLOTS = threading.BoundedSemaphore(2)
# Office files are ZIP archives: bounded before anything reads them further.
MAX_ARCHIVE_ENTRIES = 2000
MAX_ARCHIVE_UNCOMPRESSED = 200 * 1024 * 1024
MAX_ARCHIVE_RATIO = 200
MAX_LONG_SIDE = 2000
JPEG_QUALITY = 85
MAX_NAME_LENGTH = 100
# A text file is one without NUL bytes in its first 4 KiB.
TEXT_SNIFF_BYTES = 4096

NOT_AN_IMAGE = _(
    "Tệp “%(name)s” không phải là ảnh JPEG, PNG, WebP hoặc HEIC. "
    "Hãy chụp lại hoặc chọn ảnh khác."
)
IMAGE_TOO_LARGE = _(
    "Ảnh “%(name)s” có quá nhiều điểm ảnh. Ảnh loại này tối đa %(limit)s triệu "
    "điểm ảnh: hãy chụp lại hoặc gửi ảnh JPEG."
)
IMAGE_BROKEN = _("Không đọc được ảnh “%(name)s”. Tệp có thể bị hỏng.")
PHOTO_TOO_BIG = _("Ảnh “%(name)s” nặng quá 15 MB.")
DOCUMENT_TOO_BIG = _("Tệp “%(name)s” nặng quá 10 MB.")
DOCUMENT_NOT_ALLOWED = _(
    "Không nhận tệp “%(name)s”. Chỉ nhận ảnh, PDF, tệp Word, Excel, "
    "PowerPoint hoặc văn bản (.txt)."
)
EMPTY_FILE = _("Tệp “%(name)s” rỗng.")
OFFICE_NOT_VALID = _(
    "Tệp “%(name)s” không phải là tệp Office hợp lệ (Word, Excel, PowerPoint "
    "hoặc OpenDocument). Hãy mở tệp và lưu lại, hoặc gửi bản PDF."
)
LEGACY_OFFICE_REFUSED = _(
    "Không nhận tệp Office kiểu cũ “%(name)s” (.doc, .xls, .ppt), vì có thể "
    "chứa macro. Hãy lưu lại thành .docx, .xlsx, .pptx hoặc PDF."
)

# Only these Pillow plugins may ever open an upload (no EPS/Ghostscript, PSD,
# TIFF, ...), in addition to the magic-byte check.
PILLOW_FORMATS = ("JPEG", "PNG", "WEBP", "HEIF")
EXIF_ORIENTATION = 0x0112
# EXIF orientation → the transpose that makes the picture upright (the same
# table as ``ImageOps.exif_transpose``, applied after downscaling so that
# the rotation works on at most 2000 × 2000 pixels).
ORIENTATION_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
OFFICE_EXTENSIONS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
}
LEGACY_OFFICE_EXTENSIONS = {"doc", "xls", "ppt"}
# The part an Office Open XML file of each kind must have, besides
# ``[Content_Types].xml``; OpenDocument names its type in ``mimetype``.
OFFICE_MAIN_PART = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class UploadError(ValueError):
    """A refusal with a translated, user-facing message."""

    def __init__(self, message, **params):
        self.message = message
        self.params = params
        super().__init__(str(message) % params)


@dataclass(frozen=True)
class CleanFile:
    """An upload that passed the checks, ready to be written to storage."""

    content: bytes
    extension: str
    content_type: str
    original_name: str
    is_photo: bool
    width: int | None = None
    height: int | None = None


def sniff_image_format(head: bytes) -> str | None:
    """The allowlisted image format named by the magic bytes, or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS:
        return "HEIF"
    return None


def sniff_document_type(head: bytes, extension: str) -> str | None:
    """The content type of an allowed non-image file, or None."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"PK\x03\x04") and extension in OFFICE_EXTENSIONS:
        return OFFICE_EXTENSIONS[extension]
    if extension == "txt" and b"\x00" not in head:
        return "text/plain"
    return None


def office_archive_is_sound(data: bytes, extension: str) -> bool:
    """
    Whether a ZIP named .docx/.xlsx/.pptx/.odt is one: the parts its kind
    must have, no macros, no absolute or ``..`` entry names, and bounded
    entry count, total size and compression ratio (a ZIP bomb is refused
    from its directory, before anything is inflated).
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return False
    names = {entry.filename for entry in entries}
    total = sum(entry.file_size for entry in entries)
    if len(entries) > MAX_ARCHIVE_ENTRIES or total > MAX_ARCHIVE_UNCOMPRESSED:
        return False
    if total > MAX_ARCHIVE_RATIO * max(len(data), 1):
        return False
    for name in names:
        parts = name.replace("\\", "/").split("/")
        if name.startswith("/") or ".." in parts or ":" in parts[0]:
            return False
        if parts[-1].lower() == "vbaproject.bin":  # macros: a .docm renamed
            return False
    if extension == "odt":
        try:
            mimetype = archive.read("mimetype")
        except (KeyError, zipfile.BadZipFile, OSError, EOFError):
            return False
        return mimetype.strip() == OFFICE_EXTENSIONS["odt"].encode()
    return "[Content_Types].xml" in names and OFFICE_MAIN_PART[extension] in names


def safe_display_name(name: str) -> str:
    """
    A filename fit for display and for a Content-Disposition header: no
    folders, no control or bidirectional-override characters, NFC, short.
    It is never used as a path; stored files get generated names.
    """
    name = unicodedata.normalize("NFC", str(name or ""))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(
        ch for ch in name if unicodedata.category(ch) not in {"Cc", "Cf", "Cs", "Co"}
    )
    name = name.strip().lstrip(".") or "tep"
    if len(name) > MAX_NAME_LENGTH:
        stem, dot, ext = name.rpartition(".")
        ext = ext[:10] if dot else ""
        keep = MAX_NAME_LENGTH - len(ext) - 1
        name = f"{(stem or name)[:keep]}.{ext}" if ext else name[:MAX_NAME_LENGTH]
    return name


def _read(upload) -> bytes:
    upload.seek(0)
    return upload.read()


def _with_extension(name: str, extension: str) -> str:
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return f"{stem}.{extension}"


def _register_heif():
    # Imported on the first HEIC photo only: libheif costs every server
    # process ~90 ms and its memory at start, for a format few phones send.
    from pillow_heif import register_heif_opener

    register_heif_opener()


def clean_photo(upload) -> CleanFile:
    """Check, decode and re-encode one photo; raise ``UploadError`` if refused."""
    name = safe_display_name(getattr(upload, "name", ""))
    if upload.size == 0:
        raise UploadError(EMPTY_FILE, name=name)
    if upload.size > MAX_PHOTO_BYTES:
        raise UploadError(PHOTO_TOO_BIG, name=name)
    upload.seek(0)
    fmt = sniff_image_format(upload.read(32))
    if fmt is None:
        raise UploadError(NOT_AN_IMAGE, name=name)
    if fmt == "HEIF":
        _register_heif()
    data = _read(upload)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=PILLOW_FORMATS)
            # ``Image.open`` only parsed the header: check the size first.
            width, height = image.size
            limit = MAX_PIXELS_BY_FORMAT[fmt]
            if width * height > limit:
                raise UploadError(IMAGE_TOO_LARGE, name=name, limit=limit // 1_000_000)
            with DECODE_SLOTS:
                return _reencode(image, name)
    except Image.DecompressionBombError:
        raise UploadError(
            IMAGE_TOO_LARGE, name=name, limit=MAX_PIXELS_BY_FORMAT[fmt] // 1_000_000
        )
    except UploadError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise UploadError(IMAGE_BROKEN, name=name)


def _reencode(image: Image.Image, name: str) -> CleanFile:
    if image.format == "JPEG":
        # Decode at a reduced scale when the photo is far bigger than needed.
        image.draft("RGB", (MAX_LONG_SIDE, MAX_LONG_SIDE))
    orientation = image.getexif().get(EXIF_ORIENTATION, 1)
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    mode = "RGBA" if has_alpha else "RGB"
    if image.mode != mode:
        image = image.convert(mode)
    else:
        image.load()
    image.thumbnail((MAX_LONG_SIDE, MAX_LONG_SIDE), Image.Resampling.LANCZOS)
    if orientation in ORIENTATION_TRANSPOSE:
        image = image.transpose(ORIENTATION_TRANSPOSE[orientation])
    # Pixels only: the encoder is given no EXIF, XMP, ICC profile or comment,
    # and nothing is carried over from the upload's ``info``.
    image.info = {}
    out = io.BytesIO()
    if has_alpha:
        image.save(out, "WEBP", quality=JPEG_QUALITY)
        extension, content_type = "webp", "image/webp"
    else:
        image.save(out, "JPEG", quality=JPEG_QUALITY)
        extension, content_type = "jpg", "image/jpeg"
    clean = image
    return CleanFile(
        content=out.getvalue(),
        extension=extension,
        content_type=content_type,
        original_name=_with_extension(name, extension),
        is_photo=True,
        width=clean.width,
        height=clean.height,
    )


def clean_document(upload) -> CleanFile:
    """Accept a PDF, Office or text file by its sniffed type, or a photo."""
    name = safe_display_name(getattr(upload, "name", ""))
    if upload.size == 0:
        raise UploadError(EMPTY_FILE, name=name)
    upload.seek(0)
    head = upload.read(TEXT_SNIFF_BYTES)
    if sniff_image_format(head):
        return clean_photo(upload)
    if upload.size > MAX_DOCUMENT_BYTES:
        raise UploadError(DOCUMENT_TOO_BIG, name=name)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if head.startswith(OLE_MAGIC) and extension in LEGACY_OFFICE_EXTENSIONS:
        raise UploadError(LEGACY_OFFICE_REFUSED, name=name)
    content_type = sniff_document_type(head, extension)
    if content_type is None:
        raise UploadError(DOCUMENT_NOT_ALLOWED, name=name)
    if extension in OFFICE_EXTENSIONS and not office_archive_is_sound(
        _read(upload), extension
    ):
        raise UploadError(OFFICE_NOT_VALID, name=name)
    if content_type == "application/pdf":
        extension = "pdf"
    return CleanFile(
        content=_read(upload),
        extension=extension,
        content_type=content_type,
        original_name=_with_extension(name, extension),
        is_photo=False,
    )
