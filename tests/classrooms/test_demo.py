from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import Role, User
from classrooms.models import Classroom, Enrollment, ParentLink, School
from tests.factories.courses import ensure_wagtail_tree


@pytest.fixture(autouse=True)
def _wagtail_base_rows(db):
    """The demo seeds lessons under Wagtail's default site, which a flushing
    browser test may have removed from a reused test database."""
    ensure_wagtail_tree()


def _counts():
    return (
        School.objects.count(),
        Classroom.objects.count(),
        User.objects.count(),
        Enrollment.objects.count(),
        ParentLink.objects.count(),
    )


def test_seed_demo_builds_the_school_and_is_idempotent(db):
    out = StringIO()
    call_command("seed_demo", stdout=out)
    first = _counts()
    call_command("seed_demo", stdout=StringIO())
    assert _counts() == first
    school = School.objects.get(slug="thcs-nguyen-du")
    assert [c.name for c in school.classrooms.order_by("name")] == ["6A", "6B"]
    for classroom in school.classrooms.all():
        assert classroom.enrollments.count() == 30
    assert User.objects.filter(role=Role.TEACHER).count() == 2
    names = list(
        User.objects.filter(role=Role.STUDENT).values_list("display_name", flat=True)
    )
    assert len(set(names)) == 60
    assert any(c in "".join(names) for c in "ăâđêôơư")
    two_classes = User.objects.get(username="ph6a01")
    child_classes = Classroom.objects.filter(
        enrollments__student__parent_links__parent=two_classes
    )
    assert sorted(child_classes.values_list("name", flat=True)) == ["6A", "6B"]
    assert "gv.lan" in out.getvalue() and "lophoc-demo" in out.getvalue()


def test_demo_logins_work(client, db):
    call_command("seed_demo", stdout=StringIO())
    response = client.post(
        "/accounts/login/", {"username": "gv.lan", "password": "lophoc-demo"}
    )
    assert response.status_code == 302 and response["Location"] == "/"
