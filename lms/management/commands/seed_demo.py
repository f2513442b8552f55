"""
``manage.py seed_demo``: the demo school, then each app's demo content.

The school comes from ``classrooms.demo``; each higher app may add its own
content by appending one dotted path to ``SEEDERS`` (in layer order). Each
seeder is called as ``seed(demo, stdout)`` with the ``DemoSchool`` and must be
idempotent. A listed seeder that cannot be imported is an error, never
silently skipped. It refuses to run on an exposed site (DEBUG off or a host
that is not loopback: ``settings.LOPHOC_DEMO_ALLOWED``).
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string

from classrooms import demo as school_demo

# One line per app, lowest layer first, e.g. "courses.demo.seed".
SEEDERS: tuple[str, ...] = (
    "courses.demo.seed",
    "classrooms.announcements_demo.seed",
    "assignments.demo.seed",
    "live.rooms.demo.seed",
    "families.demo.seed",
)


class Command(BaseCommand):
    help = "Create the demo school (idempotent) and print its logins."

    def handle(self, *args, **options):
        if not settings.LOPHOC_DEMO_ALLOWED:
            raise CommandError(
                "seed_demo creates accounts with a published password: it runs "
                "only with DEBUG on and loopback hosts (DJANGO_DEBUG, "
                "DJANGO_ALLOWED_HOSTS)."
            )
        demo = school_demo.seed()
        for dotted_path in SEEDERS:
            import_string(dotted_path)(demo, self.stdout)
        self._print_logins(demo)

    def _print_logins(self, demo):
        out = self.stdout
        out.write(self.style.SUCCESS(f"Demo school: {demo.school.name}"))
        out.write(f"Password for every demo account: {demo.password}")
        out.write(f"  school admin : {demo.admin.username}")
        for teacher in demo.teachers:
            out.write(f"  teacher      : {teacher.username} ({teacher.display_name})")
        for classroom in demo.classrooms:
            first = demo.students[classroom.name][0]
            out.write(
                f"  class {classroom.name}     : join code {classroom.join_code}, "
                f"student {first.username} ({first.display_name}) … "
                f"{len(demo.students[classroom.name])} pupils"
            )
        out.write(
            f"  parent       : {demo.parents[0].username} (one child in 6A, one in 6B)"
        )
