"""Presence in Redis survives a crashed server process (live.realtime.store)."""

import asyncio
import os
import uuid

import pytest

pytestmark = [
    pytest.mark.asyncio,
    pytest.mark.django_db,
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (Redis)"
    ),
]

ROOM = 5


@pytest.fixture
def stores(settings):
    from live.realtime.store import RedisRoomStore, redis_client

    prefix = f"test-reap-{uuid.uuid4().hex[:10]}"

    def make(ttl):
        return RedisRoomStore(redis_client(), prefix, process_ttl=ttl)

    return make


async def test_a_dead_process_s_users_go_offline_once_and_shared_users_stay(stores):
    dead, alive = stores(1), stores(30)
    await dead.join(ROOM, 1, {"name": "An", "role": "student"})
    await dead.join(ROOM, 2, {"name": "Bình", "role": "student"})
    await alive.join(ROOM, 2, {"name": "Bình", "role": "student"})  # 2nd tab
    await alive.join(ROOM, 3, {"name": "Chi", "role": "teacher"})
    await dead.heartbeat()
    await alive.heartbeat()

    # While its heartbeat lives, nobody reaps it.
    assert await alive.reap_dead_processes() == []
    assert await alive.online_count(ROOM) == 3

    await asyncio.sleep(1.3)  # `dead` stops renewing: kill -9
    lost = await alive.reap_dead_processes()
    assert sorted(lost) == [(ROOM, 1, 1), (ROOM, 2, 1)]  # for the attendance
    assert set(await alive.online(ROOM)) == {2, 3}  # Bình has another tab
    assert await alive.reap_dead_processes() == []  # done once

    # Bình's tab on the live process closes normally.
    assert await alive.leave(ROOM, 2) == 0
    assert set(await alive.online(ROOM)) == {3}


async def test_a_reaped_process_that_wakes_up_counts_nothing_twice(stores):
    frozen, alive = stores(1), stores(30)
    await frozen.join(ROOM, 1, {"name": "An", "role": "student"})
    assert await frozen.heartbeat() is True  # first heartbeat
    await alive.heartbeat()
    await asyncio.sleep(1.3)
    assert await alive.reap_dead_processes() == [(ROOM, 1, 1)]

    # It wakes up, joins one more socket, then learns it was reaped.
    await frozen.join(ROOM, 4, {"name": "Dũng", "role": "student"})
    assert await frozen.heartbeat() is True
    await frozen.forget_own_sockets()
    assert await alive.online_count(ROOM) == 0
    # The sockets it closes to resync leave without touching the counts...
    assert await frozen.leave(ROOM, 1, epoch=0) == 0
    await alive.join(ROOM, 1, {"name": "An", "role": "student"})
    assert await frozen.leave(ROOM, 1, epoch=0) == 0
    assert await alive.online_count(ROOM) == 1
    # ...and sockets of the new epoch count as usual.
    await frozen.join(ROOM, 4, {"name": "Dũng", "role": "student"})
    assert await frozen.online_count(ROOM) == 2
    assert await frozen.leave(ROOM, 4, epoch=frozen.epoch) == 0
    assert await alive.online_count(ROOM) == 1
