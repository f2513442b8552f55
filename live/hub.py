"""
The per-process room hub: how a frame reaches every socket of a room.

Why not ``group_send``: per ../shared/perf-baseline.md, one channel-layer
message per student costs 220–520 µs of CPU each. Here each process holds
one subscription per room; a broadcast crosses Redis once per process, is
serialised once by its sender, and each process writes the same text to
each local socket by calling that connection's ASGI ``send`` directly.

Public API (for the quiz and any other service; all coroutines, call them
from the event loop — from sync code use ``live.events``):

* ``hub = get_hub()`` — the hub of the running event loop.
* ``await hub.publish(room_id, frame)`` — a room-wide frame, numbered with a
  ``seq`` that rises by one per room broadcast (clients resync on a gap).
* ``await hub.send_to_staff(room_id, frame, also_user=None)`` — teachers and
  observers only (and optionally one more user, e.g. the student whose hand
  changed). Not numbered.
* ``await hub.send_to_user(room_id, user_id, frame)`` — one user's sockets
  in that room, on every process. Not numbered.
* ``await hub.send_to_users(room_id, {user_id: frame, ...})`` — a private
  frame per user, many users in one pub/sub message (quiz results).
* ``await hub.close_user(user_id, code, room_id=None)`` — close a user's
  sockets (in one room, or all rooms) on every process.
* ``await hub.end_room(room_id)`` — ``session.ended``, then close 4410.

With ``REDIS_URL`` the hub speaks Redis pub/sub on channels named
``<prefix>:live:room:<id>`` and ``<prefix>:live:ctl``; without it, frames
go straight to this process's sockets.
"""

import asyncio
import gc
import json
import logging
import time
import weakref
from collections import deque

from django.conf import settings

from .protocol import CLOSE_ENDED, STAFF_ROLES
from .rules import PresenceThrottle
from .store import get_store, redis_client

log = logging.getLogger(__name__)

MAX_QUEUE = 256  # frames waiting for one slow socket before it is cut off
CLOSE_SLOW = 1013  # "try again later": the client reconnects and resyncs
# "Service restart": this process lost its pub/sub subscription or learnt it
# was declared dead; the client reconnects and room.state resyncs it.
CLOSE_RESTART = 1012

# Assign the room's next seq and publish in one atomic step, so every
# process sees a room's broadcasts in seq order.
_PUBLISH_SEQ = """
local s = redis.call('INCR', KEYS[1])
redis.call('PUBLISH', KEYS[2], ARGV[1] .. s .. '}')
return s
"""


class LocalSocket:
    """One connected client as the hub sees it."""

    __slots__ = (
        "send",
        "close_cb",
        "user_id",
        "role",
        "room",
        "session_key",
        "held",
        "queue",
        "busy",
        "closed",
        "epoch",
    )

    def __init__(self, send, close_cb, *, user_id, role, room, session_key=None):
        self.send = send
        self.close_cb = close_cb
        self.user_id = user_id
        self.role = role
        self.room = room
        self.session_key = session_key
        self.held: list[str] | None = []  # frames before the snapshot is sent
        self.queue: deque[str] = deque()
        self.busy = False
        self.closed = False
        self.epoch = 0  # the store's epoch when this socket was counted in

    def deliver(self, text: str) -> None:
        if self.closed:
            return
        if self.held is not None:
            self.held.append(text)
            if len(self.held) > MAX_QUEUE:
                self.cut_off(CLOSE_SLOW)
            return
        if self.busy:
            if len(self.queue) >= MAX_QUEUE:
                self.cut_off(CLOSE_SLOW)
            else:
                self.queue.append(text)
            return
        coro = self.send({"type": "websocket.send", "text": text})
        try:
            # Most ASGI servers finish a send without suspending; only a
            # send that really waits gets a task (a task per recipient costs
            # ~25 µs per delivery).
            yielded = coro.send(None)
        except StopIteration:
            return
        except Exception:
            self.closed = True
            return
        self.busy = True
        asyncio.ensure_future(self._finish(coro, yielded))

    async def _finish(self, coro, yielded) -> None:
        try:
            while True:
                try:
                    await (yielded if yielded is not None else asyncio.sleep(0))
                except asyncio.CancelledError:
                    coro.close()
                    raise
                except Exception:  # noqa: S110 - the coroutine re-raises it
                    pass
                try:
                    yielded = coro.send(None)
                except StopIteration:
                    break
            while self.queue and not self.closed:
                await self.send(
                    {"type": "websocket.send", "text": self.queue.popleft()}
                )
        except Exception:
            self.closed = True
        finally:
            self.busy = False

    def release(self) -> None:
        """Send what arrived while the snapshot was prepared, then go live."""
        held, self.held = self.held or [], None
        for text in held:
            self.deliver(text)

    def cut_off(self, code: int) -> None:
        if not self.closed:
            self.closed = True
            self.queue.clear()
            asyncio.ensure_future(self.close_cb(code))


