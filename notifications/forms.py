from django import forms
from django.utils.translation import gettext_lazy as _

from .models import EmailMode


class PreferenceForm(forms.Form):
    email_mode = forms.ChoiceField(
        label=_("Nhận thông báo qua email"),
        choices=EmailMode.choices,
        widget=forms.RadioSelect,
    )
    weekly_summary = forms.BooleanField(
        label=_("Nhận thư tổng kết hằng tuần về con (phụ huynh)"), required=False
    )
