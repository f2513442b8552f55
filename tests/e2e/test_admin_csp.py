"""
The Wagtail and Django admins work under a Content Security Policy
(security-tests: #12 Build 6). A real browser opens the editor's pages and
uses them; any ``securitypolicyviolation`` fails the test with what was
blocked, so a Wagtail upgrade that needs more shows up here.
"""

import pytest

from courses.models import LessonPage
from tests.csp import directives
from tests.e2e.conftest import seed_demo

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(
    `${e.effectiveDirective} blocked ${e.blockedURI || "inline"}`
    + ` at ${e.sourceFile || location.pathname}:${e.lineNumber}`
  );
});
"""


@pytest.fixture
def admin_page(desktop_page, live_server, log_in):
    seed_demo()
    desktop_page.context.add_init_script(RECORD_VIOLATIONS)
    log_in(desktop_page, "gv.lan", "lophoc-demo")
    yield desktop_page
    desktop_page.goto("about:blank")
    desktop_page.wait_for_timeout(300)


def violations(page) -> list[str]:
    return page.evaluate("window.__csp || []")


def visit(page, url):
    page.goto(url)
    page.wait_for_load_state("networkidle")
    assert page.locator("main, #main").count() >= 1
    return violations(page)


def test_the_wagtail_editor_works_under_the_admin_policy(admin_page, live_server):
    lesson = LessonPage.objects.live().filter(depth__gt=3).first()
    parent = lesson.get_parent()
    base = live_server.url
    found = {}
    for url in (
        "/admin/",
        f"/admin/pages/{parent.pk}/",
        f"/admin/pages/{lesson.pk}/edit/",
        f"/admin/pages/add/courses/lessonpage/{parent.pk}/",
        "/admin/images/",
        "/admin/images/multiple/add/",
        "/admin/documents/",
    ):
        found[url] = visit(admin_page, base + url)
    # Use the editor: open the block picker, add a paragraph, open a chooser.
    admin_page.goto(f"{base}/admin/pages/{lesson.pk}/edit/")
    admin_page.wait_for_load_state("networkidle")
    admin_page.locator("[data-streamfield-list-container] button[title]").first.click()
    admin_page.wait_for_timeout(500)
    found["editor in use"] = violations(admin_page)
    blocked = {url: sorted(set(v)) for url, v in found.items() if v}
    assert not blocked, "\n".join(f"{u}: {v}" for u, v in blocked.items())
    policy = admin_page.evaluate(
        "fetch(location.href).then(r => r.headers.get('content-security-policy'))"
    )
    policy = directives(policy)
    assert policy["script-src"] == "'self' 'unsafe-inline'"
    assert policy["connect-src"] == "'self'"
    assert policy["object-src"] == "'none'"
