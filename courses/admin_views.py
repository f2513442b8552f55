"""
Wagtail admin views Lophoc adjusts, mounted in ``lms/urls.py`` in front of
Wagtail's own.

``CreatePageView``: Wagtail's "add page" view, safe against its own
autosave. The create form autosaves (a JSON POST that creates the page); a
Publish pressed while that request is in flight posts the same title to the
create URL again. Both pass the form's "slug is free" check, the second
``add_child`` then fails ``Page.full_clean`` with a ``ValidationError``, and
Wagtail answered 500 with half a page saved. Here the write runs in one
transaction: on that error nothing of it is kept, and the teacher lands on
the page the autosave created (theirs, a draft, just made) with a message to
press Publish again; any other clash is a form error.
"""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.admin.views.pages.create import CreateView

AUTOSAVE_WINDOW = timedelta(minutes=10)


class CreatePageView(CreateView):
    def save_action(self):
        return self._atomic(super().save_action)

    def publish_action(self):
        return self._atomic(super().publish_action)

    def submit_action(self):
        return self._atomic(super().submit_action)

    def _atomic(self, action):
        try:
            with transaction.atomic():
                return action()
        except ValidationError as error:
            return self._clash(error)

    def _own_autosaved_twin(self):
        """The draft this user's autosave made a moment ago with this slug."""
        return (
            self.parent_page.get_children()
            .filter(
                slug=self.page.slug,
                owner=self.request.user,
                live=False,
                latest_revision_created_at__gte=timezone.now() - AUTOSAVE_WINDOW,
            )
            .first()
        )

    def _clash(self, error: ValidationError):
        twin = self._own_autosaved_twin()
        if twin is not None:
            text = _(
                "Bài đã được tự động lưu ngay trước khi bạn bấm. Hãy xem lại "
                "rồi bấm lần nữa."
            )
            if self.expects_json_response:
                return self.json_error_response("already_created", text)
            messages.warning(self.request, text)
            return redirect("wagtailadmin_pages:edit", twin.pk)
        for field, errors in error.message_dict.items():
            target = field if field in self.form.fields else None
            for message in errors:
                self.form.add_error(target, message)
        return self.form_invalid(self.form)
