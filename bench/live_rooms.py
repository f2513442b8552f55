"""
Many live rooms chatting at once (security-tests LD-02).

    .venv/bin/python bench/live_rooms.py --rooms 5 --students 40 --rate 0.2 --seconds 60

One command: seeds R classes of S students each with an open live session
(in the bench database of ``live_fanout.py``), starts ``lms.serve_scale``
with 2 uvicorn workers against PostgreSQL and Redis, connects every student
(alternating between the workers), and lets each one send a chat line at a
random moment every 1/rate seconds on average for --seconds. It reports:

* chat fan-out per delivery: the sender's ``chat.send`` → each member of
  the room (the sender included) receiving the ``chat.message``, p50 / p95 /
  p99, and the last receiver per message (p95);
* messages sent, refused (``error`` frames), stored in PostgreSQL, and
  deliveries missing (every member of a room must get every line of it);
* server CPU of both workers over the run.

Exit code 1 if a delivery was lost, a stored line is missing, or the p95
misses the CI goal of ``docs/security-tests.md`` (250 ms for 200
clients in 5 rooms).
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
    children_of,
    cpu_seconds,
    ensure_database,
    percentile,
    scale_server,
    seed,
)

GOAL_P95_MS = 250


class Student:
    def __init__(self, room: int, ws):
        self.room = room
        self.ws = ws
        self.received: dict[str, float] = {}
        self.refused: set[str] = set()

    async def listen(self):
        try:
            async for text in self.ws:
                frame = json.loads(text)
                if frame["type"] == "chat.message" and frame.get("client_id"):
                    self.received[frame["client_id"]] = time.perf_counter()
                elif frame["type"] == "error":
                    self.refused.add(frame.get("ref", {}).get("client_id"))
        except Exception:  # noqa: S110 - a closed socket shows up as losses
            pass


async def run(args) -> dict:
    from websockets.asyncio.client import connect

    os.environ["DATABASE_URL"] = ensure_database()
    os.environ["REDIS_URL"] = REDIS_URL
    rooms = [seed(args.students) for _ in range(args.rooms)]
    env = {
        **os.environ,
        "LOPHOC_REDIS_PREFIX": f"bench-{uuid.uuid4().hex[:8]}",
        "LOPHOC_LOG_LEVEL": "WARNING",
    }
    with scale_server(args.port_base, env) as (ports, proc):
        workers = children_of(proc.pid)
        students: list[Student] = []
        for r, (session_id, tickets, _teacher) in enumerate(rooms):
            for i, (_uid, ticket) in enumerate(tickets):
                port = ports[(r + i) % 2]
                ws = await connect(
                    f"ws://127.0.0.1:{port}/ws/live/{session_id}/?ticket={ticket}",
                    origin=f"http://127.0.0.1:{port}",
                    compression=None,
                    ping_interval=None,
                    max_queue=None,
                )
                await ws.recv()  # room.state
                students.append(Student(r, ws))
        readers = [asyncio.ensure_future(s.listen()) for s in students]
        await asyncio.sleep(2)

        sent: dict[str, tuple[int, float]] = {}
        stop_at = time.perf_counter() + args.seconds

        async def talk(k: int, student: Student):
            n = 0
            while True:
                await asyncio.sleep(random.expovariate(args.rate))  # noqa: S311
                if time.perf_counter() >= stop_at:
                    return
                cid = f"r{student.room}-s{k}-{n}"
                n += 1
                sent[cid] = (student.room, time.perf_counter())
                await student.ws.send(
                    json.dumps(
                        {"type": "chat.send", "text": "Em hiểu rồi ạ", "client_id": cid}
                    )
                )

        cpu0 = cpu_seconds(workers)
        await asyncio.gather(*(talk(k, s) for k, s in enumerate(students)))
        await asyncio.sleep(3)  # the last lines arrive
        cpu = cpu_seconds(workers) - cpu0

        members: dict[int, list[Student]] = {}
        for s in students:
            members.setdefault(s.room, []).append(s)
        # Refused lines (over the chat limit of 5 per 10 s) are not sent on.
        refused = set().union(*(s.refused for s in students))
        deliveries, lasts, missing = [], [], 0
        for cid, (room, t0) in sent.items():
            if cid in refused:
                continue
            got = [s.received[cid] for s in members[room] if cid in s.received]
            missing += len(members[room]) - len(got)
            deliveries += [(t - t0) * 1000 for t in got]
            if got:
                lasts.append((max(got) - t0) * 1000)
        errors = len(refused)
        stored = stored_lines([session for session, _t, _teacher in rooms])
        for s in students:
            await s.ws.close()
        for task in readers:
            task.cancel()
        return {
            "rooms": args.rooms,
            "students_per_room": args.students,
            "rate_per_student": args.rate,
            "seconds": args.seconds,
            "sent": len(sent),
            "refused": errors,
            "stored": stored,
            "deliveries": len(deliveries),
            "missing_deliveries": missing,
            "p50_ms": round(statistics.median(deliveries), 1),
            "p95_ms": round(percentile(deliveries, 95), 1),
            "p99_ms": round(percentile(deliveries, 99), 1),
            "last_receiver_p95_ms": round(percentile(lasts, 95), 1),
            "server_cpu_s": round(cpu, 2),
            "load_before": args.load,
        }


def stored_lines(session_ids) -> int:
    from live.models import ChatMessage

    return ChatMessage.objects.filter(session_id__in=session_ids).count()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rooms", type=int, default=5)
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--rate", type=float, default=0.2, help="lines/s per student")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--port-base", type=int, default=8201)
    args = parser.parse_args()
    args.load = open("/proc/loadavg").read().split()[:3]  # noqa: SIM115
    result = asyncio.run(run(args))
    print(json.dumps(result))
    ok = (
        result["missing_deliveries"] == 0
        and result["stored"] == result["sent"] - result["refused"]
        and result["p95_ms"] < GOAL_P95_MS
    )
    print(
        f"{args.rooms} rooms × {args.students} students, {args.rate}/s each, "
        f"{args.seconds:.0f} s: sent {result['sent']}, refused {result['refused']}, "
        f"stored {result['stored']}, missing deliveries {result['missing_deliveries']} | "
        f"fan-out p50/p95/p99 {result['p50_ms']}/{result['p95_ms']}/{result['p99_ms']} ms, "
        f"last receiver p95 {result['last_receiver_p95_ms']} ms | "
        f"server CPU {result['server_cpu_s']} s | {'OK' if ok else 'FAILED'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
