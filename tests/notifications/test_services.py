import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from notifications import services
from notifications.models import (
    Delivery,
    DeliveryStatus,
    EmailMode,
    Notification,
    NotificationPreference,
)
from tests.factories import ParentFactory, StudentFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("immediate_tasks")]


def notify_one(user, captured, **kwargs):
    with captured(execute=True):
        services.notify(
            event=services.SUBMISSION_RETURNED,
            recipients=[user],
            title=kwargs.get("title", "Bài Toán tuần 3 đã được chấm"),
            body=kwargs.get("body", "Điểm: 9"),
            url="/homework/1/",
        )


def test_notify_stores_nothing_until_the_transaction_commits(
    django_capture_on_commit_callbacks,
):
    parent = ParentFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.notify(event="x", recipients=[parent], title="t")
    assert Notification.objects.count() == 0
    assert len(callbacks) == 1


def test_notify_accepts_users_and_ids_and_deduplicates(
    django_capture_on_commit_callbacks,
):
    parent = ParentFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(event="x", recipients=[parent, parent.pk], title="t")
    assert Notification.objects.filter(recipient=parent).count() == 1


def test_immediate_email_is_sent_in_the_recipients_language(
    django_capture_on_commit_callbacks,
):
    parent = ParentFactory(language="en")
    notify_one(parent, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [parent.email]
    assert message.subject == "[Lophoc] Bài Toán tuần 3 đã được chấm"
    assert "Điểm: 9" in message.body
    assert "/homework/1/" in message.body
    html = message.alternatives[0][0]
    assert '<html lang="en">' in html
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.attempts == 0


def test_user_without_email_gets_only_the_in_app_notification(
    django_capture_on_commit_callbacks,
):
    student = StudentFactory(email="")
    notify_one(student, django_capture_on_commit_callbacks)
    assert Notification.objects.filter(recipient=student).count() == 1
    assert not Delivery.objects.exists()
    assert mail.outbox == []


def test_email_off_preference_sends_no_email(django_capture_on_commit_callbacks):
    parent = ParentFactory()
    NotificationPreference.objects.create(user=parent, email_mode=EmailMode.OFF)
    notify_one(parent, django_capture_on_commit_callbacks)
    assert mail.outbox == []
    assert Notification.objects.filter(recipient=parent).exists()


def test_digest_groups_a_days_notifications_into_one_email_per_user(
    django_capture_on_commit_callbacks,
):
    first, second = ParentFactory(), ParentFactory()
    for user in (first, second):
        NotificationPreference.objects.create(user=user, email_mode=EmailMode.DAILY)
    notify_one(first, django_capture_on_commit_callbacks, title="Bài tập mới: Văn")
    notify_one(first, django_capture_on_commit_callbacks, title="Bài tập mới: Toán")
    notify_one(second, django_capture_on_commit_callbacks, title="Thông báo lớp 6A")
    assert mail.outbox == []
    assert Delivery.objects.waiting_for_digest().count() == 3

    for user_id in services.digest_user_ids():
        services.send_digest(user_id)

    assert len(mail.outbox) == 2
    by_recipient = {m.to[0]: m for m in mail.outbox}
    first_mail = by_recipient[first.email]
    assert "2 thông báo mới" in first_mail.subject
    assert "Bài tập mới: Văn" in first_mail.body
    assert "Bài tập mới: Toán" in first_mail.body
    assert "Thông báo lớp 6A" not in first_mail.body
    assert "Thông báo lớp 6A" in by_recipient[second.email].body
    assert Delivery.objects.filter(status=DeliveryStatus.SENT).count() == 3


def test_bouncing_address_is_retried_with_backoff_then_marked_failed(
    django_capture_on_commit_callbacks, bouncing_email, time_machine
):
    parent = ParentFactory()
    time_machine.move_to("2026-11-23 08:00 +07:00", tick=False)
    notify_one(parent, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.attempts == 1
    assert "mailbox unavailable" in delivery.last_error

    for attempt, delay in enumerate(services.RETRY_DELAYS, start=1):
        delivery.refresh_from_db()
        assert delivery.next_attempt_at is not None
        # Not due yet: nothing happens.
        assert services.attempt_delivery(delivery.pk) is None
        time_machine.shift(delay)
        services.attempt_delivery(delivery.pk)
        delivery.refresh_from_db()
        assert delivery.attempts == attempt + 1

    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == services.MAX_ATTEMPTS
    assert delivery.next_attempt_at is None
    assert services.due_delivery_ids() == []


def test_failed_digest_stays_waiting_and_is_retried(
    django_capture_on_commit_callbacks, settings, time_machine
):
    parent = ParentFactory()
    NotificationPreference.objects.create(user=parent, email_mode=EmailMode.DAILY)
    notify_one(parent, django_capture_on_commit_callbacks)
    settings.EMAIL_BACKEND = "tests.notifications.conftest.BouncingEmailBackend"
    services.send_digest(parent.pk)
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.DIGEST
    assert delivery.attempts == 1
    retry_at = services.next_digest_retry(parent.pk)
    assert retry_at == delivery.next_attempt_at

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.send_digest(parent.pk) == []  # not due yet
    time_machine.move_to(retry_at)
    services.send_digest(parent.pk)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert len(mail.outbox) == 1


def test_mark_read_only_touches_own_notifications(django_capture_on_commit_callbacks):
    owner, other = ParentFactory(), ParentFactory()
    notify_one(owner, django_capture_on_commit_callbacks)
    notification = Notification.objects.get()
    with pytest.raises(Notification.DoesNotExist):
        services.mark_read(user=other, notification_id=notification.pk)
    services.mark_read(user=owner, notification_id=notification.pk)
    assert services.unread_count(owner) == 0


@pytest.mark.parametrize(
    ("email_mode", "weekly"),
    [("hourly", True), ("", False), ("immediate", "yes"), ("<script>", True)],
)
def test_nonsense_preference_values_are_rejected_and_nothing_saved(email_mode, weekly):
    parent = ParentFactory()
    with pytest.raises(
        ValidationError, match=re.escape(str(services.PREFERENCE_INVALID))
    ):
        services.update_preference(
            user=parent, email_mode=email_mode, weekly_summary=weekly
        )
    assert not NotificationPreference.objects.filter(user=parent).exists()
