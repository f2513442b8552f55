"""
The server ``make run`` starts, with a real WebSocket client (#13, build 3).

The command line is read from ``make -n run`` (the Makefile is the one
place it is written), started on a free port, and spoken to with the
``websockets`` library. Under daphne these close codes came back as 1011
(autobahn refuses 1009/1012/1013); the in-process communicator tests cannot
see that. Covers RT-01 (no login → 4401) against the real server.
"""

import asyncio
import signal
import socket
import subprocess
import time

import pytest
import websockets

from tests.live.server.make_run import ROOT, make_run_command


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def run_server():
    port = free_port()
    command = make_run_command(port)
    proc = subprocess.Popen(command, cwd=ROOT)  # noqa: S603 - from the Makefile
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            assert proc.poll() is None, "make run's server exited"
            assert time.monotonic() < deadline, "make run's server did not start"
            time.sleep(0.2)
    yield port, proc
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        proc.wait(15)


def close_code(port: int, path: str) -> int:
    async def go():
        async with websockets.connect(
            f"ws://127.0.0.1:{port}{path}", origin=f"http://127.0.0.1:{port}"
        ) as ws:
            try:
                await asyncio.wait_for(ws.recv(), 10)
            except websockets.ConnectionClosed:
                pass
            await ws.wait_closed()
            return ws.close_code

    return asyncio.run(go())


def test_make_run_serves_with_uvicorn_and_closes_an_anonymous_socket_with_4401(
    run_server,
):
    """RT-01 against the real `make run` server: no login, no ticket → 4401."""
    port, proc = run_server
    assert close_code(port, "/ws/live/1/") == 4401
    # SIGTERM stops it (serve_scale forwards it to uvicorn) without hanging.
    proc.send_signal(signal.SIGTERM)
    proc.wait(15)
    assert proc.poll() is not None
