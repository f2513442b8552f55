"""
Handing in photos from a phone (#15 Builds 1-2), in Chromium at 360×740:
camera photos are shrunk on the phone before they leave it, the upload shows
its progress, and the page says "Đã nộp" only with the server's time, after
the server committed. Without JavaScript the plain form still works.
"""

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from assignments import tickets
from assignments.models import Submission
from classrooms.services import enroll_student
from files import arrival
from tests.assignments.conftest import make_assignment
from tests.e2e.conftest import PHONE_VIEWPORT, login
from tests.factories import ClassroomFactory, StudentFactory, TeacherFactory
from tests.factories.accounts import TEST_PASSWORD
from tests.files.samples import camera_photo

pytestmark = pytest.mark.e2e

BUDGET = 400 * 1024


@pytest.fixture
def pupil_and_homework(transactional_db):
    teacher = TeacherFactory()
    classroom = ClassroomFactory(homeroom_teacher=teacher, name="6A")
    pupil = StudentFactory(display_name="Lê Thị Mai")
    enroll_student(classroom=classroom, student=pupil)
    homework = make_assignment(teacher, [classroom], title="Bài tập hình học")
    return pupil, homework


@pytest.fixture
def camera_roll(tmp_path):
    """Three 12 Mpx photos as a phone saves them, one held upright (EXIF 6)."""
    paths = []
    for n, orientation in enumerate((None, 6, None)):
        path = tmp_path / f"IMG_2026120{n}.jpg"
        path.write_bytes(camera_photo(seed=n, orientation=orientation))
        paths.append(path)
    return paths


@pytest.fixture
def wire(monkeypatch):
    """
    The body size of every POST the server receives, as its Content-Length
    says (Playwright cannot see a multipart body built from files).
    """
    sizes = []
    stamp = arrival.StampArrival.__call__

    async def counting(self, scope, receive, send):
        if (
            scope["type"] == "http"
            and scope["method"] == "POST"
            and scope["path"].startswith("/homework/")
        ):
            headers = dict(scope["headers"])
            sizes.append(int(headers.get(b"content-length", b"0")))
        return await stamp(self, scope, receive, send)

    monkeypatch.setattr(arrival.StampArrival, "__call__", counting)
    return sizes


def open_homework(page, server, pupil, homework):
    login(page, server, pupil.username, TEST_PASSWORD)
    page.goto(f"{server.url}/homework/")
    page.click(f"text={homework.title}")


def test_three_camera_photos_leave_the_phone_shrunk_and_upright(
    asgi_server, phone_page, pupil_and_homework, camera_roll, wire
):
    pupil, homework = pupil_and_homework
    open_homework(phone_page, asgi_server, pupil, homework)
    posts = wire
    phone_page.set_input_files("#id_photos", [str(p) for p in camera_roll])
    phone_page.fill("#id_text", "Em nộp bài hình học ạ.")
    phone_page.click("form.form button[type=submit]")
    status = phone_page.locator("#upload-status")
    status.locator(".message-success").or_(status.locator("text=Đã nộp lúc")).wait_for()
    # The page says what the server said, with the server's time.
    submission = Submission.objects.get(student=pupil)
    at = timezone.localtime(submission.submitted_at).strftime("%H:%M %d/%m/%Y")
    assert f"Đã nộp lúc {at}" in status.inner_text()
    assert phone_page.locator("form[data-upload]").is_hidden()
    link = status.locator("a.upload-view")
    assert link.get_attribute("href") == f"/homework/submissions/{submission.pk}/"
    # What went over the wire: one POST, about a tenth of the 16 MB taken.
    original = sum(p.stat().st_size for p in camera_roll)
    assert len(posts) == 1 and posts[0] <= 3 * BUDGET + 10_000, posts
    assert posts[0] < original / 10
    files = list(submission.versions.get().files.order_by("position"))
    sizes = [(f.width, f.height) for f in files]
    # Long edge 1,280-1,600 px (a busy page steps down to fit 230 KB), and
    # the photo held upright (EXIF 6, which the shrunk copy no longer
    # carries) arrives upright.
    assert all(1280 <= max(size) <= 1600 for size in sizes), sizes
    assert [w > h for w, h in sizes] == [True, False, True], sizes
    phone_page.screenshot(path="var/screenshots/homework-upload-done.png")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360


