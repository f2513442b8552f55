"""
StreamField blocks for lessons. ``LessonStreamBlock`` is the shared stream
other apps may reuse; each block has an icon, a template in
``templates/blocks/``, a description and a preview value (style.md §3).
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

from . import hooks
from .mathml import latex_to_mathml

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul", "superscript", "subscript"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Tiêu đề"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("Cấp"),
        choices=[("h2", _("Mục")), ("h3", _("Mục nhỏ"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        template = "blocks/heading_block.html"
        label = _("Tiêu đề mục")
        description = _("Tiêu đề chia bài học thành từng phần.")
        preview_value = {"text": "1. Khái niệm phân số", "level": "h2"}


class ParagraphBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault("features", RICH_TEXT_FEATURES)
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        template = "blocks/paragraph_block.html"
        label = _("Đoạn văn")
        description = _("Văn bản có định dạng: đậm, nghiêng, danh sách, liên kết.")
        preview_value = "<p>Phân số gồm <b>tử số</b> và <b>mẫu số</b>.</p>"


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Ảnh"))
    alt = blocks.CharBlock(
        label=_("Mô tả ảnh (cho người khiếm thị)"), required=False, max_length=250
    )
    caption = blocks.CharBlock(label=_("Chú thích"), required=False, max_length=250)

    class Meta:
        icon = "image"
        template = "blocks/captioned_image_block.html"
        label = _("Ảnh có chú thích")
        description = _("Một ảnh, tự thu nhỏ cho điện thoại, kèm chú thích.")
        preview_value = {"caption": "Hình 1. Chiếc bánh chia làm 4 phần"}


# A hosted video at 360p uses about 0.7 Mbit/s (≈ 5 MB a minute); loading
# the player itself costs about 1 MB before anything plays.
VIDEO_MB_PER_MINUTE = 5
VIDEO_PLAYER_MB = 1


class VideoEmbedBlock(blocks.StructBlock):
    """
    A hosted video behind a facade (PR-04): the page shows a local
    placeholder (title, duration, data estimate); the provider's player,
    kept inert in a ``<template>``, loads only when the reader taps it.
    """

    video = EmbedBlock(
        label=_("Đường dẫn video"), help_text=_("YouTube hoặc Vimeo."), max_width=720
    )
    caption = blocks.CharBlock(label=_("Chú thích"), required=False, max_length=250)
    duration = blocks.IntegerBlock(
        label=_("Thời lượng (phút)"),
        help_text=_("Để học sinh biết video tốn bao nhiêu dữ liệu."),
        required=False,
        min_value=1,
        max_value=600,
    )

    class Meta:
        icon = "media"
        template = "blocks/video_embed_block.html"
        label = _("Video (YouTube, Vimeo)")
        description = _("Video đăng trên YouTube hoặc Vimeo.")
        preview_value = {"caption": "Video bài giảng"}

    def get_context(self, value, parent_context=None):
        from wagtail.embeds.embeds import get_embed
        from wagtail.embeds.exceptions import EmbedException

        context = super().get_context(value, parent_context=parent_context)
        embed = None
        if value.get("video"):
            try:
                embed = get_embed(value["video"].url, value["video"].max_width)
            except EmbedException:
                embed = None
        duration = value.get("duration")
        context.update(
            embed=embed,
            title=(embed.title if embed else "") or value.get("caption") or "",
            provider=embed.provider_name if embed else "",
            estimate_mb=duration * VIDEO_MB_PER_MINUTE + VIDEO_PLAYER_MB
            if duration
            else None,
            mb_per_minute=VIDEO_MB_PER_MINUTE,
        )
        return context


class VideoFileBlock(blocks.StructBlock):
    video = DocumentChooserBlock(
        label=_("Tệp video"), help_text=_("Tệp MP4 hoặc WebM đã tải lên.")
    )
    caption = blocks.CharBlock(label=_("Chú thích"), required=False, max_length=250)

    class Meta:
        icon = "media"
        template = "blocks/video_file_block.html"
        label = _("Video tải lên")
        description = _("Video do thầy cô tải lên, phát bằng trình phát của máy.")
        preview_value = {"caption": "Video thí nghiệm"}


class AttachmentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Tài liệu"))
    label = blocks.CharBlock(label=_("Tên hiển thị"), required=False, max_length=200)

    class Meta:
        icon = "doc-full"
        template = "blocks/attachment_block.html"
        label = _("Tệp đính kèm")
        description = _("Phiếu bài tập, tài liệu PDF để học sinh tải về.")
        preview_value = {"label": "Phiếu bài tập số 1 (PDF)"}


class MathBlock(blocks.StructBlock):
    latex = blocks.TextBlock(
        label=_("Công thức (LaTeX)"),
        help_text=_("Ví dụ: \\frac{1}{2} + \\frac{1}{3} = \\frac{5}{6}"),
        max_length=2000,
    )
    display = blocks.BooleanBlock(
        label=_("Hiển thị riêng một dòng"), required=False, default=True
    )

    class Meta:
        icon = "code"
        template = "blocks/math_block.html"
        label = _("Công thức toán")
        description = _("Công thức viết bằng LaTeX, hiển thị không cần mạng.")
        preview_value = {"latex": "\\frac{1}{2} + \\frac{1}{3} = \\frac{5}{6}"}

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["mathml"] = latex_to_mathml(value["latex"], display=value["display"])
        return context


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("Loại"),
        choices=[
            ("note", _("Ghi nhớ")),
            ("tip", _("Mẹo")),
            ("warning", _("Chú ý")),
        ],
        default="note",
    )
    text = ParagraphBlock(label=_("Nội dung"))

    class Meta:
        icon = "warning"
        template = "blocks/callout_block.html"
        label = _("Khung ghi nhớ")
        description = _("Một khung nổi bật: ghi nhớ, mẹo hoặc chú ý.")
        preview_value = {
            "kind": "note",
            "text": "<p>Mẫu số luôn khác 0.</p>",
        }


class ChoiceOptionBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Phương án"), max_length=300)
    correct = blocks.BooleanBlock(label=_("Đúng"), required=False)


class SelfCheckBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Câu hỏi"), max_length=500)
    options = blocks.ListBlock(
        ChoiceOptionBlock(), label=_("Các phương án"), min_num=2, max_num=6
    )
    explanation = ParagraphBlock(label=_("Giải thích"), required=False)

    class Meta:
        icon = "help"
        template = "blocks/self_check_block.html"
        label = _("Câu hỏi tự kiểm tra")
        description = _(
            "Câu hỏi trắc nghiệm học sinh tự làm; máy kiểm tra ngay, không chấm điểm."
        )
        preview_value = {
            "question": "Phân số nào bằng 1/2?",
            "options": [
                {"text": "2/4", "correct": True},
                {"text": "2/3", "correct": False},
            ],
            "explanation": "<p>Nhân cả tử và mẫu của 1/2 với 2.</p>",
        }

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["correct_texts"] = [o["text"] for o in value["options"] if o["correct"]]
        return context


class HomeworkLinkBlock(blocks.StructBlock):
    assignment_id = blocks.IntegerBlock(
        label=_("Mã bài tập"),
        min_value=1,
        help_text=_("Số hiệu của bài tập về nhà (xem ở trang bài tập)."),
    )
    label = blocks.CharBlock(label=_("Lời dẫn"), required=False, max_length=200)

    class Meta:
        icon = "link"
        template = "blocks/homework_link_block.html"
        label = _("Liên kết bài tập về nhà")
        description = _("Dẫn học sinh tới bài tập về nhà của bài học này.")
        preview_value = {"assignment_id": 1, "label": "Làm bài tập về nhà"}

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        request = (parent_context or {}).get("request")
        user = getattr(request, "user", None)
        context["homework"] = (
            hooks.resolve_homework(value["assignment_id"], user) if user else None
        )
        return context


class LessonStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    image = CaptionedImageBlock()
    video = VideoEmbedBlock()
    video_file = VideoFileBlock()
    attachment = AttachmentBlock()
    math = MathBlock()
    callout = CalloutBlock()
    self_check = SelfCheckBlock()
    homework = HomeworkLinkBlock()
