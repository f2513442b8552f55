"""Real server processes for the live tests that need them (PostgreSQL)."""

import asyncio
import os
import socket
import subprocess
import time

import pytest
from django.conf import settings
from django.db import connection

from lms.serve_scale import server_command

# The tests that start real servers over PostgreSQL and Redis: skipped in
# the embedded profile, run by `make test`'s real-services profile.
NEEDS_SERVICES = [
    pytest.mark.services,
    pytest.mark.skipif(
        not (os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL")),
        reason="needs DATABASE_URL and REDIS_URL (PostgreSQL + Redis)",
    ),
]


async def query(fn, *args):
    """
    ``fn(*args)`` in a worker thread, whose database connection is closed
    after. ``asyncio.to_thread`` alone leaves each thread's connection checked
    out of the PostgreSQL pool when the loop ends: a few tests of that kind
    used up its twelve and every later test waited 30 s for one.
    """

    def run():
        try:
            return fn(*args)
        finally:
            connection.close()

    return await asyncio.to_thread(run)


def free_port_pair(low=9400, high=9499) -> int:
    span = (high - low + 1) // 2
    start = (os.getpid() % span) * 2
    for offset in range(0, span * 2, 2):
        base = low + (start + offset) % (span * 2)
        try:
            for port in (base, base + 1):
                with socket.socket() as s:
                    s.bind(("127.0.0.1", port))
        except OSError:
            continue
        return base
    raise RuntimeError(f"no free ports in {low}-{high}")


def wait_listening(port, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"server on {port} did not start")


def server_env(**extra: str) -> dict:
    """A server's environment: the test database and this test's prefix."""
    db = settings.DATABASES["default"]
    name = connection.settings_dict["NAME"]
    return {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{name}",
        "DJANGO_SETTINGS_MODULE": "lms.settings",
        "LOPHOC_REDIS_PREFIX": settings.LIVE_REDIS_PREFIX,
        "LOPHOC_LOG_LEVEL": "WARNING",
        # The servers keep files (audio recordings) where this test reads them.
        "LOPHOC_PRIVATE_MEDIA_ROOT": str(
            settings.STORAGES["private"]["OPTIONS"]["location"]
        ),
        **extra,
    }


def start_uvicorn(port: int, env: dict, *, wait: bool = True) -> subprocess.Popen:
    proc = subprocess.Popen(  # noqa: S603 - fixed argv
        server_command("uvicorn", "127.0.0.1", port), env=env, cwd=settings.BASE_DIR
    )
    if wait:
        wait_listening(port)
    return proc


def kill_all(procs) -> None:
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
        proc.wait(10)
