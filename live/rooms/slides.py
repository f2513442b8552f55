"""
Slides from a lesson page, read generically: when the page has a ``body``
StreamField, each top-level block is one slide; otherwise the room shows
slide numbers only (the courses app is built in parallel, so nothing here
depends on its page classes).
"""

from courses.selectors import may_use_lesson
from live.models import LiveSession


def _body(session: LiveSession):
    if session.lesson_id is None:
        return None
    # Re-checked at render time: a lesson the session's teacher may no longer
    # read (course made private, teacher removed) shows no slides.
    if not may_use_lesson(session.created_by, session.lesson_id):
        return None
    page = session.lesson.specific
    return getattr(page, "body", None)


def slide_count(session: LiveSession) -> int | None:
    body = _body(session)
    return len(body) if body is not None else None


def slide_html(session: LiveSession) -> list[str]:
    """Each top-level block rendered with its own template."""
    body = _body(session)
    if body is None:
        return []
    return [str(child) for child in body]
