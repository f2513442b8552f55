"""
Realtime quiz under load: N simulated students answer each question as soon
as it arrives.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lophoc_e \\
    REDIS_URL=redis://127.0.0.1:6379/6 \\
    .venv/bin/python bench/quiz_load.py --clients 1000,3000,5000 --workers 2 --questions 3

Per N it seeds a class with ``manage.py seed_loadtest --students N``, gets
tickets with ``manage.py live_tickets <session> --users all``, serves them
with ``python -m lms.serve_scale --workers W --port-base P`` (or, where that
module is missing, its own W server processes on ports from P), connects N
students (spread over the processes) and a teacher with real WebSockets,
then runs Q questions: the teacher sends ``quiz.next``, every student
answers the moment ``quiz.question`` arrives, the teacher reveals once all
acks are in, and finally ends the quiz. It reports:

* question fan-out: ``quiz.next`` sent → ``quiz.question`` received, per
  student (p50 / p99 / last receiver);
* ``quiz.ack`` latency per answer (p50 / p99) and the burst time from the
  first answer sent to the last ack;
* answers sent / acked / rows in the database (each must be N per question);
* the teacher's tally delay: last ack → the first ``quiz.progress`` whose
  ``answered`` reaches N;
* results fan-out: ``quiz.reveal`` sent → ``quiz.result`` (and the private
  ``quiz.you``) received, p50 / p99 / last;
* server CPU seconds and peak RSS of the server processes.

The load client runs on the same machine (it shares the cores); every
process started here is stopped at the end. Exit code 1 if an answer was
lost or duplicated.
"""

import argparse
import asyncio
import gc
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
CLK_TCK = os.sysconf("SC_CLK_TCK")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", default="1000", help="N, or a list: 1000,3000")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--questions", type=int, default=3)
    parser.add_argument("--port-base", type=int, default=8101)
    parser.add_argument(
        "--server",
        default="uvicorn",
        choices=["daphne", "uvicorn"],
        help="ASGI server of each worker (passed to lms.serve_scale)",
    )
    parser.add_argument("--connect-concurrency", type=int, default=200)
    parser.add_argument("--json", action="store_true", help="also print raw JSON")
    return parser.parse_args()


# -- processes ---------------------------------------------------------------
def manage(*args) -> str:
    out = subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, capture_output=True, text=True
    )
    if out.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{out.stderr[-3000:]}")
    return out.stdout


def server_env(prefix: str) -> dict:
    return {
        **os.environ,
        "LOPHOC_REDIS_PREFIX": prefix,
        "LOPHOC_LOG_LEVEL": "WARNING",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    }


def start_servers(args, prefix: str) -> tuple[list[subprocess.Popen], list[int]]:
    ports = [args.port_base + i for i in range(args.workers)]
    env = server_env(prefix)
    log = open(f"/tmp/quiz_load_{os.getpid()}.log", "ab")  # noqa: SIM115
    if _has_serve_scale():
        cmd = [PY, "-m", "lms.serve_scale", "--workers", str(args.workers),
               "--port-base", str(args.port_base), "--server", args.server]  # fmt: skip
        procs = [
            subprocess.Popen(
                cmd, cwd=ROOT, env=env, start_new_session=True, stdout=log, stderr=log
            )
        ]
    else:
        procs = []
        for port in ports:
            procs.append(
                subprocess.Popen(
                    fallback_command(args.server, port), cwd=ROOT, env=env,
                    start_new_session=True, stdout=log, stderr=log,
                )
            )  # fmt: skip
    for port in ports:
        wait_port(port)
    return procs, ports


def fallback_command(server: str, port: int) -> list[str]:
    if server == "uvicorn":
        return [PY, "-m", "uvicorn", "lms.asgi:application", "--host", "127.0.0.1",
                "--port", str(port), "--backlog", "4096", "--no-access-log",
                "--lifespan", "off"]  # fmt: skip
    return [PY, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port),
            "lms.asgi:application"]  # fmt: skip


def _has_serve_scale() -> bool:
    return (ROOT / "lms" / "serve_scale.py").exists()


