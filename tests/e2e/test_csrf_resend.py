"""
A stale CSRF token in a real browser (issue #14): a pupil who opened a
lesson hours ago (or from the offline cache, which strips tokens) taps
"done" with a token the server no longer accepts. ``static/js/csrf.js``
sends the form once more from the 403 page with a fresh token, so the tap
counts exactly once and the pupil never sees the error.
"""

import pytest

from courses.models import LessonPage, LessonProgress

from .conftest import login, seed_demo

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(live_server):
    return seed_demo()


def test_a_stale_token_is_refreshed_and_the_form_sent_once_more(
    live_server, demo, phone_page
):
    student = demo.students["6A"][0]
    lesson = LessonPage.objects.live().order_by("path").first()
    login(phone_page, live_server, student.username, demo.password)
    phone_page.goto(f"{live_server.url}{lesson.url}")
    done = phone_page.get_by_role("button", name="Tôi đã học xong bài này")
    done.wait_for()
    # The token the page will send is not one the server accepts any more.
    phone_page.context.add_cookies(
        [{"name": "csrftoken", "value": "stale", "url": live_server.url}]
    )
    statuses = []
    phone_page.on(
        "response",
        lambda response: (
            response.request.method == "POST" and statuses.append(response.status)
        ),
    )
    done.click()
    phone_page.locator(".lesson-done .badge-ok").wait_for()

    assert statuses == [403, 302]  # refused once, resent once, accepted
    assert phone_page.url.startswith(f"{live_server.url}{lesson.url}")
    assert LessonProgress.objects.filter(student=student, lesson=lesson).count() == 1
