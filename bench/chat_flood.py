"""
One client floods a live room (security-tests WS-09).

    .venv/bin/python bench/chat_flood.py --students 40 --flood-rate 100 --seconds 10 --rounds 5

One command: seeds a class of S students with an open live session (the
bench database of ``live_fanout.py``), starts ``lms.serve_scale`` with 2
uvicorn workers against PostgreSQL and Redis and connects every student
(alternating between the workers). Every student but one chats at --rate
lines a second; the fan-out of their lines (``chat.send`` → each member's
``chat.message``) is measured for --seconds without a flood, then for
--seconds while the last student sends --flood-rate ``chat.send`` frames a
second. It reports both p95s, what the flooder got back (``rate_limited``
errors, or a close) and how many of its lines were stored.

Exit code 1 if the flood was not throttled, a polite line was lost, or the
others' p95 rose by 20 % or more (the WS-09 figure; a 5 ms floor keeps
sub-millisecond jitter on a loopback from counting as a rise).
"""

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import time
import uuid

from live_fanout import (
    REDIS_URL,
    ensure_database,
    percentile,
    scale_server,
    seed,
)

RISE_LIMIT = 0.20
FLOOR_MS = 5.0


class Member:
    def __init__(self, ws):
        self.ws = ws
        self.received: dict[str, float] = {}
        self.errors: dict[str, int] = {}
        self.refused: set[str] = set()

    async def listen(self):
        try:
            async for text in self.ws:
                frame = json.loads(text)
                if frame["type"] == "chat.message" and frame.get("client_id"):
                    self.received[frame["client_id"]] = time.perf_counter()
                elif frame["type"] == "error":
                    code = frame["code"]
                    self.errors[code] = self.errors.get(code, 0) + 1
                    self.refused.add(frame.get("ref", {}).get("client_id"))
        except Exception:  # noqa: S110 - a close shows up as missing lines
            pass


async def phase(polite, flooder, seconds, rate, flood_rate, tag):
    """Polite members chat; the flooder floods when flood_rate > 0."""
    sent: dict[str, float] = {}
    stop_at = time.perf_counter() + seconds

    async def talk(k, member):
        n = 0
        while True:
            await asyncio.sleep(random.expovariate(rate))  # noqa: S311
            if time.perf_counter() >= stop_at:
                return
            cid = f"{tag}-{k}-{n}"
            n += 1
            sent[cid] = time.perf_counter()
            await member.ws.send(
                json.dumps({"type": "chat.send", "text": "Em hiểu ạ", "client_id": cid})
            )

    async def flood():
        n, interval = 0, 1 / flood_rate
        while time.perf_counter() < stop_at:
            try:
                await flooder.ws.send(
                    json.dumps(
                        {"type": "chat.send", "text": "spam", "client_id": f"f{tag}{n}"}
                    )
                )
            except Exception:  # the server closed it (1008 would be allowed)
                return n, True
            n += 1
            await asyncio.sleep(interval)
        return n, False

    jobs = [talk(k, m) for k, m in enumerate(polite)]
    if flood_rate:
        jobs.append(flood())
    results = await asyncio.gather(*jobs)
    await asyncio.sleep(2)  # the last lines arrive
    everyone = [*polite, flooder]
    # Lines over a polite member's own chat limit (5 per 10 s) are refused
    # to them and sent to nobody: not a loss.
    refused = set().union(*(m.refused for m in polite))
    deliveries, missing = [], 0
    for cid, t0 in sent.items():
        if cid in refused:
            continue
        got = [m.received[cid] for m in everyone if cid in m.received]
        missing += len(everyone) - len(got)
        deliveries += [(t - t0) * 1000 for t in got]
    return {
        "sent": len(sent),
        "refused": len(refused & set(sent)),
        "missing": missing,
        "deliveries": deliveries,
        "flood_frames": results[-1][0] if flood_rate else 0,
        "flooder_closed": results[-1][1] if flood_rate else False,
    }


