"""
The teacher's voice to N listeners (#13, section 6).

    .venv/bin/python bench/live_audio.py --listeners 1000 --seconds 600

One command: seeds a class of N pupils with an open live session (the bench
database of ``live_fanout.py``), starts ``lms.serve_scale`` with 2 uvicorn
workers on PostgreSQL and Redis, puts the teacher on the first worker and the
pupils on both, sends ``audio.start`` and then one bundle every 360 ms (6
Opus-sized packets of 60 ms at --kbps, as the teacher's page does) for
--seconds, and reports

* the share of bundles that reached every listener (target ≥ 99.5 %),
* send-to-delivery and capture-to-delivery latency, p50/p95 (the bundle's
  first packet is captured 360 ms before the bundle is sent; target p95
  ≤ 500 ms on loopback),
* the workers' CPU per delivered bundle,
* each listener's payload and all-in bit rate (payload plus 78 bytes per
  message: WebSocket 4, TLS 1.3 22, TCP/IPv4 52; target ≤ 20 kbit/s), and
  the server's own per-listener counter (``audio.meter``) against what the
  listeners received (target: within 2 %).

Exit code 1 when a target is missed.
"""

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
import uuid

from live_fanout import (
    REDIS_URL,
    children_of,
    cpu_seconds,
    ensure_database,
    percentile,
    scale_server,
    seed,
)

BUNDLE_MS = 360
PACKETS = 6
OVERHEAD = 4 + 22 + 52


def bundle(seq: int, capture_ms: int, kbps: int) -> bytes:
    size = kbps * 1000 // 8 * 60 // 1000  # bytes of one 60 ms packet
    packet = bytes([11 << 3]) + os.urandom(size - 1)
    body = b"".join(len(packet).to_bytes(2, "big") + packet for _ in range(PACKETS))
    return (
        b"\x41" + seq.to_bytes(4, "big") + capture_ms.to_bytes(4, "big")
        + bytes([PACKETS]) + body
    )  # fmt: skip


class Listener:
    __slots__ = ("got", "payload", "text_bytes", "messages", "closed")

    def __init__(self):
        self.got: dict[int, float] = {}
        self.payload = 0
        self.text_bytes = 0
        self.messages = 0
        self.closed = False

    async def listen(self, ws):
        try:
            async for msg in ws:
                self.messages += 1
                if isinstance(msg, bytes):
                    self.got[int.from_bytes(msg[1:5], "big")] = time.perf_counter()
                    self.payload += len(msg)
                else:
                    self.text_bytes += len(msg.encode())
        except Exception:  # noqa: S110 - counted as closed
            pass
        self.closed = True


