"""
``{{ value|lesson_richtext }}``: Wagtail's ``richtext`` filter followed by
nh3. The admin editor already whitelists what teachers type, but stored HTML
can also arrive through imports, the API or a raw database write; children
read these pages, so scripts, event handlers and ``javascript:`` links are
stripped once more on the way out (XS-01).
"""

import nh3
from django import template
from django.utils.safestring import mark_safe
from wagtail.rich_text import RichText, expand_db_html

register = template.Library()

ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height", "class"},
    "ol": {"start"},
    "*": {"lang", "dir"},
}


@register.filter
def lesson_richtext(value) -> str:
    source = value.source if isinstance(value, RichText) else str(value or "")
    cleaned = nh3.clean(
        expand_db_html(source),
        attributes=ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer",
    )
    return mark_safe(cleaned)  # noqa: S308 - sanitised by nh3 just above
