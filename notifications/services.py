"""
The one module every app uses to tell people that something happened.

Narrow interface: ``notify(event=..., recipients=..., title=..., ...)``. The
caller resolves who should hear about it (student, their parents, the class:
see ``classrooms.selectors.student_and_parent_ids``); this module, once the caller's transaction
commits, stores an in-app notification per recipient, pushes it to their
open pages, and queues one ``Delivery`` per outside channel (email now or in
the daily digest, per the recipient's preference). Deliveries run in the
background worker, are retried with backoff and end as sent or failed, never
dropped.
"""

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser as User  # type hints only
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import channels, events
from .models import (
    Delivery,
    DeliveryStatus,
    EmailMode,
    Notification,
    NotificationPreference,
)

logger = logging.getLogger(__name__)

# Event names, shared by every app that emits them.
ASSIGNMENT_PUBLISHED = "assignment.published"
ASSIGNMENT_DUE_SOON = "assignment.due_soon"
SUBMISSION_RETURNED = "submission.returned"
LIVE_SESSION_STARTING = "live.starting"
LIVE_SESSION_MISSED = "live.missed"
ANNOUNCEMENT_POSTED = "announcement.posted"
PASSWORD_RESET = "account.password_reset"  # noqa: S105 (an event name)


# Attempt n (1-based) failed → wait RETRY_DELAYS[n - 1] before the next one.
RETRY_DELAYS = [
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
]
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
# A claimed delivery is not handed out again for this long, so a worker that
# dies mid-send is retried by the sweeper, and two workers never both send.
CLAIM_LEASE = timedelta(minutes=10)
DELIVERY_BATCH = 50

PREFERENCE_INVALID = _("Lựa chọn không hợp lệ. Cài đặt chưa được lưu.")
NOT_FOUND = _("Không tìm thấy thông báo.")


def notify(
    *,
    event: str,
    recipients: Iterable,
    title: str,
    body: str = "",
    url: str = "",
    email_html: str = "",
    always_email: bool = False,
) -> None:
    """
    Record ``event`` for each recipient after the current transaction commits.

    ``email_html`` replaces the generic email body; ``always_email`` sends the
    email at once whatever the recipient's digest choice (used for the weekly
    summary, which the recipient asked for separately).
    """
    recipient_ids = sorted({getattr(r, "pk", r) for r in recipients})
    if not recipient_ids:
        return
    transaction.on_commit(
        lambda: create_notifications(
            event=event,
            recipient_ids=recipient_ids,
            title=str(title),
            body=str(body),
            url=url,
            email_html=email_html,
            always_email=always_email,
        )
    )


def create_notifications(
    *,
    event: str,
    recipient_ids: list[int],
    title: str,
    body: str,
    url: str,
    email_html: str = "",
    always_email: bool = False,
) -> list[Notification]:
    """Store the rows and deliveries, then push and queue them."""
    with transaction.atomic():
        rows = Notification.objects.bulk_create(
            Notification(
                recipient_id=pk,
                event=event,
                title=title[:200],
                body=body,
                url=url,
                email_html=email_html,
            )
            for pk in recipient_ids
        )
        deliveries = _plan_deliveries(rows, always_email=always_email)
    _push_to_bells(rows)
    pending = [d.pk for d in deliveries if d.status == DeliveryStatus.PENDING]
    # One queued task per batch, not per recipient: a class of 40 with 80
    # parents costs the request a few inserts, and several workers can still
    # share the work.
    for start in range(0, len(pending), DELIVERY_BATCH):
        _enqueue_batch(pending[start : start + DELIVERY_BATCH])
    return rows


def _plan_deliveries(
    rows: list[Notification], *, always_email: bool = False
) -> list[Delivery]:
    users = get_user_model().objects.in_bulk([row.recipient_id for row in rows])
    preferences = {
        p.user_id: p
        for p in NotificationPreference.objects.filter(user_id__in=users.keys())
    }
    now = timezone.now()
    planned = []
    for channel in channels.enabled_channels().values():
        for row in rows:
            user = users[row.recipient_id]
            preference = preferences.get(user.pk) or NotificationPreference(user=user)
            mode = channel.mode_for(user, preference)
            if always_email and channel.name == channels.EmailChannel.name:
                mode = channels.NOW if user.email and user.is_active else None
            if mode is None:
                continue
            status = (
                DeliveryStatus.PENDING
                if mode == channels.NOW
                else DeliveryStatus.DIGEST
            )
            planned.append(
                Delivery(
                    notification=row,
                    channel=channel.name,
                    status=status,
                    next_attempt_at=now,
                )
            )
    return Delivery.objects.bulk_create(planned)


def _push_to_bells(rows: list[Notification]) -> None:
    counts = dict(
        Notification.objects.unread()
        .filter(recipient_id__in=[row.recipient_id for row in rows])
        .values_list("recipient_id")
        .annotate(n=Count("pk"))
    )
    events.publish_new(
        [
            (
                row.recipient_id,
                {
                    "unread": counts.get(row.recipient_id, 0),
                    "title": row.title,
                    "url": row.url,
                },
            )
            for row in rows
        ]
    )


def _enqueue_batch(delivery_ids: list[int]) -> None:
    from . import tasks  # tasks import this module

    try:
        tasks.schedule(tasks.deliver_notifications, [delivery_ids])
    except Exception:
        logger.exception("Could not queue deliveries %s", delivery_ids)