def test_progress_is_shown_while_sending_and_nothing_says_submitted_early(
    asgi_server, phone_page, pupil_and_homework, camera_roll
):
    pupil, homework = pupil_and_homework
    open_homework(phone_page, asgi_server, pupil, homework)
    cdp = phone_page.context.new_cdp_session(phone_page)
    cdp.send("Network.enable")
    # A weak 3G link: 400 kbit/s up and down, 400 ms round trips.
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": 400,
            "downloadThroughput": 50_000,
            "uploadThroughput": 50_000,
        },
    )
    phone_page.set_input_files("#id_photos", [str(camera_roll[0])])
    phone_page.click("form.form button[type=submit]")
    detail = phone_page.locator("#upload-status .upload-detail")
    phone_page.wait_for_function(
        "() => document.querySelector('#upload-status progress').value > 0"
    )
    assert re.search(r"\d+ KB / \d+ KB · còn khoảng \d+ giây", detail.inner_text())
    assert "Đang gửi" in phone_page.inner_text("#upload-status .upload-state")
    assert "Đã nộp" not in phone_page.inner_text("#upload-status")
    phone_page.screenshot(path="var/screenshots/homework-upload-progress.png")
    phone_page.locator("#upload-status.message-success").wait_for(timeout=30_000)
    assert Submission.objects.filter(student=pupil).count() == 1


def test_a_dropped_upload_waits_on_the_phone_and_sends_itself(
    asgi_server, phone_page, pupil_and_homework, camera_roll
):
    pupil, homework = pupil_and_homework
    open_homework(phone_page, asgi_server, pupil, homework)
    # The signal drops as the work is sent, and stays away for a while.
    dropped = []

    def drop(route):
        dropped.append(route.request.url)
        route.abort("internetdisconnected")

    phone_page.context.route("**/homework/*/queued/", drop)
    phone_page.set_input_files("#id_photos", [str(camera_roll[1])])
    phone_page.click("form.form button[type=submit]")
    status = phone_page.locator("#upload-status")
    status.locator("text=Đang chờ gửi").wait_for()
    assert "Đã nộp" not in status.inner_text()
    assert not Submission.objects.filter(student=pupil).exists()
    phone_page.screenshot(path="var/screenshots/homework-upload-queued.png")
    # The signal is back. No tap needed: the queue sends it again by itself.
    phone_page.context.unroute("**/homework/*/queued/")
    phone_page.locator("#upload-status.message-success").wait_for(timeout=20_000)
    assert Submission.objects.filter(student=pupil).count() == 1
    assert dropped


def test_a_refusal_from_the_server_is_shown_with_its_reason(
    asgi_server, phone_page, pupil_and_homework, tmp_path
):
    pupil, homework = pupil_and_homework
    open_homework(phone_page, asgi_server, pupil, homework)
    fake = tmp_path / "bai.jpg"
    fake.write_bytes(b"not a photo at all" * 100)
    phone_page.set_input_files("#id_photos", [str(fake)])
    phone_page.click("form.form button[type=submit]")
    status = phone_page.locator("#upload-status.message-error")
    status.wait_for()
    assert "Không gửi được" in status.inner_text()
    assert "bai.jpg" in status.inner_text()
    assert not Submission.objects.filter(student=pupil).exists()
    assert phone_page.locator("form[data-upload] button[type=submit]").is_enabled()


def test_without_javascript_the_form_sends_the_photo_as_taken(
    asgi_server, browser, pupil_and_homework, camera_roll, wire
):
    pupil, homework = pupil_and_homework
    context = browser.new_context(viewport=PHONE_VIEWPORT, java_script_enabled=False)
    page = context.new_page()
    try:
        login(page, asgi_server, pupil.username, TEST_PASSWORD)
        page.goto(f"{asgi_server.url}/homework/{homework.pk}/")
        page.set_input_files("#id_photos", [str(camera_roll[0])])
        page.click("form.form button[type=submit]")
        page.wait_for_selector(".message-success")
        assert len(wire) == 1 and wire[0] > 5_000_000
        assert "Đã nộp lúc" in page.inner_text(".message-success")
        stored = Submission.objects.get(student=pupil).versions.get().files.get()
        assert max(stored.width, stored.height) == 2000  # shrunk by the server
    finally:
        context.close()


def queued_items(page):
    return page.evaluate("() => LophocQueue.all()")


