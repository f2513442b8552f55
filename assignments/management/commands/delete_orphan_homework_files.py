"""``manage.py delete_orphan_homework_files``: the cleanup job for files that
no submission or attachment refers to (e.g. after a crash mid-upload)."""

from datetime import timedelta

from django.core.management.base import BaseCommand

from assignments.uploads import delete_orphan_files


class Command(BaseCommand):
    help = "Delete private homework files without a database row (older than 1 h)."

    def add_arguments(self, parser):
        parser.add_argument("--older-than-minutes", type=int, default=60)

    def handle(self, *args, **options):
        age = timedelta(minutes=options["older_than_minutes"])
        count = delete_orphan_files(older_than=age)
        self.stdout.write(f"Deleted {count} orphan file(s).")
