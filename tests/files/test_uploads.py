import io
import time

import pytest
from PIL import Image

from files import uploads as images
from tests.files.samples import image_bytes, upload

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def jpeg_with_orientation_and_gps(size=(300, 100)) -> bytes:
    """A landscape JPEG whose EXIF says "rotate 90° clockwise" plus GPS tags."""
    image = Image.new("RGB", size, (255, 255, 255))
    # A red block at the top-left corner, to check where it ends up.
    image.paste((255, 0, 0), (0, 0, 50, 50))
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x013B] = "Nguyễn Văn Chủ Máy"  # Artist (owner name)
    exif.get_ifd(GPS_IFD).update(
        {1: "N", 2: (21.0, 1.0, 30.0), 3: "E", 4: (105.0, 51.0, 0.0)}
    )
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes(), quality=95)
    return buffer.getvalue()


def test_photo_is_turned_upright_and_has_no_exif_at_all():
    raw = jpeg_with_orientation_and_gps()
    assert Image.open(io.BytesIO(raw)).getexif().get_ifd(GPS_IFD)  # test premise

    clean = images.clean_photo(upload("IMG_0001.jpg", raw))

    stored = Image.open(io.BytesIO(clean.content))
    assert stored.size == (100, 300)  # portrait: rotated by the orientation tag
    assert clean.width == 100 and clean.height == 300
    assert dict(stored.getexif()) == {}
    assert "exif" not in stored.info
    assert b"Exif" not in clean.content and b"PhoneMaker" not in clean.content
    # Orientation 6 turns the top-left corner into the top-right one.
    red, green, blue = stored.convert("RGB").getpixel((95, 5))
    assert red > 200 and green < 60 and blue < 60


def test_large_photo_is_downscaled_to_2000_px_on_the_long_side():
    clean = images.clean_photo(upload("big.png", image_bytes("PNG", size=(4000, 1000))))
    assert (clean.width, clean.height) == (2000, 500)
    assert clean.content_type == "image/jpeg"


def test_png_with_transparency_is_stored_as_webp():
    buffer = io.BytesIO()
    Image.new("RGBA", (40, 40), (0, 0, 0, 0)).save(buffer, "PNG")
    clean = images.clean_photo(upload("ve.png", buffer.getvalue(), "image/png"))
    assert clean.content_type == "image/webp"
    assert Image.open(io.BytesIO(clean.content)).format == "WEBP"


def test_heic_photo_is_converted_to_jpeg():
    pillow_heif = pytest.importorskip("pillow_heif")
    pillow_heif.register_heif_opener()
    buffer = io.BytesIO()
    Image.new("RGB", (64, 32), (10, 120, 10)).save(buffer, "HEIF")
    clean = images.clean_photo(upload("IMG_1.HEIC", buffer.getvalue(), "image/heic"))
    assert clean.content_type == "image/jpeg"
    assert clean.original_name == "IMG_1.jpg"
    assert Image.open(io.BytesIO(clean.content)).size == (64, 32)


def test_text_renamed_jpg_is_refused_as_not_an_image():
    with pytest.raises(images.UploadError) as error:
        images.clean_photo(upload("bai.jpg", b"Day khong phai la anh\n" * 20))
    assert error.value.message == images.NOT_AN_IMAGE


def png_header_only(width: int, height: int) -> bytes:
    """A small PNG that declares a huge canvas (a decompression bomb)."""
    import struct
    import zlib

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 4096)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", idat)
        + chunk(b"IEND", b"")
    )


def test_png_bomb_of_20000_by_20000_is_refused_fast():
    bomb = png_header_only(20_000, 20_000)
    started = time.perf_counter()
    with pytest.raises(images.UploadError) as error:
        images.clean_photo(upload("bomb.png", bomb, "image/png"))
    assert time.perf_counter() - started < 1
    assert error.value.message == images.IMAGE_TOO_LARGE


def test_image_of_12000_by_12000_is_refused_by_our_cap():
    with pytest.raises(images.UploadError) as error:
        images.clean_photo(upload("big.png", png_header_only(12_000, 12_000)))
    assert error.value.message == images.IMAGE_TOO_LARGE
    assert error.value.params["limit"] == 16


def test_png_and_webp_have_a_lower_pixel_cap_than_jpeg(monkeypatch):
    """A 6320×6320 WebP of 71 KB would cost ~680 MB to decode: refused from
    its header, before any decode; a JPEG of that size decodes at 1/4 scale."""

    def fail_decode(*args, **kwargs):
        raise AssertionError("decoded")

    monkeypatch.setattr(images, "_reencode", fail_decode)
    with pytest.raises(images.UploadError) as error:
        images.clean_photo(upload("x.png", png_header_only(6320, 6320)))
    assert error.value.params["limit"] == 16
    webp = image_bytes("WEBP", size=(4100, 4100))  # 16.8 Mpx
    with pytest.raises(images.UploadError) as error:
        images.clean_photo(upload("x.webp", webp, "image/webp"))
    assert error.value.params["limit"] == 16
    assert images.MAX_PIXELS_BY_FORMAT["JPEG"] == 40_000_000


def test_a_large_jpeg_is_decoded_at_reduced_scale():
    photo = image_bytes("JPEG", size=(6000, 4000))
    clean = images.clean_photo(upload("lon.jpg", photo))
    assert max(clean.width, clean.height) == images.MAX_LONG_SIDE


