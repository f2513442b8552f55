from io import StringIO

import pytest
from django.urls import reverse

from classrooms.models import Announcement
from notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }


def test_seed_demo_gives_the_demo_parent_something_to_look_at(
    client, django_capture_on_commit_callbacks
):
    from django.utils.module_loading import import_string

    from classrooms import demo as school_demo
    from lms.management.commands.seed_demo import SEEDERS

    # The seeders that feed the parent pages, in seed_demo's order; the
    # Wagtail course seeder is left out because transactional tests earlier
    # in a run flush the default Site it needs.
    wanted = [
        path
        for path in SEEDERS
        if path.split(".")[0] in {"classrooms", "assignments", "live"}
        or path.startswith("families")
    ]
    assert "classrooms.announcements_demo.seed" in wanted
    assert "families.demo.seed" in wanted
    for _run in range(2):  # idempotent
        with django_capture_on_commit_callbacks(execute=True):
            demo = school_demo.seed()
            for path in wanted:
                import_string(path)(demo, StringIO())
    assert Announcement.objects.count() == 2 * len(demo.classrooms)
    parent = demo.parents[0]
    assert Notification.objects.filter(
        recipient=parent, event="announcement.posted"
    ).count() == len(demo.classrooms)

    client.force_login(parent)
    html = client.get(reverse("home")).content.decode()
    assert 'class="overdue"' in html  # some homework missing
    assert "badge-ok" in html  # some graded and returned
    child = parent.child_links.first().student
    page = client.get(reverse("parents:child", args=[child.pk])).content.decode()
    assert "có mặt" in page or "vắng" in page  # a past live session
