from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from live.models import LiveSession


class LiveSessionForm(forms.ModelForm):
    """Schedule a session: class, title, start, optional lesson and video link."""

    class Meta:
        model = LiveSession
        fields = ["classroom", "title", "scheduled_at", "lesson", "video_url"]
        widgets = {
            "scheduled_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            )
        }

    def __init__(self, *args, classrooms, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["classroom"].queryset = classrooms
        self.fields["lesson"].queryset = Page.objects.live().filter(depth__gt=2)
        self.fields["lesson"].required = False
        self.fields["lesson"].empty_label = _("— không dùng trang chiếu —")
