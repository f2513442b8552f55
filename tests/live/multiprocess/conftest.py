"""
Fixtures of the tests that start real server processes (daphne, uvicorn,
``lms.serve_scale``, a throwaway ``redis-server``) over PostgreSQL and
Redis. Each test marks itself with ``servers.NEEDS_SERVICES`` (or its own
skip), so the embedded profile skips them and the real-services profile
runs them.
"""

import os
import shutil
import signal
import subprocess
import sys

import pytest
from django.conf import settings

from tests.live.multiprocess.servers import (
    free_port_pair,
    kill_all,
    server_env,
    start_uvicorn,
    wait_listening,
)


def stop(procs, timeout=15) -> None:
    """SIGTERM, then SIGKILL what has not stopped in ``timeout``."""
    for proc in procs:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    for proc in procs:
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture
def servers(transactional_db):
    """``lms.serve_scale`` with two daphne workers: their two ports."""
    base = free_port_pair()
    env = server_env(LOPHOC_LIVE_RECHECK_SECONDS="2")
    proc = subprocess.Popen(
        [sys.executable, "-m", "lms.serve_scale", "--workers", "2",
         "--port-base", str(base), "--server", "daphne"],
        env=env, cwd=settings.BASE_DIR, start_new_session=True,
    )  # fmt: skip
    try:
        wait_listening(base)
        wait_listening(base + 1)
        yield base, base + 1
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.fixture
def two_workers(transactional_db):
    """Two uvicorn processes started one by one, so one can die alone
    (``lms.serve_scale`` stops the whole tier when one worker dies)."""
    env = server_env(LOPHOC_LIVE_PROCESS_TTL="2")
    base = free_port_pair(9500, 9599)
    procs = [start_uvicorn(port, env, wait=False) for port in (base, base + 1)]
    try:
        wait_listening(base)
        wait_listening(base + 1)
        yield (base, base + 1), procs
    finally:
        stop(procs)


@pytest.fixture
def worker(transactional_db):
    """One uvicorn port and ``start()``, which starts (again) a worker on it."""
    env = server_env()
    port = free_port_pair(9700, 9799)
    procs = []

    def start():
        procs.append(start_uvicorn(port, env))
        return procs[-1]

    try:
        yield port, start
    finally:
        kill_all(procs)


@pytest.fixture
def two_daphnes(transactional_db):
    """Two daphne processes on the test database and this test's prefix."""
    env = server_env(DJANGO_ALLOWED_HOSTS="127.0.0.1")
    base = free_port_pair(9540, 9599)
    procs = []
    try:
        for port in (base, base + 1):
            procs.append(
                subprocess.Popen(  # noqa: S603 - fixed argv
                    [
                        sys.executable,
                        "-m",
                        "daphne",
                        "-b",
                        "127.0.0.1",
                        "-p",
                        str(port),
                        "lms.asgi:application",
                    ],
                    cwd=settings.BASE_DIR,
                    env=env,
                    stdout=subprocess.DEVNULL,
                )  # fmt: skip
            )
            wait_listening(port, 30)
        yield [base, base + 1]
    finally:
        stop(procs, timeout=10)


def start_redis(port: int) -> subprocess.Popen:
    proc = subprocess.Popen(  # noqa: S603 - fixed argv
        [shutil.which("redis-server"), "--port", str(port), "--bind", "127.0.0.1",
         "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    wait_listening(port, 15)
    return proc


@pytest.fixture
def worker_and_redis(transactional_db):
    """A uvicorn worker on its own throwaway redis-server (killable)."""
    web_port = free_port_pair(9600, 9699)
    redis_port = web_port + 1
    redis = {"proc": start_redis(redis_port), "port": redis_port, "start": start_redis}
    env = server_env(
        REDIS_URL=f"redis://127.0.0.1:{redis_port}/0", LOPHOC_LOG_LEVEL="ERROR"
    )
    web = start_uvicorn(web_port, env)
    try:
        yield web_port, redis
    finally:
        kill_all([web, redis["proc"]])
