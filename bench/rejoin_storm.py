"""
Rejoin storm (#13, build 4): one of two server processes restarts under N
students, in the middle of a quiz question.

    .venv/bin/python bench/rejoin_storm.py --students 3000

One command: seeds a class of N pupils, an open live session and a quiz
(``manage.py seed_loadtest``, in the bench database of ``live_fanout.py``),
starts two uvicorn processes as ``lms.serve_scale`` does (on PostgreSQL and
Redis), puts the teacher on the second and the pupils on both, and measures

* the first join of all N: wall time and the workers' CPU per join
  (handshake, ticket, admission, attendance, presence, ``room.state``;
  target ≤ 1 ms on average);
* the storm: the teacher opens a question, every pupil answers as it
  arrives, and 50 ms later the first process gets SIGTERM (it closes its
  sockets with 1012) and is started again at once, as a service manager
  does. Each pupil reconnects as the browser does (full-jitter backoff,
  ``random(0, min(30 s, 0.5 s × 2^attempt))``); a refused connection goes
  to the other process, as nginx's ``proxy_next_upstream`` does. A pupil
  whose answer was not acked sends it again (same ``client_id``) once its
  ``room.state`` is in. Reported: the time from the SIGTERM until every
  pupil of that process has its ``room.state`` (target: 3,000 within 5 s,
  5,000 within 10 s), the CPU per rejoin, and answers acked and stored
  (target: N, none lost, none twice).

Exit code 1 when a target is missed.
"""

import argparse
import asyncio
import gc
import json
import os
import random
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

from live_fanout import REDIS_URL, ROOT, TICK, cpu_seconds, ensure_database, wait_port

sys.path.insert(0, str(ROOT))
from lms.serve_scale import server_command  # noqa: E402

TARGET_S = {3000: 5.0, 5000: 10.0}
FLOOR_STATE = "x" * 1500  # about the size of a pupil's room.state


async def floor_app(scope, receive, send):
    """The floor: a bare ASGI WebSocket under the same uvicorn that accepts
    and sends one room.state-sized frame (no Django, no Redis, no database)."""
    if scope["type"] != "websocket":
        return
    await receive()
    await send({"type": "websocket.accept"})
    await send(
        {"type": "websocket.send", "text": '{"type":"room.state",' + FLOOR_STATE}
    )
    while (await receive())["type"] != "websocket.disconnect":
        pass


async def floor_join_cpu(port: int, n: int, concurrency: int) -> float:
    """CPU ms per join of ``floor_app`` (one uvicorn process, n sockets)."""
    from websockets.asyncio.client import connect

    command = server_command("uvicorn", "127.0.0.1", port)
    command[command.index("lms.asgi:application")] = "rejoin_storm:floor_app"
    proc = subprocess.Popen(
        [*command, "--app-dir", str(ROOT / "bench")], cwd=ROOT,
        start_new_session=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_port(port)
        sem, sockets = asyncio.Semaphore(concurrency), []

        async def one():
            async with sem:
                ws = await connect(
                    f"ws://127.0.0.1:{port}/", ping_interval=None, compression=None
                )
                await ws.recv()
                sockets.append(ws)

        await asyncio.gather(*(one() for _ in range(20)))
        cpu0 = cpu_seconds([proc.pid])
        await asyncio.gather(*(one() for _ in range(n)))
        cpu = cpu_seconds([proc.pid]) - cpu0
        for ws in sockets:
            await ws.close()
        return cpu / n * 1000
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def manage(env, *args) -> str:
    out = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env,
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if out.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{out.stderr[-3000:]}")
    return out.stdout


def kernel_seconds(pids) -> float:
    """System (kernel) CPU of ``pids``: sockets, the TCP handshakes."""
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[12])
    return total / TICK