def wait_port(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"no server on port {port}")


def stop_servers(procs) -> None:
    for proc in procs:
        try:
            os.killpg(proc.pid, 15)
        except ProcessLookupError:
            pass
    for proc in procs:
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            proc.wait(5)


def tree_pids(root_pids: list[int]) -> list[int]:
    """The given processes and all their descendants (from /proc)."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = set(root_pids), list(root_pids)
    while frontier:
        pid = frontier.pop()
        for child, parent in parents.items():
            if parent == pid and child not in found:
                found.add(child)
                frontier.append(child)
    return sorted(found)


def cpu_seconds(pids) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / CLK_TCK


def rss_mib(pids) -> float:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


# -- clients -----------------------------------------------------------------
class Student:
    __slots__ = (
        "ws",
        "user_id",
        "q_at",
        "sent_at",
        "ack_at",
        "result_at",
        "you_at",
        "acks",
        "accepted",
        "index",
    )

    def __init__(self, ws, user_id, index):
        self.ws, self.user_id, self.index = ws, user_id, index
        self.q_at, self.sent_at, self.ack_at = {}, {}, {}
        self.result_at, self.you_at = {}, {}
        self.acks = 0
        self.accepted = 0

    async def run(self):
        async for text in self.ws:
            now = time.perf_counter()
            head = text[:24]
            if head.startswith('{"type":"quiz.question"'):
                frame = json.loads(text)
                qid = frame["question_id"]
                self.q_at[qid] = now
                choices = frame["choices"]
                choice = choices[self.index % len(choices)]["id"]
                self.sent_at[qid] = time.perf_counter()
                await self.ws.send(
                    json.dumps(
                        {
                            "type": "quiz.answer",
                            "question_id": qid,
                            "choice_id": choice,
                            "client_id": f"b{qid}-{self.user_id}",
                        }
                    )
                )
            elif head.startswith('{"type":"quiz.ack"'):
                frame = json.loads(text)
                self.ack_at[frame["question_id"]] = now
                self.acks += 1
                self.accepted += frame["accepted"] is True
            elif head.startswith('{"type":"quiz.result"'):
                self.result_at[json.loads(text)["question_id"]] = now
            elif head.startswith('{"type":"quiz.you"'):
                self.you_at[json.loads(text)["question_id"]] = now
            elif head.startswith('{"type":"quiz.ended"'):
                return


class Teacher:
    def __init__(self, ws):
        self.ws = ws
        self.progress: list[tuple[float, dict]] = []
        self.frames: list[dict] = []

    async def run(self):
        async for text in self.ws:
            frame = json.loads(text)
            if frame["type"] == "quiz.progress":
                self.progress.append((time.perf_counter(), frame))
            elif frame["type"] != "presence.roster":
                self.frames.append(frame)

    async def send(self, **frame):
        await self.ws.send(json.dumps(frame))

    async def wait(self, kind, count=1, timeout=60):
        deadline = time.monotonic() + timeout
        while sum(f["type"] == kind for f in self.frames) < count:
            if time.monotonic() > deadline:
                raise SystemExit(f"teacher: no {kind} ({self.frames[-3:]})")
            await asyncio.sleep(0.005)


async def open_socket(ticket, port, session_id):
    from websockets.asyncio.client import connect

    ws = await connect(
        f"ws://127.0.0.1:{port}/ws/live/{session_id}/?ticket={ticket}",
        origin=f"http://127.0.0.1:{port}",
        compression=None,
        open_timeout=60,
        ping_interval=None,
        max_queue=None,
    )
    first = json.loads(await ws.recv())
    if first["type"] != "room.state":
        raise SystemExit(f"unexpected first frame {first['type']}")
    return ws


async def wait_all(predicate, timeout):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.005)
    return True


def pct(values, q):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


async def play(seed, tickets, ports, args, server_pids):
    session_id, quiz_id = seed["session_id"], seed["quiz_id"]
    teacher_ticket = next(t for t in tickets if t["role"] == "teacher")
    student_tickets = [t for t in tickets if t["role"] == "student"]
    gate = asyncio.Semaphore(args.connect_concurrency)

    async def join(i, t):
        async with gate:
            ws = await open_socket(t["ticket"], ports[i % len(ports)], session_id)
            return Student(ws, t["user_id"], i)

    t0 = time.perf_counter()
    students = await asyncio.gather(
        *(join(i, t) for i, t in enumerate(student_tickets))
    )
    join_s = time.perf_counter() - t0
    # This process measures: keep its own full collections of thousands of
    # client objects out of the latencies.
    gc.collect()
    gc.freeze()
    teacher = Teacher(await open_socket(teacher_ticket["ticket"], ports[0], session_id))
    tasks = [asyncio.ensure_future(s.run()) for s in students]
    tasks.append(asyncio.ensure_future(teacher.run()))
    await asyncio.sleep(3)  # presence settles; the hub freezes the GC
    rss_joined = rss_mib(server_pids)
    cpu_before = cpu_seconds(server_pids)
    n = len(students)
    await teacher.send(type="quiz.start", quiz_id=quiz_id)
    await teacher.wait("quiz.started")
    per_q = []
    for qn in range(args.questions):
        sent_next = time.perf_counter()
        await teacher.send(type="quiz.next")
        await teacher.wait("quiz.question", qn + 1)
        qid = [f for f in teacher.frames if f["type"] == "quiz.question"][-1][
            "question_id"
        ]
        all_acked = await wait_all(
            lambda q=qid: all(q in s.ack_at for s in students), 30
        )
        last_ack = max((s.ack_at[qid] for s in students if qid in s.ack_at), default=0)
        complete = await wait_all(
            lambda q=qid: any(
                f["question_id"] == q and f["answered"] >= n
                for _t, f in teacher.progress
            ),
            10,
        )
        tally_at = next(
            (
                t
                for t, f in teacher.progress
                if f["question_id"] == qid and f["answered"] >= n
            ),
            None,
        )
        reveal_at = time.perf_counter()
        await teacher.send(type="quiz.reveal")
        await wait_all(lambda q=qid: all(q in s.you_at for s in students), 30)
        fan = [s.q_at[qid] - sent_next for s in students if qid in s.q_at]
        ack = [s.ack_at[qid] - s.sent_at[qid] for s in students if qid in s.ack_at]
        res = [s.result_at[qid] - reveal_at for s in students if qid in s.result_at]
        you = [s.you_at[qid] - reveal_at for s in students if qid in s.you_at]
        first_sent = min(s.sent_at[qid] for s in students if qid in s.sent_at)
        per_q.append(
            {
                "question_id": qid,
                "received": len(fan),
                "fanout_p50": ms(pct(fan, 50)),
                "fanout_p99": ms(pct(fan, 99)),
                "fanout_last": ms(max(fan)),
                "ack_p50": ms(pct(ack, 50)),
                "ack_p99": ms(pct(ack, 99)),
                "burst_all_acked": ms(last_ack - first_sent) if all_acked else None,
                "acked": len(ack),
                "tally_delay": ms(tally_at - last_ack)
                if complete and tally_at
                else None,
                "result_p50": ms(pct(res, 50)),
                "result_p99": ms(pct(res, 99)),
                "result_last": ms(max(res)) if res else None,
                "you_p99": ms(pct(you, 99)),
                "you_last": ms(max(you)) if you else None,
            }
        )
        await asyncio.sleep(0.5)
    await teacher.send(type="quiz.end")
    await wait_all(lambda: all(t.done() for t in tasks[:-1]), 20)
    cpu_used = cpu_seconds(server_pids) - cpu_before
    rss_end = rss_mib(server_pids)
    for s in students:
        await s.ws.close()
    await teacher.ws.close()
    for t in tasks:
        t.cancel()
    return {
        "n": n,
        "join_s": round(join_s, 1),
        "questions": per_q,
        "sent": sum(len(s.sent_at) for s in students),
        "acked": sum(s.acks for s in students),
        "accepted": sum(s.accepted for s in students),
        "server_cpu_s": round(cpu_used, 1),
        "rss_joined_mib": round(rss_joined),
        "rss_end_mib": round(rss_end),
    }


def db_rows(session_id: int) -> tuple[int, int, float]:
    """Rows, distinct (question, student) pairs, and the median per-question
    spread of the server's receive times (first to last answer, ms)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db.models import Max, Min

    from live.models import QuizRunAnswer

    rows = QuizRunAnswer.objects.filter(run__session_id=session_id)
    distinct = rows.values("question_id", "student_id").distinct().count()
    spreads = [
        (r["last"] - r["first"]).total_seconds() * 1000
        for r in rows.values("question_id").annotate(
            first=Min("received_at"), last=Max("received_at")
        )
    ]
    spread = round(statistics.median(spreads), 1) if spreads else float("nan")
    return rows.count(), distinct, spread


