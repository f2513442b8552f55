"""
Homework deadline spike: K students hand in a ~1 MB phone photo at once.

    .venv/bin/python bench/deadline_spike.py --students 300 --size-mb 1 --concurrency 12

It prepares a throwaway database (a temporary SQLite file, or the
``lophoc_bench_c`` PostgreSQL database when ``DATABASE_URL`` is set), creates
one class of K students with one open photo homework, starts its own daphne
workers on 127.0.0.1 (ports from 9310), logs every student in (a real
session cookie and the CSRF token from the homework page), then POSTs the K
multipart submissions concurrently through the real submit form. It reports
throughput, p50/p95/max latency and the status codes, re-sends a tenth of
the submissions with the same idempotency key (a flaky-network retry), and
checks against the database and the disk: 0 lost, 0 duplicated, 0 orphan
files. Every process it starts is stopped at the end; the exit code is 1 if
a check failed.
"""

import argparse
import io
import os
import random
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = "lophoc_bench_c"
FIRST_PORT = 9310
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=300)
    parser.add_argument("--size-mb", type=float, default=1.0)
    parser.add_argument("--concurrency", type=int, default=12)
    parser.add_argument("--workers", type=int, default=2, help="daphne processes")
    parser.add_argument("--retry-fraction", type=float, default=0.1)
    parser.add_argument("--keep", action="store_true", help="keep the database")
    return parser.parse_args()


