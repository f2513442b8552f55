"""What a live room keeps of the teacher's voice: one recording per session."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from files.storage import get_private_storage


class LiveRecording(models.Model):
    """The session's audio as one Ogg Opus file, rebuilt each time audio
    stops or the session ends (``live.audio.recording``)."""

    session = models.OneToOneField(
        "live.LiveSession",
        on_delete=models.CASCADE,
        related_name="recording",
        verbose_name=_("buổi học"),
    )
    file = models.FileField(
        _("bản ghi âm"), storage=get_private_storage, upload_to="live-audio"
    )
    duration_ms = models.PositiveIntegerField(_("độ dài (ms)"), default=0)
    size = models.PositiveIntegerField(_("dung lượng (byte)"), default=0)
    bundles = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("bản ghi âm buổi học")
        verbose_name_plural = _("bản ghi âm buổi học")

    def __str__(self):
        return f"{self.session} ({self.duration_ms // 1000} s)"

    @property
    def minutes(self) -> int:
        return max(1, round(self.duration_ms / 60000))
