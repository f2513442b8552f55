"""
Live-room fan-out benchmark: N simulated students in one room.

    .venv/bin/python bench/live_fanout.py --clients 3000 [--server uvicorn|daphne|both]

One command does everything: creates (or reuses) its own PostgreSQL
database, bulk-seeds a class of N students (no password hashing), starts
``lms.serve_scale`` with 2 workers on ports 8001+ against PostgreSQL and
Redis, connects N ``websockets`` clients with tickets spread across the
workers, and measures

* join time (all N have their ``room.state``),
* chat broadcast latency to the last receiver (p50/p99 over --broadcasts,
  spaced to respect the teacher's chat limit of 5 per 10 s),
* server CPU per delivery (utime+stime of the workers from /proc),
* server memory per connection (workers' RSS growth / N),
* that no connection dropped over --idle seconds,

then runs a plain ``websockets`` broadcast server at the same N (the floor)
in the same run. Results go to stdout as a table and JSON.
"""

import argparse
import asyncio
import contextlib
import gc
import json
import os
import resource
import signal
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_BASE = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
BENCH_DB = os.environ.get("BENCH_DB", "lophoc_d_bench")
REDIS_URL = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/5")
TICK = os.sysconf("SC_CLK_TCK")
# The bench seeds through the ORM from inside its event loop (nothing else
# runs concurrently there).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


# -- setup -----------------------------------------------------------------
def ensure_database() -> str:
    import psycopg

    url = f"{PG_BASE}/{BENCH_DB}"
    with psycopg.connect(f"{PG_BASE}/postgres", autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB]
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{BENCH_DB}"')
    env = {**os.environ, "DATABASE_URL": url, "REDIS_URL": REDIS_URL}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT, env=env, check=True,
    )  # fmt: skip
    return url


def seed(n: int) -> tuple[int, list[tuple[int, str]], tuple[int, str]]:
    """A fresh class of n students; returns session id, student and teacher tickets."""
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")
    django.setup()
    from django.utils import timezone

    from accounts.models import Role, User
    from classrooms.models import Classroom, Enrollment, School
    from live.models import LiveSession, SessionStatus
    from live.rooms.services import issue_ticket

    tag = uuid.uuid4().hex[:8]
    school = School.objects.create(name=f"Bench {tag}", slug=f"bench-{tag}")
    teacher = User.objects.create(
        username=f"bt-{tag}", display_name="Cô Bench", role=Role.TEACHER, password="!"
    )
    classroom = Classroom.objects.create(
        school=school, name=f"B{tag}", grade=6, school_year="2026-2027",
        homeroom_teacher=teacher,
    )  # fmt: skip
    students = User.objects.bulk_create(
        [
            User(username=f"bs-{tag}-{i}", display_name=f"Học sinh {i}", password="!")
            for i in range(n)
        ],
        batch_size=2000,
    )
    Enrollment.objects.bulk_create(
        [Enrollment(classroom=classroom, student=s) for s in students], batch_size=2000
    )
    session = LiveSession.objects.create(
        classroom=classroom, title="Bench", scheduled_at=timezone.now(),
        status=SessionStatus.LIVE, opened_at=timezone.now(), created_by=teacher,
    )  # fmt: skip
    tickets = [
        (s.pk, issue_ticket(user=s, session=session, ttl=3600)["ticket"])
        for s in students
    ]
    teacher_ticket = (teacher.pk, issue_ticket(user=teacher, session=session)["ticket"])
    return session.pk, tickets, teacher_ticket


# -- /proc -----------------------------------------------------------------
def children_of(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(x) for x in path.read_text().split()] if path.exists() else []


def cpu_seconds(pids) -> float:
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / TICK


def rss_bytes(pids) -> int:
    total = 0
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) * 1024
    return total


def wait_port(port: int, timeout=60) -> None:
    import socket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"nothing listening on {port}")


@contextlib.contextmanager
def scale_server(port_base: int, env: dict, server: str | None = None):
    """``lms.serve_scale`` with 2 workers on ``port_base`` and the next port,
    started with ``env`` and stopped (its whole process group) on exit;
    yields the two ports and the process, once both ports answer."""
    command = [sys.executable, "-m", "lms.serve_scale", "--workers", "2",
               "--port-base", str(port_base)]  # fmt: skip
    if server:
        command += ["--server", server]
    proc = subprocess.Popen(
        command, cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL
    )
    try:
        ports = [port_base, port_base + 1]
        for port in ports:
            wait_port(port)
        time.sleep(1)
        yield ports, proc
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


