"""
``{% lesson_picture image alt position %}``: a responsive ``<picture>`` (WebP
with a JPEG fallback, phone and double-density widths) whose URLs go through
the signed, permission-checked ``courses:image`` view, so a private course's
renditions have no guessable public address.
"""

from django import template
from django.utils.html import format_html, format_html_join
from wagtail.images.views.serve import generate_image_url

register = template.Library()

WIDTHS = (360, 720)
FORMATS = (("webp", "image/webp", "webpquality-70"), ("jpeg", None, "jpegquality-70"))
SIZES = "(max-width: 45rem) 100vw, 45rem"
# The first blocks of a lesson are usually on screen at once; later images
# wait until the reader scrolls near them.
EAGER_POSITIONS = 2


def rendition_url(image, width: int, fmt: str, quality: str) -> str:
    spec = f"width-{min(width, image.width)}|format-{fmt}|{quality}"
    return generate_image_url(image, spec, viewname="courses:image")


@register.simple_tag
def lesson_picture(image, alt="", position=None):
    if image is None:
        return ""
    widths = sorted({min(w, image.width) for w in WIDTHS})
    width = widths[0]
    height = round(image.height * width / image.width) if image.width else 0
    srcsets = {
        fmt: ", ".join(f"{rendition_url(image, w, fmt, q)} {w}w" for w in widths)
        for fmt, _mime, q in FORMATS
    }
    lazy = not position or int(position) > EAGER_POSITIONS
    sources = format_html_join(
        "",
        '<source type="{}" srcset="{}" sizes="{}">',
        [(mime, srcsets[fmt], SIZES) for fmt, mime, _q in FORMATS if mime],
    )
    return format_html(
        '<picture>{}<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" '
        'alt="{}" loading="{}" decoding="async"></picture>',
        sources,
        rendition_url(image, width, "jpeg", "jpegquality-70"),
        srcsets["jpeg"],
        SIZES,
        width,
        height,
        alt,
        "lazy" if lazy else "eager",
    )
