"""Send each parent the weekly summary of their children (for cron)."""

from django.core.management.base import BaseCommand

from families import summaries, tasks
from live.rooms import tasks as live_tasks
from notifications.tasks import is_queued, schedule


class Command(BaseCommand):
    help = (
        "Queue the weekly summary email for every parent. With --schedule, "
        "instead queue the weekly job in the background worker."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Let db_worker send it weekly (Saturday 08:00) and run the reminders.",
        )

    def handle(self, *args, **options):
        if options["schedule"]:
            jobs = [
                (tasks.send_weekly_summaries, tasks.next_summary_time()),
                (tasks.send_reminders, None),
                (live_tasks.send_live_reminders, None),
            ]
            for job, run_after in jobs:
                if is_queued(job):
                    self.stdout.write(f"{job.name}: already scheduled")
                else:
                    schedule(job, [], run_after)
                    self.stdout.write(f"{job.name}: scheduled")
            return
        count = summaries.send_weekly_summaries()
        self.stdout.write(f"weekly summaries queued for {count} parents")