class Worker:
    """One uvicorn process on one port, as ``lms.serve_scale`` starts it
    (on ``cpus`` only, when given)."""

    def __init__(self, port: int, env: dict, cpus: set[int] | None = None):
        self.port, self.env, self.proc, self.cpus = port, env, None, cpus

    def start(self) -> None:
        cpus = self.cpus
        self.proc = subprocess.Popen(
            server_command("uvicorn", "127.0.0.1", self.port),
            cwd=ROOT, env=self.env, start_new_session=True,
            stdout=subprocess.DEVNULL,
            preexec_fn=(lambda: os.sched_setaffinity(0, cpus)) if cpus else None,
        )  # fmt: skip

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()


class Pupil:
    """A pupil's page: reconnects with backoff, resends an unacked answer."""

    __slots__ = ("ticket", "home", "index", "ws", "attempt", "states", "answer",
                 "acked", "back_at", "retries", "failed_over", "ws_port")  # fmt: skip

    def __init__(self, ticket: str, home: int, index: int):
        self.ticket, self.home, self.index = ticket, home, index
        self.ws = None
        self.attempt = 0
        self.states = 0  # room.state frames received
        self.answer = None  # the quiz.answer frame until acked
        self.acked = False
        self.back_at = None
        self.retries = 0
        self.failed_over = 0
        self.ws_port = None

    async def connect(self, bench) -> None:
        from websockets.asyncio.client import connect

        while True:
            for port in (self.home, bench.other(self.home)):
                try:
                    ws = await connect(
                        bench.url(port, self.ticket), origin=f"http://127.0.0.1:{port}",
                        open_timeout=60, ping_interval=None, compression=None,
                        max_queue=None,
                    )  # fmt: skip
                    first = json.loads(await asyncio.wait_for(ws.recv(), 60))
                except (TimeoutError, OSError):
                    self.failed_over += 1
                    continue
                except Exception:
                    break  # closed during the handshake: back off
                if first.get("type") != "room.state":
                    await ws.close()
                    break
                self.ws, self.attempt, self.ws_port = ws, 0, port
                self.states += 1
                self.back_at = time.perf_counter()
                if self.answer and not self.acked:
                    await ws.send(json.dumps(self.answer))
                return
            self.retries += 1
            ceiling = min(30.0, 0.5 * 2**self.attempt)
            self.attempt += 1
            await asyncio.sleep(random.random() * ceiling)  # noqa: S311 - jitter

    async def run(self, bench) -> None:
        while not bench.done:
            try:
                async for text in self.ws:
                    if text.startswith('{"type":"quiz.question"'):
                        frame = json.loads(text)
                        choices = frame["choices"]
                        self.answer = {
                            "type": "quiz.answer",
                            "question_id": frame["question_id"],
                            "choice_id": choices[self.index % len(choices)]["id"],
                            "client_id": f"storm-{self.index}",
                        }
                        await self.ws.send(json.dumps(self.answer))
                    elif text.startswith('{"type":"quiz.ack"'):
                        self.acked = json.loads(text).get("accepted") is True
            except Exception:  # noqa: S110 - a drop: reconnect below
                pass
            if bench.done:
                return
            await asyncio.sleep(random.random() * 0.5)  # noqa: S311 - attempt 0
            await self.connect(bench)


class Bench:
    def __init__(self, session_id: int, ports: list[int]):
        self.session_id, self.ports, self.done = session_id, ports, False

    def url(self, port: int, ticket: str) -> str:
        return f"ws://127.0.0.1:{port}/ws/live/{self.session_id}/?ticket={ticket}"

    def other(self, port: int) -> int:
        return self.ports[1] if port == self.ports[0] else self.ports[0]


async def teacher_socket(bench, port, ticket):
    from websockets.asyncio.client import connect

    ws = await connect(
        bench.url(port, ticket), origin=f"http://127.0.0.1:{port}",
        ping_interval=None, compression=None, max_queue=None,
    )  # fmt: skip
    await ws.recv()
    frames = []

    async def read():
        async for text in ws:
            if not text.startswith('{"type":"presence'):
                frames.append(json.loads(text))

    asyncio.ensure_future(read())
    return ws, frames


