"""
A new user clicks only what the pages offer (issue #20, Build 1): as each demo
role (teacher, pupil, parent, school admin) the crawler follows every
same-site link (``<a href>`` and GET forms without inputs) of every page it
reaches from the role's home. No link may answer 4xx/5xx, and a teacher must
reach announcements, live scheduling and lesson editing by links alone.

Bounds: a visited set; logout, static and media files are skipped; Wagtail
admin pages are opened but their links not followed (the admin has its own
tests); at most ``MAX_PAGES`` pages per role.
"""

import io
import time
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.urls import reverse

from classrooms import demo as school_demo
from courses.models import CoursePage

pytestmark = pytest.mark.django_db

MAX_PAGES = 1500
SKIP_PREFIXES = ("/static/", "/media/", "/accounts/logout/", "/i18n/")


class _Links(HTMLParser):
    """``<a href>`` targets and the actions of GET forms with no inputs."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self._form: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form":
            method = (attrs.get("method") or "get").lower()
            self._form = {"action": attrs.get("action") or "", "get": method == "get"}
            self._form["inputs"] = 0
        elif tag in ("input", "select", "textarea") and self._form is not None:
            if attrs.get("type") not in ("submit", "hidden"):
                self._form["inputs"] += 1

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            if self._form["get"] and not self._form["inputs"]:
                self.links.append(self._form["action"])
            self._form = None


def _same_site(base: str, href: str) -> str | None:
    if href.startswith(("mailto:", "tel:", "javascript:", "data:")):
        return None
    url, _fragment = urldefrag(urljoin(base, href))
    parts = urlsplit(url)
    if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    if not path or path.startswith(SKIP_PREFIXES):
        return None
    return path


def crawl(client, start: str = "/"):
    """Visit every page reachable from ``start``; return (visited, failures)."""
    seen = {start: None}
    queue = deque([start])
    failures = []
    while queue:
        assert len(seen) <= MAX_PAGES, "crawl bound reached"
        url = queue.popleft()
        response = client.get(url)
        if response.status_code >= 400:
            failures.append((url, response.status_code, seen[url]))
            continue
        if response.status_code in (301, 302, 303, 307, 308):
            found = [response["Location"]]
        elif url.startswith("/admin/") or "text/html" not in response.get(
            "Content-Type", ""
        ):
            continue
        else:
            parser = _Links()
            parser.feed(response.content.decode())
            found = parser.links
        for href in found:
            target = _same_site(url, href)
            if target is not None and target not in seen:
                seen[target] = url
                queue.append(target)
    return seen, failures


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=io.StringIO())
    return school_demo.seed()


def _crawl_as(client, user):
    client.force_login(user)
    started = time.monotonic()
    seen, failures = crawl(client)
    elapsed = time.monotonic() - started
    print(f"crawl {user.role}: {len(seen)} pages in {elapsed:.1f} s")
    assert failures == [], failures
    return seen


def test_every_link_a_teacher_can_reach_answers_and_leads_to_every_feature(
    client, demo
):
    teacher = demo.teachers[0]
    seen = _crawl_as(client, teacher)
    classroom = demo.classrooms[0]
    course = CoursePage.objects.filter(teachers=teacher).first()
    expected = {
        "announcements": reverse("announcements:list", args=[classroom.pk]),
        "live scheduling": reverse("live:create-session"),
        "lesson editing": reverse("wagtailadmin_explore", args=[course.pk]),
        "gradebook": reverse("assignments:gradebook", args=[classroom.pk]),
        "progress": reverse(
            "course_progress:course-progress",
            args=[classroom.pk, classroom.courses.first().pk],
        ),
        "new homework": reverse("assignments:create"),
    }
    missing = [name for name, url in expected.items() if url not in seen]
    assert missing == []
    assert any("/attendance/" in url for url in seen), "no attendance page"


def test_every_link_a_pupil_can_reach_answers(client, demo):
    pupil = demo.students[demo.classrooms[0].name][0]
    seen = _crawl_as(client, pupil)
    assert reverse("announcements:list", args=[demo.classrooms[0].pk]) in seen


def test_every_link_a_parent_can_reach_answers(client, demo):
    _crawl_as(client, demo.parents[0])


def test_every_link_a_school_admin_can_reach_answers(client, demo):
    _crawl_as(client, demo.admin)
