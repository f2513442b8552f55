"""
The grading viewer (#15 build 5), in Chromium: a teacher zooms, turns and
marks a pupil's photo with the pen and a ✓ stamp, moves between photos with
the keyboard, grades and returns the work; the pupil's phone then shows the
marks over the photo, turned as the teacher left it.
"""

import os
from pathlib import Path

import pytest

from assignments.models import Submission, SubmissionFile
from classrooms.services import enroll_student
from tests.assignments.conftest import make_assignment, photo, submit
from tests.e2e.conftest import login
from tests.factories import ClassroomFactory, StudentFactory, TeacherFactory
from tests.factories.accounts import TEST_PASSWORD

pytestmark = pytest.mark.e2e

SHOTS = os.environ.get("LOPHOC_SCREENSHOTS")


def _shot(page, name):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


@pytest.fixture
def handed_in(transactional_db):
    teacher = TeacherFactory(username="gv.viewer")
    classroom = ClassroomFactory(homeroom_teacher=teacher, name="6A")
    pupils = [StudentFactory(display_name=n) for n in ("Lê Thị Mai", "Phạm Văn Toàn")]
    for pupil in pupils:
        enroll_student(classroom=classroom, student=pupil)
    homework = make_assignment(teacher, [classroom], title="Bài tập hình học")
    first = submit(
        homework,
        pupils[0],
        photos=[
            photo("trang-1.jpg", size=(2000, 1500), color=(250, 250, 240)),
            photo("trang-2.jpg", size=(1500, 2000), color=(240, 245, 250)),
        ],
    )
    second = submit(homework, pupils[1])
    return teacher, pupils[0], first, second


def first_photo_id(submission) -> int:
    return (
        SubmissionFile.objects.filter(version__submission=submission)
        .order_by("position")
        .values_list("pk", flat=True)[0]
    )


