"""
WebSocket ticket authentication: ``?ticket=<signed ticket>`` names the user
(and the session) and takes precedence over the session cookie. An invalid
or expired ticket means anonymous (4401), never a fallback to the cookie.
"""

from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from django.contrib.auth.models import AnonymousUser

from live.rooms.services import read_ticket_binding


class TicketAuthMiddleware:
    """Sits inside ``AuthMiddlewareStack`` and overrides its cookie user."""

    def __init__(self, inner):
        self.inner = inner

    async def __call__(self, scope, receive, send):
        query = parse_qs(scope.get("query_string", b"").decode("latin1"))
        scope = dict(scope)
        if "ticket" in query:
            # The user is loaded with the rest of the join (live.rooms.services.admit).
            # The ticket's login session and the user's auth hash are
            # checked in the database (a logged-out or re-passworded ticket
            # is refused); the re-check then follows the bound session.
            found = await database_sync_to_async(read_ticket_binding)(
                query["ticket"][0]
            )
            scope["user"] = None if found else AnonymousUser()
            scope["live_ticket_user"] = found[0] if found else None
            scope["live_ticket_session"] = found[1] if found else None
            scope["live_session_key"] = found[2] if found else None
        else:
            session = scope.get("session")
            scope["live_session_key"] = getattr(session, "session_key", None)
        return await self.inner(scope, receive, send)
