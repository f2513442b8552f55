"""The per-process room hub: serialise once, numbered, slow sockets cut off."""

import asyncio
import json

import pytest
import pytest_asyncio

from live import protocol as p
from live.realtime.hub import RoomHub
from live.realtime.sockets import MAX_QUEUE, LocalSocket

# django_db only orders these before the browser tests: pytest-django runs
# non-database tests last, after the session-scoped Playwright browser has
# left its event loop running in the main thread.
pytestmark = [pytest.mark.asyncio, pytest.mark.django_db]


class FakeClient:
    def __init__(self, slow=False):
        self.frames = []
        self.closed = None
        self.gate = asyncio.Event()
        if not slow:
            self.gate.set()

    async def send(self, message):
        await self.gate.wait()
        self.frames.append(message["text"])

    async def close(self, code):
        self.closed = code


def socket(client, user_id, role="student", room=1):
    sock = LocalSocket(client.send, client.close, user_id=user_id, role=role, room=room)
    sock.release()
    return sock


@pytest_asyncio.fixture
async def hub(settings):
    settings.REDIS_URL = ""
    settings.LIVE_RECHECK_SECONDS = 3600
    from live.realtime.store import reset_memory_store

    reset_memory_store()
    return RoomHub(None, "test")


async def test_broadcast_reaches_every_socket_with_rising_seq(hub):
    clients = [FakeClient() for _ in range(3)]
    for i, client in enumerate(clients):
        await hub.add(socket(client, i + 1))
    await hub.publish(1, {"type": "slide.changed", "index": 2})
    await hub.publish(1, {"type": "board.clear"})
    for client in clients:
        frames = [json.loads(f) for f in client.frames]
        assert [f["seq"] for f in frames] == [1, 2]
        assert frames[0] == {"type": "slide.changed", "index": 2, "seq": 1}
    # every socket got the very same string object: serialised once
    assert clients[0].frames[0] is clients[1].frames[0]
    for _ in range(3):
        await hub.discard(next(iter(hub.rooms[1].sockets)))


async def test_staff_and_private_frames_reach_only_their_audience(hub):
    teacher, student, other = FakeClient(), FakeClient(), FakeClient()
    await hub.add(socket(teacher, 1, "teacher"))
    await hub.add(socket(student, 2))
    await hub.add(socket(other, 3))
    await hub.send_to_staff(1, {"type": "hand.changed"}, also_user=2)
    await hub.send_to_user(1, 3, {"type": "quiz.you"})
    await hub.send_to_users(1, {2: {"type": "quiz.you", "n": 2}})
    assert [json.loads(f)["type"] for f in teacher.frames] == ["hand.changed"]
    assert [json.loads(f)["type"] for f in student.frames] == [
        "hand.changed",
        "quiz.you",
    ]
    assert [json.loads(f)["type"] for f in other.frames] == ["quiz.you"]
    for sock in list(hub.rooms[1].sockets):
        await hub.discard(sock)


async def test_frames_wait_until_the_snapshot_is_sent(hub):
    client = FakeClient()
    sock = LocalSocket(client.send, client.close, user_id=1, role="student", room=1)
    await hub.add(sock)
    await hub.publish(1, {"type": "board.clear"})
    assert client.frames == []
    sock.release()
    assert len(client.frames) == 1
    await hub.discard(sock)


async def test_a_slow_client_is_cut_off_without_stalling_the_room(hub):
    slow, fast = FakeClient(slow=True), FakeClient()
    slow_sock = socket(slow, 1)
    await hub.add(slow_sock)
    await hub.add(socket(fast, 2))
    for i in range(MAX_QUEUE + 2):
        await hub.publish(1, {"type": "slide.changed", "index": i})
    await asyncio.sleep(0)
    assert len(fast.frames) == MAX_QUEUE + 2
    assert slow.closed == p.CLOSE_SLOW
    for sock in list(hub.rooms[1].sockets):
        await hub.discard(sock)


async def test_close_user_closes_only_that_users_sockets_in_that_room(hub):
    a1, a2, b = FakeClient(), FakeClient(), FakeClient()
    await hub.add(socket(a1, 1, room=1))
    await hub.add(socket(a2, 1, room=2))
    await hub.add(socket(b, 2, room=1))
    await hub.close_user(1, 4403, room_id=1)
    await asyncio.sleep(0)
    assert (a1.closed, a2.closed, b.closed) == (4403, None, None)
    await hub.end_room(1)
    await asyncio.sleep(0)
    assert b.closed == 4410 and a2.closed is None
    for room in list(hub.rooms.values()):
        for sock in list(room.sockets):
            await hub.discard(sock)


async def test_presence_counts_users_not_sockets(hub):
    store = hub.store
    assert await store.join(1, 7, {"name": "An", "role": "student"}) == 1
    assert await store.join(1, 7, {"name": "An", "role": "student"}) == 2
    await store.join(1, 8, {"name": "Bình", "role": "student"})
    assert await store.online_count(1) == 2
    assert await store.leave(1, 7) == 1
    assert await store.online_count(1) == 2
    assert await store.leave(1, 7) == 0
    assert await store.online_count(1) == 1


class DeadPubSub:
    """A subscription whose Redis connection is gone for good."""

    closed = False

    async def listen(self):
        import redis

        raise redis.ConnectionError("Connection reset by peer")
        yield  # an async generator, like redis-py's

    async def aclose(self):
        self.closed = True


async def test_losing_the_subscription_resyncs_every_socket_and_the_next_join_works(
    hub,
):
    a, b = FakeClient(), FakeClient()
    await hub.add(socket(a, 1, room=1))
    await hub.add(socket(b, 2, room=2))
    dead = hub.pubsub = DeadPubSub()

    await hub._read()  # the reader task's body: it ends with the connection
    await asyncio.sleep(0)

    # Broadcasts may have been missed: reconnect and rebuild from room.state.
    assert (a.closed, b.closed) == (1012, 1012)
    assert hub.rooms == {} and hub.pubsub is None and dead.closed
    # A socket that joins afterwards gets a fresh room and its broadcasts.
    c = FakeClient()
    await hub.add(socket(c, 3, room=1))
    await hub.publish(1, {"type": "board.clear"})
    assert [json.loads(f)["type"] for f in c.frames] == ["board.clear"]
    await hub.discard(next(iter(hub.rooms[1].sockets)))


class ReapedStore:
    """A Redis store as seen by a process that froze past its TTL."""

    process_ttl = 0.03

    def __init__(self):
        self.heartbeats = iter([True, False, True])  # first, alive, reaped
        self.forgot = False
        self.epoch = 0

    async def heartbeat(self):
        return next(self.heartbeats)

    async def reap_dead_processes(self):
        return []

    async def forget_own_sockets(self):
        self.forgot = True
        self.epoch += 1


async def test_a_process_declared_dead_takes_back_its_share_and_resyncs_its_sockets(
    hub,
):
    a, b = FakeClient(), FakeClient()
    await hub.add(socket(a, 1))
    await hub.add(socket(b, 2))
    hub.store = ReapedStore()

    await asyncio.wait_for(hub._keep_alive(), 2)
    await asyncio.sleep(0)

    assert hub.store.forgot
    assert (a.closed, b.closed) == (1012, 1012)
    assert hub.rooms == {}
