"""The persistent queue: deliveries survive in the database and are retried."""

import pytest
from django.core import mail
from django.core.management import call_command
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


def test_schedule_command_queues_periodic_jobs_once():
    call_command("schedule_notifications", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("schedule_notifications", stdout=open("/dev/null", "w"))  # noqa: SIM115
    paths = list(DBTaskResult.objects.values_list("task_path", flat=True))
    assert sorted(paths) == sorted(
        [tasks.send_daily_digests.module_path, tasks.retry_due_deliveries.module_path]
    )
