"""UP-11: whatever bytes arrive, the validator accepts or refuses cleanly."""

import io
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from files import uploads as images
from tests.files.samples import upload

MAGIC = [
    b"\xff\xd8\xff\xe0",
    b"\x89PNG\r\n\x1a\n",
    b"RIFF\x00\x00\x00\x00WEBPVP8 ",
    b"\x00\x00\x00\x18ftypheic",
    b"%PDF-1.7\n",
    b"PK\x03\x04",
    b"",
]


def _valid_prefix(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), (1, 2, 3)).save(buffer, fmt)
    return buffer.getvalue()


class RawUpload(io.BytesIO):
    """An upload with any name at all (Django's upload classes refuse some)."""

    def __init__(self, name: str, data: bytes):
        super().__init__(data)
        self.name = name
        self.size = len(data)


VALID = [_valid_prefix("JPEG"), _valid_prefix("PNG"), _valid_prefix("WEBP")]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    magic=st.sampled_from(MAGIC),
    body=st.binary(max_size=2048),
    name=st.text(max_size=300),
)
def test_random_bytes_behind_any_magic_are_accepted_or_refused_cleanly(
    magic, body, name
):
    started = time.perf_counter()
    for cleaner in (images.clean_photo, images.clean_document):
        try:
            cleaner(RawUpload(name, magic + body))
        except images.UploadError:
            pass
    assert time.perf_counter() - started < 1


@settings(max_examples=200, deadline=None)
@given(valid=st.sampled_from(VALID), cut=st.integers(min_value=1), flip=st.integers())
def test_truncated_or_corrupted_real_images_never_crash(valid, cut, flip):
    data = bytearray(valid[: 1 + cut % len(valid)])
    if len(data) > 20:
        data[flip % len(data)] ^= 0xFF
    try:
        clean = images.clean_photo(upload("x.jpg", bytes(data)))
    except images.UploadError:
        return
    assert Image.open(io.BytesIO(clean.content)).format in {"JPEG", "WEBP"}