def pooled(phases) -> dict:
    """The rounds of one kind of phase, added up."""
    deliveries = [d for ph in phases for d in ph.pop("deliveries")]
    total = {key: sum(ph[key] for ph in phases) for key in phases[0]}
    total["flooder_closed"] = any(ph["flooder_closed"] for ph in phases)
    total["p50_ms"] = round(statistics.median(deliveries), 2)
    total["p95_ms"] = round(percentile(deliveries, 95), 2)
    return total


async def run(args) -> dict:
    from websockets.asyncio.client import connect

    os.environ["DATABASE_URL"] = ensure_database()
    os.environ["REDIS_URL"] = REDIS_URL
    session_id, tickets, _teacher = seed(args.students)
    env = {
        **os.environ,
        "LOPHOC_REDIS_PREFIX": f"bench-{uuid.uuid4().hex[:8]}",
        "LOPHOC_LOG_LEVEL": "WARNING",
    }
    with scale_server(args.port_base, env) as (ports, proc):
        members = []
        for i, (_uid, ticket) in enumerate(tickets):
            port = ports[i % 2]
            ws = await connect(
                f"ws://127.0.0.1:{port}/ws/live/{session_id}/?ticket={ticket}",
                origin=f"http://127.0.0.1:{port}",
                compression=None,
                ping_interval=None,
                max_queue=None,
            )
            await ws.recv()  # room.state
            members.append(Member(ws))
        readers = [asyncio.ensure_future(m.listen()) for m in members]
        await asyncio.sleep(2)
        polite, flooder = members[:-1], members[-1]
        # Quiet and flooded windows alternate, so a drift of the machine's
        # own load falls on both alike.
        quiets, louds = [], []
        for r in range(args.rounds):
            quiets.append(
                await phase(polite, flooder, args.seconds, args.rate, 0, f"q{r}")
            )
            louds.append(
                await phase(
                    polite, flooder, args.seconds, args.rate, args.flood_rate, f"l{r}"
                )
            )
        quiet, loud = pooled(quiets), pooled(louds)
        flooder_uid = tickets[-1][0]
        stored = stored_lines(session_id, flooder_uid)
        for m in members:
            await m.ws.close()
        for task in readers:
            task.cancel()
        return {
            "students": args.students,
            "polite_rate": args.rate,
            "flood_rate": args.flood_rate,
            "seconds": args.seconds,
            "rounds": args.rounds,
            "quiet": quiet,
            "flood": loud,
            "flooder_errors": flooder.errors,
            "flooder_lines_stored": stored,
            "load_before": args.load,
        }


def stored_lines(session_id, user_id) -> int:
    from live.models import ChatMessage

    return ChatMessage.objects.filter(session_id=session_id, author_id=user_id).count()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--rate", type=float, default=0.3, help="lines/s per student")
    parser.add_argument("--flood-rate", type=float, default=100)
    parser.add_argument("--seconds", type=float, default=10, help="per window")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--port-base", type=int, default=8221)
    args = parser.parse_args()
    args.load = open("/proc/loadavg").read().split()[:3]  # noqa: SIM115
    result = asyncio.run(run(args))
    print(json.dumps(result, ensure_ascii=False))
    quiet, loud = result["quiet"], result["flood"]
    rise = loud["p95_ms"] / quiet["p95_ms"] - 1
    allowed = max(quiet["p95_ms"] * (1 + RISE_LIMIT), quiet["p95_ms"] + FLOOR_MS)
    throttled = (
        bool(result["flooder_errors"].get("rate_limited")) or loud["flooder_closed"]
    )
    ok = (
        throttled
        and quiet["missing"] == loud["missing"] == 0
        and loud["p95_ms"] <= allowed
    )
    print(
        f"{args.students} students, one sending {loud['flood_frames']} frames in "
        f"{args.rounds} × {args.seconds:.0f} s: others' fan-out p95 "
        f"{quiet['p95_ms']} ms quiet, {loud['p95_ms']} ms under the flood "
        f"({rise:+.0%}; allowed {allowed:.2f}) | flooder got "
        f"{result['flooder_errors']} and {result['flooder_lines_stored']} lines "
        f"stored | missing {quiet['missing']}+{loud['missing']} | "
        f"{'OK' if ok else 'FAILED'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