def _enqueue_delivery(delivery_id: int, run_after: datetime | None = None) -> None:
    from . import tasks  # tasks import this module

    try:
        tasks.schedule(tasks.deliver_notification, [delivery_id], run_after)
    except Exception:
        # The Delivery row is saved with its retry time; the sweeper
        # (tasks.retry_due_deliveries) will queue it again.
        logger.exception("Could not queue delivery %s", delivery_id)


def attempt_delivery(delivery_id: int) -> Delivery | None:
    """
    Send one pending delivery through its channel, or record the failure.

    Returns the delivery, or ``None`` when it was not due (already sent,
    failed for good, or claimed by another worker).
    """
    now = timezone.now()
    claimed = Delivery.objects.filter(
        pk=delivery_id, status=DeliveryStatus.PENDING, next_attempt_at__lte=now
    ).update(next_attempt_at=now + CLAIM_LEASE)
    if not claimed:
        return None
    delivery = Delivery.objects.select_related("notification__recipient").get(
        pk=delivery_id
    )
    try:
        channel = channels.enabled_channels()[delivery.channel]
        channel.send(delivery.notification)
    except Exception as error:  # any channel error is a failed attempt
        retry_at = _record_failure([delivery], error)
        if retry_at is not None:
            _enqueue_delivery(delivery.pk, retry_at)
        return delivery
    _record_success([delivery])
    return delivery


def send_digest(user_id: int) -> list[Delivery]:
    """Send one user's waiting digest deliveries, grouped per channel."""
    now = timezone.now()
    waiting = list(
        Delivery.objects.waiting_for_digest()
        .filter(notification__recipient_id=user_id, next_attempt_at__lte=now)
        .select_related("notification__recipient")
        .order_by("notification__created_at", "pk")
    )
    by_channel: dict[str, list[Delivery]] = {}
    for delivery in waiting:
        by_channel.setdefault(delivery.channel, []).append(delivery)
    for name, group in by_channel.items():
        try:
            channel = channels.enabled_channels()[name]
            user = group[0].notification.recipient
            channel.send_digest(user, [d.notification for d in group])
        except Exception as error:
            _record_failure(group, error)
        else:
            _record_success(group)
    return waiting


def digest_user_ids() -> list[int]:
    """Users with digest deliveries due now."""
    return list(
        Delivery.objects.waiting_for_digest()
        .filter(next_attempt_at__lte=timezone.now())
        .values_list("notification__recipient_id", flat=True)
        .distinct()
        .order_by()
    )


def _record_success(deliveries: list[Delivery]) -> None:
    now = timezone.now()
    Delivery.objects.filter(pk__in=[d.pk for d in deliveries]).update(
        status=DeliveryStatus.SENT, sent_at=now, next_attempt_at=None, updated_at=now
    )
    for delivery in deliveries:
        delivery.status = DeliveryStatus.SENT
        delivery.sent_at = now


def _record_failure(deliveries: list[Delivery], error: Exception) -> datetime | None:
    """Count the attempt; return when to retry, or ``None`` once it has failed."""
    now = timezone.now()
    retry_at = None
    for delivery in deliveries:
        delivery.attempts += 1
        delivery.last_error = f"{type(error).__name__}: {error}"[:2000]
        if delivery.attempts >= MAX_ATTEMPTS:
            delivery.status = DeliveryStatus.FAILED
            delivery.next_attempt_at = None
            logger.error("Delivery %s failed for good: %s", delivery.pk, error)
        else:
            delivery.next_attempt_at = now + RETRY_DELAYS[delivery.attempts - 1]
            retry_at = delivery.next_attempt_at
        delivery.save(
            update_fields=[
                "attempts",
                "last_error",
                "status",
                "next_attempt_at",
                "updated_at",
            ]
        )
    return retry_at


def mark_read(*, user: User, notification_id: int) -> Notification:
    """Mark one of ``user``'s notifications read; others' raise DoesNotExist."""
    notification = Notification.objects.for_user(user).get(pk=notification_id)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def mark_all_read(*, user: User) -> int:
    return Notification.objects.for_user(user).unread().update(read_at=timezone.now())


def unread_count(user: User) -> int:
    return Notification.objects.for_user(user).unread().count()


def get_preference(user: User) -> NotificationPreference:
    preference, _created = NotificationPreference.objects.get_or_create(user=user)
    return preference


def update_preference(
    *, user: User, email_mode: str, weekly_summary: bool
) -> NotificationPreference:
    """Save the choices; anything outside the allowed values changes nothing."""
    if email_mode not in EmailMode.values or not isinstance(weekly_summary, bool):
        raise ValidationError(PREFERENCE_INVALID)
    preference = get_preference(user)
    preference.email_mode = email_mode
    preference.weekly_summary = weekly_summary
    preference.full_clean()
    preference.save()
    return preference


def next_digest_retry(user_id: int) -> datetime | None:
    """When ``user_id``'s failed digest should be tried again, if it should."""
    return (
        Delivery.objects.waiting_for_digest()
        .filter(notification__recipient_id=user_id, attempts__gt=0)
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)
        .first()
    )


def due_delivery_ids() -> list[int]:
    return list(
        Delivery.objects.due_for_retry(timezone.now()).values_list("pk", flat=True)
    )


def retry_failed_delivery(*, delivery: Delivery) -> Delivery:
    """An admin asks to try a failed delivery again (e.g. after a fixed address)."""
    if delivery.status != DeliveryStatus.FAILED:
        return delivery
    delivery.status = DeliveryStatus.PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = timezone.now()
    delivery.save(update_fields=["status", "attempts", "next_attempt_at", "updated_at"])
    transaction.on_commit(lambda: _enqueue_delivery(delivery.pk))
    return delivery
