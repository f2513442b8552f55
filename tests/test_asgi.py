"""
The ASGI stack (``lms.asgi.application``): WebSockets pass the allowed-hosts
Origin check, then routing, then the route's authentication: the session
cookie (``with_session``), or for the live rooms a ticket or the cookie
(WS-01).
"""

import pytest
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.test import Client
from django.urls import path

from lms.asgi import application, with_session
from tests.factories import StudentFactory


class WhoAmIConsumer(AsyncJsonWebsocketConsumer):
    """Test route: reports the user the stack authenticated."""

    async def connect(self):
        await self.accept()
        user = self.scope["user"]
        await self.send_json(
            {"username": user.username if user.is_authenticated else None}
        )


def _find_router(app):
    while not isinstance(app, URLRouter):
        app = getattr(app, "application", None) or app.inner
    return app


@pytest.fixture
def whoami_route(monkeypatch):
    router = _find_router(application.application_mapping["websocket"])
    routes = with_session([path("ws/test-whoami/", WhoAmIConsumer.as_asgi())])
    monkeypatch.setattr(router, "routes", [*router.routes, *routes])


def _headers(origin=None, cookie=None):
    headers = [(b"host", b"127.0.0.1")]
    if origin:
        headers.append((b"origin", origin.encode()))
    if cookie:
        headers.append((b"cookie", cookie.encode()))
    return headers


async def _connect(path, **headers):
    communicator = WebsocketCommunicator(application, path, headers=_headers(**headers))
    connected, _subprotocol = await communicator.connect()
    return communicator, connected


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "origin", ["https://evil.example", "http://127.0.0.1.evil.example", None]
)
async def test_foreign_or_missing_origin_is_refused_before_routing(origin):
    communicator, connected = await _connect("/ws/live/1/", origin=origin)
    assert connected is False
    await communicator.disconnect()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_foreign_origin_is_refused_even_with_a_valid_session(whoami_route):
    cookie = await _session_cookie()
    communicator, connected = await _connect(
        "/ws/test-whoami/", origin="https://evil.example", cookie=cookie
    )
    assert connected is False
    await communicator.disconnect()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_allowed_origin_reaches_routing_with_the_session_user(whoami_route):
    cookie = await _session_cookie(username="hs-asgi")
    communicator, connected = await _connect(
        "/ws/test-whoami/", origin="http://127.0.0.1", cookie=cookie
    )
    assert connected is True
    assert await communicator.receive_json_from() == {"username": "hs-asgi"}
    await communicator.disconnect()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_without_a_session_the_user_is_anonymous(whoami_route):
    communicator, connected = await _connect(
        "/ws/test-whoami/", origin="http://127.0.0.1"
    )
    assert connected is True
    assert await communicator.receive_json_from() == {"username": None}
    await communicator.disconnect()


@database_sync_to_async
def _session_cookie(username="hs-asgi"):
    client = Client()
    client.force_login(StudentFactory(username=username))
    return f"sessionid={client.cookies['sessionid'].value}"
