"""Helpers the browser benchmarks share: a free port, waiting for a server, signing in."""

import socket
import time
import urllib.request


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, seconds: float = 60) -> None:
    """Until ``url`` answers; exit the benchmark if it never does."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the server did not start: {url}")


def sign_in(page, base: str, username: str, password: str) -> None:
    """Through the real login form, as a person would."""
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def demo_env(workdir: str, **extra: str) -> dict:
    """The environment of a throwaway demo in ``workdir``: SQLite, no .env."""
    import os
    from pathlib import Path

    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")
    }
    env.update(
        LOPHOC_ENV_FILE="/dev/null",
        LOPHOC_VAR_DIR=workdir,
        LOPHOC_MEDIA_ROOT=str(Path(workdir) / "media"),
        LOPHOC_PRIVATE_MEDIA_ROOT=str(Path(workdir) / "private-media"),
        DJANGO_SETTINGS_MODULE="lms.settings",
        **extra,
    )
    return env
