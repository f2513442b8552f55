"""Forms: they parse input; the services decide what is allowed."""

import json
import uuid
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.fields import SaneDateTimeField
from courses.blocks import RICH_TEXT_FEATURES
from courses.forms import LessonChoiceField
from courses.selectors import lessons_for_user

from .models import AssignmentKind, LatePolicy, QuestionKind

RUBRIC_MAX_POINTS = Decimal(1000)
RUBRIC_LINE_INVALID = _(
    "Mỗi dòng tiêu chí có dạng “Tên tiêu chí: điểm”, ví dụ “Trình bày: 2”."
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input (Django's documented recipe)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class RichTextInstructions(forms.Textarea):
    """
    A textarea that ``static/js/assignments/rich_text.js`` turns into a small
    editor with the lesson editor's toolbar (``courses.blocks``'
    ``RICH_TEXT_FEATURES``: bold, italic, lists, link, superscript,
    subscript). Without JavaScript it stays a textarea; plain text is then
    kept as paragraphs (``services.sanitize_instructions``).
    """

    LABELS = {
        "bold": _("Đậm"),
        "italic": _("Nghiêng"),
        "ul": _("Danh sách gạch đầu dòng"),
        "ol": _("Danh sách đánh số"),
        "link": _("Liên kết"),
        "superscript": _("Chỉ số trên"),
        "subscript": _("Chỉ số dưới"),
        "toolbar": _("Định dạng văn bản"),
        "help": _(
            "Bôi đen chữ rồi bấm nút trên thanh công cụ để in đậm, in nghiêng, "
            "tạo danh sách hay chèn liên kết."
        ),
        "link_prompt": _("Địa chỉ liên kết (bắt đầu bằng https://):"),
        "link_invalid": _(
            "Địa chỉ liên kết phải bắt đầu bằng http://, https:// hoặc mailto:."
        ),
    }

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        labels = {key: str(label) for key, label in self.LABELS.items()}
        features = [f for f in RICH_TEXT_FEATURES if f in labels]
        context["widget"]["attrs"]["data-rich-text"] = json.dumps(
            {"features": features, "labels": labels}, ensure_ascii=False
        )
        return context


class AssignmentForm(forms.Form):
    title = forms.CharField(label=_("Tiêu đề"), max_length=200)
    classrooms = forms.ModelMultipleChoiceField(
        label=_("Giao cho lớp"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )
    kind = forms.ChoiceField(
        label=_("Loại bài"), choices=AssignmentKind.choices, initial="upload"
    )
    quiz = forms.ModelChoiceField(
        label=_("Bộ câu hỏi (với bài trắc nghiệm)"), queryset=None, required=False
    )
    instructions = forms.CharField(
        label=_("Hướng dẫn"),
        required=False,
        widget=RichTextInstructions(attrs={"rows": 6}),
        help_text=_("Để trống một dòng để sang đoạn mới."),
    )
    lesson = LessonChoiceField(
        label=_("Bài học liên quan"), queryset=None, required=False
    )
    points = forms.DecimalField(
        label=_("Thang điểm"), min_value=Decimal("0.5"), max_value=1000, initial=10
    )
    rubric = forms.CharField(
        label=_("Tiêu chí chấm (không bắt buộc)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Mỗi dòng một tiêu chí: “Tên tiêu chí: điểm”."),
    )
    opens_at = SaneDateTimeField(
        label=_("Mở lúc"), required=False, widget=DateTimeLocalInput()
    )
    due_at = SaneDateTimeField(label=_("Hạn nộp"), widget=DateTimeLocalInput())
    late_policy = forms.ChoiceField(
        label=_("Nộp muộn"), choices=LatePolicy.choices, initial="accept"
    )
    show_correct_answers = forms.BooleanField(
        label=_("Cho học sinh xem đáp án sau khi nộp"), required=False
    )
    required_for_late_joiners = forms.BooleanField(
        label=_("Bắt buộc cả với học sinh vào lớp sau khi giao bài"),
        required=False,
        help_text=_(
            "Để trống: học sinh mới vào lớp không bị tính là chưa nộp khi quá hạn."
        ),
    )
    full_size_photos = forms.BooleanField(
        label=_("Nhận ảnh cỡ lớn (điện thoại không thu nhỏ ảnh trước khi gửi)"),
        required=False,
        help_text=_("Chỉ chọn khi cần đọc chữ rất nhỏ: học sinh tốn dữ liệu hơn."),
    )
    attachments = MultipleFileField(label=_("Tệp đính kèm"))
    publish = forms.BooleanField(label=_("Giao bài ngay"), required=False, initial=True)

    def __init__(self, *args, classrooms, quizzes, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["classrooms"].queryset = classrooms
        self.fields["quiz"].queryset = quizzes
        self.fields["lesson"].queryset = lessons_for_user(user)

    def clean_rubric(self):
        criteria = []
        for line in self.cleaned_data["rubric"].splitlines():
            if not line.strip():
                continue
            name, sep, points = line.rpartition(":")
            try:
                value = Decimal(points.strip().replace(",", "."))
            except ArithmeticError:
                value = None
            # NaN, Infinity and 1e999 parse as Decimals; comparing a NaN raises.
            if value is not None and not (
                value.is_finite() and 0 < value <= RUBRIC_MAX_POINTS
            ):
                value = None
            if not sep or not name.strip() or value is None:
                raise forms.ValidationError(RUBRIC_LINE_INVALID)
            criteria.append({"name": name.strip()[:100], "points": str(value)})
        return criteria


class SubmissionForm(forms.Form):
    text = forms.CharField(
        label=_("Bài làm (không bắt buộc)"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    photos = MultipleFileField(
        label=_("Ảnh chụp bài làm"),
        widget=MultipleFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )
    files = MultipleFileField(
        label=_("Tệp khác (PDF, Word…)"),
        widget=MultipleFileInput(
            attrs={"accept": ".pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.odt,image/*"}
        ),
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("idempotency_key", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)


class GradeForm(forms.Form):
    score = forms.DecimalField(
        label=_("Điểm"), min_value=0, max_digits=6, decimal_places=2, required=False
    )
    comment = forms.CharField(
        label=_("Nhận xét"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # Filled by the grading viewer (marking.js); checked by the service.
    marks = forms.CharField(required=False, strip=False, widget=forms.HiddenInput)

    def __init__(self, *args, rubric=(), **kwargs):
        super().__init__(*args, **kwargs)
        for i, criterion in enumerate(rubric):
            self.fields[f"rubric_{i}"] = forms.DecimalField(
                label=f"{criterion['name']} (/{criterion['points']})",
                min_value=0,
                max_value=Decimal(criterion["points"]),
                required=False,
            )

    def rubric_scores(self) -> list:
        values = [v for k, v in self.cleaned_data.items() if k.startswith("rubric_")]
        return values if values and all(v is not None for v in values) else []


class QuizForm(forms.Form):
    title = forms.CharField(label=_("Tên bộ câu hỏi"), max_length=200)
    description = forms.CharField(
        label=_("Mô tả"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại câu hỏi"), choices=QuestionKind.choices)
    text = forms.CharField(label=_("Câu hỏi"), widget=forms.Textarea(attrs={"rows": 2}))
    choices = forms.CharField(
        label=_("Các lựa chọn"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Mỗi dòng một lựa chọn; đánh dấu * ở đầu lựa chọn đúng."),
    )
    true_is_correct = forms.TypedChoiceField(
        label=_("Đáp án (câu Đúng / Sai)"),
        choices=[("1", _("Đúng")), ("0", _("Sai"))],
        coerce=lambda v: v == "1",
        required=False,
    )
    numeric_answer = forms.DecimalField(
        label=_("Đáp số (câu trả lời bằng số)"), required=False, max_digits=12
    )
    tolerance = forms.DecimalField(
        label=_("Sai số cho phép"),
        required=False,
        min_value=0,
        max_digits=12,
        initial=0,
    )
    points = forms.IntegerField(label=_("Điểm"), min_value=1, max_value=100, initial=1)
    explanation = forms.CharField(
        label=_("Giải thích (hiện sau khi nộp)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def parsed_choices(self) -> list[tuple[str, bool]]:
        parsed = []
        for line in self.cleaned_data.get("choices", "").splitlines():
            line = line.strip()
            if line:
                correct = line.startswith("*")
                parsed.append((line.lstrip("*").strip()[:300], correct))
        return parsed
