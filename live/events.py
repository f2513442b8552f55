"""
Reach the live rooms from sync code (services, signal receivers, views,
management commands). The async side is ``live.hub``; this module sends the
same wire messages: over Redis pub/sub when ``REDIS_URL`` is set (every
process receives them), else to the hubs of this process.

Call these after commit (``transaction.on_commit``): pub/sub is
at-most-once and must never announce a rolled-back change.
"""

import asyncio
import json

from django.conf import settings

from .protocol import CLOSE_ENDED

_sync_redis = None


def _redis():
    global _sync_redis
    if not settings.REDIS_URL:
        return None
    if _sync_redis is None:
        import redis

        _sync_redis = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=15)
    return _sync_redis


def _local(call) -> None:
    """Run ``call(hub)`` (a coroutine factory) on every hub of this process."""
    from .hub import local_hubs

    for loop, hub in local_hubs():
        if not loop.is_closed():
            asyncio.run_coroutine_threadsafe(call(hub), loop)


def _send(channel_of, data: str) -> None:
    prefix = settings.LIVE_REDIS_PREFIX
    client = _redis()
    if client is not None:
        client.publish(channel_of(prefix), data)
        return

    async def deliver(hub):
        hub.on_message(channel_of(hub.prefix), data)

    _local(deliver)


def close_user(user_id: int, code: int, room_id: int | None = None) -> None:
    """Close a user's sockets (in one room or every room) on every process."""
    _send(lambda p: f"{p}:live:ctl", f"C|{user_id}|{code}|{room_id or 0}")


def end_room(room_id: int) -> None:
    """``session.ended`` to the room, then close every socket with 4410."""
    publish(room_id, {"type": "session.ended"})
    _send(lambda p: f"{p}:live:ctl", f"C|0|{CLOSE_ENDED}|{room_id}")


def publish(room_id: int, frame: dict) -> None:
    """A numbered room-wide broadcast from sync code."""
    from .hub import _PUBLISH_SEQ, _encode

    client = _redis()
    if client is None:
        _local(lambda hub: hub.publish(room_id, frame))
        return
    prefix = settings.LIVE_REDIS_PREFIX
    head = "A|" + _encode(frame)[:-1] + ',"seq":'
    client.eval(
        _PUBLISH_SEQ,
        2,
        f"{prefix}:live:{room_id}:seq",
        f"{prefix}:live:room:{room_id}",
        head,
    )


def send_to_user(room_id: int, user_id: int, frame: dict) -> None:
    """A private frame to one user's sockets in a room, on every process."""
    text = json.dumps(frame, ensure_ascii=False, separators=(",", ":"))
    _send(lambda p: f"{p}:live:room:{room_id}", f"U|{user_id}|{text}")


def send_to_staff(room_id: int, frame: dict) -> None:
    """A frame to the room's teachers and observers only."""
    text = json.dumps(frame, ensure_ascii=False, separators=(",", ":"))
    _send(lambda p: f"{p}:live:room:{room_id}", f"S|0|{text}")
