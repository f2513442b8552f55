"""
The per-process room hub: how a frame reaches every socket of a room.

Why not ``group_send``: per docs/perf-baseline.md, one channel-layer
message per student costs 220–520 µs of CPU each. Here each process holds
one subscription per room; a broadcast crosses Redis once per process, is
serialised once by its sender, and each process writes the same text to
each local socket by calling that connection's ASGI ``send`` directly.

The hub is transport only: it knows sockets, rooms and the pub/sub wire
(``live.realtime.wire``), never the database. What the room layer must
hear from it goes through two callbacks the room layer registers with
``connect_room_layer`` (``live.apps``): sockets lost with a dead process
(for the attendance) and the periodic re-check of every socket's right to
stay (revocations).

Public API (for the room and the quiz; all coroutines, call them from the
event loop — from sync code use ``live.realtime.events``):

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
* ``hub.memo(room_id)`` — a dict the room layer keeps what it read about
  the room in (``live.rooms.admission``): the hub replaces it with an empty
  one whenever a ``quiz.*`` or ``session.*`` frame or a facts message
  (``events.room_changed``) reaches the room, and while this process
  follows no socket of the room (it would not hear of changes) hands out
  one that is thrown away when the first socket is added.
* ``await hub.publish_audio(room_id, bundle)`` — an audio bundle's bytes to
  every listening socket of the room, as a binary frame (section 6); a slow
  socket drops old bundles, never the socket. Staff get ``audio.meter``
  every few seconds while audio flows.

With ``REDIS_URL`` the hub speaks Redis pub/sub; without it, frames go
straight to this process's sockets.
"""

import asyncio
import gc
import logging
import time
import weakref
from collections.abc import Awaitable, Callable

from django.conf import settings

from live import protocol as p
from live.rooms.rules import PresenceThrottle

from . import wire
from .sockets import LocalSocket
from .store import get_store, redis_client

log = logging.getLogger(__name__)

# (room_id, user_id, sockets) of each user a dead process had in a room.
LostSockets = list[tuple[int, int, int]]
# (user_id, room_id, role, session_key) per socket -> a close code or 0.
SocketKeys = list[tuple[int, int, str, str | None]]


async def _nobody_lost(lost: LostSockets) -> None:
    return None


async def _nothing_revoked(items: SocketKeys) -> list[int]:
    return [0] * len(items)


_room_layer: dict[str, Callable] = {
    "on_lost": _nobody_lost,
    "recheck": _nothing_revoked,
}


def connect_room_layer(
    *,
    on_lost: Callable[[LostSockets], Awaitable[None]],
    recheck: Callable[[SocketKeys], Awaitable[list[int]]],
) -> None:
    """Let the room layer hear of lost sockets and judge every socket's
    right to stay; hubs created afterwards call these."""
    _room_layer.update(on_lost=on_lost, recheck=recheck)


METER_EVERY = 5.0  # seconds between two audio.meter frames to staff
# Room frames after which what a join reads about the room is stale.
FACT_FRAMES = ('{"type":"quiz.', '{"type":"session.')
MAX_UNFOLLOWED_MEMOS = 1000


class _Room:
    __slots__ = (
        "sockets",
        "throttle",
        "ticker",
        "roster_count",
        "roster_at",
        "audio_in",
        "meter_at",
        "memo",
    )

    def __init__(self):
        self.sockets: set[LocalSocket] = set()
        self.throttle = PresenceThrottle()
        self.ticker: asyncio.Task | None = None
        self.roster_count = -1
        self.roster_at = 0.0
        self.audio_in = [0, 0]  # bundles and bytes relayed since the last meter
        self.meter_at = time.monotonic()
        self.memo: dict = {}


