"""``manage.py schedule_jobs``: start every app's periodic jobs (idempotent)."""

from django.core.management.base import BaseCommand

from notifications.tasks import schedule_periodic_jobs


class Command(BaseCommand):
    help = (
        "Queue each app's periodic jobs (AppConfig.periodic_jobs) in the task "
        "queue, unless already queued. Run it at every deploy."
    )

    def handle(self, *args, **options):
        for job, queued in schedule_periodic_jobs():
            state = "queued" if queued else "already queued"
            self.stdout.write(f"{job.name}: {state}")