def prepare_environment(workdir: Path) -> dict:
    """Point Django at a throwaway database and media folder."""
    env = dict(os.environ)
    env["LOPHOC_VAR_DIR"] = str(workdir)
    env["DJANGO_SETTINGS_MODULE"] = "lms.settings"
    env["LOPHOC_LOG_LEVEL"] = "WARNING"
    env["DJANGO_DEBUG"] = "false"
    # DEBUG off refuses the public development key (issue #12).
    env.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(64))
    url = os.environ.get("DATABASE_URL")
    if url:
        import psycopg

        parts = urlparse(url)
        admin = urlunparse(parts._replace(path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{BENCH_DB}"')
        env["DATABASE_URL"] = urlunparse(parts._replace(path=f"/{BENCH_DB}"))
    os.environ.update(env)
    return env


def drop_database() -> None:
    url = os.environ.get("DATABASE_URL")
    if url and url.endswith(f"/{BENCH_DB}"):
        import psycopg

        admin = urlunparse(urlparse(url)._replace(path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')


def make_photo(size_mb: float) -> bytes:
    """A noisy phone-sized JPEG of about ``size_mb`` megabytes."""
    from PIL import Image

    target = int(size_mb * 1024 * 1024)
    side = 1200
    while True:
        noise = Image.effect_noise((side, side * 3 // 4), 40).convert("RGB")
        buffer = io.BytesIO()
        noise.save(buffer, "JPEG", quality=88)
        if buffer.tell() >= target * 0.95 or side > 6000:
            return buffer.getvalue()
        side = int(side * (target / buffer.tell()) ** 0.5) + 50


def create_world(students: int):
    """One class, K students with a session each, one open photo homework."""
    import django

    django.setup()
    from datetime import timedelta

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.utils import timezone

    from accounts.models import Role, User
    from assignments import services
    from classrooms.models import Classroom, Enrollment, School

    call_command("migrate", verbosity=0, interactive=False)
    school = School.objects.create(name="Trường thử tải", slug="bench")
    teacher = User.objects.create(
        username="bench-teacher", display_name="Cô Thử Tải", role=Role.TEACHER
    )
    school.staff.add(teacher)
    classroom = Classroom.objects.create(
        school=school, name="9Z", grade=9, school_year="2026-2027",
        homeroom_teacher=teacher,
    )  # fmt: skip
    password = make_password(None)
    pupils = User.objects.bulk_create(
        User(
            username=f"bench-{i:04d}",
            display_name=f"Học Sinh {i:04d}",
            role=Role.STUDENT,
            password=password,
        )
        for i in range(students)
    )
    Enrollment.objects.bulk_create(
        Enrollment(classroom=classroom, student=p) for p in pupils
    )
    homework = services.create_assignment(
        by=teacher,
        classrooms=[classroom],
        title="Bài kiểm tra cuối tuần",
        due_at=timezone.now() + timedelta(hours=1),
        publish=True,
    )
    backend = settings.AUTHENTICATION_BACKENDS[-1]
    cookies = []
    for pupil in User.objects.filter(pk__in=[p.pk for p in pupils]).order_by("pk"):
        session = SessionStore()
        session[SESSION_KEY] = str(pupil.pk)
        session[BACKEND_SESSION_KEY] = backend
        session[HASH_SESSION_KEY] = pupil.get_session_auth_hash()
        session.create()
        cookies.append(session.session_key)
    return homework, cookies


def start_servers(env: dict, workers: int, logdir: Path) -> list:
    processes = []
    daphne = str(Path(sys.executable).with_name("daphne"))
    for i in range(workers):
        port = FIRST_PORT + i
        log = open(logdir / f"daphne-{port}.log", "wb")  # noqa: SIM115
        processes.append(
            subprocess.Popen(
                [daphne, "-b", "127.0.0.1", "-p", str(port), "lms.asgi:application"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
    for i in range(workers):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", FIRST_PORT + i)) == 0:
                    break
            time.sleep(0.2)
        else:
            raise RuntimeError(f"daphne on port {FIRST_PORT + i} did not start")
    return processes


def stop_servers(processes) -> None:
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Student:
    def __init__(self, index: int, session_key: str, base: str, path: str):
        import requests

        self.http = requests.Session()
        host = urlparse(base).hostname
        self.http.cookies.set("sessionid", session_key, domain=host)
        self.url = base + path
        self.key = uuid.uuid4().hex
        self.index = index
        self.token = ""

    def open_page(self) -> None:
        response = self.http.get(self.url, timeout=30)
        response.raise_for_status()
        self.token = CSRF_RE.search(response.text).group(1)

    def submit(self, photo: bytes) -> tuple[int, float]:
        started = time.perf_counter()
        response = self.http.post(
            self.url,
            data={
                "csrfmiddlewaretoken": self.token,
                "idempotency_key": self.key,
                "text": f"Bài làm của học sinh {self.index}",
            },
            files={"photos": (f"IMG_{self.index:04d}.jpg", photo, "image/jpeg")},
            headers={"Referer": self.url},
            allow_redirects=False,
            timeout=120,
        )
        return response.status_code, time.perf_counter() - started


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def check_database(homework, expected: int) -> dict:
    from assignments.models import Submission, SubmissionFile, SubmissionVersion
    from files.storage import private_storage

    submissions = Submission.objects.filter(assignment=homework)
    versions = SubmissionVersion.objects.filter(submission__assignment=homework)
    files = SubmissionFile.objects.filter(version__submission__assignment=homework)
    root = Path(private_storage.location)
    on_disk = sum(1 for p in root.rglob("*") if p.is_file())
    return {
        "students": expected,
        "submissions": submissions.count(),
        "versions": versions.count(),
        "files_rows": files.count(),
        "files_on_disk": on_disk,
    }


def main() -> int:
    args = parse_args()
    sys.path.insert(0, str(ROOT))
    workdir = Path(tempfile.mkdtemp(prefix="lophoc-bench-"))
    env = prepare_environment(workdir)
    processes = []
    try:
        print(f"Preparing {args.students} students in {workdir} ...", flush=True)
        homework, session_keys = create_world(args.students)
        photo = make_photo(args.size_mb)
        print(f"Photo: {len(photo) / 1024 / 1024:.2f} MB; workers: {args.workers}")
        processes = start_servers(env, args.workers, workdir)
        path = f"/homework/{homework.pk}/"
        students = [
            Student(i, key, f"http://127.0.0.1:{FIRST_PORT + i % args.workers}", path)
            for i, key in enumerate(session_keys)
        ]
        with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            list(pool.map(lambda s: s.open_page(), students))
            print(f"Submitting with concurrency {args.concurrency} ...", flush=True)
            started = time.perf_counter()
            results = list(pool.map(lambda s: s.submit(photo), students))
            elapsed = time.perf_counter() - started
            retried = random.Random(4).sample(
                students, int(len(students) * args.retry_fraction)
            )
            retries = list(pool.map(lambda s: s.submit(photo), retried))
        codes = [code for code, _ in results]
        latencies = [seconds for _, seconds in results]
        ok = sum(1 for c in codes if c == 302)
        server_errors = sum(1 for c in codes + [c for c, _ in retries] if c >= 500)
        counts = check_database(homework, args.students)
        megabytes = len(photo) * len(students) / 1024 / 1024
        print(f"Submitted {len(students)} in {elapsed:.1f} s")
        print(
            f"Throughput: {len(students) / elapsed:.1f} submissions/s "
            f"({megabytes / elapsed:.1f} MB/s)"
        )
        print(
            f"Latency: p50 {statistics.median(latencies):.2f} s, "
            f"p95 {percentile(latencies, 0.95):.2f} s, max {max(latencies):.2f} s"
        )
        print(f"Status codes: {dict(sorted((c, codes.count(c)) for c in set(codes)))}")
        print(f"Retries with the same key: {len(retries)}, "
              f"all answered 302: {all(c == 302 for c, _ in retries)}")  # fmt: skip
        print(f"Database/disk: {counts}")
        lost = args.students - counts["submissions"]
        duplicated = counts["versions"] - counts["submissions"]
        print(f"5xx: {server_errors}; lost: {lost}; duplicated: {duplicated}")
        passed = (
            ok == args.students
            and server_errors == 0
            and lost == 0
            and duplicated == 0
            and counts["files_rows"] == counts["files_on_disk"] == args.students
        )
        print("RESULT:", "PASS" if passed else "FAIL")
        return 0 if passed else 1
    finally:
        stop_servers(processes)
        from django.db import connections

        connections.close_all()
        if not args.keep:
            drop_database()
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
