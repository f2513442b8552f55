"""
No 500 for anything a user can send (issue #12, build 4): ids out of range.

Catalogue row "Bad inputs" (0 5xx for any URL or form input): an id above
2**63-1 in a URL is a 404 (the ``id`` converter every app's urls use), and in a
form's choice field a form error, on SQLite and on PostgreSQL.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import resolve

from classrooms.models import Classroom
from live.rooms.forms import LiveSessionForm

HUGE = str(2**63)


def test_no_url_pattern_of_ours_uses_the_unbounded_int_converter():
    root = Path(settings.BASE_DIR)
    offenders = [
        str(path.relative_to(root))
        for name in ("urls.py", "routing.py")
        for path in root.glob(f"*/**/{name}")
        if ".venv" not in path.parts and "<int:" in path.read_text()
    ]
    assert offenders == []


@pytest.mark.parametrize("path", ["/classes/{}/", "/homework/{}/", "/l/{}/"])
def test_a_huge_id_in_a_url_reaches_no_view_of_ours(path):
    """Only Wagtail's page catch-all may match it, and it answers 404."""
    view = resolve(path.format(2**63 - 1)).func
    assert resolve(path.format(HUGE)).func != view
    assert resolve(path.format(10**25)).func != view


def test_a_huge_id_in_a_url_is_a_404_for_a_signed_in_teacher(client, world):
    client.force_login(world.T1)
    assert client.get(f"/classes/{HUGE}/").status_code == 404
    assert client.get(f"/classes/{HUGE}/students/").status_code == 404


def test_a_huge_id_in_a_choice_field_is_a_form_error(world):
    form = LiveSessionForm(
        data={"classroom": HUGE, "title": "Ôn tập", "scheduled_at": "2030-01-01T08:00"},
        classrooms=Classroom.objects.filter(pk=world.C1.pk),
        user=world.T1,
    )
    assert not form.is_valid()
    assert "classroom" in form.errors
