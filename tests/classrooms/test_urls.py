"""The classrooms URLs kept their paths and names when folded into one module."""

import pytest
from django.urls import resolve, reverse

from classrooms import announcements, deliveries, progress

KEPT = [
    ("announcements:list", [7], "/classes/7/announcements/", announcements),
    ("announcements:create", [7], "/classes/7/announcements/new/", announcements),
    (
        "announcements:attachment",
        [9],
        "/classes/announcements/9/attachment/",
        announcements,
    ),
    (
        "course_progress:course-progress",
        [7, 3],
        "/classes/7/courses/3/progress/",
        progress,
    ),
    ("deliveries:failed", [], "/parents/deliveries/failed/", deliveries),
    ("deliveries:retry", [5], "/parents/deliveries/5/retry/", deliveries),
]


@pytest.mark.parametrize(("name", "args", "url", "module"), KEPT)
def test_url_keeps_its_path_and_is_served_by_classrooms(name, args, url, module):
    assert reverse(name, args=args) == url
    assert resolve(url).func.__module__ == module.__name__


def test_classroom_urls_keep_their_names():
    assert reverse("classrooms:classroom-detail", args=[7]) == "/classes/7/"
    assert reverse("classrooms:roster", args=[7]) == "/classes/7/students/"
