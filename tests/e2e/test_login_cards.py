"""
QR login cards in Chromium (issue #16): a teacher prints the class's cards
through the pages' own links; the QR code, decoded from the SVG as the
browser draws it, signs the pupil in on a phone within two requests, and no
later URL or ``Referer`` carries the token; voiding the card signs the phone
out at once.
"""

import io
import os
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from classrooms.services import enroll_student
from tests.e2e.conftest import login
from tests.factories import ClassroomFactory, StudentFactory, TeacherFactory
from tests.factories.accounts import TEST_PASSWORD

pytestmark = pytest.mark.e2e

SHOTS = os.environ.get("LOPHOC_SCREENSHOTS")


@pytest.fixture
def class_6a(transactional_db):
    teacher = TeacherFactory(username="gv.cards")
    classroom = ClassroomFactory(homeroom_teacher=teacher, name="6A")
    pupils = [
        StudentFactory(display_name=name)
        for name in ("Lê Thị Mai", "Phạm Văn Toàn", "Đỗ Minh Khoa")
    ]
    for pupil in pupils:
        enroll_student(classroom=classroom, student=pupil)
    return teacher, classroom, pupils


def _decode(png: bytes) -> str:
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert len(found) == 1, found
    return found[0].text


def test_a_printed_card_signs_the_pupil_in_on_a_phone_and_leaves_no_token(
    live_server, desktop_page, phone_page, class_6a
):
    teacher, classroom, pupils = class_6a
    page = desktop_page
    login(page, live_server, teacher.username, TEST_PASSWORD)
    page.goto(f"{live_server.url}/classes/{classroom.pk}/")
    page.locator("a[href$='/students/']").first.click()
    page.click("text=Thẻ đăng nhập QR")
    page.click("text=Tạo và in thẻ cho cả lớp")
    cards = page.locator("article.card")
    assert cards.count() == 3
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/login-cards-sheet.png", full_page=True)
    # Class-list order: Khoa, Mai, Toàn. Mai's card is the second.
    assert cards.nth(1).locator(".card-name").inner_text() == "Mai"
    assert "Lê" not in cards.nth(1).inner_text()
    url = _decode(cards.nth(1).locator(".card-qr svg").screenshot())
    assert url.startswith(f"{live_server.url}/b/")
    token = url.rsplit("/", 1)[1]
    assert token not in page.locator("body").inner_text()

    # The phone's camera opens the link.
    phone_page.context.route_web_socket("**/ws/**", lambda ws: None)
    requests = []
    phone_page.on("request", lambda request: requests.append(request))
    phone_page.goto(url)
    assert phone_page.url == f"{live_server.url}/"
    assert pupils[0].display_name in phone_page.content()
    navigations = [r for r in requests if r.is_navigation_request()]
    assert len(navigations) == 2  # the card, then the home
    for request in requests[1:]:
        assert token not in request.url
        assert token not in (request.headers.get("referer") or "")
    if SHOTS:
        phone_page.screenshot(path=f"{SHOTS}/login-card-pupil-home.png", full_page=True)

    # The teacher voids Mai's card: the phone is signed out at once.
    page.goto(f"{live_server.url}/classes/{classroom.pk}/cards/")
    row = page.locator("li.link-row", has_text="Lê Thị Mai")
    row.locator("button", has_text="Huỷ thẻ").click()
    assert "Đã huỷ thẻ đăng nhập của Lê Thị Mai" in page.content()
    phone_page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in phone_page.url
    refused = phone_page.goto(url)
    assert refused.status == 404
    assert "/accounts/login/" in phone_page.content()  # the way back in
