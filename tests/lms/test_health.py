"""
/healthz says the process is up without touching any service; /readyz checks
the database, Redis when configured, both storages and the task backlog, and
answers 503 naming what failed (issue #19, Build 6).
"""

import socket
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult


def _closed_port() -> int:
    """A local port nobody listens on: bound, then released."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def redis_down(settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{_closed_port()}/0"


def test_readyz_is_ok_when_everything_answers(client, db, settings):
    settings.REDIS_URL = ""
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {
        "database",
        "storage:default",
        "storage:private",
        "taskbacklog",
    }


def test_unreachable_redis_makes_readyz_503_naming_it(client, db, redis_down):
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["redis"]
    assert "Unable to connect" in body["checks"]["redis"]
    assert body["checks"]["database"] == "ok"


def test_healthz_stays_200_while_redis_is_down(client, db, redis_down):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_healthz_runs_no_database_query(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert client.get("/healthz").status_code == 200


def test_an_old_task_backlog_makes_readyz_503(client, transactional_db, settings):
    # The checks run on another thread's connection: the row must be committed.
    settings.REDIS_URL = ""
    task = DBTaskResult.objects.create(
        task_path="notifications.tasks.x",
        args_kwargs={"args": [], "kwargs": {}},
        run_after=timezone.now() - timedelta(hours=1),
        queue_name="default",
        backend_name="default",
        priority=0,
    )
    DBTaskResult.objects.filter(pk=task.pk).update(
        enqueued_at=timezone.now() - timedelta(hours=1)
    )
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["taskbacklog"]


def test_readyz_names_no_secret(client, db, redis_down, settings):
    body = client.get("/readyz").content.decode()
    assert settings.REDIS_URL not in body
    assert "127.0.0.1" not in body


@pytest.mark.skipif(
    connection.vendor != "postgresql"
    or "pool" not in connection.settings_dict.get("OPTIONS", {}),
    reason="needs the PostgreSQL connection pool (DATABASE_URL)",
)
def test_readyz_gives_its_database_connections_back_to_the_pool(client, db, settings):
    # The checks run in executor threads. A connection one of them opens and
    # keeps stays checked out of the pool after the thread ends: a monitoring
    # probe every few seconds would drain the process's pool and every
    # request after would wait for a connection (the CI timeout of 5e510d8).
    settings.REDIS_URL = ""
    pool = connection.pool
    client.get("/readyz")
    stats = pool.get_stats()
    in_use = stats["pool_size"] - stats["pool_available"]
    for _ in range(settings.DB_POOL_MAX + 3):
        assert client.get("/readyz").status_code == 200
    stats = pool.get_stats()
    assert stats["pool_size"] - stats["pool_available"] == in_use
