"""The custom user model and the four roles of Lophoc."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SCHOOL_ADMIN = "school_admin", _("Quản trị trường")
    TEACHER = "teacher", _("Giáo viên")
    STUDENT = "student", _("Học sinh")
    PARENT = "parent", _("Phụ huynh")


class UserQuerySet(models.QuerySet):
    def students(self):
        return self.filter(role=Role.STUDENT)

    def teachers(self):
        return self.filter(role=Role.TEACHER)

    def parents(self):
        return self.filter(role=Role.PARENT)

    def active(self):
        return self.filter(is_active=True)


class LophocUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """
    A person using Lophoc. Children's accounts hold the minimum: a username,
    a display name and the role; email is optional.
    """

    Role = Role

    role = models.CharField(
        _("vai trò"), max_length=20, choices=Role.choices, default=Role.STUDENT
    )
    display_name = models.CharField(
        _("họ và tên"),
        max_length=150,
        help_text=_("Tên đầy đủ có dấu, ví dụ: Nguyễn Thị Minh Anh."),
    )
    language = models.CharField(
        _("ngôn ngữ"),
        max_length=8,
        choices=[("vi", "Tiếng Việt"), ("en", "English")],
        default="vi",
    )
    # Raised by "log out everywhere": every session signed in before ends,
    # as a password change would (it is part of the session auth hash).
    session_generation = models.PositiveIntegerField(default=0, editable=False)

    objects = LophocUserManager()

    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self):
        return self.display_name or self.username

    def get_full_name(self):
        return self.display_name or self.username

    def _get_session_auth_hash(self, secret=None):
        """Django's hash of the password, and of the session generation once
        "log out everywhere" raised it (sessions from before then end)."""
        if not self.session_generation:
            return super()._get_session_auth_hash(secret=secret)
        return salted_hmac(
            "lophoc.accounts.User.session_auth_hash",
            f"{self.password}:{self.session_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    def get_short_name(self):
        words = (self.display_name or self.username).split()
        return words[-1] if words else self.username

    @property
    def is_teacher(self) -> bool:
        return self.role == Role.TEACHER

    @property
    def is_student(self) -> bool:
        return self.role == Role.STUDENT

    @property
    def is_parent(self) -> bool:
        return self.role == Role.PARENT

    @property
    def is_school_admin(self) -> bool:
        return self.role == Role.SCHOOL_ADMIN


class LoginBadge(models.Model):
    """
    A pupil's printed QR login card (accounts.badges). Only the SHA-256 of
    its token is kept: the token itself is printed once and never stored.
    A pupil has at most one card in use; a new card voids the old one.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="badges")
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("thẻ đăng nhập")
        verbose_name_plural = _("thẻ đăng nhập")
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_login_badge_in_use",
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.created_at:%Y-%m-%d}"

    @property
    def in_use(self) -> bool:
        return self.revoked_at is None


class BadgeSession(models.Model):
    """A login session a card opened: voiding the card ends it."""

    badge = models.ForeignKey(
        LoginBadge, on_delete=models.CASCADE, related_name="sessions"
    )
    session_key = models.CharField(max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.badge_id} · {self.created_at:%Y-%m-%d %H:%M}"