def test_offline_work_waits_then_arrives_once_when_the_signal_returns(
    asgi_server, phone_page, pupil_and_homework, camera_roll
):
    pupil, homework = pupil_and_homework
    open_homework(phone_page, asgi_server, pupil, homework)
    phone_page.set_input_files("#id_photos", [str(p) for p in camera_roll[:2]])
    phone_page.fill("#id_text", "Em làm trong lúc mất mạng.")
    phone_page.context.set_offline(True)
    phone_page.click("form.form button[type=submit]")
    status = phone_page.locator("#upload-status")
    status.locator("text=Đang chờ gửi").wait_for()
    assert "Đã nộp" not in status.inner_text()
    [item] = queued_items(phone_page)
    assert item["state"] == "queued" and len(item["photos"]) == 2
    phone_page.screenshot(path="var/screenshots/homework-offline-queued.png")
    phone_page.wait_for_timeout(1000)
    assert not Submission.objects.filter(student=pupil).exists()
    # Back online: no tap, no reload, and within 10 s it is handed in.
    phone_page.context.set_offline(False)
    phone_page.locator("#upload-status.message-success").wait_for(timeout=10_000)
    submission = Submission.objects.get(student=pupil)
    at = timezone.localtime(submission.submitted_at).strftime("%H:%M %d/%m/%Y")
    assert f"Đã nộp lúc {at}" in status.inner_text()
    version = submission.versions.get()
    assert version.files.count() == 2 and version.text == "Em làm trong lúc mất mạng."
    assert version.pressed_at is not None
    assert queued_items(phone_page) == []
    # A forced second sync of the same item still makes one submission.
    phone_page.evaluate(
        "item => LophocQueue.put(item).then(() => LophocQueue.flush())",
        {**item, "state": "queued"},
    )
    phone_page.wait_for_function("() => LophocQueue.all().then(a => a.length === 0)")
    assert Submission.objects.get(student=pupil).versions.count() == 1


def test_a_siblings_queued_work_is_sent_as_theirs_and_never_shown_to_the_other(
    asgi_server, phone_page, pupil_and_homework, camera_roll
):
    pupil, homework = pupil_and_homework
    sibling = StudentFactory(display_name="Lê Văn Nam")
    enroll_student(classroom=homework.classrooms.get(), student=sibling)
    open_homework(phone_page, asgi_server, pupil, homework)
    # The homework endpoint is unreachable while the children swap.
    phone_page.context.route("**/homework/*/queued/", lambda route: route.abort())
    phone_page.set_input_files("#id_photos", [str(camera_roll[0])])
    phone_page.click("form.form button[type=submit]")
    phone_page.locator("#upload-status >> text=Đang chờ gửi").wait_for()
    phone_page.click("footer form[action$='/accounts/logout/'] button")  # A leaves
    phone_page.wait_for_url("**/accounts/login/**")
    login(phone_page, asgi_server, sibling.username, TEST_PASSWORD)
    phone_page.goto(f"{asgi_server.url}/homework/{homework.pk}/")
    # B sees an empty form, not A's waiting work; A's item is still kept.
    phone_page.wait_for_timeout(500)
    assert phone_page.locator("#upload-status").is_hidden()
    assert phone_page.locator("form[data-upload]").is_visible()
    assert [i["user"] for i in queued_items(phone_page)] == [str(pupil.pk)]
    # The signal is back: the work is handed in as A's, while B is signed in.
    phone_page.context.unroute("**/homework/*/queued/")
    phone_page.evaluate("() => LophocQueue.flush()")
    phone_page.wait_for_function("() => LophocQueue.all().then(a => a.length === 0)")
    assert Submission.objects.get().student == pupil
    assert not Submission.objects.filter(student=sibling).exists()


def test_an_expired_ticket_says_why_and_the_work_stays_on_the_phone(
    asgi_server, phone_page, pupil_and_homework, camera_roll
):
    pupil, homework = pupil_and_homework
    open_homework(phone_page, asgi_server, pupil, homework)
    phone_page.context.set_offline(True)
    phone_page.set_input_files("#id_photos", [str(camera_roll[0])])
    phone_page.click("form.form button[type=submit]")
    phone_page.locator("#upload-status >> text=Đang chờ gửi").wait_for()
    # Eight days pass on the server before the signal returns.
    later = timezone.now() + timedelta(days=tickets.TICKET_DAYS + 1)
    with time_machine.travel(later, tick=True):
        phone_page.context.set_offline(False)
        status = phone_page.locator("#upload-status.message-error")
        status.wait_for(timeout=15_000)
        assert "Không gửi được" in status.inner_text()
        assert "hết hạn" in status.inner_text()
    [item] = queued_items(phone_page)
    assert item["state"] == "failed" and "hết hạn" in item["reason"]
    # Days later the child signs in again (the session has ended meanwhile):
    # the homework still shows the work and why it was not handed in.
    open_homework(phone_page, asgi_server, pupil, homework)
    phone_page.locator("#upload-status.message-error").wait_for()
    assert "hết hạn" in phone_page.inner_text("#upload-status")
    phone_page.screenshot(path="var/screenshots/homework-ticket-expired.png")
    assert not Submission.objects.exists()
    # "Gửi lại" sends the kept work under the fresh page's ticket.
    phone_page.click("#upload-status .upload-retry")
    phone_page.locator("#upload-status.message-success").wait_for()
    assert Submission.objects.get().student == pupil
    assert queued_items(phone_page) == []
