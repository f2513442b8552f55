"""The persistent queue: deliveries survive in the database and are retried."""

from io import StringIO

import pytest
from django.apps import apps
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from notifications import services, tasks
from notifications.models import Delivery, DeliveryStatus
from tests.factories import ParentFactory

from .conftest import run_worker

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("database_tasks"),
]


def notify(parent):
    services.notify(
        event=services.ANNOUNCEMENT_POSTED,
        recipients=[parent],
        title="Lớp 6A nghỉ học thứ Sáu",
    )


def test_email_waits_in_the_queue_until_the_worker_runs():
    parent = ParentFactory()
    notify(parent)
    assert mail.outbox == []
    assert DBTaskResult.objects.ready().count() == 1
    run_worker()
    assert [m.subject for m in mail.outbox] == ["[Lophoc] Lớp 6A nghỉ học thứ Sáu"]
    assert Delivery.objects.get().status == DeliveryStatus.SENT


def test_bounce_requeues_a_deferred_task_until_marked_failed(
    bouncing_email, time_machine
):
    time_machine.move_to("2026-11-23 08:00 +07:00", tick=False)
    parent = ParentFactory()
    notify(parent)
    run_worker()
    delivery = Delivery.objects.get()
    assert delivery.attempts == 1
    retry = DBTaskResult.objects.filter(status="READY").get()
    assert retry.run_after == delivery.next_attempt_at

    run_worker()  # too early: the deferred retry is not picked up
    delivery.refresh_from_db()
    assert delivery.attempts == 1

    for delay in services.RETRY_DELAYS:
        time_machine.shift(delay)
        run_worker()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == services.MAX_ATTEMPTS
    assert not DBTaskResult.objects.ready().exists()


def test_sweeper_requeues_a_delivery_whose_queue_entry_was_lost():
    parent = ParentFactory()
    notify(parent)
    DBTaskResult.objects.all().delete()  # e.g. the queue write failed
    tasks.retry_due_deliveries.enqueue()
    run_worker()
    assert Delivery.objects.get().status == DeliveryStatus.SENT
    # The sweeper queued its own next run.
    assert tasks.is_queued(tasks.retry_due_deliveries)


def test_schedule_jobs_queues_every_apps_periodic_jobs_once():
    first, second = StringIO(), StringIO()
    call_command("schedule_jobs", stdout=first)
    call_command("schedule_jobs", stdout=second)
    paths = list(DBTaskResult.objects.values_list("task_path", flat=True))
    assert sorted(paths) == [
        "families.tasks.send_reminders",
        "families.tasks.send_weekly_summaries",
        "live.rooms.tasks.send_live_reminders",
        "notifications.tasks.retry_due_deliveries",
        "notifications.tasks.send_daily_digests",
    ]
    assert first.getvalue().count(": queued") == 5
    assert second.getvalue().count(": already queued") == 5


def test_interval_jobs_run_at_once_and_timed_jobs_wait_for_their_time():
    call_command("schedule_jobs", stdout=StringIO())
    due_now = set(DBTaskResult.objects.ready().values_list("task_path", flat=True))
    assert due_now == {
        "families.tasks.send_reminders",
        "live.rooms.tasks.send_live_reminders",
        "notifications.tasks.retry_due_deliveries",
    }
    run_after = dict(DBTaskResult.objects.values_list("task_path", "run_after"))
    digest = run_after["notifications.tasks.send_daily_digests"]
    assert digest > timezone.now()
    assert timezone.localtime(digest).time() == tasks.DIGEST_TIME


def test_an_app_declares_its_jobs_on_its_app_config(monkeypatch):
    monkeypatch.setattr(apps.get_app_config("families"), "periodic_jobs", None)
    call_command("schedule_jobs", stdout=StringIO())
    paths = set(DBTaskResult.objects.values_list("task_path", flat=True))
    assert not any(path.startswith("families.") for path in paths)
    assert "notifications.tasks.send_daily_digests" in paths
