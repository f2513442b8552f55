"""WebSocket route of the notification bell (wired in ``lms/asgi.py``)."""

from django.urls import path

from .consumers import NotificationConsumer

websocket_urlpatterns = [
    path("ws/notifications/", NotificationConsumer.as_asgi()),
]
