"""
WebSocket ticket authentication: ``?ticket=<signed ticket>`` names the user
(and the session) and takes precedence over the session cookie. An invalid
or expired ticket means anonymous (4401), never a fallback to the cookie.
"""

from urllib.parse import parse_qs

from channels.auth import AuthMiddlewareStack
from django.contrib.auth.models import AnonymousUser

from live.rooms.services import parse_ticket


def _query(scope) -> dict:
    return parse_qs(scope.get("query_string", b"").decode("latin1"))


class LiveAuth:
    """Who opens a live room socket: a ``?ticket=`` alone, else the session
    cookie (``AuthMiddlewareStack``, with the ticket middleware inside).

    A ticket join skips the cookie stack: it would load the session in a
    thread of its own and wrap every frame's send, for a user the ticket
    replaces anyway (a rejoin storm is thousands of joins a second; a
    lecture, thousands of sends per bundle).
    """

    def __init__(self, inner):
        self.by_ticket = TicketAuthMiddleware(inner)
        self.by_cookie = AuthMiddlewareStack(TicketAuthMiddleware(inner))

    async def __call__(self, scope, receive, send):
        app = self.by_ticket if "ticket" in _query(scope) else self.by_cookie
        return await app(scope, receive, send)


class TicketAuthMiddleware:
    """Reads ``?ticket=``; inside ``AuthMiddlewareStack`` it overrides the
    cookie user."""

    def __init__(self, inner):
        self.inner = inner

    async def __call__(self, scope, receive, send):
        query = _query(scope)
        scope = dict(scope)
        if "ticket" in query:
            # Only the signature and the expiry here (no database, no thread
            # hop): the join (live.rooms.services.admit) loads the user once
            # and refuses a ticket whose password or login session changed.
            claims = parse_ticket(query["ticket"][0])
            scope["user"] = None if claims else AnonymousUser()
            scope["live_ticket"] = claims
            scope["live_session_key"] = None
        else:
            session = scope.get("session")
            scope["live_session_key"] = getattr(session, "session_key", None)
        return await self.inner(scope, receive, send)
