"""
The phone layout gives the screen to the work (issue #20, Build 3): on a
360×740 phone the header is one line of at most 56 px (brand, bell and a
menu button); the menu opens below it and its links work; no page scrolls
sideways and no button or field is smaller than 32 px. On a laptop the
links sit in the header and the button is gone.
"""

from urllib.parse import urljoin, urlsplit

import pytest

from .conftest import login, seed_demo

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PAGES_PER_ROLE = 12
HEADER_MAX_PX = 56
TAP_MIN_PX = 32
SKIP_PREFIXES = ("/admin", "/accounts/logout", "/static/", "/media/", "/files/")

# Buttons, fields and links laid out as blocks that are smaller than 32 px.
# A checkbox or radio counts as its label when the label is big enough;
# links inside running text are left alone (WCAG 2.5.8's inline exception).
SMALL_TARGETS = """
(min) => {
  const small = [];
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== "hidden";
  };
  for (const el of document.querySelectorAll(
      "a[href], button, select, textarea, summary, input:not([type=hidden])")) {
    if (!visible(el) || el.closest("main article.lesson")) continue;
    let box = el.getBoundingClientRect();
    if (el.tagName === "A" && getComputedStyle(el).display === "inline") continue;
    if (el.type === "checkbox" || el.type === "radio") {
      const label = el.closest("label") || (el.id && document.querySelector(
        `label[for="${CSS.escape(el.id)}"]`));
      if (label) box = label.getBoundingClientRect();
    }
    if (box.height < min || box.width < min) {
      small.push(`${el.tagName.toLowerCase()}${el.type ? "[" + el.type + "]" : ""} ` +
        `"${(el.textContent || el.name || "").trim().slice(0, 30)}" ` +
        `${Math.round(box.width)}×${Math.round(box.height)}`);
    }
  }
  return small;
}
"""


@pytest.fixture
def demo(live_server):
    return seed_demo()


def _roles(demo):
    return {
        "pupil": demo.students["6A"][0],
        "parent": demo.parents[0],
        "teacher": demo.teachers[0],
        "school admin": demo.admin,
    }


def _links(page, base):
    hrefs = page.eval_on_selector_all(
        "a[href]", "links => links.map(a => a.getAttribute('href'))"
    )
    found = []
    for href in hrefs:
        url = urljoin(page.url, href)
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != base or parts.query:
            continue
        if parts.path.startswith(SKIP_PREFIXES):
            continue
        found.append(f"{base}{parts.path}")
    return found


def _check_page(page):
    header = page.locator(".site-header").bounding_box()
    width = page.evaluate("() => document.documentElement.scrollWidth")
    small = page.evaluate(SMALL_TARGETS, TAP_MIN_PX)
    return header["height"], width, small


@pytest.mark.parametrize("role", ["pupil", "parent", "teacher", "school admin"])
def test_phone_pages_have_a_one_line_header_no_sideways_scroll_and_no_tiny_targets(
    live_server, demo, phone_page, role
):
    user = _roles(demo)[role]
    login(phone_page, live_server, user.username, demo.password)
    seen, queue, problems = set(), [f"{live_server.url}/"], []
    while queue and len(seen) < PAGES_PER_ROLE:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = phone_page.goto(url)
        if response is None or response.status != 200:
            continue
        if not phone_page.locator(".site-header").count():
            continue
        height, width, small = _check_page(phone_page)
        path = urlsplit(url).path
        if height > HEADER_MAX_PX:
            problems.append(f"{path}: header {height:.0f} px")
        if width > 360:
            problems.append(f"{path}: page {width} px wide")
        problems.extend(f"{path}: {target}" for target in small)
        queue.extend(
            link for link in _links(phone_page, live_server.url) if link not in seen
        )

    assert len(seen) >= 5, seen  # the crawl really visited the role's pages
    assert problems == [], "\n".join(problems)


def test_the_phone_menu_opens_below_the_header_and_its_links_work(
    live_server, demo, phone_page
):
    teacher = demo.teachers[0]
    login(phone_page, live_server, teacher.username, demo.password)
    nav = phone_page.locator("#site-nav")
    toggle = phone_page.get_by_role("button", name="Trình đơn")
    assert nav.is_hidden()
    assert toggle.get_attribute("aria-expanded") == "false"

    toggle.click()
    assert nav.is_visible()
    assert toggle.get_attribute("aria-expanded") == "true"
    link = nav.get_by_role("link", name="Bài tập")
    assert link.bounding_box()["height"] >= 44
    phone_page.keyboard.press("Escape")
    assert nav.is_hidden()

    toggle.click()
    link.click()
    phone_page.wait_for_url(f"{live_server.url}/homework/**")
    assert phone_page.locator("#site-nav").is_hidden()  # closed on the new page
    assert phone_page.locator(".site-header").bounding_box()["height"] <= HEADER_MAX_PX


def test_on_a_laptop_the_links_sit_in_the_header_without_a_menu_button(
    live_server, demo, desktop_page
):
    teacher = demo.teachers[0]
    login(desktop_page, live_server, teacher.username, demo.password)
    assert desktop_page.locator("#site-nav").is_visible()
    assert desktop_page.get_by_role("button", name="Trình đơn").is_hidden()
    assert desktop_page.locator(".site-header").bounding_box()["height"] <= 80
