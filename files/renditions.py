"""
Smaller copies of stored photos for the screen they are looked at on.

``shrink`` reads a photo already cleaned by ``files.uploads`` (upright, no
metadata) and returns a JPEG no wider or taller than ``long_side``. It takes
one of the same decode slots as the upload validator, so a page full of
photos cannot starve the live rooms of the process that serves it.
"""

import io

from PIL import Image

from .uploads import DECODE_SLOTS

QUALITY = 80


def shrink(handle, long_side: int) -> tuple[bytes, int, int]:
    """(JPEG bytes, width, height) of the photo in ``handle``, shrunk."""
    with DECODE_SLOTS, Image.open(handle) as image:
        if image.format == "JPEG":
            image.draft("RGB", (long_side, long_side))
        if image.mode in ("RGBA", "LA", "PA", "P"):
            image = image.convert("RGBA")
            flat = Image.new("RGB", image.size, "white")
            flat.paste(image, mask=image.getchannel("A"))
            image = flat
        elif image.mode != "RGB":
            image = image.convert("RGB")
        image.thumbnail((long_side, long_side), Image.Resampling.LANCZOS)
        image.info = {}
        out = io.BytesIO()
        image.save(out, "JPEG", quality=QUALITY, progressive=True, optimize=True)
        return out.getvalue(), image.width, image.height
