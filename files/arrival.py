"""
When a request started arriving (#15 Build 4, docs/security-tests.md RL-09).

Django's ASGI handler reads the whole body before a view runs, so
``timezone.now()`` in a view is when the *last* byte came in: on 3G a 3 MB
photo started at 21:59 reaches the view at 22:01 and a hard 22:00 deadline
would refuse it. ``StampArrival`` notes the server's clock when the server
hands the request to the application (under uvicorn, as soon as the request
line and headers are in, before the body); ``started_at`` reads it back.

The stamp is the server's own: no header or field a client sends moves it.
Under WSGI (the test client, ``runserver`` without ASGI) there is no scope
and the start is the moment the view asks.
"""

import time
from datetime import UTC, datetime, timedelta

from django.utils import timezone

SCOPE_KEY = "lophoc.started_at"
# A start time counts only for a request whose body took at most this long:
# a 6 MB photo at 400 kbit/s takes two minutes; a connection trickling for
# longer than this gets no benefit from having opened before a deadline.
MAX_UPLOAD_TIME = timedelta(minutes=15)


class StampArrival:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            scope = {**scope, SCOPE_KEY: time.time()}
        return await self.app(scope, receive, send)


def started_at(request) -> datetime:
    """When ``request`` started arriving, by the server's clock."""
    now = timezone.now()
    stamp = getattr(request, "scope", {}).get(SCOPE_KEY)
    if not isinstance(stamp, float):
        return now
    start = datetime.fromtimestamp(stamp, tz=UTC)
    if start > now or now - start > MAX_UPLOAD_TIME:
        return now
    return start
