"""
Room state that every server process must agree on.

``RedisRoomStore`` keeps it in Redis when ``REDIS_URL`` is set (several
processes, one room); ``MemoryRoomStore`` keeps it in this process for the
embedded default. Both have the same async API. Keys are namespaced by
``settings.LIVE_REDIS_PREFIX`` (env ``LOPHOC_REDIS_PREFIX``) because Redis
pub/sub ignores DB numbers and tests share the server.

State per room: who is online (per user, counting their sockets), hand
raises, slide index, board strokes since the last clear, the chat mute flag,
the last 50 chat messages, the broadcast sequence number and the teacher's
audio stream (its ``audio.start`` settings while it is live).

Presence survives a crashed process. Each process also counts its own
sockets per room (``<room>:own:<process>``) and keeps a heartbeat key
alive; a process whose heartbeat expired (``kill -9``, out of memory, a
frozen host) is reaped by any live one, which takes its sockets off the
room's counts in one atomic script. Without that, its users would stay
"online" until the room ended.
"""

import asyncio
import json
import time
import uuid
import weakref
from collections import deque

import redis.asyncio as aioredis
from django.conf import settings

from live.rooms.rules import RateLimiter

from .wire import dumps

RECENT_CHAT = 50
MAX_STROKES = 2000


class MemoryRoomStore:
    """One process's room state (the embedded default and unit tests)."""

    def __init__(self):
        self.rooms: dict[int, dict] = {}
        self.limiter = RateLimiter()

    def _room(self, room: int) -> dict:
        state = self.rooms.get(room)
        if state is None:
            state = self.rooms[room] = {
                "online": {},
                "people": {},
                "hands": set(),
                "slide": 0,
                "strokes": [],
                "muted": False,
                "chat": deque(maxlen=RECENT_CHAT),
                "chat_seeded": False,
                "seq": 0,
                "audio": None,
            }
        return state

    async def join(self, room: int, user_id: int, info: dict) -> int:
        state = self._room(room)
        state["online"][user_id] = state["online"].get(user_id, 0) + 1
        state["people"][user_id] = info
        return state["online"][user_id]

    async def leave(self, room: int, user_id: int, epoch: int | None = None) -> int:
        online = self._room(room)["online"]
        left = online.get(user_id, 0) - 1
        if left <= 0:
            online.pop(user_id, None)
            self._room(room)["people"].pop(user_id, None)
            return 0
        online[user_id] = left
        return left

    async def online_count(self, room: int) -> int:
        return len(self._room(room)["online"])

    async def online(self, room: int) -> dict[int, dict]:
        return dict(self._room(room)["people"])

    async def set_hand(self, room: int, user_id: int, raised: bool) -> bool:
        hands = self._room(room)["hands"]
        changed = (user_id in hands) != raised
        (hands.add if raised else hands.discard)(user_id)
        return changed

    async def set_slide(self, room: int, index: int) -> None:
        self._room(room)["slide"] = index

    async def add_stroke(self, room: int, stroke: dict) -> None:
        strokes = self._room(room)["strokes"]
        strokes.append(stroke)
        del strokes[:-MAX_STROKES]

    async def clear_board(self, room: int) -> None:
        self._room(room)["strokes"] = []

    async def muted(self, room: int) -> bool:
        return self._room(room)["muted"]

    async def set_muted(self, room: int, muted: bool) -> None:
        self._room(room)["muted"] = muted

    async def recent_chat(self, room: int) -> list[dict]:
        return list(self._room(room)["chat"])

    async def add_chat(self, room: int, message: dict) -> None:
        self._room(room)["chat"].append(message)

    async def seed_chat(self, room: int, messages: list[dict]) -> None:
        state = self._room(room)
        if not state["chat_seeded"]:
            state["chat_seeded"] = True
            state["chat"] = deque(messages, maxlen=RECENT_CHAT)

    async def set_audio(self, room: int, params: dict | None) -> None:
        self._room(room)["audio"] = params

    async def audio(self, room: int) -> dict | None:
        return self._room(room)["audio"]

    async def next_seq(self, room: int) -> int:
        state = self._room(room)
        state["seq"] += 1
        return state["seq"]

    epoch = 0

    async def heartbeat(self) -> bool:
        """One process holds every socket: nothing to prove or reap."""
        return False

    async def forget_own_sockets(self) -> None:
        pass

    async def reap_dead_processes(self) -> list[tuple[int, int, int]]:
        return []

    async def allow(self, kind: str, user_id: int) -> bool:
        return self.limiter.allow(kind, user_id, time.monotonic())

    async def join_and_snapshot(
        self, room: int, user_id: int, info: dict
    ) -> tuple[int, dict]:
        """``join``, then ``snapshot``: the user's socket count and the room."""
        return await self.join(room, user_id, info), await self.snapshot(room)

    async def snapshot(self, room: int) -> dict:
        """Everything ``room.state`` needs, in one read."""
        state = self._room(room)
        return {
            "hands": set(state["hands"]),
            "count": len(state["online"]),
            "muted": state["muted"],
            "chat": list(state["chat"]),
            "chat_seeded": state["chat_seeded"],
            "slide": state["slide"],
            "strokes": list(state["strokes"]),
            "seq": state["seq"],
            "audio": state["audio"],
        }