async def until(predicate, timeout: float) -> bool:
    deadline = time.perf_counter() + timeout
    while not predicate():
        if time.perf_counter() > deadline:
            return False
        await asyncio.sleep(0.01)
    return True


async def run(args, env, seed, tickets) -> dict:
    ports = [args.port_base, args.port_base + 1]
    server_cpus = None
    if args.pin:
        # Clients off the servers' cores: this process on the last core,
        # the two server processes on the others.
        cores = sorted(os.sched_getaffinity(0))
        server_cpus = set(cores[:-1])
        os.sched_setaffinity(0, {cores[-1]})
    workers = [Worker(port, env, server_cpus) for port in ports]
    for w in workers:
        w.start()
    try:
        for port in ports:
            wait_port(port)
        await asyncio.sleep(1)
        bench = Bench(seed["session_id"], ports)
        by_id = {t["user_id"]: t["ticket"] for t in tickets}
        teacher_ticket = next(t["ticket"] for t in tickets if t["role"] == "teacher")
        teacher, frames = await teacher_socket(bench, ports[1], teacher_ticket)
        pupils = [
            Pupil(t["ticket"], ports[i % 2], i)
            for i, t in enumerate(t for t in tickets if t["role"] == "student")
        ]
        del by_id

        # 1. Everyone joins.
        sem = asyncio.Semaphore(args.concurrency)

        async def first_join(pupil):
            async with sem:
                await pupil.connect(bench)

        # A fresh process pays once for what Django loads on first use
        # (about a second of CPU): warm both up before measuring joins.
        warm = pupils[:20]
        await asyncio.gather(*(first_join(p) for p in warm))
        await asyncio.sleep(1)
        pids = [w.proc.pid for w in workers]
        cpu0, sys0, t0 = cpu_seconds(pids), kernel_seconds(pids), time.perf_counter()
        mine0 = time.process_time()
        await asyncio.gather(*(first_join(p) for p in pupils[len(warm) :]))
        join_wall = time.perf_counter() - t0
        join_cpu = cpu_seconds(pids) - cpu0
        join_sys = kernel_seconds(pids) - sys0
        client_cpu = time.process_time() - mine0
        await asyncio.sleep(2)  # presence settles
        gc.collect()
        gc.freeze()
        tasks = [asyncio.ensure_future(p.run(bench)) for p in pupils]

        # 2. A question opens; process 1 restarts under the answers.
        if args.quiz:
            await teacher.send(
                json.dumps({"type": "quiz.start", "quiz_id": seed["quiz_id"]})
            )
            await until(lambda: any(f["type"] == "quiz.question" for f in frames), 30)
            for p in pupils:
                p.answer, p.acked = None, False
            await teacher.send(json.dumps({"type": "quiz.next"}))
            await asyncio.sleep(0.05)
        victims = [p for p in pupils if p.home == ports[0]]
        states_before = {id(p): p.states for p in victims}
        survivor = workers[1].proc.pid
        cpu_b0 = cpu_seconds([survivor])
        t_kill = time.perf_counter()
        workers[0].proc.send_signal(signal.SIGTERM)
        await asyncio.get_running_loop().run_in_executor(None, workers[0].proc.wait)
        t_exit = time.perf_counter()
        workers[0].start()
        new_pid = workers[0].proc.pid
        back = await until(
            lambda: all(p.states > states_before[id(p)] for p in victims),
            args.timeout,
        )
        t_back = time.perf_counter()
        survivor_cpu = cpu_seconds([survivor]) - cpu_b0
        new_cpu = cpu_seconds([new_pid])  # from its start: imports, then joins
        back_times = sorted(
            p.back_at - t_kill for p in victims if p.states > states_before[id(p)]
        )
        if args.quiz:
            await until(lambda: all(p.acked for p in pupils), 30)
        acked = sum(p.acked for p in pupils)
        bench.done = True
        await teacher.send(json.dumps({"type": "quiz.end"}))
        await asyncio.sleep(1)
        for p in pupils:
            if p.ws is not None:
                await p.ws.close()
        for t in tasks:
            t.cancel()
        await teacher.close()
        rejoined = len(back_times)

        def at(q):
            return round(back_times[int(q * (len(back_times) - 1))], 2)

        return {
            "students": len(pupils),
            "first_join_s": round(join_wall, 2),
            "cpu_ms_per_join": round(join_cpu / (len(pupils) - len(warm)) * 1000, 3),
            "of_which_kernel_ms": round(join_sys / (len(pupils) - len(warm)) * 1000, 3),
            "client_cpu_ms_per_join": round(
                client_cpu / (len(pupils) - len(warm)) * 1000, 3
            ),
            "restarted_process_had": len(victims),
            "process_exit_s": round(t_exit - t_kill, 2),
            "all_back": back,
            "rejoined": rejoined,
            "last_back_s": round(t_back - t_kill, 2) if back else None,
            "back_p50_s": at(0.5) if back_times else None,
            "back_p95_s": at(0.95) if back_times else None,
            "failed_over": sum(p.failed_over for p in victims),
            "retries": sum(p.retries for p in victims),
            "rejoined_on_survivor": sum(p.home != p.ws_port for p in victims),
            "survivor_cpu_ms_per_rejoin": round(
                survivor_cpu / max(1, rejoined) * 1000, 3
            ),
            "restarted_process_cpu_s": round(new_cpu, 2),
            "answers_acked": acked,
        }
    finally:
        for w in workers:
            w.stop()


