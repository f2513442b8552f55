"""
Background work of the notifications module, run by ``manage.py db_worker``.

django-tasks has no built-in retry or cron, so both are explicit here: a
failed delivery re-queues itself with ``run_after`` (see
``services.attempt_delivery``), and periodic jobs queue their own next run.

Every app declares its periodic jobs as a list of ``PeriodicJob`` and names
that list in its ``AppConfig.periodic_jobs`` (a dotted path);
``manage.py schedule_jobs`` starts every chain that is not already queued.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.apps import apps
from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task
from django_tasks_db.models import DBTaskResult

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


@dataclass(frozen=True)
class PeriodicJob:
    """
    A task without arguments that queues its own next run.

    ``next_run`` says when the run after the current one is due. An interval
    job (``starts_now``) also runs as soon as it is scheduled; a job at a
    set time (a digest at 18:00) first runs at its next set time.
    """

    task: object
    next_run: Callable[[], datetime]
    starts_now: bool = False

    @property
    def name(self) -> str:
        return self.task.name

    def first_run(self) -> datetime | None:
        return None if self.starts_now else self.next_run()

    def queue_next(self):
        """Queue the next run; call it from the task's ``finally``."""
        return schedule(self.task, [], self.next_run())


def periodic_jobs() -> list[PeriodicJob]:
    """Every app's periodic jobs, in ``INSTALLED_APPS`` order."""
    jobs = []
    for config in apps.get_app_configs():
        path = getattr(config, "periodic_jobs", None)
        if path:
            jobs.extend(import_string(path))
    return jobs


def schedule_periodic_jobs() -> list[tuple[PeriodicJob, bool]]:
    """Start each periodic job not already waiting; (job, newly queued)."""
    started = []
    for job in periodic_jobs():
        queued = is_queued(job.task)
        if not queued:
            schedule(job.task, [], job.first_run())
        started.append((job, not queued))
    return started


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
        DAILY_DIGESTS.queue_next()


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
        SWEEPER.queue_next()


DAILY_DIGESTS = PeriodicJob(
    task=send_daily_digests, next_run=lambda: next_local_time(DIGEST_TIME)
)
SWEEPER = PeriodicJob(
    task=retry_due_deliveries,
    next_run=lambda: timezone.now() + SWEEP_EVERY,
    starts_now=True,
)
PERIODIC_JOBS = [DAILY_DIGESTS, SWEEPER]