# -- clients -------------------------------------------------------------------
class Crowd:
    """N student sockets that timestamp each chat frame they receive."""

    def __init__(self):
        self.received: dict[str, list[float]] = {}
        self.sockets = []
        self.closed = 0
        self.retries = 0

    async def join(self, urls: list[str], origin_of, concurrency=50) -> float:
        from websockets.asyncio.client import connect

        sem = asyncio.Semaphore(concurrency)
        started = time.perf_counter()

        async def one(url):
            async with sem:
                for attempt in range(6):  # a real client retries with backoff
                    try:
                        ws = await connect(
                            url, origin=origin_of(url), open_timeout=120,
                            ping_interval=None, compression=None, max_queue=None,
                        )  # fmt: skip
                        break
                    except Exception:
                        self.retries += 1
                        if attempt == 5:
                            raise
                        await asyncio.sleep(0.5 * 2**attempt)
                await asyncio.wait_for(ws.recv(), 120)  # room.state / hello
            self.sockets.append(ws)
            asyncio.ensure_future(self.listen(ws))

        await asyncio.gather(*(one(u) for u in urls))
        elapsed = time.perf_counter() - started
        # This process measures: keep its own full collections of thousands
        # of client objects out of the latencies (same for both servers).
        gc.collect()
        gc.freeze()
        return elapsed

    async def listen(self, ws):
        try:
            async for msg in ws:
                if '"chat.message"' in msg:
                    now = time.perf_counter()
                    cid = json.loads(msg)["client_id"]
                    self.received.setdefault(cid, []).append(now)
        except Exception:  # noqa: S110 - counted below
            pass
        self.closed += 1

    async def wait_all(self, cid: str, n: int, timeout=30.0) -> list[float]:
        deadline = time.perf_counter() + timeout
        while len(self.received.get(cid, ())) < n and time.perf_counter() < deadline:
            await asyncio.sleep(0.005)
        return self.received.get(cid, [])


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]


async def measure(crowd: Crowd, n: int, send, broadcasts: int, spacing: float):
    lat = []
    for k in range(broadcasts):
        cid = f"b{k}-{uuid.uuid4().hex[:6]}"
        t0 = time.perf_counter()
        await send(cid)
        got = await crowd.wait_all(cid, n)
        if len(got) < n:
            print(f"  broadcast {k}: only {len(got)}/{n} received", file=sys.stderr)
        if got:
            lat.append((max(got) - t0) * 1000)
        await asyncio.sleep(max(0.0, spacing - (time.perf_counter() - t0)))
    return lat


# -- the Lophoc run ------------------------------------------------------------------
async def run_lophoc(args, server: str) -> dict:
    from websockets.asyncio.client import connect

    db_url = ensure_database()
    os.environ["DATABASE_URL"] = db_url
    os.environ["REDIS_URL"] = REDIS_URL
    session_id, tickets, (teacher_id, teacher_ticket) = seed(args.clients)
    prefix = f"bench-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "LOPHOC_REDIS_PREFIX": prefix,
        "LOPHOC_LOG_LEVEL": "WARNING",
        "LOPHOC_LIVE_RECHECK_SECONDS": "5",
    }
    with scale_server(args.port_base, env, server) as (ports, proc):
        workers = children_of(proc.pid)

        def url(i, ticket):
            return (
                f"ws://127.0.0.1:{ports[i % 2]}/ws/live/{session_id}/?ticket={ticket}"
            )

        def origin(u):
            return "http://" + u.split("/")[2]

        teacher = await connect(
            url(0, teacher_ticket), origin=origin(url(0, teacher_ticket)),
            ping_interval=None, compression=None, max_size=2**24, max_queue=None,
        )  # fmt: skip
        await teacher.recv()
        # Read everything the teacher gets (roster diffs, chat): an unread
        # socket would be cut off by the server's slow-client policy.
        asyncio.ensure_future(Crowd().listen(teacher))
        rss0 = rss_bytes(workers)
        crowd = Crowd()
        urls = [url(i, t) for i, (_, t) in enumerate(tickets)]
        join = await crowd.join(urls, origin)
        await asyncio.sleep(3)  # joins settle; presence ticks; gc.freeze
        rss1 = rss_bytes(workers)

        async def send(cid):
            await teacher.send(
                json.dumps(
                    {"type": "chat.send", "text": "Chào cả lớp", "client_id": cid}
                )
            )

        # Background work (presence ticks, access re-checks) at rest, so the
        # per-delivery figure can be given net of it too.
        idle0 = cpu_seconds(workers)
        await asyncio.sleep(5)
        idle_rate = (cpu_seconds(workers) - idle0) / 5
        cpu0, t0 = cpu_seconds(workers), time.perf_counter()
        lat = await measure(crowd, args.clients, send, args.broadcasts, 2.05)
        cpu1, window = cpu_seconds(workers), time.perf_counter() - t0
        deliveries = len(lat) * args.clients
        await asyncio.sleep(args.idle)
        dropped = crowd.closed
        for ws in crowd.sockets:
            await ws.close()
        await teacher.close()
        return {
            "server": server,
            "clients": args.clients,
            "join_s": round(join, 2),
            "p50_ms": round(statistics.median(lat), 1),
            "p99_ms": round(percentile(lat, 99), 1),
            "cpu_us_per_delivery": round((cpu1 - cpu0) / deliveries * 1e6, 1),
            "cpu_us_per_delivery_net": round(
                (cpu1 - cpu0 - idle_rate * window) / deliveries * 1e6, 1
            ),
            "kib_per_connection": round((rss1 - rss0) / args.clients / 1024, 1),
            "dropped_after_idle": dropped,
            "handshake_retries": crowd.retries,
            "idle_s": args.idle,
            "window_s": round(window, 1),
            "samples_ms": [round(x) for x in lat],
        }


