"""
Real WebSocket clients (``websockets``) for the tests that talk to real
server processes. Every frame they receive is checked against the contract
(``tests/live/frames.py``), as the communicator tests' frames are.
"""

import asyncio
import json
import time

from websockets.asyncio.client import connect as ws_connect
from websockets.exceptions import ConnectionClosed

from tests.live.frames import check_text


async def connect(port: int, session_id: int, ticket: str, open_timeout=20):
    """A socket to a room on ``port``, authenticated by ``ticket``."""
    return await ws_connect(
        f"ws://127.0.0.1:{port}/ws/live/{session_id}/?ticket={ticket}",
        origin=f"http://127.0.0.1:{port}",
        open_timeout=open_timeout,
    )


async def receive(ws) -> dict:
    """The next frame, checked."""
    return check_text(await ws.recv())


async def join_with_state(port, session, ticket, timeout=20):
    """A socket and its first frame, which must be ``room.state``."""
    ws = await connect(port, session.pk, ticket)
    state = await asyncio.wait_for(receive(ws), timeout)
    assert state["type"] == "room.state"
    return ws, state


async def open_socket(port, session, ticket):
    ws, _state = await join_with_state(port, session, ticket)
    return ws


async def until(ws, predicate, timeout=15):
    """The first frame (each one checked) for which ``predicate`` holds."""

    async def loop():
        while True:
            frame = await receive(ws)
            if predicate(frame):
                return frame

    return await asyncio.wait_for(loop(), timeout)


async def close_code_of(ws, timeout=15):
    """Read (and check) frames until the server closes; its close code."""

    async def loop():
        try:
            while True:
                await receive(ws)
        except ConnectionClosed as closed:
            return closed.rcvd.code if closed.rcvd else None

    return await asyncio.wait_for(loop(), timeout)


class Client:
    """A socket whose frames a background task collects (and checks)."""

    def __init__(self, user, ws):
        self.user, self.ws = user, ws
        self.frames: list[dict] = []
        self.binary: list[bytes] = []  # audio bundles, in arrival order
        self.reader = asyncio.ensure_future(self._read())

    async def _read(self):
        async for message in self.ws:
            if isinstance(message, bytes):
                self.binary.append(message)
            else:
                self.frames.append(check_text(message))

    async def wait(self, kind, count=1, timeout=20):
        deadline = time.monotonic() + timeout
        while sum(f["type"] == kind for f in self.frames) < count:
            assert time.monotonic() < deadline, (kind, self.frames[-5:])
            await asyncio.sleep(0.02)
        return [f for f in self.frames if f["type"] == kind][count - 1]

    def of(self, kind):
        return [f for f in self.frames if f["type"] == kind]

    async def send(self, **frame):
        await self.ws.send(json.dumps(frame))


async def open_client(user, ticket, port, session_id, timeout=20):
    """A ``Client`` in the room, once its ``room.state`` arrived."""
    client = Client(user, await connect(port, session_id, ticket, timeout))
    await client.wait("room.state", timeout=timeout)
    return client
