"""
One connected client as the hub sees it: frames are held until its
``room.state`` went out, written straight to its ASGI ``send``, queued
while a send waits, and the socket is cut off (1013) when it falls too far
behind.

Audio bundles (binary) queue apart from text frames: a socket that falls
behind keeps at most ``MAX_QUEUED_AUDIO_MS`` of them, dropping the oldest,
so a student on a stalled link resumes at the live edge and is never cut
off for audio.
"""

import asyncio
from collections import deque

from live import protocol as p

MAX_QUEUE = 256  # frames waiting for one slow socket before it is cut off


async def _wait_for(yielded) -> None:
    """Wait, as a task would, for what a send driven by hand yielded.

    A pending future comes out of the send's ``await`` already marked as
    waited for (``_asyncio_future_blocking``); awaiting it again as is makes
    asyncio's C future refuse ("await wasn't used with future"), and the
    send then failed. So the mark is handed over first, as a task does.
    """
    if yielded is None:
        await asyncio.sleep(0)
        return
    if getattr(yielded, "_asyncio_future_blocking", False):
        yielded._asyncio_future_blocking = False
    await yielded


class LocalSocket:
    """One connected client as the hub sees it."""

    __slots__ = (
        "send",
        "close_cb",
        "user_id",
        "role",
        "room",
        "session_key",
        "held",
        "queue",
        "busy",
        "closed",
        "epoch",
        "listening",
        "audio",
        "audio_bytes",
        "audio_dropped",
    )

    def __init__(
        self,
        send,
        close_cb,
        *,
        user_id,
        role,
        room,
        session_key=None,
        listening=True,
    ):
        self.send = send
        self.close_cb = close_cb
        self.user_id = user_id
        self.role = role
        self.room = room
        self.session_key = session_key
        self.held: list[str] | None = []  # frames before the snapshot is sent
        self.queue: deque[str] = deque()
        self.busy = False
        self.closed = False
        self.epoch = 0  # the store's epoch when this socket was counted in
        self.listening = listening  # audio.listen; off for a data-saver join
        self.audio: deque[tuple[bytes, int]] = deque()  # (bundle, capture ms)
        self.audio_bytes = 0  # audio bytes sent, the meter's counter
        self.audio_dropped = 0  # bundles dropped for falling behind

    def deliver(self, text: str) -> None:
        if self.closed:
            return
        if self.held is not None:
            self.held.append(text)
            if len(self.held) > MAX_QUEUE:
                self.cut_off(p.CLOSE_SLOW)
            return
        if self.busy:
            if len(self.queue) >= MAX_QUEUE:
                self.cut_off(p.CLOSE_SLOW)
            else:
                self.queue.append(text)
            return
        self._start({"type": "websocket.send", "text": text})

    def _start(self, message: dict) -> None:
        coro = self.send(message)
        try:
            # Most ASGI servers finish a send without suspending; only a
            # send that really waits gets a task (a task per recipient costs
            # ~25 µs per delivery).
            yielded = coro.send(None)
        except StopIteration:
            return
        except Exception:
            self.closed = True
            return
        self.busy = True
        asyncio.ensure_future(self._finish(coro, yielded))

    def deliver_audio(self, bundle: bytes, capture_ms: int) -> None:
        """An audio bundle as a binary frame; while a send waits, keep at
        most 2 s of audio, dropping the oldest."""
        if self.closed or self.held is not None:
            return  # before room.state: it starts at the live edge after it
        if self.busy:
            queue = self.audio
            queue.append((bundle, capture_ms))
            while capture_ms - queue[0][1] > p.MAX_QUEUED_AUDIO_MS:
                queue.popleft()
                self.audio_dropped += 1
            return
        self.audio_bytes += len(bundle)
        self._start({"type": "websocket.send", "bytes": bundle})

    def take_audio_bytes(self) -> int:
        """The audio bytes sent since the last call (the meter's reading)."""
        sent, self.audio_bytes = self.audio_bytes, 0
        return sent

    async def _finish(self, coro, yielded) -> None:
        try:
            while True:
                try:
                    await _wait_for(yielded)
                except asyncio.CancelledError:
                    coro.close()
                    raise
                except Exception:  # noqa: S110 - the coroutine re-raises it
                    pass
                try:
                    yielded = coro.send(None)
                except StopIteration:
                    break
            while (self.queue or self.audio) and not self.closed:
                if self.queue:
                    message = {"type": "websocket.send", "text": self.queue.popleft()}
                else:
                    bundle = self.audio.popleft()[0]
                    self.audio_bytes += len(bundle)
                    message = {"type": "websocket.send", "bytes": bundle}
                await self.send(message)
        except Exception:
            self.closed = True
        finally:
            self.busy = False

    def release(self) -> None:
        """Send what arrived while the snapshot was prepared, then go live."""
        held, self.held = self.held or [], None
        for text in held:
            self.deliver(text)

    def cut_off(self, code: int) -> None:
        if not self.closed:
            self.closed = True
            self.queue.clear()
            self.audio.clear()
            asyncio.ensure_future(self.close_cb(code))
