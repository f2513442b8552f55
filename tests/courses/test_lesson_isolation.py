"""
Issue #11, holes 1 and 4: a lesson of a course the user may not read is
never offered, accepted or shown — live session form and service, the room's
slides at render time, the homework form and service, the Wagtail page
chooser (AZ-10 tenant isolation for lessons; AZ-15 for the chooser).

World: T1 teaches course A (class C1), T2 teaches course B (class C2); both
courses are private.
"""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from assignments import services as assignment_services
from assignments.models import Assignment
from live.models import LiveSession
from live.rooms import services as live_services
from live.rooms import slides

pytestmark = pytest.mark.django_db

SECRET_LINE = "Hai phân số bằng nhau khi tích chéo bằng nhau."


def _when():
    return (timezone.now() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")


def test_live_session_form_offers_only_lessons_the_teacher_may_read(client, world):
    client.force_login(world.T1)
    html = client.get(reverse("live:create-session")).content.decode()
    assert world.lesson_a.title in html
    assert world.lesson_b.title not in html


def test_live_session_post_naming_a_foreign_lesson_is_a_form_error(client, world):
    """Hole 1: T1 may not show T2's private lesson to class C1."""
    client.force_login(world.T1)
    response = client.post(
        reverse("live:create-session"),
        {
            "classroom": world.C1.pk,
            "title": "Buổi chiếu bài lạ",
            "scheduled_at": _when(),
            "lesson": world.lesson_b.pk,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["lesson"]
    assert not LiveSession.objects.filter(title="Buổi chiếu bài lạ").exists()


def test_create_session_service_refuses_a_foreign_lesson(world):
    with pytest.raises(PermissionDenied):
        live_services.create_session(
            classroom=world.C1,
            title="Buổi chiếu bài lạ",
            scheduled_at=timezone.now() + timedelta(days=1),
            by=world.T1,
            lesson=world.lesson_b,
        )
    assert not LiveSession.objects.filter(title="Buổi chiếu bài lạ").exists()


def test_room_shows_no_slides_of_a_lesson_its_teacher_may_not_read(client, world):
    """Re-checked at render time: a session that names a foreign lesson
    (written before the fix, or the course turned private since) shows none
    of its blocks."""
    session = LiveSession.objects.create(
        classroom=world.C1,
        title="Buổi cũ",
        scheduled_at=timezone.now(),
        lesson=world.lesson_b,
        created_by=world.T1,
    )
    assert slides.slide_html(session) == []
    client.force_login(world.T1)
    html = client.get(reverse("live:room", args=[session.pk])).content.decode()
    assert SECRET_LINE not in html


def test_room_shows_slides_of_the_teachers_own_lesson(world):
    session = live_services.create_session(
        classroom=world.C1,
        title="Buổi của lớp",
        scheduled_at=timezone.now() + timedelta(days=1),
        by=world.T1,
        lesson=world.lesson_a,
    )
    assert any(SECRET_LINE in html for html in slides.slide_html(session))


def test_homework_form_offers_only_lessons_the_teacher_may_read(client, world):
    """Hole 4: the lesson picker leaked every school's lesson titles."""
    client.force_login(world.T1)
    html = client.get(reverse("assignments:create")).content.decode()
    assert world.lesson_a.title in html
    assert world.lesson_b.title not in html


def test_create_assignment_service_refuses_a_foreign_lesson(world):
    with pytest.raises(PermissionDenied):
        assignment_services.create_assignment(
            by=world.T1,
            classrooms=[world.C1],
            title="Bài về nhà lạ",
            due_at=timezone.now() + timedelta(days=2),
            lesson=world.lesson_b,
            publish=True,
        )
    assert not Assignment.objects.filter(title="Bài về nhà lạ").exists()


def test_page_chooser_lists_no_page_of_a_course_the_teacher_may_not_read(client, world):
    client.force_login(world.T1)
    response = client.get(
        reverse("wagtailadmin_choose_page_child", args=[world.index.pk])
    )
    assert response.status_code == 200
    html = response.json()["html"]
    assert world.course_a.title in html
    assert world.course_b.title not in html
    search = client.get(reverse("wagtailadmin_choose_page_search"), {"q": "Toán"})
    assert search.status_code == 200
    assert world.lesson_a.title in search.content.decode()
    assert world.lesson_b.title not in search.content.decode()
