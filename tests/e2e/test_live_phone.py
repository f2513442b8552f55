"""
The live room on a 360×740 phone gives the screen to the lesson and the chat
(issue #20, Build 3): the whiteboard stays collapsed until the teacher draws,
so the chat box is above the fold; a stroke opens it on every phone, and
clearing the board collapses it again.
"""

import pytest

from live.models import LiveSession
from live.rooms.demo import OPEN_TITLE

from .conftest import PHONE_VIEWPORT, login, seed_demo

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(asgi_server):
    return seed_demo()


def _bottom(page, selector) -> float:
    box = page.locator(selector).bounding_box()
    return box["y"] + box["height"]


def test_board_is_collapsed_until_the_teacher_draws_and_chat_is_above_the_fold(
    browser, asgi_server, demo, tmp_path
):
    session = LiveSession.objects.get(title=OPEN_TITLE)
    teacher = session.classroom.homeroom_teacher or demo.teachers[0]
    pupil = demo.students["6A"][0]

    phone = browser.new_context(viewport=PHONE_VIEWPORT, is_mobile=True, has_touch=True)
    s_page = phone.new_page()
    s_page.set_default_timeout(20_000)
    login(s_page, asgi_server, pupil.username, demo.password)
    s_page.get_by_role("link", name=OPEN_TITLE).first.click()  # from the home page
    s_page.wait_for_selector("#live-conn.conn-on")
    assert s_page.locator("#live-slides .slide:not([hidden])").count() == 1
    assert s_page.locator("#live-board").is_hidden()
    assert _bottom(s_page, "#live-chat-form") <= PHONE_VIEWPORT["height"]
    s_page.screenshot(path=str(tmp_path / "live-phone-pupil.png"))

    laptop = browser.new_context(viewport={"width": 1280, "height": 800})
    t_page = laptop.new_page()
    t_page.set_default_timeout(20_000)
    login(t_page, asgi_server, teacher.username, demo.password)
    t_page.goto(f"{asgi_server.url}/live/{session.pk}/")
    t_page.wait_for_selector("#live-conn.conn-on")
    assert t_page.locator("#live-board").is_hidden()
    t_page.get_by_role("button", name="Mở bảng vẽ").click()
    box = t_page.locator("#live-board").bounding_box()
    t_page.mouse.move(box["x"] + 40, box["y"] + 40)
    t_page.mouse.down()
    for step in range(1, 11):
        t_page.mouse.move(box["x"] + 40 + step * 20, box["y"] + 40 + step * 8)
    t_page.mouse.up()

    s_page.wait_for_selector("#live-board", state="visible")  # the stroke opened it
    s_page.screenshot(path=str(tmp_path / "live-phone-pupil-board.png"))

    t_page.get_by_role("button", name="Xoá bảng").click()
    s_page.wait_for_selector("#live-board", state="hidden")
    assert t_page.locator("#live-board").is_visible()  # the teacher opened it
    t_page.get_by_role("button", name="Thu gọn bảng vẽ").click()
    assert t_page.locator("#live-board").is_hidden()
    phone.close()
    laptop.close()
