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

from files.body_limit import BodySizeLimit  # noqa: E402
from live.realtime.routing import websocket_urlpatterns  # noqa: E402
from notifications.routing import (  # noqa: E402
    websocket_urlpatterns as notification_urlpatterns,
)

application = ProtocolTypeRouter(
    {
        # Bodies over LOPHOC_MAX_REQUEST_MB get 413 before Django spools them.
        "http": BodySizeLimit(django_asgi_app),
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(
                URLRouter(websocket_urlpatterns + notification_urlpatterns)
            )
        ),
    }
)
