"""
The class page is the teacher's hub (issue #20, Build 1): one tap from it to
every feature of the class, and each role sees only the links it may follow.
"""

import pytest
from django.urls import reverse

from courses import services as course_services
from tests.factories import CourseIndexPageFactory, LiveSessionFactory
from tests.worlds import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def hub(db):
    objects = build_world()
    index = CourseIndexPageFactory(title="Khoá học Hoa Sen")
    course = course_services.create_course(
        index=index, title="Toán 6A1", subject="math", grade=6, teachers=[objects["T1"]]
    )
    objects["C1"].courses.add(course)
    session = LiveSessionFactory(classroom=objects["C1"], title="Ôn tập phân số")
    return objects, course, session


def _page(client, user, classroom):
    client.force_login(user)
    response = client.get(reverse("classrooms:classroom-detail", args=[classroom.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_teacher_reaches_every_feature_of_the_class_in_one_tap(client, hub):
    objects, course, session = hub
    c1 = objects["C1"]
    page = _page(client, objects["T1"], c1)
    for url in (
        course.url,
        reverse("wagtailadmin_explore", args=[course.pk]),
        reverse("course_progress:course-progress", args=[c1.pk, course.pk]),
        reverse("announcements:list", args=[c1.pk]),
        reverse("live:create-session"),
        reverse("live:list-sessions"),
        reverse("live:room", args=[session.pk]),
        reverse("live:attendance", args=[session.pk]),
        reverse("assignments:create"),
        reverse("assignments:list"),
        reverse("assignments:gradebook", args=[c1.pk]),
    ):
        assert f'href="{url}"' in page, url
    assert "Soạn bài" in page and "Lên lịch" in page


def test_pupil_sees_lessons_and_class_links_but_no_staff_tools(client, hub):
    objects, course, session = hub
    c1 = objects["C1"]
    page = _page(client, objects["S1"], c1)
    assert f'href="{course.url}"' in page
    assert f'href="{reverse("announcements:list", args=[c1.pk])}"' in page
    assert f'href="{reverse("live:room", args=[session.pk])}"' in page
    for url in (
        reverse("wagtailadmin_explore", args=[course.pk]),
        reverse("live:create-session"),
        reverse("live:attendance", args=[session.pk]),
        reverse("assignments:gradebook", args=[c1.pk]),
        reverse("assignments:create"),
        reverse("course_progress:course-progress", args=[c1.pk, course.pk]),
    ):
        assert url not in page, url


def test_school_admin_gets_no_schedule_or_edit_link_they_cannot_use(client, hub):
    """A school admin observes a class: gradebook and attendance yes; scheduling
    (teachers only) and editing another teacher's course no."""
    objects, course, session = hub
    c1 = objects["C1"]
    page = _page(client, objects["A1"], c1)
    assert reverse("live:create-session") not in page
    assert reverse("wagtailadmin_explore", args=[course.pk]) not in page
    assert f'href="{reverse("assignments:gradebook", args=[c1.pk])}"' in page
    client.force_login(objects["A1"])
    assert client.get(reverse("live:create-session")).status_code == 404


def test_parent_live_class_link_shows_their_childs_attendance(client, hub):
    """A parent's live-class entry was a 404 (issue #20): it now leads to the
    attendance of their own child, and still 404s for a parent of no pupil
    in the class (security catalogue: P-rows, a parent sees only their child)."""
    objects, _course, session = hub
    room = reverse("live:room", args=[session.pk])
    client.force_login(objects["P1"])
    response = client.get(room)
    assert response.status_code == 302
    assert response["Location"] == reverse("live:attendance", args=[session.pk])
    attendance = client.get(response["Location"]).content.decode()
    assert objects["S1"].display_name in attendance
    assert objects["S2"].display_name not in attendance
    client.force_login(objects["P3"])
    assert client.get(room).status_code == 404


@pytest.mark.parametrize(("who", "shown"), [("T1", True), ("S1", False), ("P1", False)])
def test_menu_offers_lesson_editing_only_to_those_who_may_open_the_admin(
    client, hub, who, shown
):
    objects, _course, _session = hub
    user = objects[who]
    client.force_login(user)
    page = client.get(reverse("home")).content.decode()
    nav = page[page.index('class="site-nav"') : page.index("</nav>")]
    assert (f'href="{reverse("wagtailadmin_home")}"' in nav) is shown
    assert user.has_perm("wagtailadmin.access_admin") is shown