def stored_answers(env, session_id: int) -> tuple[int, int]:
    out = manage(
        env, "shell", "-c",
        "from live.models import QuizRunAnswer as A;"
        f"r=A.objects.filter(run__session_id={session_id});"
        "print(r.count(), r.values('question_id','student_id').distinct().count())",
    )  # fmt: skip
    rows, distinct = out.strip().splitlines()[-1].split()
    return int(rows), int(distinct)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=3000)
    parser.add_argument("--port-base", type=int, default=8401)
    parser.add_argument("--concurrency", type=int, default=200)
    parser.add_argument("--timeout", type=float, default=60)
    parser.add_argument(
        "--no-quiz", dest="quiz", action="store_false",
        help="restart with no question open (the joins alone)",
    )  # fmt: skip
    parser.add_argument(
        "--pin",
        action="store_true",
        help="clients on the last core, servers on the rest",
    )
    args = parser.parse_args()
    env = {
        **os.environ,
        "DATABASE_URL": ensure_database(),
        "REDIS_URL": REDIS_URL,
        "LOPHOC_REDIS_PREFIX": f"storm-{uuid.uuid4().hex[:8]}",
        "LOPHOC_LOG_LEVEL": "WARNING",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_DEBUG": "0",  # as served: no per-query logging
        "DJANGO_SECRET_KEY": uuid.uuid4().hex * 2,
    }
    seed = json.loads(
        manage(env, "seed_loadtest", "--students", str(args.students), "--questions", "2")
        .strip().splitlines()[-1]
    )  # fmt: skip
    tickets = [
        json.loads(line)
        for line in manage(
            env, "live_tickets", str(seed["session_id"]), "--users", "all"
        ).splitlines()
        if line.strip()
    ]
    try:
        import uvloop

        runner = uvloop.run
    except ImportError:
        runner = asyncio.run
    result = runner(run(args, env, seed, tickets))
    result["floor_cpu_ms_per_join"] = round(
        runner(floor_join_cpu(args.port_base + 5, args.students, args.concurrency)), 3
    )
    print(json.dumps(result, indent=2), flush=True)
    rows, distinct = stored_answers(env, seed["session_id"])
    result.update(answers_stored=rows, answers_distinct=distinct)
    print(json.dumps({"answers_stored": rows, "answers_distinct": distinct}))
    target = TARGET_S.get(args.students, 10.0)
    ok = (
        result["all_back"]
        and result["last_back_s"] <= target
        and result["cpu_ms_per_join"] <= 1.0
        and (
            not args.quiz
            or rows == distinct == result["answers_acked"] == result["students"]
        )
    )
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
