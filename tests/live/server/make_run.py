"""The server ``make run`` starts, for the tests that speak to it."""

import shlex
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def make_run_command(port: int) -> list[str]:
    """The server line of ``make -n run`` (the Makefile is its one home)."""
    dry = subprocess.run(  # noqa: S603 - fixed argv
        ["make", "--no-print-directory", "-n", "run", f"PORT={port}"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    server_line = dry.splitlines()[-1].strip()
    command = shlex.split(server_line)
    assert "lms.serve_scale" in command and "daphne" not in command
    return command
