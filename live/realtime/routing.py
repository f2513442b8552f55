"""WebSocket routes of the live rooms (wired in ``lms/asgi.py``)."""

from django.urls import path

from .consumers import ClassroomConsumer
from .middleware import TicketAuthMiddleware

# The ticket middleware runs inside lms.asgi's AuthMiddlewareStack, so a
# ``?ticket=`` overrides the cookie user for the live rooms only.
websocket_urlpatterns = [
    path(
        "ws/live/<id:session_id>/",
        TicketAuthMiddleware(ClassroomConsumer.as_asgi()),
    ),
]
