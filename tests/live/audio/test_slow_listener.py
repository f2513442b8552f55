"""A listener whose sends stall keeps at most 2 s of audio and is never cut
off for it (section 6, "Falling behind"); a send that waits on a future
(the ASGI server's backpressure) is waited for, not taken for a failure."""

import asyncio

import pytest

from live import protocol as p
from live.realtime.sockets import LocalSocket

from .test_bundles import PACKET_60MS

pytestmark = pytest.mark.asyncio


async def test_a_stalled_listener_keeps_the_last_two_seconds_and_stays_open():
    gate = asyncio.Event()
    sent, closed = [], []

    async def send(message):
        await gate.wait()
        sent.append(message)

    async def close(code):
        closed.append(code)

    sock = LocalSocket(send, close, user_id=1, role=p.STUDENT, room=1)
    sock.release()
    bundles = [p.build_bundle(n, n * 360, [PACKET_60MS] * 6) for n in range(40)]
    for n, bundle in enumerate(bundles):  # 14.4 s of audio while the link stalls
        sock.deliver_audio(bundle, n * 360)
    await asyncio.sleep(0)
    assert not sock.closed and not closed
    gate.set()
    for _ in range(50):
        await asyncio.sleep(0)
    got = [m["bytes"] for m in sent]
    # The send that was waiting, then only bundles within 2 s of the newest.
    assert got[0] == bundles[0]
    kept = got[1:]
    assert kept == bundles[-len(kept) :]
    assert (len(kept) - 1) * 360 <= p.MAX_QUEUED_AUDIO_MS
    assert len(kept) == p.MAX_QUEUED_AUDIO_MS // 360 + 1
    assert sock.audio_dropped == 40 - 1 - len(kept)
    assert sock.audio_bytes == sum(map(len, got))


async def test_a_send_waiting_on_backpressure_delivers_everything_after_it():
    # The send waits on a pending future, as a server's drain() does: the
    # socket used to mark itself closed here and go silent for good.
    gate = asyncio.Event()
    sent = []

    async def send(message):
        await gate.wait()
        sent.append(message["text"])

    async def close(code):
        raise AssertionError(code)

    sock = LocalSocket(send, close, user_id=1, role=p.STUDENT, room=1)
    sock.release()
    for n in range(5):
        sock.deliver(f"frame {n}")
    await asyncio.sleep(0.01)
    assert not sock.closed and sock.busy
    gate.set()
    await asyncio.sleep(0.01)
    assert sent == [f"frame {n}" for n in range(5)]
    assert not sock.closed and not sock.busy
