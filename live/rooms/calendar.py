"""A user's private iCalendar feed of their live sessions (RFC 5545)."""

from datetime import timedelta

from icalendar import Calendar, Event

from live.models import SessionStatus

from . import selectors

DEFAULT_LENGTH = timedelta(minutes=45)


def render_feed(user, base_url: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Lophoc//live sessions//VI")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Lophoc")
    for session in selectors.session_list_for_calendar(user):
        event = Event()
        event.add("uid", f"live-{session.pk}@lophoc")
        event.add("summary", f"{session.classroom.name}: {session.title}")
        event.add("dtstart", session.scheduled_at)
        event.add("dtend", session.ended_at or session.scheduled_at + DEFAULT_LENGTH)
        event.add("dtstamp", session.created_at)
        event.add("url", f"{base_url.rstrip('/')}/live/{session.pk}/")
        if session.status == SessionStatus.ENDED:
            event.add("status", "CANCELLED" if not session.opened_at else "CONFIRMED")
        cal.add_component(event)
    return cal.to_ical()
