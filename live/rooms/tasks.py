"""
The live rooms' periodic job, run by ``manage.py db_worker``: like every
periodic job here it queues its own next run (django-tasks has no cron).
``manage.py schedule_jobs`` starts it (``LiveConfig.periodic_jobs``).
"""

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from notifications.tasks import PeriodicJob

from . import reminders

REMINDERS_EVERY = timedelta(minutes=5)


@task()
def send_live_reminders() -> dict:
    """Live sessions starting within 15 minutes, and sessions missed."""
    try:
        return {
            "live_starting": reminders.notify_live_starting(),
            "live_missed": reminders.notify_live_missed(),
        }
    finally:
        LIVE_REMINDERS.queue_next()


LIVE_REMINDERS = PeriodicJob(
    task=send_live_reminders,
    next_run=lambda: timezone.now() + REMINDERS_EVERY,
    starts_now=True,
)
PERIODIC_JOBS = [LIVE_REMINDERS]
