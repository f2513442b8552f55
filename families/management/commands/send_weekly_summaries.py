"""``manage.py send_weekly_summaries``: each parent's weekly summary now.

The worker sends them every Saturday by itself (``families.tasks``, started
by ``manage.py schedule_jobs``); this command is the cron alternative.
"""

from django.core.management.base import BaseCommand

from families import summaries


class Command(BaseCommand):
    help = "Queue the weekly summary email for every parent."

    def handle(self, *args, **options):
        count = summaries.send_weekly_summaries()
        self.stdout.write(f"weekly summaries queued for {count} parents")