# Decrement a user's socket count, in the room and in this process's share;
# drop them from the room at zero.
_LEAVE = """
local own = redis.call('HINCRBY', KEYS[3], ARGV[1], -1)
if own <= 0 then redis.call('HDEL', KEYS[3], ARGV[1]) end
local n = redis.call('HINCRBY', KEYS[1], ARGV[1], -1)
if n <= 0 then
  redis.call('HDEL', KEYS[1], ARGV[1])
  redis.call('HDEL', KEYS[2], ARGV[1])
  return 0
end
return n
"""

# Take a dead process's sockets off every room it served, once: the script
# is atomic and the SREM decides which reaper does it. A process that joins
# a socket sets its heartbeat in the same transaction, so a live process is
# never reaped between its heartbeat and its join. (Keys are built in the
# script: fine on one Redis or a replicated pair, not on Redis Cluster.)
# With ARGV[3] = "self" a process reaps itself: after it learns it was
# reaped, what its own hashes hold is what it joined since.
_REAP = """
local hb = ARGV[1] .. ':live:proc:' .. ARGV[2]
if ARGV[3] ~= 'self' then
  if redis.call('EXISTS', hb) == 1 then return {} end
  if redis.call('SREM', KEYS[1], ARGV[2]) == 0 then return {} end
end
local rooms = redis.call('SMEMBERS', hb .. ':rooms')
local lost = {}
for _, room in ipairs(rooms) do
  local base = ARGV[1] .. ':live:' .. room
  local own = base .. ':own:' .. ARGV[2]
  local counts = redis.call('HGETALL', own)
  for i = 1, #counts, 2 do
    local n = redis.call('HINCRBY', base .. ':online', counts[i], -tonumber(counts[i + 1]))
    if n <= 0 then
      redis.call('HDEL', base .. ':online', counts[i])
      redis.call('HDEL', base .. ':people', counts[i])
    end
    table.insert(lost, room)
    table.insert(lost, counts[i])
    table.insert(lost, counts[i + 1])
  end
  redis.call('DEL', own)
end
redis.call('DEL', hb .. ':rooms')
return lost
"""


# A join and the room.state it gets, in one round trip and one atomic step
# (the snapshot's seq and counts include this socket): what ``join`` does,
# then what ``snapshot`` reads. KEYS: online, people, own, this process's
# rooms, this process, then the snapshot's keys in ``_SNAPSHOT`` order.
# ARGV: user id, info, room, the process TTL.
_JOIN_AND_SNAPSHOT = """
local sockets = redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('HINCRBY', KEYS[3], ARGV[1], 1)
redis.call('SADD', KEYS[4], ARGV[3])
redis.call('SET', KEYS[5], 1, 'EX', ARGV[4])
return {sockets,
  redis.call('SMEMBERS', KEYS[6]), redis.call('HLEN', KEYS[1]),
  redis.call('EXISTS', KEYS[7]), redis.call('LRANGE', KEYS[8], 0, -1),
  redis.call('GET', KEYS[9]), redis.call('LRANGE', KEYS[10], 0, -1),
  redis.call('GET', KEYS[11]), redis.call('EXISTS', KEYS[12]),
  redis.call('GET', KEYS[13])}
"""
_SNAPSHOT = (
    "hands",
    "muted",
    "chat",
    "slide",
    "strokes",
    "seq",
    "chat:seeded",
    "audio",
)


def _snapshot(hands, count, muted, chat, slide, strokes, seq, seeded, audio) -> dict:
    return {
        "hands": {int(x) for x in hands},
        "count": int(count),
        "muted": bool(muted),
        "chat": [json.loads(x) for x in chat],
        "chat_seeded": bool(seeded),
        "slide": int(slide or 0),
        "strokes": [json.loads(x) for x in strokes],
        "seq": int(seq or 0),
        "audio": json.loads(audio) if audio else None,
    }


