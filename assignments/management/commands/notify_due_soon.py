"""``manage.py notify_due_soon``: remind students of homework due within 24 h.

Safe to run as often as wanted (e.g. every 15 minutes from cron): each
student is reminded once per assignment.
"""

from django.core.management.base import BaseCommand

from assignments.services import notify_due_soon


class Command(BaseCommand):
    help = "Remind students of homework due in the next 24 hours, once each."

    def handle(self, *args, **options):
        count = notify_due_soon()
        self.stdout.write(f"Reminded {count} student(s).")
