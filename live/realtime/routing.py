"""WebSocket routes of the live rooms (wired in ``lms/asgi.py``)."""

from django.urls import path

from .consumers import ClassroomConsumer
from .middleware import LiveAuth

# The room authenticates its own sockets (a ticket, else the session cookie):
# lms.asgi puts no AuthMiddlewareStack in front of this route.
websocket_urlpatterns = [
    path("ws/live/<id:session_id>/", LiveAuth(ClassroomConsumer.as_asgi())),
]