class RedisRoomStore:
    """Room state in Redis, shared by every process of the deployment."""

    def __init__(
        self,
        client,
        prefix: str,
        limits: dict | None = None,
        process_ttl: int | None = None,
    ):
        self.r = client
        self.prefix = prefix
        self.limits = limits or RateLimiter().limits
        self._leave = client.register_script(_LEAVE)
        self._reap = client.register_script(_REAP)
        self._join_and_snapshot = client.register_script(_JOIN_AND_SNAPSHOT)
        # This process's name in Redis: a new one per store, so a restarted
        # server never inherits (or is blamed for) a dead one's sockets.
        self.process = uuid.uuid4().hex[:12]
        self.process_ttl = process_ttl or settings.LIVE_PROCESS_TTL_SECONDS
        # Bumped when this process learns it was reaped: sockets joined
        # before were already taken off the counts and must not leave twice.
        self.epoch = 0

    def key(self, room: int, name: str) -> str:
        return f"{self.prefix}:live:{room}:{name}"

    @property
    def _processes_key(self) -> str:
        return f"{self.prefix}:live:procs"

    def _process_key(self, process: str | None = None) -> str:
        return f"{self.prefix}:live:proc:{process or self.process}"

    async def join(self, room: int, user_id: int, info: dict) -> int:
        me = self._process_key()
        async with self.r.pipeline(transaction=True) as pipe:
            pipe.hincrby(self.key(room, "online"), user_id, 1)
            pipe.hset(self.key(room, "people"), user_id, dumps(info))
            pipe.hincrby(self.key(room, f"own:{self.process}"), user_id, 1)
            pipe.sadd(f"{me}:rooms", room)
            # A process that joins is alive: no reaper may take this socket
            # off between here and the next heartbeat.
            pipe.set(me, 1, ex=self.process_ttl)
            count, *_ = await pipe.execute()
        return int(count)

    async def join_and_snapshot(
        self, room: int, user_id: int, info: dict
    ) -> tuple[int, dict]:
        """``join``, then ``snapshot``, in one script: a rejoin storm costs
        one Redis call per socket (the pipelines cost about 1.4 ms each)."""
        me = self._process_key()
        keys = [
            self.key(room, "online"),
            self.key(room, "people"),
            self.key(room, f"own:{self.process}"),
            f"{me}:rooms",
            me,
            *(self.key(room, name) for name in _SNAPSHOT),
        ]
        args = [user_id, dumps(info), room, self.process_ttl]
        (
            sockets,
            hands,
            count,
            muted,
            chat,
            slide,
            strokes,
            seq,
            seeded,
            audio,
        ) = await self._join_and_snapshot(keys=keys, args=args)
        snap = _snapshot(hands, count, muted, chat, slide, strokes, seq, seeded, audio)
        return int(sockets), snap

    async def leave(self, room: int, user_id: int, epoch: int | None = None) -> int:
        if epoch is not None and epoch != self.epoch:
            return 0  # counted off when this process was reaped
        keys = [
            self.key(room, "online"),
            self.key(room, "people"),
            self.key(room, f"own:{self.process}"),
        ]
        return int(await self._leave(keys=keys, args=[user_id]))

    async def heartbeat(self) -> bool:
        """Keep this process alive in Redis. True when it was not in the
        live set: first heartbeat, or reaped after going silent (frozen, or
        cut off from Redis) for longer than its TTL."""
        async with self.r.pipeline(transaction=True) as pipe:
            pipe.set(self._process_key(), 1, ex=self.process_ttl)
            pipe.sadd(self._processes_key, self.process)
            _, added = await pipe.execute()
        return bool(added)

    async def forget_own_sockets(self) -> None:
        """After being reaped: take what this process joined since off the
        counts too, and start a new epoch (its sockets must rejoin)."""
        await self._reap(
            keys=[self._processes_key], args=[self.prefix, self.process, "self"]
        )
        self.epoch += 1

    async def reap_dead_processes(self) -> list[tuple[int, int, int]]:
        """Take the sockets of processes whose heartbeat expired off the
        rooms; returns them as (room, user_id, sockets)."""
        lost = []
        for raw in await self.r.smembers(self._processes_key):
            process = raw.decode() if isinstance(raw, bytes) else raw
            if process != self.process:
                flat = await self._reap(
                    keys=[self._processes_key], args=[self.prefix, process]
                )
                values = [int(x) for x in flat]
                lost += list(zip(values[::3], values[1::3], values[2::3], strict=True))
        return lost

    async def online_count(self, room: int) -> int:
        return int(await self.r.hlen(self.key(room, "online")))

    async def online(self, room: int) -> dict[int, dict]:
        raw = await self.r.hgetall(self.key(room, "people"))
        return {int(k): json.loads(v) for k, v in raw.items()}

    async def set_hand(self, room: int, user_id: int, raised: bool) -> bool:
        key = self.key(room, "hands")
        op = self.r.sadd if raised else self.r.srem
        return bool(await op(key, user_id))

    async def set_slide(self, room: int, index: int) -> None:
        await self.r.set(self.key(room, "slide"), index)

    async def add_stroke(self, room: int, stroke: dict) -> None:
        key = self.key(room, "strokes")
        async with self.r.pipeline(transaction=True) as pipe:
            pipe.rpush(key, dumps(stroke))
            pipe.ltrim(key, -MAX_STROKES, -1)
            await pipe.execute()

    async def clear_board(self, room: int) -> None:
        await self.r.delete(self.key(room, "strokes"))

    async def muted(self, room: int) -> bool:
        return bool(await self.r.exists(self.key(room, "muted")))

    async def set_muted(self, room: int, muted: bool) -> None:
        key = self.key(room, "muted")
        await (self.r.set(key, 1) if muted else self.r.delete(key))

    async def recent_chat(self, room: int) -> list[dict]:
        raw = await self.r.lrange(self.key(room, "chat"), 0, -1)
        return [json.loads(x) for x in raw]

    async def seed_chat(self, room: int, messages: list[dict]) -> None:
        """Recent chat from the database, once after the room's Redis state
        was lost (a restart without persistence) or never existed."""
        if not await self.r.set(self.key(room, "chat:seeded"), 1, nx=True):
            return  # another socket seeded it
        key = self.key(room, "chat")
        async with self.r.pipeline(transaction=True) as pipe:
            pipe.delete(key)
            if messages:
                pipe.rpush(key, *(dumps(m) for m in messages))
            await pipe.execute()

    async def add_chat(self, room: int, message: dict) -> None:
        key = self.key(room, "chat")
        async with self.r.pipeline(transaction=True) as pipe:
            pipe.rpush(key, dumps(message))
            pipe.ltrim(key, -RECENT_CHAT, -1)
            await pipe.execute()

    async def next_seq(self, room: int) -> int:
        return int(await self.r.incr(self.key(room, "seq")))

    async def set_audio(self, room: int, params: dict | None) -> None:
        key = self.key(room, "audio")
        await (self.r.set(key, dumps(params)) if params else self.r.delete(key))

    async def audio(self, room: int) -> dict | None:
        raw = await self.r.get(self.key(room, "audio"))
        return json.loads(raw) if raw else None

    async def snapshot(self, room: int) -> dict:
        """Everything ``room.state`` needs, in one round trip."""
        k = self.key
        async with self.r.pipeline(transaction=False) as pipe:
            pipe.smembers(k(room, "hands"))
            pipe.hlen(k(room, "online"))
            pipe.exists(k(room, "muted"))
            pipe.lrange(k(room, "chat"), 0, -1)
            pipe.get(k(room, "slide"))
            pipe.lrange(k(room, "strokes"), 0, -1)
            pipe.get(k(room, "seq"))
            pipe.exists(k(room, "chat:seeded"))
            pipe.get(k(room, "audio"))
            values = await pipe.execute()
        return _snapshot(*values)

    async def allow(self, kind: str, user_id: int) -> bool:
        """Fixed windows in Redis, so a user's limit holds across processes."""
        limit, window = self.limits[kind]
        slot = int(time.time() // window)
        key = f"{self.prefix}:live:rl:{kind}:{user_id}:{slot}"
        async with self.r.pipeline(transaction=False) as pipe:
            pipe.incr(key)
            pipe.expire(key, int(window) + 1)
            hits, _ = await pipe.execute()
        return int(hits) <= limit


_stores: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def redis_client():
    """A redis.asyncio client for the running event loop (None without Redis)."""
    url = settings.REDIS_URL
    if not url:
        return None
    # A blocking pool waits for a free connection instead of raising at the
    # limit, the redis-py 8 failure described in docs/perf-baseline.md.
    pool = aioredis.BlockingConnectionPool.from_url(
        url, max_connections=200, timeout=20, socket_timeout=15
    )
    return aioredis.Redis(connection_pool=pool, decode_responses=False)


def get_store():
    """The room store for the running event loop."""
    loop = asyncio.get_running_loop()
    store = _stores.get(loop)
    if store is None:
        client = redis_client()
        store = (
            RedisRoomStore(client, settings.LIVE_REDIS_PREFIX)
            if client is not None
            else _memory_store()
        )
        _stores[loop] = store
    return store


_MEMORY = None


def _memory_store() -> MemoryRoomStore:
    """Without Redis one store serves the whole process, whatever the loop."""
    global _MEMORY
    if _MEMORY is None:
        _MEMORY = MemoryRoomStore()
    return _MEMORY


def reset_memory_store() -> None:
    """Forget in-process state (tests)."""
    global _MEMORY
    _MEMORY = None
    _stores.clear()
