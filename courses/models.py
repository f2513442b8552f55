"""
The course page tree: a course index per school, courses, optional units and
lessons; plus each student's lesson progress.

Who may read a course is answered by ``courses.permissions`` (public flag,
course teachers, and relations registered by higher layers through
``courses.hooks``); the pages here stay declarative.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, HelpPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from .blocks import LessonStreamBlock
from .text import unaccent


class Subject(models.TextChoices):
    MATH = "math", _("Toán")
    LITERATURE = "literature", _("Ngữ văn")
    ENGLISH = "english", _("Tiếng Anh")
    SCIENCE = "science", _("Khoa học tự nhiên")
    HISTORY_GEOGRAPHY = "history_geography", _("Lịch sử và Địa lí")
    CIVICS = "civics", _("Giáo dục công dân")
    TECHNOLOGY = "technology", _("Công nghệ")
    INFORMATICS = "informatics", _("Tin học")
    ARTS = "arts", _("Nghệ thuật")
    PHYSICAL_EDUCATION = "physical_education", _("Giáo dục thể chất")
    OTHER = "other", _("Môn khác")


class CourseIndexPage(Page):
    """The list of a school's courses (one per school)."""

    intro = RichTextField(_("giới thiệu"), blank=True, features=["bold", "italic"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["courses.CoursePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("danh sách khoá học")
        verbose_name_plural = _("danh sách khoá học")

    def get_context(self, request, *args, **kwargs):
        from .permissions import visible_courses

        context = super().get_context(request, *args, **kwargs)
        context["courses"] = visible_courses(request.user).child_of(self)
        return context


class CoursePage(Page):
    """A subject for one grade, taught by its teachers, read by linked classes."""

    subject = models.CharField(
        _("môn học"), max_length=32, choices=Subject.choices, default=Subject.MATH
    )
    grade = models.PositiveSmallIntegerField(
        _("khối lớp"), default=6, help_text=_("Từ 1 đến 12.")
    )
    description = RichTextField(
        _("mô tả"), blank=True, features=["bold", "italic", "ol", "ul", "link"]
    )
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("ảnh bìa"),
    )
    is_public = models.BooleanField(
        _("công khai"),
        default=False,
        help_text=_(
            "Bật để mọi người đều đọc được khoá học, kể cả khi chưa đăng nhập. "
            "Khi tắt, chỉ giáo viên, học sinh của các lớp học khoá này "
            "và phụ huynh của các em đọc được."
        ),
    )
    teachers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="taught_courses",
        verbose_name=_("giáo viên"),
    )
    # Set up by ``services.create_course``: the Wagtail group whose members
    # edit this subtree, and the collection holding its images and documents.
    editors_group = models.OneToOneField(
        "auth.Group",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    collection = models.OneToOneField(
        "wagtailcore.Collection",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="course",
    )

    content_panels = Page.content_panels + [
        FieldPanel("subject"),
        FieldPanel("grade"),
        FieldPanel("description"),
        FieldPanel("cover_image"),
        FieldPanel("is_public"),
        HelpPanel(
            content=_(
                "Giáo viên của khoá học và các lớp học khoá này do nhà trường "
                "quản lí trong Lophoc."
            )
        ),
    ]
    search_fields = Page.search_fields + [index.SearchField("description")]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.UnitPage", "courses.LessonPage"]

    class Meta:
        verbose_name = _("khoá học")
        verbose_name_plural = _("khoá học")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(grade__gte=1) & models.Q(grade__lte=12),
                name="course_grade_1_to_12",
            )
        ]

    def get_context(self, request, *args, **kwargs):
        from .selectors import course_outline_for_user

        context = super().get_context(request, *args, **kwargs)
        context["outline"] = course_outline_for_user(course=self, user=request.user)
        return context


class UnitPage(Page):
    """A chapter grouping lessons ("Chương 1. Phân số")."""

    summary = models.TextField(_("tóm tắt"), blank=True, max_length=1000)

    content_panels = Page.content_panels + [FieldPanel("summary")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types = ["courses.LessonPage"]

    class Meta:
        verbose_name = _("chương")
        verbose_name_plural = _("chương")


class LessonPage(Page):
    """One lesson: a stream of text, images, video, formulas and self-checks."""

    summary = models.TextField(_("tóm tắt"), blank=True, max_length=1000)
    body = StreamField(LessonStreamBlock(), verbose_name=_("nội dung"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("summary"), FieldPanel("body")]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        # Unaccented copy so "phan so" finds "phân số" on every database.
        index.SearchField("search_text"),
    ]
    parent_page_types = ["courses.CoursePage", "courses.UnitPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("bài học")
        verbose_name_plural = _("bài học")

    def search_text(self) -> str:
        words = [self.title, self.summary, _stream_text(self.body)]
        return unaccent(" ".join(words)).lower()

    def get_course(self) -> "CoursePage | None":
        return CoursePage.objects.ancestor_of(self).first()

    def get_context(self, request, *args, **kwargs):
        from .selectors import lesson_context_for_user

        context = super().get_context(request, *args, **kwargs)
        context.update(lesson_context_for_user(lesson=self, user=request.user))
        return context


def _stream_text(stream) -> str:
    """Plain words of a lesson body, for the unaccented search field."""
    return " ".join(
        " ".join(str(text) for text in block.block.get_searchable_content(block.value))
        for block in stream
    )


class LessonProgress(models.Model):
    """A student finished a lesson (one row per student and lesson)."""

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="lesson_progress",
        verbose_name=_("học sinh"),
    )
    lesson = models.ForeignKey(
        LessonPage,
        on_delete=models.CASCADE,
        related_name="progress",
        verbose_name=_("bài học"),
    )
    completed_at = models.DateTimeField(_("hoàn thành lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("tiến độ bài học")
        verbose_name_plural = _("tiến độ bài học")
        constraints = [
            models.UniqueConstraint(
                fields=["student", "lesson"], name="unique_lesson_progress"
            )
        ]

    def __str__(self):
        return f"{self.student} ✓ {self.lesson}"
