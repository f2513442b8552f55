"""The channel-layer settings that avoid the known failures (perf-baseline)."""

import importlib

import pytest


@pytest.fixture
def redis_settings(monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/9")
    import lms.settings

    module = importlib.reload(lms.settings)
    yield module
    monkeypatch.delenv("REDIS_URL")
    importlib.reload(lms.settings)


def test_redis_layer_socket_timeout_exceeds_the_5s_blocking_read(redis_settings):
    host = redis_settings.CHANNEL_LAYERS["default"]["CONFIG"]["hosts"][0]
    assert host["socket_timeout"] > 5


def test_redis_layer_has_a_large_connection_pool_and_capacity(redis_settings):
    config = redis_settings.CHANNEL_LAYERS["default"]["CONFIG"]
    assert config["hosts"][0]["max_connections"] >= 1000
    assert config["capacity"] >= 1000


def test_room_store_pool_waits_instead_of_raising_and_outlives_5s(settings):
    settings.REDIS_URL = "redis://127.0.0.1:6379/9"
    from redis.asyncio import BlockingConnectionPool

    from live.realtime.store import redis_client

    client = redis_client()
    pool = client.connection_pool
    assert isinstance(pool, BlockingConnectionPool)
    assert pool.connection_kwargs["socket_timeout"] > 5
    assert pool.max_connections >= 100


def test_live_consumer_bypasses_the_channel_layer():
    from channels.layers import get_channel_layer

    from live.realtime.consumers import ClassroomConsumer

    assert get_channel_layer(ClassroomConsumer.channel_layer_alias) is None
