"""
Periodic jobs of the families app, run by ``manage.py db_worker``: each run
queues its next one (django-tasks has no cron). ``manage.py schedule_jobs``
starts them (``FamiliesConfig.periodic_jobs``).
"""

from datetime import time, timedelta

from django.utils import timezone
from django_tasks import task

from assignments.services import notify_due_soon
from notifications.tasks import PeriodicJob, next_local_time

from . import summaries

SUMMARY_WEEKDAY = 5  # Saturday morning, after the school week
SUMMARY_TIME = time(8, 0)
REMINDERS_EVERY = timedelta(minutes=5)


def next_summary_time():
    moment = next_local_time(SUMMARY_TIME)
    while moment.weekday() != SUMMARY_WEEKDAY:
        moment += timedelta(days=1)
    return moment


@task()
def send_weekly_summaries() -> int:
    try:
        return summaries.send_weekly_summaries(now=timezone.now())
    finally:
        WEEKLY_SUMMARIES.queue_next()


@task()
def send_reminders() -> dict:
    """Homework due within 24 h (live-session reminders are
    ``live.rooms.tasks.send_live_reminders``)."""
    try:
        return {"due_soon": notify_due_soon()}
    finally:
        REMINDERS.queue_next()


WEEKLY_SUMMARIES = PeriodicJob(task=send_weekly_summaries, next_run=next_summary_time)
REMINDERS = PeriodicJob(
    task=send_reminders,
    next_run=lambda: timezone.now() + REMINDERS_EVERY,
    starts_now=True,
)
PERIODIC_JOBS = [WEEKLY_SUMMARIES, REMINDERS]