def _centre(page, selector):
    box = page.locator(selector).bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def test_teacher_marks_a_photo_and_the_pupil_sees_the_marks_on_the_phone(
    live_server, desktop_page, phone_page, handed_in
):
    teacher, pupil, submission, other = handed_in
    page = desktop_page
    login(page, live_server, teacher.username, TEST_PASSWORD)
    page.goto(f"{live_server.url}/homework/submissions/{submission.pk}/")
    bar = page.locator("#viewer-bar")
    assert bar.is_visible()
    assert bar.locator("[data-count]").inner_text() == "1 / 2"
    figure = page.locator(".viewer-photos li.current .marked-photo")
    # A laptop screen gets the 1,600 px copy, not the photo as stored.
    assert figure.get_attribute("data-size") == "screen"

    # Zoom in twice and back once: the photo grows.
    width = figure.locator("svg").bounding_box()["width"]
    bar.locator("[data-act=zoom-in]").click()
    bar.locator("[data-act=zoom-in]").click()
    bar.locator("[data-act=zoom-out]").click()
    assert bar.locator("[data-zoom-label]").inner_text() == "150%"
    assert figure.locator("svg").bounding_box()["width"] > width * 1.4
    bar.locator("[data-act=zoom-fit]").click()

    # Turn it a quarter clockwise: the frame swaps its sides.
    bar.locator("[data-act=rotate-right]").click()
    assert figure.get_attribute("data-rotation") == "90"
    box = figure.locator("svg").bounding_box()
    assert box["height"] > box["width"]

    # A pen stroke across the middle, then a ✓ stamp lower down.
    bar.locator("[data-tool=pen]").click()
    figure.scroll_into_view_if_needed()
    x, y = _centre(page, ".viewer-photos li.current svg")
    page.mouse.move(x - 80, y - 40)
    page.mouse.down()
    for step in range(1, 11):
        page.mouse.move(x - 80 + step * 16, y - 40 + step * 8)
    page.mouse.up()
    bar.locator("[data-tool=ok]").click()
    page.mouse.click(x, y + 120)
    assert figure.locator(".marks path").count() == 1
    assert figure.locator(".marks use").count() == 1
    _shot(page, "grading-viewer-desktop")

    # The keyboard: → to the second photo and ← back.
    page.keyboard.press("Escape")
    page.keyboard.press("ArrowRight")
    assert bar.locator("[data-count]").inner_text() == "2 / 2"
    page.keyboard.press("ArrowLeft")
    assert bar.locator("[data-count]").inner_text() == "1 / 2"

    # The photo as stored, only on demand.
    bar.locator("[data-act=full]").click()
    assert figure.get_attribute("data-size") == "full"
    assert (
        figure.locator("image")
        .get_attribute("href")
        .endswith(f"/homework/files/{first_photo_id(submission)}/")
    )

    page.fill("#id_score", "9")
    page.fill("#id_comment", "Hình vẽ đúng, trình bày sạch.")
    page.click("button[name=return]")
    page.wait_for_url(f"{live_server.url}/homework/submissions/{submission.pk}/")
    assert "Đã lưu điểm." in page.content()

    submission.refresh_from_db()
    assert submission.score == 9 and submission.is_returned
    first, second = SubmissionFile.objects.filter(
        version__submission=submission
    ).order_by("position")
    assert first.rotation == 90 and second.rotation == 0
    kinds = [mark["t"] for mark in first.marks]
    assert kinds == ["pen", "ok"], first.marks
    assert len(first.marks[0]["p"]) >= 8
    assert second.marks == []
    # The saved marks come back drawn on the page.
    assert page.locator(".viewer-photos li.current .marks path").count() == 1

    # N goes to the next pupil's work.
    page.keyboard.press("n")
    page.wait_for_url(f"{live_server.url}/homework/submissions/{other.pk}/")

    # The pupil's phone: the marks over the photo, turned as the teacher left it.
    login(phone_page, live_server, pupil.username, TEST_PASSWORD)
    phone_page.goto(f"{live_server.url}/homework/submissions/{submission.pk}/")
    marked = phone_page.locator(".marked-photo").first
    assert marked.locator(".marks path").count() == 1
    assert marked.locator(".marks use").count() == 1
    box = marked.locator("svg").bounding_box()
    assert box["height"] > box["width"] and box["width"] <= 360
    # The photo itself loaded (the phone copy, through the permission check).
    loaded = phone_page.evaluate(
        """() => new Promise(done => {
            const href = document.querySelector('.marked-photo image').getAttribute('href');
            const probe = new Image();
            probe.onload = () => done([probe.naturalWidth, probe.naturalHeight]);
            probe.onerror = () => done(null);
            probe.src = href;
        })"""
    )
    assert loaded == [800, 600]
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    _shot(phone_page, "grading-marks-pupil-phone")
    assert Submission.objects.get(pk=other.pk).score is None


def test_grading_on_a_phone_stamps_with_a_tap(live_server, phone_page, handed_in):
    teacher, _pupil, submission, _other = handed_in
    login(phone_page, live_server, teacher.username, TEST_PASSWORD)
    phone_page.goto(f"{live_server.url}/homework/submissions/{submission.pk}/")
    bar = phone_page.locator("#viewer-bar")
    figure = phone_page.locator(".viewer-photos li.current .marked-photo")
    # 360 px wide at 3 device pixels a pixel still only needs the 1,600 copy.
    assert figure.get_attribute("data-size") in ("phone", "screen")
    bar.locator("[data-tool=ask]").click()
    figure.scroll_into_view_if_needed()
    x, y = _centre(phone_page, ".viewer-photos li.current svg")
    phone_page.touchscreen.tap(x, y)
    assert figure.locator(".marks use").count() == 1
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    _shot(phone_page, "grading-viewer-phone")
    phone_page.fill("#id_score", "7")
    phone_page.click("button[name=save]")
    phone_page.wait_for_url(f"{live_server.url}/homework/submissions/{submission.pk}/")
    first = SubmissionFile.objects.filter(version__submission=submission).order_by(
        "position"
    )[0]
    assert [m["t"] for m in first.marks] == ["ask"]
