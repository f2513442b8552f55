"""
RL-12: on the embedded SQLite default, 20 concurrent writers in two
processes (the web server and the task worker) never see "database is
locked": WAL, a busy timeout and IMMEDIATE transactions (lms/settings.py).

This runs the real settings against a real database file (pytest-django's
test database is in memory, which locks differently), so it starts its own
processes.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WRITERS_PER_PROCESS = 10
WRITES_EACH = 15

WRITER = f"""
import os, sys, threading, time
import django
django.setup()
from django.db import connection, transaction
from accounts.models import User

name, start_at = sys.argv[1], float(sys.argv[2])
errors = []

def write(thread):
    while time.time() < start_at:
        time.sleep(0.001)
    try:
        for i in range({WRITES_EACH}):
            with transaction.atomic():
                user = User.objects.create(username=f"{{name}}-{{thread}}-{{i}}")
                user.first_name = "Lan"
                user.save(update_fields=["first_name"])
    except Exception as exc:
        errors.append(repr(exc))
    finally:
        connection.close()

threads = [threading.Thread(target=write, args=(t,)) for t in range({WRITERS_PER_PROCESS})]
for t in threads: t.start()
for t in threads: t.join()
print("ERRORS", len(errors), errors[:3])
sys.exit(1 if errors else 0)
"""


@pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")), reason="the SQLite default only"
)
def test_twenty_concurrent_writers_in_two_processes_never_see_a_locked_database(
    tmp_path,
):
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")
    }
    env.update(LOPHOC_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="lms.settings")
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"],
        cwd=ROOT, env=env, check=True, timeout=180,
    )  # fmt: skip
    start_at = str(time.time() + 3)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, name, start_at],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )  # fmt: skip
        for name in ("web", "worker")
    ]
    outputs = [p.communicate(timeout=120)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    count = subprocess.run(
        [sys.executable, "-c",
         "import django; django.setup(); from accounts.models import User; "
         "print(User.objects.filter(first_name='Lan').count())"],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    ).stdout.split()[-1]  # fmt: skip
    assert int(count) == 2 * WRITERS_PER_PROCESS * WRITES_EACH
