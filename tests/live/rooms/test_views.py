"""Pages: schedule, room, open/end, tickets, attendance report, calendar feed."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from classrooms.services import enroll_student
from live.models import Attendance, CalendarFeed, LiveSession, SessionStatus
from live.rooms import services
from tests.factories import (
    ClassroomFactory,
    LiveSessionFactory,
    ParentFactory,
    ParentLinkFactory,
    StudentFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(classroom, teacher):
    students = [StudentFactory(display_name=n) for n in ("Trần An", "Lê Bình")]
    for s in students:
        enroll_student(classroom=classroom, student=s)
    session = LiveSessionFactory(classroom=classroom, status=SessionStatus.SCHEDULED)
    return classroom, teacher, students, session


def test_ticket_endpoint_returns_a_ticket_for_a_member(client, setup):
    _, _, students, session = setup
    client.force_login(students[0])
    response = client.post(reverse("live:create-ticket", args=[session.pk]))
    data = response.json()
    assert services.read_ticket(data["ticket"]) == (students[0].pk, session.pk)
    assert data["expires_at"].endswith("Z")


def test_ticket_endpoint_is_404_for_outsiders_and_refuses_get(client, setup):
    _, _, students, session = setup
    client.force_login(StudentFactory())
    url = reverse("live:create-ticket", args=[session.pk])
    assert client.post(url).status_code == 404
    client.force_login(students[0])
    assert client.get(url).status_code == 405


def test_room_page_is_404_for_another_class_and_not_served_to_parents(client, setup):
    """A parent never gets the room: their link leads to their child's
    attendance instead of a 404 (issue #20)."""
    _, _, students, session = setup
    url = reverse("live:room", args=[session.pk])
    other = StudentFactory()
    enroll_student(classroom=ClassroomFactory(), student=other)
    client.force_login(other)
    assert client.get(url).status_code == 404
    parent = ParentFactory()
    ParentLinkFactory(parent=parent, student=students[0])
    client.force_login(parent)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("live:attendance", args=[session.pk])


def test_room_page_loads_the_module_without_inline_script(client, setup):
    _, teacher, _, session = setup
    client.force_login(teacher)
    html = client.get(reverse("live:room", args=[session.pk])).content.decode()
    assert 'type="module" src="/static/js/live/classroom.js"' in html
    assert "<script>" not in html and "style=" not in html
    assert 'data-role="teacher"' in html


def test_teacher_creates_opens_and_ends_a_session(client, setup):
    classroom, teacher, _, _ = setup
    client.force_login(teacher)
    response = client.post(
        reverse("live:create-session"),
        {
            "classroom": classroom.pk,
            "title": "Toán: phân số",
            "scheduled_at": "2026-12-01T08:00",
            "video_url": "https://meet.jit.si/lophoc-6a",
        },
    )
    session = LiveSession.objects.get(title="Toán: phân số")
    assert response.status_code == 302
    assert session.status == SessionStatus.SCHEDULED
    client.post(reverse("live:open-session", args=[session.pk]))
    session.refresh_from_db()
    assert session.status == SessionStatus.LIVE and session.opened_at
    client.post(reverse("live:end-session", args=[session.pk]))
    session.refresh_from_db()
    assert session.status == SessionStatus.ENDED
    # ended is final: opening again changes nothing
    client.post(reverse("live:open-session", args=[session.pk]))
    session.refresh_from_db()
    assert session.status == SessionStatus.ENDED


def test_bad_session_form_saves_nothing(client, setup):
    classroom, teacher, _, _ = setup
    client.force_login(teacher)
    before = LiveSession.objects.count()
    response = client.post(
        reverse("live:create-session"),
        {"classroom": classroom.pk, "title": "", "scheduled_at": "nope"},
    )
    assert response.status_code == 200
    assert LiveSession.objects.count() == before


def test_student_cannot_open_a_session(client, setup):
    _, _, students, session = setup
    client.force_login(students[0])
    response = client.post(reverse("live:open-session", args=[session.pk]))
    assert response.status_code == 404
    session.refresh_from_db()
    assert session.status == SessionStatus.SCHEDULED


def _attended(session, student, minutes, late=False):
    start = session.scheduled_at + (timedelta(minutes=15) if late else timedelta())
    Attendance.objects.create(
        session=session,
        user=student,
        first_joined_at=start,
        last_left_at=start + timedelta(minutes=minutes),
        connected_seconds=minutes * 60,
    )


def test_attendance_report_shows_present_late_absent(client, setup):
    _, teacher, students, session = setup
    late = StudentFactory(display_name="Phạm Cường")
    enroll_student(classroom=session.classroom, student=late)
    session.status = SessionStatus.ENDED
    session.ended_at = session.scheduled_at + timedelta(minutes=45)
    session.save()
    _attended(session, students[0], 40)
    _attended(session, late, 20, late=True)
    client.force_login(teacher)
    response = client.get(reverse("live:attendance", args=[session.pk]))
    rows = {r.name: (r.status, r.minutes) for r in response.context["rows"]}
    assert rows == {
        "Trần An": ("present", 40),
        "Lê Bình": ("absent", 0),
        "Phạm Cường": ("late", 20),
    }
    csv_body = client.get(
        reverse("live:attendance", args=[session.pk]), {"format": "csv"}
    ).content.decode("utf-8")
    assert csv_body.startswith("\ufeff")
    lines = csv_body.lstrip("\ufeff").splitlines()
    assert lines[0] == "Học sinh,Trạng thái,Vào lúc,Số phút"
    assert "Trần An,Có mặt," in csv_body and "Lê Bình,Vắng,,0" in csv_body
    assert "Phạm Cường,Đi muộn," in csv_body


def test_attendance_csv_neutralises_a_name_that_is_a_formula(client, setup):
    """XS-02: a pupil named like a formula arrives inert in the teacher's sheet."""
    _, teacher, students, session = setup
    students[0].display_name = '=HYPERLINK("http://evil.example","Bấm")'
    students[0].save()
    client.force_login(teacher)
    csv_body = client.get(
        reverse("live:attendance", args=[session.pk]), {"format": "csv"}
    ).content.decode("utf-8")
    assert "'=HYPERLINK" in csv_body
    assert "\n=HYPERLINK" not in csv_body and ",=HYPERLINK" not in csv_body


def test_parent_sees_only_their_own_child_and_others_get_404(client, setup):
    _, _, students, session = setup
    parent = ParentFactory()
    ParentLinkFactory(parent=parent, student=students[0])
    client.force_login(parent)
    response = client.get(reverse("live:attendance", args=[session.pk]))
    assert [r.student_id for r in response.context["rows"]] == [students[0].pk]
    client.force_login(students[1])
    assert client.get(reverse("live:attendance", args=[session.pk])).status_code == 404
    client.force_login(ParentFactory())
    assert client.get(reverse("live:attendance", args=[session.pk])).status_code == 404


def test_private_calendar_feed_lists_the_users_sessions(client, setup):
    _, _, students, session = setup
    LiveSessionFactory(title="Buổi của lớp khác")
    token = services.create_calendar_feed(user=students[0]).token
    body = client.get(reverse("live:calendar-feed", args=[token])).content.decode()
    assert "BEGIN:VCALENDAR" in body
    assert f"UID:live-{session.pk}@lophoc" in body
    assert "Buổi của lớp khác" not in body
    assert client.get(reverse("live:calendar-feed", args=["guess"])).status_code == 404


def test_student_home_lists_upcoming_sessions(client, setup):
    _, _, students, session = setup
    session.scheduled_at = timezone.now() + timedelta(days=1)
    session.save()
    client.force_login(students[0])
    html = client.get(reverse("home")).content.decode()
    assert session.title in html
    assert reverse("live:create-calendar-feed") in html


def test_home_get_never_creates_the_calendar_link(client, setup):
    _, teacher, students, _ = setup
    for user in (teacher, students[0]):
        client.force_login(user)
        html = client.get(reverse("home")).content.decode()
        assert "Tạo liên kết lịch" in html
    assert not CalendarFeed.objects.exists()


def test_one_post_creates_the_calendar_link_shown_on_the_home(client, setup):
    _, _, students, _ = setup
    client.force_login(students[0])
    for _attempt in range(2):  # a double tap makes one link
        response = client.post(reverse("live:create-calendar-feed"))
        assert response.status_code == 302
        assert response["Location"] == reverse("home") + "#live-calendar"
    feed = CalendarFeed.objects.get()
    assert feed.user == students[0]
    html = client.get(reverse("home")).content.decode()
    assert reverse("live:calendar-feed", args=[feed.token]) in html
    assert reverse("live:create-calendar-feed") not in html


def test_calendar_link_is_made_by_post_only(client, setup):
    client.force_login(setup[2][0])
    assert client.get(reverse("live:create-calendar-feed")).status_code == 405
    assert not CalendarFeed.objects.exists()


def test_the_owner_rotates_the_calendar_link_and_the_old_one_stops_working(
    client, setup
):
    _, _, students, _ = setup
    old = services.create_calendar_feed(user=students[0]).token
    client.force_login(students[0])
    assert (
        reverse("live:rotate-calendar-feed")
        in client.get(reverse("home")).content.decode()
    )
    response = client.post(reverse("live:rotate-calendar-feed"))
    assert response["Location"] == reverse("home") + "#live-calendar"
    new = CalendarFeed.objects.get(user=students[0]).token
    assert new != old and len(new) >= 40
    client.logout()
    assert client.get(reverse("live:calendar-feed", args=[old])).status_code == 404
    assert client.get(reverse("live:calendar-feed", args=[new])).status_code == 200


def test_rotating_needs_a_link_a_login_and_a_post(client, setup):
    _, _, students, _ = setup
    services.create_calendar_feed(user=students[0])
    token = CalendarFeed.objects.get().token
    assert client.post(reverse("live:rotate-calendar-feed")).status_code == 302  # login
    client.force_login(students[1])
    assert client.post(reverse("live:rotate-calendar-feed")).status_code == 404
    client.force_login(students[0])
    assert client.get(reverse("live:rotate-calendar-feed")).status_code == 405
    assert CalendarFeed.objects.get().token == token


def test_the_projector_is_for_the_rooms_teachers_only(client, setup):
    classroom, teacher, students, session = setup
    url = reverse("live:projector", args=[session.pk])
    client.force_login(teacher)
    html = client.get(url).content.decode()
    assert "js/live/projector.js" in html and session.title in html
    assert url in client.get(reverse("live:room", args=[session.pk])).content.decode()
    parent = ParentLinkFactory(student=students[0]).parent
    other_teacher = ClassroomFactory().homeroom_teacher
    for user in (students[0], parent, other_teacher):
        client.force_login(user)
        assert client.get(url).status_code == 404, user


def test_only_a_pupil_who_missed_the_class_is_offered_its_recording(client, setup):
    from live.audio.recording import chunk_of, finalise_recording, write_chunk
    from live.protocol import build_bundle

    _, _, (absent, present), session = setup
    session.status = SessionStatus.ENDED
    session.save()
    Attendance.objects.create(
        session=session, user=present, first_joined_at=timezone.now()
    )
    packet = bytes([11 << 3]) + b"\x01" * 30
    data = chunk_of(build_bundle(n, n * 360, [packet] * 6) for n in range(30))
    write_chunk(f"live-audio/{session.pk}/chunks/0000000000001-0.bin", data)
    finalise_recording(session_id=session.pk)
    room_url = reverse("live:room", args=[session.pk])
    client.force_login(absent)
    home = client.get(reverse("home")).content.decode()
    assert "Nghe lại buổi bạn vắng" in home and f"{room_url}#live-recording" in home
    page = client.get(room_url).content.decode()
    assert reverse("live:recording", args=[session.pk]) in page
    client.force_login(present)
    assert "Nghe lại buổi bạn vắng" not in client.get(reverse("home")).content.decode()
    # ...but the recording is on the session page for them too.
    assert (
        reverse("live:recording", args=[session.pk])
        in client.get(room_url).content.decode()
    )
