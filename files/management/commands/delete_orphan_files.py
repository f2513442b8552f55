"""``manage.py delete_orphan_files``: delete private files no row refers to
(e.g. left by a crash mid-upload). Safe to run from cron at any time."""

from datetime import timedelta

from django.core.management.base import BaseCommand

from files.cleanup import ORPHAN_MIN_AGE, delete_orphan_files


class Command(BaseCommand):
    help = (
        "Delete private files (homework, announcement attachments, ...) that "
        "no database row refers to and that are older than an hour."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than-minutes",
            type=int,
            default=int(ORPHAN_MIN_AGE.total_seconds() // 60),
        )

    def handle(self, *args, **options):
        age = timedelta(minutes=options["older_than_minutes"])
        count = delete_orphan_files(older_than=age)
        self.stdout.write(f"Deleted {count} orphan file(s).")
