"""
The live rooms' periodic job, run by ``manage.py db_worker``: like every
periodic job here it queues its own next run (django-tasks has no cron).
Start it once with ``manage.py send_weekly_summaries --schedule``.
"""

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from notifications.tasks import schedule

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
        schedule(send_live_reminders, [], timezone.now() + REMINDERS_EVERY)
