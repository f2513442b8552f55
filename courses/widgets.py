"""
The rich-text widget of the Wagtail admin (``WAGTAILADMIN_RICH_TEXT_EDITORS``):
Wagtail's Draftail without its "/" command palette.

Draftail opens the palette whenever the text before the cursor holds a "/"
with no space after it, so every fraction a teacher types ("1/2", "a/b")
opened it, and Enter then picked a command (a list, a new block) instead of
starting a new line. Draftail has a ``commandToolbar`` option, but it is a
component, not JSON, so ``static/js/courses/rich_text.js`` sets it in the
browser: for StreamField blocks through the telepath constructor below, for
page fields through the ``lophoc-draftail:init`` event. Blocks can still be
inserted with the toolbar's "+" button.
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.forms import Media
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_noop as _
from wagtail.admin.rich_text.editors.draftail import (
    DraftailRichTextArea,
    DraftailRichTextAreaAdapter,
)
from wagtail.admin.staticfiles import versioned_static
from wagtail.admin.telepath import register

# Wagtail's own placeholder invites the teacher to type "/".
PLACEHOLDER = _("Viết nội dung…")
INIT_EVENT = "lophoc-draftail:init"


class LessonRichTextArea(DraftailRichTextArea):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.attrs["data-w-init-event-value"] = INIT_EVENT

    def js_options(self) -> dict:
        """Draftail's options, translated for the request being served."""
        return {**self.options, "placeholder": gettext(PLACEHOLDER)}

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["data-w-init-detail-value"] = json.dumps(
            self.js_options(), cls=DjangoJSONEncoder
        )
        return context

    @cached_property
    def media(self):
        return super().media + Media(js=[versioned_static("js/courses/rich_text.js")])


class LessonRichTextAreaAdapter(DraftailRichTextAreaAdapter):
    js_constructor = "lophoc.widgets.LessonRichTextArea"

    def js_args(self, widget):
        return [widget.js_options()]


register(LessonRichTextAreaAdapter(), LessonRichTextArea)