class RoomHub:
    """Local sockets of one process, grouped by room."""

    def __init__(self, redis=None, prefix: str = "lophoc"):
        self.r = redis
        self.prefix = prefix
        self.rooms: dict[int, _Room] = {}
        self.unfollowed_memos: dict[int, dict] = {}
        self.pubsub = None
        self.reader: asyncio.Task | None = None
        self.checker: asyncio.Task | None = None
        self.keeper: asyncio.Task | None = None
        self.store = get_store()
        self.on_lost = _room_layer["on_lost"]
        self.recheck = _room_layer["recheck"]

    # -- channels and wire format -------------------------------------
    def room_channel(self, room: int) -> str:
        return wire.room_channel(self.prefix, room)

    @property
    def ctl_channel(self) -> str:
        return wire.control_channel(self.prefix)

    async def _transmit(self, channel: str, data: str | bytes) -> None:
        if self.r is None:
            if isinstance(data, bytes):
                self.on_audio(wire.room_of(channel), wire.audio_bundle(data))
            else:
                self.on_message(channel, data)
        else:
            await self.r.publish(channel, data)

    # -- public API ------------------------------------------------------
    async def publish(self, room: int, frame: dict) -> int:
        head = wire.numbered_head(frame)
        if self.r is None:
            seq = await self.store.next_seq(room)
            self.on_message(self.room_channel(room), wire.numbered(head, seq))
            return seq
        keys = [wire.seq_key(self.prefix, room), self.room_channel(room)]
        return int(await self.r.eval(wire.PUBLISH_SCRIPT, 2, *keys, head))

    async def send_to_staff(self, room: int, frame: dict, also_user=None) -> None:
        data = wire.staff_message(frame, also_user)
        await self._transmit(self.room_channel(room), data)

    async def send_to_user(self, room: int, user_id: int, frame: dict) -> None:
        data = wire.user_message(user_id, frame)
        await self._transmit(self.room_channel(room), data)

    async def send_to_users(self, room: int, frames: dict[int, dict]) -> None:
        """A different private frame to each of many users, in one message
        per process (the quiz's ``quiz.you`` to thousands of students)."""
        await self._transmit(self.room_channel(room), wire.users_message(frames))

    async def close_user(self, user_id: int, code: int, room_id=None) -> None:
        data = wire.close_message(user_id, code, room_id)
        await self._transmit(self.ctl_channel, data)

    async def publish_audio(self, room: int, bundle: bytes) -> None:
        await self._transmit(self.room_channel(room), wire.audio_message(bundle))

    async def end_room(self, room: int) -> None:
        await self.publish(room, p.session_ended())
        data = wire.close_message(0, p.CLOSE_ENDED, room)
        await self._transmit(self.ctl_channel, data)

    async def room_changed(self, room: int) -> None:
        await self._transmit(self.room_channel(room), wire.facts_message())

    def memo(self, room_id: int) -> dict:
        room = self.rooms.get(room_id)
        if room is not None:
            return room.memo
        if len(self.unfollowed_memos) > MAX_UNFOLLOWED_MEMOS:
            self.unfollowed_memos.clear()  # rooms whose joins were all refused
        return self.unfollowed_memos.setdefault(room_id, {})

    # -- receiving -------------------------------------------------------
    def on_message(self, channel: str, data: str) -> None:
        """Deliver one pub/sub message to the local sockets it concerns."""
        message = wire.parse(data)
        if message.kind == wire.CLOSE:
            self._close(message.user_id, message.code, message.room_id)
            return
        room_id = wire.room_of(channel)
        room = self.rooms.get(room_id)
        if message.kind == wire.FACTS or (
            message.kind == wire.ALL and message.text.startswith(FACT_FRAMES)
        ):
            self.unfollowed_memos.pop(room_id, None)
            if room is not None:
                room.memo = {}
        if room is None or message.kind == wire.FACTS:
            return
        if message.kind == wire.ALL:
            for sock in room.sockets:
                sock.deliver(message.text)
            return
        if message.kind == wire.USERS:
            texts = message.texts
            for sock in room.sockets:
                text = texts.get(str(sock.user_id))
                if text is not None:
                    sock.deliver(text)
            return
        staff, uid = message.kind == wire.STAFF, message.user_id
        for sock in room.sockets:
            if (staff and sock.role in p.STAFF_ROLES) or sock.user_id == uid:
                sock.deliver(message.text)

    def on_audio(self, room_id: int, bundle: bytes) -> None:
        """One audio bundle to every local socket of the room that listens."""
        room = self.rooms.get(room_id)
        if room is None:
            return
        room.audio_in[0] += 1
        room.audio_in[1] += len(bundle)
        capture_ms = p.bundle_capture_ms(bundle)
        for sock in room.sockets:
            if sock.listening:
                sock.deliver_audio(bundle, capture_ms)

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
            # What was read before the subscription may have missed a change.
            self.unfollowed_memos.pop(sock.room, None)
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
                        channel, data = message["channel"].decode(), message["data"]
                        bundle = wire.audio_bundle(data)
                        if bundle is not None:
                            self.on_audio(wire.room_of(channel), bundle)
                        else:
                            self.on_message(channel, data.decode())
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
        self.unfollowed_memos.clear()
        for room in rooms.values():
            room.ticker.cancel()
        for task in (self.reader, self.checker, self.keeper):
            if task is not None and task is not asyncio.current_task():
                task.cancel()
        self.reader = self.checker = self.keeper = None
        if pubsub is not None:
            asyncio.ensure_future(_close_quietly(pubsub))
        for sock in socks:
            sock.cut_off(p.CLOSE_RESTART)

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
                frame = room.throttle.count_update(
                    count, time.monotonic(), len(room.sockets)
                )
                if frame:
                    text = wire.dumps(frame)
                    for sock in room.sockets:
                        sock.deliver(text)
                    frozen = False
                elif not frozen and len(room.sockets) > 100:
                    # Joins have settled: move the long-lived objects out of
                    # the collector's reach so full collections stay short.
                    gc.freeze()
                    frozen = True
                await self._tick_roster(room_id, room, count)
                self._tick_meter(room)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("live hub: presence tick failed")

    async def _tick_roster(self, room_id: int, room: _Room, count: int) -> None:
        """Staff get who joined and left; idempotent, so a full first diff is fine."""
        staff = [s for s in room.sockets if s.role in p.STAFF_ROLES]
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
            text = wire.dumps(frame)
            for sock in staff:
                sock.deliver(text)

    def _tick_meter(self, room: _Room) -> None:
        """Staff see what the audio costs each listener, from the counters:
        the bytes this process sent its listening students, or, with none
        here, the bytes it relayed (what each listener is sent)."""
        now = time.monotonic()
        elapsed = now - room.meter_at
        if elapsed < METER_EVERY:
            return
        bundles, size = room.audio_in
        room.audio_in, room.meter_at = [0, 0], now
        listeners = [
            s for s in room.sockets if s.listening and s.role not in p.STAFF_ROLES
        ]
        sent = [s.take_audio_bytes() for s in listeners]
        staff = [s for s in room.sockets if s.role in p.STAFF_ROLES]
        if not bundles or not staff:
            return
        per_second = (sum(sent) / len(sent) if sent else size) / elapsed
        text = wire.dumps(
            p.audio_meter(
                listeners=len(listeners),
                payload_per_s=per_second,
                messages_per_s=bundles / elapsed,
            )
        )
        for sock in staff:
            sock.deliver(text)

    async def _keep_alive(self) -> None:
        """Heartbeat this process in Redis and reap dead ones (live.realtime.store)."""
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
                    await self.on_lost(lost)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("live hub: heartbeat failed", exc_info=True)
            await asyncio.sleep(interval)

    async def _check_access(self) -> None:
        """Backstop for revocations: every few seconds the room layer judges
        every socket of this process (``LIVE_RECHECK_SECONDS``; 0 is off)."""
        interval = settings.LIVE_RECHECK_SECONDS
        if interval <= 0:
            return
        while True:
            await asyncio.sleep(interval)
            socks = [s for s in self.sockets() if not s.closed]
            if not socks:
                continue
            try:
                items = [(s.user_id, s.room, s.role, s.session_key) for s in socks]
                codes = await self.recheck(items)
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
    """Hubs of this process (``live.realtime.events`` reaches them from sync code)."""
    return list(_hubs.items())