# -- the floor: plain websockets broadcast --------------------------------------
async def floor_server(port: int) -> None:
    from websockets.asyncio.server import broadcast, serve

    clients = set()

    async def handler(ws):
        clients.add(ws)
        await ws.send('{"type":"hello"}')
        try:
            async for msg in ws:
                frame = {
                    "type": "chat.message", "id": 1, "client_id": msg,
                    "author": {"user_id": 1, "name": "Cô Bench", "role": "teacher"},
                    "text": "Chào cả lớp", "sent_at": "2026-11-22T08:00:00.000Z",
                }  # fmt: skip
                broadcast(clients, json.dumps(frame, ensure_ascii=False))
        finally:
            clients.discard(ws)

    async with serve(handler, "127.0.0.1", port, compression=None, ping_interval=None):
        await asyncio.Future()


async def run_floor(args) -> dict:
    from websockets.asyncio.client import connect

    port = args.port_base + 50
    proc = subprocess.Popen(
        [sys.executable, __file__, "--floor-server", str(port)], start_new_session=True
    )
    try:
        wait_port(port)
        u = f"ws://127.0.0.1:{port}/"
        crowd = Crowd()
        join = await crowd.join([u] * args.clients, lambda _: "http://127.0.0.1")
        trigger = await connect(u, compression=None, ping_interval=None)
        await trigger.recv()
        await asyncio.sleep(1)
        cpu0 = cpu_seconds([proc.pid])
        lat = await measure(crowd, args.clients, trigger.send, args.broadcasts, 0.5)
        cpu1 = cpu_seconds([proc.pid])
        for ws in crowd.sockets:
            await ws.close()
        await trigger.close()
        return {
            "server": "floor (plain websockets)",
            "clients": args.clients,
            "join_s": round(join, 2),
            "p50_ms": round(statistics.median(lat), 1),
            "p99_ms": round(percentile(lat, 99), 1),
            "cpu_us_per_delivery": round(
                (cpu1 - cpu0) / (len(lat) * (args.clients + 1)) * 1e6, 1
            ),
            "samples_ms": [round(x) for x in lat],
        }
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument(
        "--server", choices=["uvicorn", "daphne", "both"], default="uvicorn"
    )
    parser.add_argument("--broadcasts", type=int, default=30)
    parser.add_argument("--idle", type=float, default=30.0, help="idle seconds checked")
    parser.add_argument("--port-base", type=int, default=8001)
    parser.add_argument("--floor-server", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.floor_server:
        asyncio.run(floor_server(args.floor_server))
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    servers = ["uvicorn", "daphne"] if args.server == "both" else [args.server]
    results = []
    load = Path("/proc/loadavg").read_text().split()[:3]
    for server in servers:
        results.append(asyncio.run(run_lophoc(args, server)))
        print(json.dumps(results[-1]), flush=True)
    results.append(asyncio.run(run_floor(args)))
    print(f"\nN = {args.clients}, load average before: {' '.join(load)}")
    print(
        f"{'server':28} {'join s':>7} {'p50 ms':>8} {'p99 ms':>8} {'µs/deliv':>9} {'KiB/conn':>9} {'dropped':>8}"
    )
    for r in results:
        print(
            f"{r['server']:28} {r['join_s']:>7} {r['p50_ms']:>8} {r['p99_ms']:>8} "
            f"{r['cpu_us_per_delivery']:>9} {r.get('kib_per_connection', '-'):>9} "
            f"{r.get('dropped_after_idle', '-'):>8}"
        )
    print(json.dumps({"load_before": load, "results": results}))


if __name__ == "__main__":
    main()
