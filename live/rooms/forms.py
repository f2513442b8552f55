from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.fields import SaneDateTimeField
from courses.forms import LessonChoiceField
from courses.selectors import lessons_for_user
from live.models import LiveSession


class LiveSessionForm(forms.ModelForm):
    """Schedule a session: class, title, start, optional lesson and video link."""

    class Meta:
        model = LiveSession
        fields = ["classroom", "title", "scheduled_at", "lesson", "video_url"]
        field_classes = {
            "scheduled_at": SaneDateTimeField,
            "lesson": LessonChoiceField,
        }
        widgets = {
            "scheduled_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            )
        }

    def __init__(self, *args, classrooms, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["classroom"].queryset = classrooms
        self.fields["lesson"].queryset = lessons_for_user(user)
        self.fields["lesson"].required = False
        self.fields["lesson"].empty_label = _("— không dùng trang chiếu —")
