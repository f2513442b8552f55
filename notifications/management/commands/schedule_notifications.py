"""Start the periodic notification jobs in the task queue (run once per deploy)."""

from django.core.management.base import BaseCommand

from notifications import tasks


class Command(BaseCommand):
    help = "Queue the daily email digest and the delivery sweeper if not queued."

    def handle(self, *args, **options):
        jobs = [
            (tasks.send_daily_digests, tasks.next_local_time(tasks.DIGEST_TIME)),
            (tasks.retry_due_deliveries, None),
        ]
        for job, run_after in jobs:
            if tasks.is_queued(job):
                self.stdout.write(f"{job.name}: already queued")
                continue
            tasks.schedule(job, [], run_after)
            self.stdout.write(f"{job.name}: queued")
