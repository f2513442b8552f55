"""Uploads for tests: small real images and ``SimpleUploadedFile`` wrappers."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def image_bytes(fmt="JPEG", size=(64, 48), color=(200, 30, 30), **save_kwargs):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, fmt, **save_kwargs)
    return buffer.getvalue()


def upload(name, content, content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def camera_photo(seed=1, orientation=None) -> bytes:
    """
    A 12 Mpx phone photo of a page of handwriting (4000×3000, about 5.5 MB):
    ruled paper, ink strokes, uneven light and sensor noise, so that it
    compresses as a real one does, not as a flat colour. ``orientation``
    sets the EXIF tag a phone held upright writes (6: turn 90° clockwise).
    """
    import math
    import random

    from PIL import ImageChops, ImageDraw, ImageFilter

    rnd = random.Random(seed)
    width, height = 4000, 3000
    page = Image.new("RGB", (width, height), (236, 232, 220))
    draw = ImageDraw.Draw(page)
    for y in range(200, height - 100, 90):
        draw.line([(150, y), (width - 150, y)], fill=(170, 190, 215), width=4)
    for n in range(1500):
        x, y = rnd.randint(200, width - 300), rnd.randint(200, height - 200)
        stroke = [(x + i * 12, y + int(20 * math.sin(i / 2 + n))) for i in range(12)]
        draw.line(stroke, fill=(40, 45, 90), width=7)
    page = page.filter(ImageFilter.GaussianBlur(1.2))
    light = Image.linear_gradient("L").rotate(90).resize((width, height))
    shaded = ImageChops.multiply(page, Image.merge("RGB", [light] * 3))
    page = Image.composite(page, shaded, Image.new("L", (width, height), 200))
    noise = Image.merge("RGB", [Image.effect_noise((width, height), 10)] * 3)
    page = ImageChops.add(page, noise, scale=1, offset=-128)
    buffer = io.BytesIO()
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    page.save(buffer, "JPEG", quality=92, exif=exif.tobytes())
    return buffer.getvalue()