def run_one(n: int, args) -> dict:
    seed = json.loads(
        manage("seed_loadtest", "--students", str(n)).strip().splitlines()[-1]
    )
    tickets = [
        json.loads(line)
        for line in manage(
            "live_tickets", str(seed["session_id"]), "--users", "all"
        ).splitlines()
        if line.strip()
    ]
    prefix = f"bench-e-{os.getpid()}-{n}"
    procs, ports = start_servers(args, prefix)
    try:
        pids = tree_pids([p.pid for p in procs])
        try:
            import uvloop

            runner = uvloop.run
        except ImportError:
            runner = asyncio.run
        result = runner(play(seed, tickets, ports, args, pids))
    finally:
        stop_servers(procs)
    rows, distinct, spread = db_rows(seed["session_id"])
    result.update(
        received_spread_ms=spread,
        rows=rows,
        distinct_rows=distinct,
        uptime=open("/proc/loadavg").read().split()[:3],
    )
    return result


def report(r: dict) -> str:
    qs = r["questions"]

    def med(key):
        values = [q[key] for q in qs if q[key] is not None]
        return round(statistics.median(values), 1) if values else None

    ok = r["rows"] == r["distinct_rows"] == r["accepted"] == r["n"] * len(qs)
    return (
        f"N={r['n']:>5}  fan-out p50/p99/last {med('fanout_p50')}/{med('fanout_p99')}/"
        f"{med('fanout_last')} ms | ack p50/p99 {med('ack_p50')}/{med('ack_p99')} ms, "
        f"all acked {med('burst_all_acked')} ms | sent/acked/rows "
        f"{r['sent']}/{r['accepted']}/{r['rows']} {'OK' if ok else 'MISMATCH'}, "
        f"server got them within {r['received_spread_ms']} ms | "
        f"tally +{med('tally_delay')} ms | result p50/p99/last {med('result_p50')}/"
        f"{med('result_p99')}/{med('result_last')} ms, quiz.you last {med('you_last')} ms | "
        f"server CPU {r['server_cpu_s']} s, RSS {r['rss_joined_mib']}→{r['rss_end_mib']} MiB"
        f" | joins {r['join_s']} s | load {' '.join(r['uptime'])}"
    )


def ensure_database() -> None:
    """Create the DATABASE_URL database when it does not exist yet."""
    from urllib.parse import urlparse

    import psycopg

    url = urlparse(os.environ["DATABASE_URL"])
    name = url.path.lstrip("/")
    admin = url._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def main():
    args = parse_args()
    if not (os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL")):
        raise SystemExit(
            "Set DATABASE_URL and REDIS_URL (several processes share them)."
        )
    ensure_database()
    manage("migrate", "--noinput", "-v", "0")
    failed = False
    server = "lms.serve_scale" if _has_serve_scale() else args.server
    print(
        f"# {args.workers} × {server}, {args.questions} questions; medians over questions"
    )
    for n in [int(x) for x in args.clients.split(",")]:
        result = run_one(n, args)
        print(report(result), flush=True)
        if args.json:
            print(json.dumps(result))
        failed |= result["rows"] != result["n"] * args.questions
        failed |= result["rows"] != result["distinct_rows"]
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
