"""
ASGI entry point: HTTP goes to Django, WebSockets to the live rooms.

Order follows the Channels tutorial: Django's ASGI app is created first so
that apps are loaded before any consumer module is imported.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.urls import path  # noqa: E402

from files.arrival import StampArrival  # noqa: E402
from files.body_limit import BodySizeLimit  # noqa: E402
from live.realtime.routing import websocket_urlpatterns  # noqa: E402
from notifications.routing import (  # noqa: E402
    websocket_urlpatterns as notification_urlpatterns,
)


def with_session(patterns):
    """WebSocket routes authenticated by the session cookie."""
    return [
        path(str(route.pattern), AuthMiddlewareStack(route.callback))
        for route in patterns
    ]


application = ProtocolTypeRouter(
    {
        # Bodies over LOPHOC_MAX_REQUEST_MB get 413 before Django spools them;
        # the start of each request is stamped for fair deadlines.
        "http": StampArrival(BodySizeLimit(django_asgi_app)),
        # The live rooms authenticate their own sockets (a ticket or the
        # cookie, live.realtime.middleware.LiveAuth); the bell, by cookie.
        "websocket": AllowedHostsOriginValidator(
            URLRouter(websocket_urlpatterns + with_session(notification_urlpatterns))
        ),
    }
)
