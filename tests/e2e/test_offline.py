"""
Offline lessons in a real browser (issue #14): the service worker, saving a
lesson or a unit, the offline page, two children on one phone, and the
facade that keeps video providers out of children's pages (PR-04).

Only these tests let the service worker run (``service_workers="allow"``).
"""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError

from courses.models import LessonPage, LessonProgress, UnitPage

from .conftest import PHONE_VIEWPORT, login, seed_demo

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(live_server):
    return seed_demo()


@pytest.fixture
def phone(browser):
    """A phone whose pages may install Lophoc's service worker."""
    context = browser.new_context(
        viewport=PHONE_VIEWPORT,
        is_mobile=True,
        has_touch=True,
        service_workers="allow",
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def full_lesson():
    """The demo lesson with pictures, a formula and a self-check."""
    for lesson in LessonPage.objects.live().order_by("path"):
        kinds = {block.block_type for block in lesson.body}
        if {"image", "math", "self_check"} <= kinds:
            return lesson
    raise LookupError("no demo lesson with image, math and self-check")


def wait_for_worker(page):
    page.wait_for_function(
        "() => navigator.serviceWorker.controller !== null || "
        "navigator.serviceWorker.ready.then(() => true)"
    )
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")


def save_lesson(page, url):
    page.goto(url)
    wait_for_worker(page)
    box = page.locator("[data-save-lesson]")
    box.get_by_role("button", name="Lưu để học offline").click()
    page.wait_for_selector("[data-save-lesson][data-state=saved]")
    return box.locator("[data-save-status]").inner_text()


def cached_bodies(page):
    """Every cached page (HTML) on this browser, by cache name."""
    return page.evaluate(
        """async () => {
            const out = {};
            for (const name of await caches.keys()) {
                const cache = await caches.open(name);
                out[name] = [];
                for (const request of await cache.keys()) {
                    const response = await cache.match(request);
                    const type = response.headers.get('Content-Type') || '';
                    let body = '';
                    if (type.startsWith('text/html')) {
                        const stream = response.headers.get('X-Lophoc-Gzip')
                            ? response.body.pipeThrough(new DecompressionStream('gzip'))
                            : response.body;
                        body = await new Response(stream).text();
                    }
                    out[name].push({url: request.url, body});
                }
            }
            return out;
        }"""
    )


def test_saved_lesson_opens_offline_with_every_image_and_unsaved_shows_offline_page(
    live_server, demo, phone
):
    lesson = full_lesson()
    other = LessonPage.objects.live().exclude(pk=lesson.pk).first()
    student = demo.students["6A"][0]
    login(phone, live_server, student.username, demo.password)
    phone.goto(f"{live_server.url}{lesson.url}")
    wait_for_worker(phone)
    phone.reload()  # the worker counts from here
    size = phone.locator("[data-save-lesson] [data-size]")
    phone.wait_for_function(
        "el => /MB/.test(el.textContent)", arg=size.element_handle()
    )
    assert _mb(size.inner_text()) > 0  # the download size, before saving
    meter = phone.locator("[data-meter-text]")
    meter.wait_for()
    assert re.search(
        r"Dữ liệu Lophoc đã dùng tuần này trên máy này: \d+\.\d\d MB",
        meter.inner_text(),
    )
    assert _mb(meter.inner_text()) > 0
    status = save_lesson(phone, f"{live_server.url}{lesson.url}")
    assert re.search(r"Đã lưu để học offline \(\d+\.\d\d MB\)", status)

    phone.context.set_offline(True)
    phone.goto(f"{live_server.url}{lesson.url}")
    assert phone.locator("h1").inner_text() == lesson.title
    images = phone.locator("article.lesson img")
    assert images.count() >= 1
    for i in range(images.count()):
        images.nth(i).scroll_into_view_if_needed()
        phone.wait_for_function(
            "img => img.complete && img.naturalWidth > 0",
            arg=images.nth(i).element_handle(),
        )
    assert phone.locator("article.lesson math").count() >= 1
    check = phone.locator("[data-self-check]").first
    check.locator("input[type=radio]").first.check()
    check.locator("[data-check]").click()
    assert check.locator(".self-check-result").is_visible()
    assert student.display_name in phone.content()

    phone.goto(f"{live_server.url}{other.url}")
    assert phone.locator("h1").inner_text() == "Máy đang không có mạng"
    saved_link = phone.locator("[data-saved-list] a", has_text=lesson.title)
    saved_link.wait_for()
    saved_link.click()
    phone.wait_for_url(f"{live_server.url}{lesson.url}")
    assert phone.locator("h1").inner_text() == lesson.title
    phone.screenshot(path="/tmp/hoff-offline-lesson.png", full_page=True)


def test_removing_a_saved_lesson_frees_its_cache_and_a_new_revision_replaces_it(
    live_server, demo, phone
):
    lesson = full_lesson()
    student = demo.students["6A"][0]
    login(phone, live_server, student.username, demo.password)
    unit = UnitPage.objects.live().first()
    phone.goto(f"{live_server.url}{unit.url}")
    wait_for_worker(phone)
    phone.get_by_role("button", name="Lưu cả chương").click()
    count = unit.get_children().live().count()
    phone.wait_for_selector(f"text=Đã lưu {count} bài để học offline")

    phone.goto(f"{live_server.url}/learn/saved/")
    rows = phone.locator("[data-saved-list] li")
    rows.nth(count - 1).wait_for()
    assert rows.count() == count
    total_before = phone.locator("[data-saved-total]").inner_text()
    target = rows.filter(has_text=lesson.title)
    target.get_by_role("button", name="Xoá").click()
    phone.wait_for_function(
        # A function, not an expression: an expression is eval'd in the
        # page on every poll after the first, which the CSP refuses.
        "n => document.querySelectorAll('[data-saved-list] li').length === n",
        arg=count - 1,
    )
    total_after = phone.locator("[data-saved-total]").inner_text()
    assert _mb(total_after) < _mb(total_before)
    urls = [e["url"] for entries in cached_bodies(phone).values() for e in entries]
    assert f"{live_server.url}{lesson.url}" not in urls

    # Save again, then the teacher publishes a new revision.
    save_lesson(phone, f"{live_server.url}{lesson.url}")
    lesson.summary = "Bản sửa mới của thầy cô."
    lesson.save_revision().publish()
    phone.goto(f"{live_server.url}{lesson.url}")  # online visit: re-saved
    phone.wait_for_selector("[data-save-lesson][data-state=saved]")
    phone.wait_for_function(
        """async (url) => {
            for (const name of await caches.keys()) {
                const hit = await (await caches.open(name)).match(url);
                if (!hit) continue;
                const body = hit.body.pipeThrough(new DecompressionStream('gzip'));
                if ((await new Response(body).text()).includes('Bản sửa mới')) return true;
            }
            return false;
        }""",
        arg=f"{live_server.url}{lesson.url}",
    )
    phone.context.set_offline(True)
    phone.goto(f"{live_server.url}{lesson.url}")
    assert "Bản sửa mới của thầy cô." in phone.content()


def _mb(text: str) -> float:
    return float(re.search(r"(\d+\.\d+) MB", text).group(1))


def test_two_children_on_one_phone_never_see_each_others_cached_pages(
    live_server, demo, phone
):
    """Per-child caches (one child's data never reaches another), no CSRF token
    in any cache, and a form on a cached page still posts."""
    lesson = full_lesson()
    first, second = demo.students["6A"][0], demo.students["6A"][1]
    login(phone, live_server, first.username, demo.password)
    save_lesson(phone, f"{live_server.url}{lesson.url}")
    with phone.expect_navigation():
        phone.get_by_role("button", name="Đăng xuất").click()

    login(phone, live_server, second.username, demo.password)
    phone.goto(f"{live_server.url}{lesson.url}")
    wait_for_worker(phone)
    # The first child's saved copy left with the logout.
    assert phone.locator("[data-save-lesson]:not([data-state=saved])").count() == 1
    save_lesson(phone, f"{live_server.url}{lesson.url}")

    cached = cached_bodies(phone)
    saved_page = [
        e["body"]
        for e in cached[f"lophoc-saved-u{second.pk}"]
        if e["url"] == f"{live_server.url}{lesson.url}"
    ]
    assert saved_page and lesson.title in saved_page[0]  # the check reads pages
    for name, entries in cached.items():
        for entry in entries:
            assert "csrfmiddlewaretoken" not in entry["body"], (name, entry["url"])
            assert first.display_name not in entry["body"], (name, entry["url"])
            if second.display_name in entry["body"]:
                assert name == f"lophoc-saved-u{second.pk}"

    # The second child reads the saved copy offline, then finishes the
    # lesson from that cached page once the signal is back.
    phone.context.set_offline(True)
    phone.goto(f"{live_server.url}{lesson.url}")
    assert second.display_name in phone.content()
    assert "csrfmiddlewaretoken" not in phone.content()
    phone.context.set_offline(False)
    phone.get_by_role("button", name="Tôi đã học xong bài này").click()
    phone.wait_for_selector("text=Em đã học xong bài này.")
    assert LessonProgress.objects.filter(student=second, lesson=lesson).exists()
    assert not LessonProgress.objects.filter(student=first, lesson=lesson).exists()


def test_phone_crawl_of_student_and_parent_pages_makes_no_third_party_request(
    live_server, demo, phone
):
    """PR-04: no request leaves Lophoc until a video is tapped."""
    here = urlsplit(live_server.url).netloc
    outside = []
    phone.on(
        "request",
        lambda r: (
            urlsplit(r.url).netloc not in (here, "")
            and not r.url.startswith(("data:", "blob:"))
            and outside.append(r.url)
        ),
    )
    phone.context.route(
        lambda url: urlsplit(url).netloc != here, lambda route: route.abort()
    )
    video_page = None
    users = [demo.students["6A"][0], demo.parents[0]]
    for user in users:
        login(phone, live_server, user.username, demo.password)
        seen, queue = set(), ["/"]
        while queue and len(seen) < 80:
            path = queue.pop(0)
            if path in seen:
                continue
            seen.add(path)
            try:
                response = phone.goto(f"{live_server.url}{path}")
            except PlaywrightError as error:
                if "Download is starting" in str(error):
                    continue  # an attachment: a file, not a page
                raise
            assert response.status < 500, path
            play = phone.locator("[data-video-facade] [data-play]")
            if video_page is None and play.count() and play.first.is_visible():
                video_page = path
            for href in phone.eval_on_selector_all(
                "a[href]", "links => links.map(a => a.getAttribute('href'))"
            ):
                target = urlsplit(href)
                if target.netloc or not href.startswith("/"):
                    continue
                if target.path.startswith(
                    (
                        "/accounts/logout",
                        "/admin",
                        "/django-admin",
                        "/documents",
                        "/media",
                        "/learn/images",
                        "/homework/files",
                        "/files",
                    )
                ):
                    continue
                queue.append(target.path)
        assert outside == [], (user.username, outside)
        phone.context.clear_cookies()

    assert video_page, "the demo has a lesson with a hosted video"
    login(phone, live_server, users[0].username, demo.password)
    phone.goto(f"{live_server.url}{video_page}")
    assert outside == []
    phone.locator("[data-video-facade] [data-play]").first.click()
    phone.wait_for_selector("[data-video-facade] iframe")
    phone.wait_for_timeout(300)
    assert any("youtube-nocookie.com" in url for url in outside)


def test_a_saved_unit_opens_offline_lesson_by_lesson_with_every_image(
    live_server, demo, phone
):
    student = demo.students["6A"][0]
    login(phone, live_server, student.username, demo.password)
    unit = next(
        u
        for u in UnitPage.objects.live()
        if any(
            block.block_type == "image"
            for lesson in LessonPage.objects.child_of(u).live()
            for block in lesson.body
        )
    )
    lessons = list(LessonPage.objects.child_of(unit).live())
    phone.goto(f"{live_server.url}{unit.url}")
    wait_for_worker(phone)
    phone.get_by_role("button", name="Lưu cả chương").click()
    phone.wait_for_selector(f"text=Đã lưu {len(lessons)} bài để học offline")

    phone.context.set_offline(True)
    pictures = 0
    for lesson in lessons:
        phone.goto(f"{live_server.url}{lesson.url}")
        assert phone.locator("h1").inner_text() == lesson.title
        images = phone.locator("article.lesson img")
        for i in range(images.count()):
            images.nth(i).scroll_into_view_if_needed()
            phone.wait_for_function(
                "img => img.complete && img.naturalWidth > 0",
                arg=images.nth(i).element_handle(),
            )
            pictures += 1
    assert pictures >= 1
    phone.screenshot(path="/tmp/hoff2-unit-offline.png", full_page=True)


def test_logout_clears_only_that_childs_caches(live_server, demo, phone):
    """A shared family phone: one child's logout leaves the other child's
    saved lessons, the shell and the page storage alone."""
    lesson = full_lesson()
    first, second = demo.students["6A"][0], demo.students["6A"][1]
    login(phone, live_server, first.username, demo.password)
    save_lesson(phone, f"{live_server.url}{lesson.url}")
    phone.evaluate("localStorage.setItem('lophoc-unsent', 'bài làm chưa gửi')")
    phone.context.clear_cookies()  # the first child's session just ends

    login(phone, live_server, second.username, demo.password)
    save_lesson(phone, f"{live_server.url}{lesson.url}")
    before = set(phone.evaluate("caches.keys()"))
    assert {f"lophoc-saved-u{first.pk}", f"lophoc-saved-u{second.pk}"} <= before
    with phone.expect_navigation():
        phone.get_by_role("button", name="Đăng xuất").click()

    after = set(phone.evaluate("caches.keys()"))
    assert after == before - {f"lophoc-saved-u{second.pk}"}
    assert phone.evaluate("localStorage.getItem('lophoc-unsent')") == (
        "bài làm chưa gửi"
    )
    kept = cached_bodies(phone)[f"lophoc-saved-u{first.pk}"]
    assert any(
        e["url"] == f"{live_server.url}{lesson.url}" and lesson.title in e["body"]
        for e in kept
    )
