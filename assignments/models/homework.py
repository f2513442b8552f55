"""
Homework: assignments, submissions with their versions and files, grades.

A student has at most one ``Submission`` per assignment; every (re)submission
adds a ``SubmissionVersion`` with its text and files, so earlier versions are
never lost. The teacher grades the submission and then returns it; only a
returned grade is shown to the student and their parents.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from files.storage import generated_name, get_private_storage

from .. import marks
from .questions import Quiz
from .storage import attachment_upload_to, submission_upload_to

LESSON_MODEL_NAME = "lessonpage"
LESSON_NOT_A_LESSON = _("Chỉ liên kết được với một trang bài học.")
DUE_BEFORE_OPEN = _("Hạn nộp phải sau thời điểm mở bài.")
QUIZ_REQUIRED = _("Bài trắc nghiệm cần chọn một bộ câu hỏi.")


class AssignmentKind(models.TextChoices):
    UPLOAD = "upload", _("Nộp bài (ảnh, tệp, văn bản)")
    QUIZ = "quiz", _("Trắc nghiệm tự chấm")


class LatePolicy(models.TextChoices):
    ACCEPT = "accept", _("Nhận bài nộp muộn và đánh dấu muộn")
    REFUSE = "refuse", _("Không nhận bài sau hạn nộp")


class AssignmentQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def opened(self, now=None):
        now = now or timezone.now()
        return self.published().filter(Q(opens_at__isnull=True) | Q(opens_at__lte=now))

    def for_classroom(self, classroom):
        return self.filter(classrooms=classroom)

    def due_between(self, start, end):
        return self.filter(due_at__gt=start, due_at__lte=end)


class Assignment(models.Model):
    title = models.CharField(_("tiêu đề"), max_length=200)
    instructions = models.TextField(_("hướng dẫn"), blank=True)
    classrooms = models.ManyToManyField(
        "classrooms.Classroom", related_name="assignments", verbose_name=_("lớp")
    )
    lesson = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bài học liên quan"),
    )
    kind = models.CharField(
        _("loại bài"),
        max_length=16,
        choices=AssignmentKind.choices,
        default=AssignmentKind.UPLOAD,
    )
    quiz = models.ForeignKey(
        Quiz,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("bộ câu hỏi"),
    )
    points = models.DecimalField(
        _("thang điểm"), max_digits=6, decimal_places=2, default=10
    )
    rubric = models.JSONField(
        _("tiêu chí chấm"),
        default=list,
        blank=True,
        help_text=_("Danh sách tiêu chí, mỗi tiêu chí có tên và điểm tối đa."),
    )
    opens_at = models.DateTimeField(_("mở lúc"), null=True, blank=True)
    due_at = models.DateTimeField(_("hạn nộp"))
    late_policy = models.CharField(
        _("nộp muộn"),
        max_length=16,
        choices=LatePolicy.choices,
        default=LatePolicy.ACCEPT,
    )
    show_correct_answers = models.BooleanField(
        _("cho xem đáp án sau khi nộp"), default=False
    )
    required_for_late_joiners = models.BooleanField(
        _("bắt buộc cả với học sinh vào lớp sau"),
        default=False,
        help_text=_(
            "Nếu không chọn, học sinh ghi danh sau khi bài được giao sẽ không bị "
            "tính là chưa nộp khi quá hạn."
        ),
    )
    full_size_photos = models.BooleanField(
        _("nhận ảnh cỡ lớn"),
        default=False,
        help_text=_(
            "Điện thoại gửi ảnh như đã chụp thay vì thu nhỏ còn 1.600 điểm ảnh "
            "(tốn dữ liệu di động hơn nhiều)."
        ),
    )
    is_published = models.BooleanField(_("đã giao"), default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="created_assignments",
        verbose_name=_("giáo viên"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("bài tập")
        verbose_name_plural = _("bài tập")
        ordering = ["due_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(points__gt=0), name="assignment_points_positive"
            ),
            models.CheckConstraint(
                condition=~Q(kind="quiz") | Q(quiz__isnull=False),
                name="quiz_assignment_has_quiz",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        if self.opens_at and self.due_at and self.due_at <= self.opens_at:
            errors["due_at"] = DUE_BEFORE_OPEN
        if self.kind == AssignmentKind.QUIZ and not self.quiz_id:
            errors["quiz"] = QUIZ_REQUIRED
        if self.lesson_id and self.lesson.content_type.model != LESSON_MODEL_NAME:
            errors["lesson"] = LESSON_NOT_A_LESSON
        if errors:
            raise ValidationError(errors)

    @property
    def is_quiz(self) -> bool:
        return self.kind == AssignmentKind.QUIZ

    @property
    def refuses_late(self) -> bool:
        return self.late_policy == LatePolicy.REFUSE

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.opens_at is None or self.opens_at <= now

    def is_past_due(self, now=None) -> bool:
        return (now or timezone.now()) > self.due_at

    @property
    def set_at(self):
        """When the class was given this homework."""
        return self.published_at or self.created_at

    def excuses_late_joiner(self, joined_at, now=None) -> bool:
        """
        A pupil who joined the class after the homework was set, and has not
        handed it in, is not counted as missing it, unless the teacher said so.
        """
        return (
            not self.required_for_late_joiners
            and joined_at is not None
            and self.set_at is not None
            and joined_at > self.set_at
            and self.is_past_due(now)
        )

    @property
    def is_closed(self) -> bool:
        """Past a hard deadline: no more work is accepted."""
        return self.refuses_late and self.is_past_due()


class AssignmentAttachment(models.Model):
    """A file the teacher attaches to the homework (worksheet, PDF)."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(
        storage=get_private_storage, upload_to=attachment_upload_to, max_length=200
    )
    original_name = models.CharField(max_length=120)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")
        ordering = ["pk"]

    def __str__(self):
        return self.original_name


