"""
Serve Lophoc from several ASGI processes on consecutive ports, sharing
``DATABASE_URL`` and ``REDIS_URL`` (``make serve-scale WORKERS=2``).

    python -m lms.serve_scale --workers 2 [--port-base 8001] [--server uvicorn]

One process per core; a proxy (nginx, see docs/deployment.md) puts them
behind one address. The WebSocket tier runs on uvicorn by default: with the
room hub, its send path costs about a quarter of daphne's per delivery
(docs/performance.md, "Live rooms"); ``--server daphne`` serves the same
ASGI application with the development server. SIGTERM/SIGINT are forwarded
to every child; the command exits when all have.
"""

import argparse
import os
import signal
import subprocess
import sys
import time

MAX_WS_BYTES = 1024 * 1024  # backstop; the consumer itself closes at 16 KiB


def server_command(server: str, host: str, port: int) -> list[str]:
    if server == "daphne":
        return [
            sys.executable, "-m", "daphne",
            "-b", host, "-p", str(port),
            "--websocket-max-message-size", str(MAX_WS_BYTES),
            "--websocket-max-frame-size", str(MAX_WS_BYTES),
            "--ping-interval", "20", "--ping-timeout", "30",
            # daphne drops a handshake the application has not accepted in
            # 5 s, which a join burst of thousands exceeds.
            "--websocket_connect_timeout", "60",
            "lms.asgi:application",
        ]  # fmt: skip
    return [
        sys.executable, "-m", "uvicorn", "lms.asgi:application",
        "--host", host, "--port", str(port),
        "--lifespan", "off", "--no-access-log",
        "--backlog", "4096", "--log-level", "warning",
        "--ws-max-size", str(MAX_WS_BYTES),
        "--ws-ping-interval", "20", "--ws-ping-timeout", "30",
        "--ws-per-message-deflate", "false",
    ]  # fmt: skip


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port-base", type=int, default=8001)
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument(
        "--server",
        choices=["uvicorn", "daphne"],
        default=os.environ.get("LOPHOC_WS_SERVER", "uvicorn"),
    )
    args = parser.parse_args(argv)
    if args.workers < 1:
        parser.error("--workers must be at least 1")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "lms.settings"}
    children = []
    for i in range(args.workers):
        port = args.port_base + i
        children.append(
            subprocess.Popen(server_command(args.server, args.host, port), env=env)  # noqa: S603 - fixed argv
        )
        print(f"lophoc {args.server} worker {i + 1} on http://{args.host}:{port}/")
    sys.stdout.flush()

    def forward(signum, frame):
        for child in children:
            if child.poll() is None:
                child.send_signal(signum)

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    # If one worker dies, stop the others: a half-up tier hides the failure.
    while all(child.poll() is None for child in children):
        time.sleep(0.5)
    forward(signal.SIGTERM, None)
    deadline = time.monotonic() + 15
    for child in children:
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
    return max((abs(c.returncode or 0) for c in children), default=0)


if __name__ == "__main__":
    sys.exit(main())
