"""
Outside delivery channels: email now; Zalo OA or SMS by writing one class.

A channel is a subclass of ``Channel`` listed by dotted path in the
``NOTIFICATION_CHANNELS`` setting. It says, per recipient, whether a
notification goes out now, waits for the daily digest or is skipped, and it
sends. ``send`` raises on any failure: the caller records the attempt and
retries with backoff (see ``services.attempt_delivery``), so a channel never
swallows its own errors. See docs/notifications.md.
"""

from django.conf import settings
from django.contrib.auth.models import AbstractUser as User  # type hints only
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from .models import EmailMode, Notification, NotificationPreference

DEFAULT_CHANNELS = ["notifications.channels.EmailChannel"]

NOW = "now"
DIGEST = "digest"


class Channel:
    """Base class: override ``name``, ``mode_for`` and ``send``."""

    name = ""

    def mode_for(self, user: User, preference: NotificationPreference) -> str | None:
        """``NOW``, ``DIGEST`` or ``None`` (this user gets nothing here)."""
        raise NotImplementedError

    def send(self, notification: Notification) -> None:
        """Send one notification; raise if it did not go out."""
        raise NotImplementedError

    def send_digest(self, user: User, notifications: list[Notification]) -> None:
        """Send several at once; by default one by one."""
        for notification in notifications:
            self.send(notification)


class EmailChannel(Channel):
    """Email through Django's mail backend (SMTP, or a provider via anymail)."""

    name = "email"

    def mode_for(self, user, preference):
        if not user.email or not user.is_active:
            return None
        return {EmailMode.IMMEDIATE: NOW, EmailMode.DAILY: DIGEST}.get(
            preference.email_mode
        )

    def send(self, notification):
        user = notification.recipient
        context = {"user": user, "notification": notification, "site": site_url()}
        with translation.override(user.language):
            subject = f"[Lophoc] {notification.title}"
            if notification.email_html:
                send_prerendered(user, subject, notification)
            else:
                send_email(user, subject, "emails/notification", context)

    def send_digest(self, user, notifications):
        context = {"user": user, "notifications": notifications, "site": site_url()}
        with translation.override(user.language):
            subject = _("[Lophoc] %(count)s thông báo mới trong ngày") % {
                "count": len(notifications)
            }
            send_email(user, subject, "emails/digest", context)


def site_url() -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def send_email(user: User, subject: str, template: str, context: dict) -> None:
    """Render ``template``.txt/.html and send; errors propagate."""
    text = render_to_string(f"{template}.txt", context)
    html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(str(subject).split()), body=text, to=[user.email]
    )
    message.attach_alternative(html, "text/html")
    message.send(fail_silently=False)


def send_prerendered(user: User, subject: str, notification: Notification) -> None:
    message = EmailMultiAlternatives(
        subject=" ".join(str(subject).split()),
        body=notification.body,
        to=[user.email],
    )
    message.attach_alternative(notification.email_html, "text/html")
    message.send(fail_silently=False)


def enabled_channels() -> dict[str, Channel]:
    """The configured channels by name, read from settings at call time."""
    paths = getattr(settings, "NOTIFICATION_CHANNELS", DEFAULT_CHANNELS)
    channels = (import_string(path)() for path in paths)
    return {channel.name: channel for channel in channels}
