"""
Background work of the notifications module, run by ``manage.py db_worker``.

django-tasks has no built-in retry or cron, so both are explicit here: a
failed delivery re-queues itself with ``run_after`` (see
``services.attempt_delivery``), and periodic jobs (digest, sweeper) queue
their own next run, started once by ``manage.py schedule_notifications``.
"""

import logging
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from . import services

logger = logging.getLogger(__name__)

DIGEST_TIME = time(18, 0)  # local time: after school, before dinner
SWEEP_EVERY = timedelta(minutes=15)


def schedule(task_obj, args: list, run_after: datetime | None = None):
    """Queue ``task_obj``; defer it when the backend can, else run it now."""
    if run_after is not None and task_obj.get_backend().supports_defer:
        task_obj = task_obj.using(run_after=run_after)
    elif run_after is not None and run_after > timezone.now():
        # Backends without deferral (the immediate one in tests) would run
        # the retry at once; leave it to the sweeper instead.
        return None
    return task_obj.enqueue(*args)


def is_queued(task_obj) -> bool:
    """Whether a run of ``task_obj`` is already waiting (database backend only)."""
    if not task_obj.get_backend().supports_get_result:
        return False
    from django_tasks_db.models import DBTaskResult

    return (
        DBTaskResult.objects.filter(task_path=task_obj.module_path)
        .filter(status="READY")
        .exists()
    )


def next_local_time(at: time, *, after: datetime | None = None) -> datetime:
    """The next moment the school's clock shows ``at``."""
    zone = ZoneInfo(settings.TIME_ZONE)
    now = (after or timezone.now()).astimezone(zone)
    candidate = datetime.combine(now.date(), at, tzinfo=zone)
    if candidate <= now:
        candidate += timedelta(days=1)
    return candidate


@task()
def deliver_notification(delivery_id: int) -> None:
    services.attempt_delivery(delivery_id)


@task()
def deliver_notifications(delivery_ids: list[int]) -> None:
    """First attempt of a batch; each failure is retried on its own."""
    for delivery_id in delivery_ids:
        services.attempt_delivery(delivery_id)


@task()
def deliver_digest(user_id: int) -> None:
    services.send_digest(user_id)
    retry_at = services.next_digest_retry(user_id)
    if retry_at is not None:
        schedule(deliver_digest, [user_id], retry_at)


@task()
def send_daily_digests() -> int:
    """Queue each user's digest, then this job's run for tomorrow."""
    try:
        user_ids = services.digest_user_ids()
        for user_id in user_ids:
            schedule(deliver_digest, [user_id])
        return len(user_ids)
    finally:
        schedule(send_daily_digests, [], next_local_time(DIGEST_TIME))


@task()
def retry_due_deliveries() -> int:
    """
    Sweeper: queue pending deliveries whose retry time has passed.

    Covers a queue write that failed, a worker killed mid-send (its claim
    lease expires) and backends that cannot defer a task.
    """
    try:
        ids = services.due_delivery_ids()
        for delivery_id in ids:
            schedule(deliver_notification, [delivery_id])
        return len(ids)
    finally:
        schedule(retry_due_deliveries, [], timezone.now() + SWEEP_EVERY)
