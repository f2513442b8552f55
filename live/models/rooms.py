"""Live class sessions and what a room keeps of them: chat, attendance,
and each user's private calendar feed."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Đã lên lịch")
    LIVE = "live", _("Đang diễn ra")
    ENDED = "ended", _("Đã kết thúc")


class LiveSession(models.Model):
    classroom = models.ForeignKey(
        "classrooms.Classroom",
        on_delete=models.CASCADE,
        related_name="live_sessions",
        verbose_name=_("lớp"),
    )
    title = models.CharField(_("tiêu đề"), max_length=200)
    scheduled_at = models.DateTimeField(_("bắt đầu lúc"))
    lesson = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bài học dùng làm trang chiếu"),
    )
    video_url = models.URLField(_("liên kết gọi video (Jitsi, Meet, Zoom)"), blank=True)
    status = models.CharField(
        _("trạng thái"),
        max_length=16,
        choices=SessionStatus.choices,
        default=SessionStatus.SCHEDULED,
    )
    opened_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("buổi học trực tuyến")
        verbose_name_plural = _("buổi học trực tuyến")
        ordering = ["-scheduled_at"]

    def __str__(self):
        return self.title


class ChatMessage(models.Model):
    """A room's chat line, written before it is broadcast (at-most-once pub/sub)."""

    session = models.ForeignKey(
        LiveSession, on_delete=models.CASCADE, related_name="chat_messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    text = models.CharField(max_length=500)
    client_id = models.CharField(max_length=64, blank=True)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tin nhắn trò chuyện")
        verbose_name_plural = _("tin nhắn trò chuyện")
        ordering = ["sent_at", "pk"]

    def __str__(self):
        return self.text[:50]


class Attendance(models.Model):
    """One user's presence in one session: first join, last leave, time online."""

    session = models.ForeignKey(
        LiveSession, on_delete=models.CASCADE, related_name="attendances"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    first_joined_at = models.DateTimeField(null=True, blank=True)
    last_left_at = models.DateTimeField(null=True, blank=True)
    connected_seconds = models.PositiveIntegerField(default=0)
    # Sockets open now (tabs, devices, processes) and since when at least one
    # was open: time is counted once per user, not once per socket.
    open_sockets = models.PositiveIntegerField(default=0)
    connected_since = models.DateTimeField(null=True, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("điểm danh")
        verbose_name_plural = _("điểm danh")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"], name="unique_attendance"
            )
        ]

    def __str__(self):
        return f"{self.user} @ {self.session}"


class CalendarFeed(models.Model):
    """A user's private, unguessable iCalendar URL token."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lịch riêng")
        verbose_name_plural = _("lịch riêng")

    def __str__(self):
        return f"{self.user}"