class _Room:
    __slots__ = ("sockets", "throttle", "ticker", "roster_count", "roster_at")

    def __init__(self):
        self.sockets: set[LocalSocket] = set()
        self.throttle = PresenceThrottle()
        self.ticker: asyncio.Task | None = None
        self.roster_count = -1
        self.roster_at = 0.0


def _encode(frame: dict) -> str:
    return json.dumps(frame, ensure_ascii=False, separators=(",", ":"))


class RoomHub:
    """Local sockets of one process, grouped by room."""

    def __init__(self, redis=None, prefix: str = "lophoc"):
        self.r = redis
        self.prefix = prefix
        self.rooms: dict[int, _Room] = {}
        self.pubsub = None
        self.reader: asyncio.Task | None = None
        self.checker: asyncio.Task | None = None
        self.keeper: asyncio.Task | None = None
        self.store = get_store()

    # -- channels and wire format -------------------------------------
    def room_channel(self, room: int) -> str:
        return f"{self.prefix}:live:room:{room}"

    @property
    def ctl_channel(self) -> str:
        return f"{self.prefix}:live:ctl"

    async def _transmit(self, channel: str, data: str) -> None:
        if self.r is None:
            self.on_message(channel, data)
        else:
            await self.r.publish(channel, data)

    # -- public API ------------------------------------------------------
    async def publish(self, room: int, frame: dict) -> int:
        head = _encode(frame)[:-1] + ',"seq":'
        if self.r is None:
            seq = await self.store.next_seq(room)
            self.on_message(self.room_channel(room), f"A|{head}{seq}}}")
            return seq
        keys = [f"{self.prefix}:live:{room}:seq", self.room_channel(room)]
        return int(await self.r.eval(_PUBLISH_SEQ, 2, *keys, "A|" + head))

    async def send_to_staff(self, room: int, frame: dict, also_user=None) -> None:
        data = f"S|{also_user or 0}|{_encode(frame)}"
        await self._transmit(self.room_channel(room), data)

    async def send_to_user(self, room: int, user_id: int, frame: dict) -> None:
        data = f"U|{user_id}|{_encode(frame)}"
        await self._transmit(self.room_channel(room), data)

    async def send_to_users(self, room: int, frames: dict[int, dict]) -> None:
        """A different private frame to each of many users, in one message
        per process (the quiz's ``quiz.you`` to thousands of students)."""
        texts = {str(uid): _encode(frame) for uid, frame in frames.items()}
        await self._transmit(self.room_channel(room), "M|" + json.dumps(texts))

    async def close_user(self, user_id: int, code: int, room_id=None) -> None:
        await self._transmit(self.ctl_channel, f"C|{user_id}|{code}|{room_id or 0}")

    async def end_room(self, room: int) -> None:
        await self.publish(room, {"type": "session.ended"})
        await self._transmit(self.ctl_channel, f"C|0|{CLOSE_ENDED}|{room}")

    # -- receiving -------------------------------------------------------
    def on_message(self, channel: str, data: str) -> None:
        """Deliver one pub/sub message to the local sockets it concerns."""
        kind, _, rest = data.partition("|")
        if kind == "C":
            user, code, room = (int(x) for x in rest.split("|"))
            self._close(user, code, room)
            return
        room = self.rooms.get(int(channel.rsplit(":", 1)[1]))
        if room is None:
            return
        if kind == "A":
            for sock in room.sockets:
                sock.deliver(rest)
            return
        if kind == "M":
            texts = json.loads(rest)
            for sock in room.sockets:
                text = texts.get(str(sock.user_id))
                if text is not None:
                    sock.deliver(text)
            return
        who, _, text = rest.partition("|")
        uid = int(who)
        for sock in room.sockets:
            if (kind == "S" and sock.role in STAFF_ROLES) or sock.user_id == uid:
                sock.deliver(text)

    def _close(self, user_id: int, code: int, room_id: int) -> None:
        rooms = [self.rooms.get(room_id)] if room_id else list(self.rooms.values())
        for room in rooms:
            for sock in list(room.sockets if room else ()):
                if not user_id or sock.user_id == user_id:
                    sock.cut_off(code)

    def sockets(self):
        for room in self.rooms.values():
            yield from room.sockets

    # -- membership ------------------------------------------------------
    async def add(self, sock: LocalSocket) -> None:
        room = self.rooms.get(sock.room)
        if room is None:
            room = self.rooms[sock.room] = _Room()
            room.ticker = asyncio.ensure_future(self._tick(sock.room, room))
            try:
                await self._subscribe(self.room_channel(sock.room))
            except BaseException:
                # Redis unreachable: no half-registered room is left behind.
                if self.rooms.get(sock.room) is room and not room.sockets:
                    del self.rooms[sock.room]
                    room.ticker.cancel()
                raise
        room.sockets.add(sock)
        if self.checker is None:
            self.checker = asyncio.ensure_future(self._check_access())
        if self.keeper is None and self.r is not None:
            self.keeper = asyncio.ensure_future(self._keep_alive())

    async def discard(self, sock: LocalSocket) -> None:
        room = self.rooms.get(sock.room)
        if room is None or sock not in room.sockets:
            return
        room.sockets.discard(sock)
        if not room.sockets:
            del self.rooms[sock.room]
            room.ticker.cancel()
            if self.pubsub is not None:
                await self.pubsub.unsubscribe(self.room_channel(sock.room))
        if not self.rooms:
            await self._stop()

    async def _subscribe(self, channel: str) -> None:
        if self.r is None:
            return
        if self.pubsub is None:
            self.pubsub = self.r.pubsub(ignore_subscribe_messages=True)
            await self.pubsub.subscribe(self.ctl_channel, channel)
            self.reader = asyncio.ensure_future(self._read())
        else:
            await self.pubsub.subscribe(channel)

    async def _read(self) -> None:
        pubsub = self.pubsub
        try:
            async for message in pubsub.listen():
                if message and message["type"] == "message":
                    try:
                        self.on_message(
                            message["channel"].decode(), message["data"].decode()
                        )
                    except Exception:
                        log.exception("live hub: bad pub/sub message")
        except asyncio.CancelledError:
            raise
        except Exception:
            log.warning("live hub: lost the Redis subscription", exc_info=True)
        if self.pubsub is pubsub:
            self.restart("lost the Redis subscription")

    def restart(self, why: str) -> None:
        """Drop every local socket with 1012 and forget the rooms.

        Broadcasts may have been missed (pub/sub is at-most-once), so the
        clients reconnect and rebuild from ``room.state``; the next join
        subscribes again on a fresh connection, once Redis answers.
        """
        socks = list(self.sockets())
        log.warning("live hub: %s; resyncing %d sockets", why, len(socks))
        pubsub, self.pubsub = self.pubsub, None
        rooms, self.rooms = self.rooms, {}
        for room in rooms.values():
            room.ticker.cancel()
        for task in (self.reader, self.checker, self.keeper):
            if task is not None and task is not asyncio.current_task():
                task.cancel()
        self.reader = self.checker = self.keeper = None
        if pubsub is not None:
            asyncio.ensure_future(_close_quietly(pubsub))
        for sock in socks:
            sock.cut_off(CLOSE_RESTART)

    async def _stop(self) -> None:
        for task in (self.reader, self.checker, self.keeper):
            if task is not None:
                task.cancel()
        self.reader = self.checker = self.keeper = None
        if self.pubsub is not None:
            pubsub, self.pubsub = self.pubsub, None
            await _close_quietly(pubsub)

    # -- periodic work -----------------------------------------------------
    async def _tick(self, room_id: int, room: _Room) -> None:
        """Presence: at most once a second, only when something changed."""
        frozen = False
        while True:
            await asyncio.sleep(room.throttle.interval)
            try:
                count = await self.store.online_count(room_id)
                frame = room.throttle.count_update(count, time.monotonic())
                if frame:
                    text = _encode(frame)
                    for sock in room.sockets:
                        sock.deliver(text)
                    frozen = False
                elif not frozen and len(room.sockets) > 100:
                    # Joins have settled: move the long-lived objects out of
                    # the collector's reach so full collections stay short.
                    gc.freeze()
                    frozen = True
                await self._tick_roster(room_id, room, count)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("live hub: presence tick failed")

    async def _tick_roster(self, room_id: int, room: _Room, count: int) -> None:
        """Staff get who joined and left; idempotent, so a full first diff is fine."""
        staff = [s for s in room.sockets if s.role in STAFF_ROLES]
        if not staff:
            room.throttle.last_ids = frozenset()
            room.roster_count = -1
            return
        # Reading the whole roster is O(N): do it when the count moved, and
        # every 10 s for a leave and a join that cancel out.
        now = time.monotonic()
        if count == room.roster_count and now - room.roster_at < 10:
            return
        room.roster_count, room.roster_at = count, now
        frame = room.throttle.roster_update(await self.store.online(room_id))
        if frame:
            text = _encode(frame)
            for sock in staff:
                sock.deliver(text)

    async def _keep_alive(self) -> None:
        """Heartbeat this process in Redis and reap dead ones (live.store)."""
        interval = max(0.5, self.store.process_ttl / 3)
        known = False
        while True:
            try:
                if await self.store.heartbeat() and known:
                    # We went silent past our TTL and were reaped: our
                    # sockets are off the counts, so they must rejoin.
                    await self.store.forget_own_sockets()
                    self.restart("this process was declared dead")
                    return
                known = True
                lost = await self.store.reap_dead_processes()
                if lost:
                    for room in self.rooms.values():
                        room.roster_count = -1  # staff see who left at once
                    await self._record_lost(lost)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("live hub: heartbeat failed", exc_info=True)
            await asyncio.sleep(interval)

    @staticmethod
    async def _record_lost(lost: list[tuple[int, int, int]]) -> None:
        """Close the attendance clocks of a dead process's sockets."""
        from channels.db import database_sync_to_async

        from .services import record_leave

        def record():
            for room, user_id, sockets in lost:
                record_leave(session_id=room, user_id=user_id, sockets=sockets)

        await database_sync_to_async(record)()

    async def _check_access(self) -> None:
        """Backstop for revocations: re-check every socket's right to stay."""
        from channels.db import database_sync_to_async

        from .access import revoked_sockets

        interval = settings.LIVE_RECHECK_SECONDS
        while True:
            await asyncio.sleep(interval)
            socks = [s for s in self.sockets() if not s.closed]
            if not socks:
                continue
            try:
                items = [(s.user_id, s.room, s.role, s.session_key) for s in socks]
                codes = await database_sync_to_async(revoked_sockets)(items)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("live hub: access check failed")
                continue
            for sock, code in zip(socks, codes, strict=True):
                if code:
                    sock.cut_off(code)


async def _close_quietly(pubsub) -> None:
    try:
        await pubsub.aclose()
    except Exception:  # noqa: S110 - closing a dead connection
        pass


_hubs: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, RoomHub]" = (
    weakref.WeakKeyDictionary()
)


def get_hub() -> RoomHub:
    """The hub of the running event loop (one per server process)."""
    loop = asyncio.get_running_loop()
    hub = _hubs.get(loop)
    if hub is None:
        hub = _hubs[loop] = RoomHub(redis_client(), settings.LIVE_REDIS_PREFIX)
    return hub


def local_hubs() -> list[tuple[asyncio.AbstractEventLoop, RoomHub]]:
    """Hubs of this process (``live.events`` reaches them from sync code)."""
    return list(_hubs.items())
