"""
A live room in real browsers: the teacher opens the session and changes
slide; a student on a 360×740 phone sees it, raises a hand, the teacher sees
it; the student's network drops and comes back, and the page recovers by
itself from ``room.state`` (including a slide change it missed).

pytest-django's ``live_server`` speaks WSGI only, so pages, static files and
WebSockets are served by uvicorn in a thread, against the test database.
"""

import gzip
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from classrooms.services import enroll_student
from live.models import LiveSession, SessionStatus
from tests.e2e.conftest import PHONE_VIEWPORT, login
from tests.factories import ClassroomFactory, StudentFactory
from tests.factories.accounts import TEST_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_teacher_slide_and_student_hand_survive_a_dropped_connection(
    browser, asgi_server
):
    classroom = ClassroomFactory()
    teacher = classroom.homeroom_teacher
    student = StudentFactory(display_name="Nguyễn Văn An")
    enroll_student(classroom=classroom, student=student)
    session = LiveSession.objects.create(
        classroom=classroom,
        title="Toán 6A — Phân số",
        scheduled_at="2026-11-22T08:00:00Z",
        created_by=teacher,
    )
    room_url = f"{asgi_server.url}/live/{session.pk}/"

    t_ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    t_page = t_ctx.new_page()
    t_page.set_default_timeout(20_000)
    login(t_page, asgi_server, teacher.username, TEST_PASSWORD)
    t_page.goto(room_url)
    t_page.click("#live-open")  # scheduled → live
    t_page.wait_for_selector("#live-conn.conn-on")
    session.refresh_from_db()
    assert session.status == SessionStatus.LIVE

    s_ctx = browser.new_context(viewport=PHONE_VIEWPORT, is_mobile=True, has_touch=True)
    s_page = s_ctx.new_page()
    s_page.set_default_timeout(20_000)
    login(s_page, asgi_server, student.username, TEST_PASSWORD)
    s_page.goto(room_url)
    s_page.wait_for_selector("#live-conn.conn-on")
    # No horizontal scrolling on a 360 px phone (CDP evaluation, not page eval).
    assert s_page.evaluate("document.documentElement.scrollWidth") <= 360

    t_page.click("#live-next")
    s_page.wait_for_selector("#live-slide:text-is('2')")

    s_page.click("#live-hand")  # a real tap on the phone
    t_page.wait_for_selector(f"#live-hands li:has-text('{student.display_name}')")

    # The phone loses its network; the teacher moves on meanwhile.
    s_ctx.set_offline(True)
    s_page.wait_for_selector("#live-conn.conn-off, #live-conn.conn-wait")
    t_page.click("#live-next")
    t_page.wait_for_selector("#live-slide:text-is('3')")
    s_ctx.set_offline(False)
    s_page.wait_for_selector("#live-conn.conn-on", timeout=30_000)
    s_page.wait_for_selector("#live-slide:text-is('3')")
    # The hand is still up after the reconnect, rebuilt from room.state.
    assert s_page.get_attribute("#live-hand", "aria-pressed") == "true"

    # Chat typed on the phone reaches the teacher as inert text.
    s_page.fill("#live-chat-text", "<img src=x onerror=alert(1)>")
    s_page.click("#live-chat-form button[type=submit]")
    t_page.wait_for_selector("#live-chat li:has-text('<img src=x onerror=alert(1)>')")
    assert t_page.locator("#live-chat img").count() == 0
    # An RTL override in a line cannot reorder the name before it (WS-07).
    s_page.fill("#live-chat-text", "\u202egnp.exe")
    s_page.click("#live-chat-form button[type=submit]")
    line = t_page.locator("#live-chat li", has_text="gnp.exe")
    line.wait_for()
    for part in ("strong", ".text"):
        bidi = line.locator(part).evaluate("e => getComputedStyle(e).unicodeBidi")
        assert bidi == "isolate", (part, bidi)
    s_ctx.close()
    t_ctx.close()


def gz(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), 9))


def test_student_page_assets_fit_in_30_kb_compressed():
    static = Path(django_settings.BASE_DIR) / "static"
    files = [static / "js/live/classroom.js", static / "css/live.css"]
    files += [static / "js/live/quiz.js", static / "css/quiz.css"]
    audio = [static / "js/live/audio.js", static / "js/live/audio-worklet.js"]
    # The teacher's voice adds at most 10 KB of the 30 (#13).
    assert sum(map(gz, audio)) <= 10 * 1024, sum(map(gz, audio))
    total = sum(map(gz, files + audio))
    assert total <= 30 * 1024, total