def test_decodes_wait_for_one_of_the_process_wide_slots(monkeypatch):
    import threading

    slots = threading.BoundedSemaphore(1)
    monkeypatch.setattr(images, "DECODE_SLOTS", slots)
    slots.acquire()  # another request is decoding
    done = []
    worker = threading.Thread(
        target=lambda: done.append(images.clean_photo(upload("a.jpg", image_bytes())))
    )
    worker.start()
    worker.join(0.3)
    assert done == []  # waiting for the slot
    slots.release()
    worker.join(5)
    assert len(done) == 1


@pytest.mark.parametrize(
    "head",
    [
        b"II*\x00" + b"\x00" * 60,  # TIFF
        b"8BPS\x00\x01" + b"\x00" * 60,  # PSD
        b"<?xml version='1.0'?><svg xmlns='http://www.w3.org/2000/svg'/>",
        b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n",
        b"\xc5\xd0\xd3\xc6" + b"\x00" * 60,  # DOS EPS binary
        b"SIMPLE  =                    T" + b" " * 50,  # FITS
        b"GIF89a" + b"\x00" * 60,
    ],
    ids=["tiff", "psd", "svg", "eps", "eps-binary", "fits", "gif"],
)
def test_other_formats_renamed_jpg_are_refused_before_decoding(head, monkeypatch):
    def fail_open(*args, **kwargs):
        raise AssertionError("Pillow must not be asked to decode this")

    monkeypatch.setattr(images.Image, "open", fail_open)
    with pytest.raises(images.UploadError) as error:
        images.clean_photo(upload("anh.jpg", head))
    assert error.value.message == images.NOT_AN_IMAGE


def test_truncated_jpeg_is_refused_as_broken():
    raw = image_bytes(size=(200, 200))[:300]
    with pytest.raises(images.UploadError) as error:
        images.clean_photo(upload("cut.jpg", raw))
    assert error.value.message == images.IMAGE_BROKEN


def test_oversize_photo_is_refused_without_decoding():
    big = upload("huge.jpg", b"\xff\xd8\xff" + b"\x00" * (images.MAX_PHOTO_BYTES + 1))
    with pytest.raises(images.UploadError) as error:
        images.clean_photo(big)
    assert error.value.message == images.PHOTO_TOO_BIG


def test_pdf_is_accepted_by_sniffed_type_and_exe_is_refused():
    pdf = images.clean_document(
        upload("bai.pdf", b"%PDF-1.7\n" + b"0" * 100, "application/pdf")
    )
    assert pdf.content_type == "application/pdf" and not pdf.is_photo
    with pytest.raises(images.UploadError) as error:
        images.clean_document(upload("bai.pdf", b"MZ\x90\x00" + b"\x00" * 100))
    assert error.value.message == images.DOCUMENT_NOT_ALLOWED


def test_oversize_document_is_refused():
    big = upload("so-tay.pdf", b"%PDF-1.7\n" + b"0" * images.MAX_DOCUMENT_BYTES)
    with pytest.raises(images.UploadError) as error:
        images.clean_document(big)
    assert error.value.message == images.DOCUMENT_TOO_BIG


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\win.ini", "win.ini"),
        ("bai\x00.jpg", "bai.jpg"),
        ("anh\u202egpj.exe", "anhgpj.exe"),
        ("%2e%2e%2fbai.jpg", "%2e%2e%2fbai.jpg"),
        ("Bài làm.jpg".encode().decode("utf-8"), "Bài làm.jpg"),
    ],
)
def test_display_names_lose_paths_and_control_characters(raw, expected):
    assert images.safe_display_name(raw) == expected


def test_nfd_vietnamese_name_is_normalised_and_long_name_is_cut():
    import unicodedata

    assert (
        images.safe_display_name(unicodedata.normalize("NFD", "Bài.jpg")) == "Bài.jpg"
    )
    long_name = images.safe_display_name("a" * 300 + ".jpg")
    assert len(long_name) == images.MAX_NAME_LENGTH and long_name.endswith(".jpg")


@pytest.mark.parametrize("orientation", range(1, 9))
def test_every_exif_orientation_matches_pillow_exif_transpose(orientation):
    from PIL import ImageOps

    image = Image.new("RGB", (120, 60), (255, 255, 255))
    image.paste((255, 0, 0), (0, 0, 30, 30))
    image.paste((0, 0, 255), (90, 30, 120, 60))
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    buffer = io.BytesIO()
    image.save(buffer, "PNG", exif=exif.tobytes())
    raw = buffer.getvalue()

    expected = ImageOps.exif_transpose(Image.open(io.BytesIO(raw))).convert("RGB")
    clean = images.clean_photo(upload("o.png", raw, "image/png"))
    stored = Image.open(io.BytesIO(clean.content)).convert("RGB")
    assert stored.size == expected.size
    for x, y in [(5, 5), (stored.width - 5, 5), (5, stored.height - 5)]:
        got, want = stored.getpixel((x, y)), expected.getpixel((x, y))
        assert all(abs(a - b) < 40 for a, b in zip(got, want, strict=True))


def test_plain_text_is_accepted_as_a_document_and_binary_text_is_not():
    note = images.clean_document(upload("ghi-chu.txt", "Bài 1: x = 2".encode(), ""))
    assert note.content_type == "text/plain" and note.extension == "txt"
    with pytest.raises(images.UploadError) as error:
        images.clean_document(upload("ghi-chu.txt", b"\x00\x01binary", ""))
    assert error.value.message == images.DOCUMENT_NOT_ALLOWED
