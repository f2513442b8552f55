"""
Periodic jobs of the wiring layer, run by ``manage.py db_worker``: each run
queues its next one (django-tasks has no cron). Start them once with
``manage.py send_weekly_summaries --schedule``.
"""

from datetime import time, timedelta

from django.utils import timezone
from django_tasks import task

from notifications.tasks import next_local_time, schedule

from . import summaries

SUMMARY_WEEKDAY = 5  # Saturday morning, after the school week
SUMMARY_TIME = time(8, 0)


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
        schedule(send_weekly_summaries, [], next_summary_time())


REMINDERS_EVERY = timedelta(minutes=5)


@task()
def send_reminders() -> dict:
    """Homework due within 24 h (live-session reminders are
    ``live.rooms.tasks.send_live_reminders``)."""
    from assignments.services import notify_due_soon

    try:
        return {"due_soon": notify_due_soon()}
    finally:
        schedule(send_reminders, [], timezone.now() + REMINDERS_EVERY)