async def run(args) -> dict:
    from websockets.asyncio.client import connect

    os.environ["DATABASE_URL"] = ensure_database()
    os.environ["REDIS_URL"] = REDIS_URL
    session_id, tickets, (_, teacher_ticket) = seed(args.listeners)
    env = {
        **os.environ,
        "LOPHOC_REDIS_PREFIX": f"bench-{uuid.uuid4().hex[:8]}",
        "LOPHOC_LOG_LEVEL": "WARNING",
        "LOPHOC_LIVE_RECHECK_SECONDS": "5",
    }
    with scale_server(args.port_base, env) as (ports, proc):
        workers = children_of(proc.pid)

        def url(port, ticket):
            return f"ws://127.0.0.1:{port}/ws/live/{session_id}/?ticket={ticket}"

        async def open_ws(u):
            for attempt in range(6):
                try:
                    ws = await connect(
                        u, origin="http://" + u.split("/")[2], open_timeout=120,
                        ping_interval=None, compression=None, max_queue=None,
                    )  # fmt: skip
                    await asyncio.wait_for(ws.recv(), 120)
                    return ws
                except Exception:
                    if attempt == 5:
                        raise
                    await asyncio.sleep(0.5 * 2**attempt)

        teacher = await open_ws(url(ports[0], teacher_ticket))
        meters = []

        async def teacher_reads():
            async for msg in teacher:
                if isinstance(msg, str) and '"audio.meter"' in msg:
                    meters.append(json.loads(msg))

        asyncio.ensure_future(teacher_reads())
        listeners = [Listener() for _ in tickets]
        sem = asyncio.Semaphore(50)

        async def join(i, ticket):
            async with sem:
                ws = await open_ws(url(ports[i % 2], ticket))
            asyncio.ensure_future(listeners[i].listen(ws))
            return ws

        t_join = time.perf_counter()
        sockets = await asyncio.gather(
            *(join(i, t) for i, (_, t) in enumerate(tickets))
        )
        join_s = time.perf_counter() - t_join
        await asyncio.sleep(3)
        await teacher.send(json.dumps({
            "type": "audio.start", "codec": "opus", "sample_rate": 48000,
            "channels": 1, "frame_ms": 60, "kbps": args.kbps,
        }))  # fmt: skip
        await asyncio.sleep(1)
        for ls in listeners:  # count from the first bundle on
            ls.payload = ls.text_bytes = ls.messages = 0
        sent: dict[int, float] = {}
        count = int(args.seconds * 1000 / BUNDLE_MS)
        cpu0, start = cpu_seconds(workers), time.perf_counter()
        for seq in range(count):
            due = start + seq * BUNDLE_MS / 1000
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            sent[seq] = time.perf_counter()
            await teacher.send(bundle(seq, seq * BUNDLE_MS, args.kbps))
        await asyncio.sleep(2)  # the last bundles land
        cpu1 = cpu_seconds(workers)
        await teacher.send(json.dumps({"type": "audio.stop"}))
        await asyncio.sleep(1)

        delivered = sum(len(ls.got) for ls in listeners)
        transit = [
            (at - sent[seq]) * 1000
            for ls in listeners[:: max(1, len(listeners) // 200)]
            for seq, at in ls.got.items()
        ]
        window = count * BUNDLE_MS / 1000  # what was sent, over its own span
        per_listener = statistics.mean(ls.payload for ls in listeners) / window
        messages = statistics.mean(ls.messages for ls in listeners) / window
        text = statistics.mean(ls.text_bytes for ls in listeners) / window
        server = [m["payload_bytes_per_hour"] / 3600 for m in meters[1:-1]]
        server_rate = statistics.median(server) if server else 0
        result = {
            "listeners": args.listeners,
            "seconds": args.seconds,
            "kbps": args.kbps,
            "join_s": round(join_s, 1),
            "bundles_sent": count,
            "delivered_pct": round(100 * delivered / (count * len(listeners)), 3),
            "closed": sum(ls.closed for ls in listeners),
            "send_to_delivery_p50_ms": round(statistics.median(transit), 1),
            "send_to_delivery_p95_ms": round(percentile(transit, 95), 1),
            "capture_to_delivery_p95_ms": round(percentile(transit, 95) + BUNDLE_MS, 1),
            "cpu_us_per_delivered_bundle": round((cpu1 - cpu0) / delivered * 1e6, 1),
            "payload_kbit_s": round(per_listener * 8 / 1000, 2),
            "text_kbit_s": round(text * 8 / 1000, 2),
            "all_in_kbit_s": round(
                (per_listener + text + messages * OVERHEAD) * 8 / 1000, 2
            ),
            "server_counter_kbit_s": round(server_rate * 8 / 1000, 2),
            "counter_vs_received_pct": round(
                100 * (server_rate - per_listener) / per_listener, 2
            )
            if per_listener
            else None,
        }
        for ws in sockets:
            await ws.close()
        await teacher.close()
        return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--listeners", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=600)
    parser.add_argument("--kbps", type=int, default=12)
    parser.add_argument("--port-base", type=int, default=8301)
    args = parser.parse_args()
    result = asyncio.run(run(args))
    print(json.dumps(result, indent=2))
    ok = (
        result["delivered_pct"] >= 99.5
        and result["capture_to_delivery_p95_ms"] <= 500
        and result["all_in_kbit_s"] <= 20
        and abs(result["counter_vs_received_pct"] or 100) <= 2
    )
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
