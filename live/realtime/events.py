"""
Reach the live rooms from sync code (services, signal receivers, views,
management commands). The async side is ``live.realtime.hub``; this module
sends the same wire messages (``live.realtime.wire``): over Redis pub/sub
when ``REDIS_URL`` is set (every process receives them), else to the hubs
of this process.

Call these after commit (``transaction.on_commit``): pub/sub is
at-most-once and must never announce a rolled-back change.
"""

import asyncio

import redis
from django.conf import settings

from live import protocol as p

from . import wire
from .hub import local_hubs

_sync_redis = None


def _redis():
    global _sync_redis
    if not settings.REDIS_URL:
        return None
    if _sync_redis is None:
        _sync_redis = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=15)
    return _sync_redis


def _local(call) -> None:
    """Run ``call(hub)`` (a coroutine factory) on every hub of this process."""
    for loop, hub in local_hubs():
        if not loop.is_closed():
            asyncio.run_coroutine_threadsafe(call(hub), loop)


def _send(channel_of, data: str) -> None:
    client = _redis()
    if client is not None:
        client.publish(channel_of(settings.LIVE_REDIS_PREFIX), data)
        return

    async def deliver(hub):
        hub.on_message(channel_of(hub.prefix), data)

    _local(deliver)


def close_user(user_id: int, code: int, room_id: int | None = None) -> None:
    """Close a user's sockets (in one room or every room) on every process."""
    _send(wire.control_channel, wire.close_message(user_id, code, room_id))


def end_room(room_id: int) -> None:
    """``session.ended`` to the room, then close every socket with 4410."""
    publish(room_id, p.session_ended())
    _send(wire.control_channel, wire.close_message(0, p.CLOSE_ENDED, room_id))


def room_changed(room_id: int) -> None:
    """The room's facts changed in the database (its session opened, its
    teachers changed): every process forgets its memo of them."""
    _send(lambda prefix: wire.room_channel(prefix, room_id), wire.facts_message())


def publish(room_id: int, frame: dict) -> None:
    """A numbered room-wide broadcast from sync code."""
    client = _redis()
    if client is None:
        _local(lambda hub: hub.publish(room_id, frame))
        return
    prefix = settings.LIVE_REDIS_PREFIX
    keys = [wire.seq_key(prefix, room_id), wire.room_channel(prefix, room_id)]
    client.eval(wire.PUBLISH_SCRIPT, 2, *keys, wire.numbered_head(frame))
