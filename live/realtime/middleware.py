"""
WebSocket ticket authentication: ``?ticket=<signed ticket>`` names the user
(and the session) and takes precedence over the session cookie. An invalid
or expired ticket means anonymous (4401), never a fallback to the cookie.
"""

from urllib.parse import parse_qs

from django.contrib.auth.models import AnonymousUser

from live.rooms.services import read_ticket


class TicketAuthMiddleware:
    """Sits inside ``AuthMiddlewareStack`` and overrides its cookie user."""

    def __init__(self, inner):
        self.inner = inner

    async def __call__(self, scope, receive, send):
        query = parse_qs(scope.get("query_string", b"").decode("latin1"))
        scope = dict(scope)
        if "ticket" in query:
            # The user is loaded with the rest of the join (live.rooms.services.admit).
            found = read_ticket(query["ticket"][0])
            scope["user"] = None if found else AnonymousUser()
            scope["live_ticket_user"] = found[0] if found else None
            scope["live_ticket_session"] = found[1] if found else None
            scope["live_session_key"] = None
        else:
            session = scope.get("session")
            scope["live_session_key"] = getattr(session, "session_key", None)
        return await self.inner(scope, receive, send)
