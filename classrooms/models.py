"""Schools, classrooms, enrolment and the links between parents and children."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from files.storage import generated_name, get_private_storage

# Join codes avoid letters and digits that read alike on a phone screen
# (0/O, 1/I/L) because teachers read them out loud or write them on a board.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def generate_code(length: int = 6) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


class School(models.Model):
    name = models.CharField(_("tên trường"), max_length=200)
    slug = models.SlugField(_("mã trường"), unique=True)
    admins = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="administered_schools",
        blank=True,
        verbose_name=_("quản trị"),
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="schools",
        blank=True,
        verbose_name=_("giáo viên"),
    )
    allow_external_pupils = models.BooleanField(
        _("nhận học sinh trường khác vào lớp bằng mã"),
        default=False,
        help_text=_(
            "Khi bật, học sinh của trường khác có thể gõ mã để vào một lớp của "
            "trường (ví dụ lớp bồi dưỡng chung). Các em chỉ thấy bài của lớp đó; "
            "tài khoản vẫn do trường của các em quản lý."
        ),
    )

    class Meta:
        verbose_name = _("trường")
        verbose_name_plural = _("trường")
        ordering = ["name"]

    def __str__(self):
        return self.name


class ClassroomQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Classrooms ``user`` may see: taught, attended, a child's, or administered."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(
            Q(homeroom_teacher=user)
            | Q(teachers=user)
            | Q(enrollments__student=user)
            | Q(enrollments__student__parent_links__parent=user)
            | Q(school__admins=user)
        ).distinct()

    def managed_by(self, user):
        """Classrooms ``user`` may change: taught by them or in their school."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(
            Q(homeroom_teacher=user) | Q(teachers=user) | Q(school__admins=user)
        ).distinct()

    def taught_by(self, user):
        return self.filter(Q(homeroom_teacher=user) | Q(teachers=user)).distinct()

    def attended_by(self, user):
        return self.filter(enrollments__student=user)


class Classroom(models.Model):
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="classrooms"
    )
    name = models.CharField(_("tên lớp"), max_length=50, help_text=_("Ví dụ: 6A"))
    grade = models.PositiveSmallIntegerField(_("khối"))
    school_year = models.CharField(
        _("năm học"), max_length=9, help_text=_("Ví dụ: 2026-2027")
    )
    homeroom_teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="homeroom_classrooms",
        verbose_name=_("giáo viên chủ nhiệm"),
    )
    teachers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="taught_classrooms",
        blank=True,
        verbose_name=_("giáo viên bộ môn"),
    )
    join_code = models.CharField(
        _("mã vào lớp"), max_length=12, unique=True, default=generate_code
    )
    join_enabled = models.BooleanField(_("cho phép vào lớp bằng mã"), default=True)
    courses = models.ManyToManyField(
        "courses.CoursePage",
        blank=True,
        related_name="classrooms",
        verbose_name=_("khoá học"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ClassroomQuerySet.as_manager()

    class Meta:
        verbose_name = _("lớp học")
        verbose_name_plural = _("lớp học")
        ordering = ["grade", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "school_year", "name"],
                name="unique_classroom_name_per_year",
            ),
            models.CheckConstraint(
                condition=Q(grade__gte=1) & Q(grade__lte=12),
                name="classroom_grade_1_to_12",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.school_year})"

    def teacher_ids(self) -> set[int]:
        ids = set(self.teachers.values_list("pk", flat=True))
        if self.homeroom_teacher_id:
            ids.add(self.homeroom_teacher_id)
        return ids


class Enrollment(models.Model):
    classroom = models.ForeignKey(
        Classroom, on_delete=models.CASCADE, related_name="enrollments"
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ghi danh")
        verbose_name_plural = _("ghi danh")
        constraints = [
            models.UniqueConstraint(
                fields=["classroom", "student"], name="unique_enrollment"
            )
        ]

    def __str__(self):
        return f"{self.student} → {self.classroom}"


class ParentLink(models.Model):
    parent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="child_links"
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="parent_links"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("liên kết phụ huynh")
        verbose_name_plural = _("liên kết phụ huynh")
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "student"], name="unique_parent_link"
            )
        ]

    def __str__(self):
        return f"{self.parent} ↔ {self.student}"


class ParentInviteCodeQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(used_at__isnull=True, expires_at__gt=timezone.now())


class ParentInviteCode(models.Model):
    """A school-issued, single-use, expiring code that links a parent to a child."""

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="parent_invite_codes",
    )
    code = models.CharField(max_length=16, unique=True, default=generate_code)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ParentInviteCodeQuerySet.as_manager()

    class Meta:
        verbose_name = _("mã mời phụ huynh")
        verbose_name_plural = _("mã mời phụ huynh")

    def __str__(self):
        return self.code


# Migration 0004 names this callable; the storage is the one of ``files``.
private_file_storage = get_private_storage


def announcement_upload_to(instance, filename):
    """A generated name: the teacher's file name never reaches the disk path."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return generated_name("announcements", extension)


class AnnouncementQuerySet(models.QuerySet):
    def for_classroom(self, classroom):
        return self.filter(classroom=classroom)


class Announcement(models.Model):
    """A teacher's message to a class, optionally to its parents too."""

    classroom = models.ForeignKey(
        Classroom,
        on_delete=models.CASCADE,
        related_name="announcements",
        verbose_name=_("lớp"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("người đăng"),
    )
    title = models.CharField(_("tiêu đề"), max_length=200)
    body = models.TextField(_("nội dung"), max_length=5000, blank=True)
    attachment = models.FileField(
        _("tệp đính kèm"),
        upload_to=announcement_upload_to,
        storage=get_private_storage,
        blank=True,
    )
    attachment_name = models.CharField(max_length=120, blank=True)
    also_to_parents = models.BooleanField(_("gửi cả phụ huynh"), default=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = AnnouncementQuerySet.as_manager()

    class Meta:
        verbose_name = _("thông báo của lớp")
        verbose_name_plural = _("thông báo của lớp")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title
