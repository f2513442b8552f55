"""
Slides from a lesson page, read generically: when the page has a ``body``
StreamField, each top-level block is one slide; otherwise the room shows
slide numbers only (the courses app is built in parallel, so nothing here
depends on its page classes).
"""

from live.models import LiveSession


def _body(session: LiveSession):
    if session.lesson_id is None:
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
