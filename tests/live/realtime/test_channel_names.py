"""
WS-12: the names of pub/sub channels and Redis keys are built from server-side
ids only. The socket route takes an integer id (``<id:...>``), so a room
string from a client never reaches the hub, and the name builders refuse
anything but an int.
"""

import pytest
from django.urls import URLResolver, resolve
from django.urls.exceptions import Resolver404
from django.urls.resolvers import RegexPattern

from live.realtime import wire
from live.realtime.routing import websocket_urlpatterns


def _route(path):
    return URLResolver(RegexPattern(r"^/"), websocket_urlpatterns).resolve(path)


@pytest.mark.parametrize(
    "path",
    [
        "/ws/live/1:ctl/",
        "/ws/live/abc/",
        "/ws/live/1*/",
        "/ws/live/-1/",
        "/ws/live/%2A/",
        "/ws/live/" + "9" * 40 + "/",
    ],
)
def test_a_room_string_from_the_client_matches_no_socket_route(path):
    with pytest.raises(Resolver404):
        _route(path)


def test_the_socket_route_hands_the_consumer_an_int():
    match = _route("/ws/live/42/")
    assert match.kwargs == {"session_id": 42}


@pytest.mark.parametrize("bad", ["1:ctl", "*", 1.0, True, None])
def test_channel_and_key_names_refuse_anything_but_an_int(bad):
    with pytest.raises(TypeError):
        wire.room_channel("lophoc", bad)
    with pytest.raises(TypeError):
        wire.seq_key("lophoc", bad)
    assert wire.room_channel("lophoc", 7) == "lophoc:live:room:7"


def test_http_urls_do_not_route_sockets():
    with pytest.raises(Resolver404):
        resolve("/ws/live/1:ctl/")
