"""Forms for classrooms: input parsing only; the rules live in services."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

SCHOOL_YEAR_RE = re.compile(r"^(\d{4})-(\d{4})$")
BAD_SCHOOL_YEAR = _("Năm học có dạng 2026-2027 (hai năm liền nhau).")
ROSTER_MAX_BYTES = 512 * 1024
ROSTER_TOO_BIG = _("Tệp quá lớn (tối đa 512 KB).")


class ClassroomForm(forms.Form):
    """Name, grade and school year; the school is chosen from the user's own."""

    school = forms.ModelChoiceField(queryset=None, label=_("Trường"), empty_label=None)
    name = forms.CharField(label=_("Tên lớp"), max_length=50, help_text=_("Ví dụ: 6A"))
    grade = forms.IntegerField(label=_("Khối"), min_value=1, max_value=12)
    school_year = forms.CharField(
        label=_("Năm học"), max_length=9, help_text=_("Ví dụ: 2026-2027")
    )

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        self.fields["grade"].widget.attrs.update(inputmode="numeric")
        if len(schools) == 1:
            self.fields["school"].widget = forms.HiddenInput()
            self.fields["school"].initial = schools[0].pk

    def clean_school_year(self):
        value = self.cleaned_data["school_year"].strip()
        match = SCHOOL_YEAR_RE.match(value)
        if not match or int(match[2]) != int(match[1]) + 1:
            raise forms.ValidationError(BAD_SCHOOL_YEAR)
        return value


class CodeForm(forms.Form):
    code = forms.CharField(
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "class": "code-input",
            }
        ),
    )


class JoinClassroomForm(CodeForm):
    """A student types the join code the teacher shared."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].label = _("Mã vào lớp")
        self.fields["code"].help_text = _("Mã 6 ký tự giáo viên gửi cho lớp.")


class LinkChildForm(CodeForm):
    """A parent types the invite code the school issued for their child."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].label = _("Mã mời phụ huynh")
        self.fields["code"].help_text = _("Mã 8 ký tự nhà trường cấp cho con bạn.")


class RosterImportForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp CSV danh sách học sinh"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > ROSTER_MAX_BYTES:
            raise forms.ValidationError(ROSTER_TOO_BIG)
        return upload