class SubmissionStatus(models.TextChoices):
    # "Missing" is the absence of a submission, computed by the selectors.
    SUBMITTED = "submitted", _("Đã nộp")
    LATE = "late", _("Nộp muộn")
    GRADED = "graded", _("Đã chấm")
    RETURNED = "returned", _("Đã trả bài")


class SubmissionQuerySet(models.QuerySet):
    def late(self):
        return self.filter(is_late=True)

    def returned(self):
        return self.filter(status=SubmissionStatus.RETURNED)

    def graded(self):
        return self.filter(
            status__in=[SubmissionStatus.GRADED, SubmissionStatus.RETURNED]
        )


class Submission(models.Model):
    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="submissions"
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="submissions",
    )
    status = models.CharField(
        _("trạng thái"),
        max_length=16,
        choices=SubmissionStatus.choices,
        default=SubmissionStatus.SUBMITTED,
    )
    is_late = models.BooleanField(_("nộp muộn"), default=False)
    submitted_at = models.DateTimeField(_("nộp lúc"))
    score = models.DecimalField(
        _("điểm"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    rubric_scores = models.JSONField(default=list, blank=True)
    comment = models.TextField(_("nhận xét"), blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    graded_at = models.DateTimeField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("bài nộp")
        verbose_name_plural = _("bài nộp")
        ordering = ["assignment", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "student"], name="one_submission_per_student"
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0),
                name="submission_score_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.assignment} · {self.student}"

    @property
    def is_returned(self) -> bool:
        return self.status == SubmissionStatus.RETURNED

    @property
    def is_graded(self) -> bool:
        return self.status in (SubmissionStatus.GRADED, SubmissionStatus.RETURNED)


class SubmissionVersion(models.Model):
    """One (re)submission: its text and files. Earlier versions are kept."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveSmallIntegerField()
    text = models.TextField(_("bài làm"), blank=True)
    is_late = models.BooleanField(default=False)
    idempotency_key = models.CharField(max_length=64)
    # When the request carrying it started arriving (server clock,
    # files.arrival); ``created_at`` is when it had fully arrived.
    started_at = models.DateTimeField(null=True, blank=True)
    # For work sent from the phone's queue: when the pupil pressed "Nộp",
    # by the phone's clock. Shown to the teacher; it decides nothing.
    pressed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lần nộp")
        verbose_name_plural = _("lần nộp")
        ordering = ["submission", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "number"], name="unique_version_number"
            ),
            models.UniqueConstraint(
                fields=["submission", "idempotency_key"],
                name="unique_version_idempotency_key",
            ),
        ]

    def __str__(self):
        return f"{self.submission} #{self.number}"

    @property
    def started_before_due(self) -> bool:
        """Late by arrival, but its upload began before the due time (RL-09)."""
        due = self.submission.assignment.due_at
        return bool(self.is_late and self.started_at and self.started_at <= due)


class FileKind(models.TextChoices):
    PHOTO = "photo", _("Ảnh")
    DOCUMENT = "document", _("Tệp")


class SubmissionFile(models.Model):
    """
    A file of a submission version, in private storage under a generated
    name. Deliberately not a Wagtail image or document: those are served to
    anyone holding the URL (security-tests AZ-16).
    """

    version = models.ForeignKey(
        SubmissionVersion, on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField(
        storage=get_private_storage, upload_to=submission_upload_to, max_length=200
    )
    kind = models.CharField(max_length=16, choices=FileKind.choices)
    original_name = models.CharField(max_length=120)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    # Set by the grader (assignments.marks): how far the photo is turned
    # clockwise to read it upright, and the marks drawn over it, as vector
    # data in the unturned photo's frame. The photo itself is never changed.
    rotation = models.PositiveSmallIntegerField(
        default=0, choices=[(0, "0°"), (90, "90°"), (180, "180°"), (270, "270°")]
    )
    marks = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("tệp bài nộp")
        verbose_name_plural = _("tệp bài nộp")
        ordering = ["version", "position", "pk"]

    def __str__(self):
        return self.original_name

    @property
    def is_photo(self) -> bool:
        return self.kind == FileKind.PHOTO

    # How the photo and its marks are drawn (templates/assignments/includes/
    # marked_photo.html); the arithmetic is in ``assignments.marks``.
    @property
    def frame(self) -> dict:
        return marks.frame(self.width or 1, self.height or 1, self.rotation)

    @property
    def drawn_marks(self) -> list[dict]:
        return marks.shapes(
            self.width or 1, self.height or 1, self.marks, self.rotation
        )

    @property
    def mark_sizes(self) -> dict:
        # As text: a float in a template would be written "12,5" in Vietnamese.
        sizes = marks.sizes(self.width or 1, self.height or 1)
        return {name: f"{value:.1f}" for name, value in sizes.items()}


class DueSoonNotice(models.Model):
    """Marks that a student was reminded of an assignment, so only once."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="+"
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "student"], name="one_due_soon_notice"
            )
        ]

    def __str__(self):
        return f"{self.assignment_id}:{self.student_id}"


def rendition_upload_to(instance, filename: str) -> str:
    return generated_name("renditions", "jpg")


class PhotoRendition(models.Model):
    """
    A smaller copy of a homework photo for the screen it is looked at on
    (``assignments.renditions``), made on first request and kept in the
    same private storage, served by the same permission check.
    """

    source = models.ForeignKey(
        SubmissionFile, on_delete=models.CASCADE, related_name="renditions"
    )
    width = models.PositiveIntegerField()
    file = models.FileField(
        storage=get_private_storage, upload_to=rendition_upload_to, max_length=200
    )
    size = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "width"], name="one_rendition_per_width"
            )
        ]

    def __str__(self):
        return f"{self.source} @{self.width}"
