"""
Screenshots of what users see, for the next engineer: ``make screens``.

    .venv/bin/python scripts/screens.py [--out docs/screens]

It builds the demo school in a throwaway SQLite database (the same
``seed_demo`` that ``make run`` uses), serves it with the server ``make run``
starts, signs in through the login form as each demo user and follows the
links the pages offer, then writes PNGs and an index (README.md) to
``docs/screens/``. Phone shots are 360×740, laptop shots 1280×800, in
Vietnamese. Nothing else is left behind.
"""

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PHONE = {"width": 360, "height": 740}
LAPTOP = {"width": 1280, "height": 800}
PASSWORD = "lophoc-demo"  # noqa: S105 (classrooms.demo.DEMO_PASSWORD, printed by make run)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(port: int, server: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("the server stopped while starting")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not start")


def _login(context, base: str, username: str):
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")
    return page


def _shoot(page, out: Path, name: str, full_page: bool = True) -> str:
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(out / f"{name}.png"), full_page=full_page)
    return f"{name}.png"


def take(base: str, out: Path) -> list[tuple[str, str]]:
    from playwright.sync_api import sync_playwright

    shots = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
        )
        phone = {"viewport": PHONE, "is_mobile": True, "has_touch": True}

        context = browser.new_context(**phone)
        page = _login(context, base, "hs6a01")
        shots.append(
            (_shoot(page, out, "student-home"), "Học sinh: trang chủ (điện thoại)")
        )
        page.get_by_role("link", name="Toán 6A — Phân số (đang học)").first.click()
        page.wait_for_selector("#live-conn.conn-on")
        shots.append(
            (_shoot(page, out, "student-live-room", False), "Học sinh: lớp trực tuyến")
        )
        context.close()

        context = browser.new_context(**phone)
        page = _login(context, base, "ph6a01")
        shots.append(
            (_shoot(page, out, "parent-home"), "Phụ huynh: trang chủ (điện thoại)")
        )
        context.close()

        context = browser.new_context(viewport=LAPTOP)
        page = _login(context, base, "gv.lan")
        page.get_by_role("link", name="Lớp 6A", exact=True).first.click()
        shots.append(
            (_shoot(page, out, "teacher-class"), "Giáo viên: trang lớp (máy tính)")
        )
        page.locator("main").get_by_role("link", name="Soạn bài").first.click()
        page.wait_for_load_state("networkidle")
        page.locator("main a[href^='/admin/pages/'][href$='/edit/']").first.click()
        page.wait_for_selector("form#page-edit-form")
        shots.append(
            (_shoot(page, out, "teacher-lesson-editor", False), "Giáo viên: soạn bài")
        )
        context.close()

        context = browser.new_context(**phone)
        page = _login(context, base, "gv.lan")
        page.get_by_role("link", name="Lớp 6A", exact=True).first.click()
        shots.append(
            (
                _shoot(page, out, "teacher-class-phone"),
                "Giáo viên: trang lớp (điện thoại)",
            )
        )
        page.get_by_role("button", name="Trình đơn").click()
        shots.append(
            (_shoot(page, out, "teacher-menu-phone", False), "Giáo viên: trình đơn mở")
        )
        context.close()
        browser.close()
    return shots


def write_index(out: Path, shots: list[tuple[str, str]]) -> None:
    lines = [
        "# What users see",
        "",
        "Regenerate with `make screens` (scripts/screens.py): the demo school,",
        "served by the `make run` server, phone shots at 360×740 and laptop",
        "shots at 1280×800.",
        "",
    ]
    lines += [f"## {title}\n\n![{title}]({name})\n" for name, title in shots]
    (out / "README.md").write_text("\n".join(lines), encoding="utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screens")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="lophoc-screens-"))
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "REDIS_URL", "LOPHOC_ENV_FILE")
    }
    port = _free_port()
    env.update(
        LOPHOC_ENV_FILE="/dev/null",
        LOPHOC_VAR_DIR=str(workdir),
        LOPHOC_MEDIA_ROOT=str(workdir / "media"),
        LOPHOC_DEV_ORIGIN=f"http://127.0.0.1:{port}",
    )
    manage = [sys.executable, str(ROOT / "manage.py")]
    server = None
    log = (workdir / "server.log").open("w")
    try:
        for command in (["migrate", "--noinput", "-v", "0"], ["seed_demo"]):
            subprocess.run(  # noqa: S603 (our own manage.py)
                [*manage, *command], cwd=ROOT, env=env, check=True, capture_output=True
            )
        server = subprocess.Popen(  # noqa: S603 (the make run server)
            [sys.executable, "-m", "lms.serve_scale", "--workers", "1"]
            + ["--host", "127.0.0.1", "--port-base", str(port)],
            cwd=ROOT,
            env=env,
            stdout=log,  # one line per request; shown if something fails
            stderr=subprocess.STDOUT,
        )
        _wait_for(port, server)
        shots = take(f"http://127.0.0.1:{port}", args.out)
        write_index(args.out, shots)
    except BaseException:
        log.flush()
        lines = (workdir / "server.log").read_text().splitlines()
        print("\n".join(["server log (last 40 lines):", *lines[-40:]]), file=sys.stderr)
        raise
    finally:
        if server is not None:
            server.terminate()
            server.wait(20)
        log.close()
        shutil.rmtree(workdir, ignore_errors=True)
    for name, title in shots:
        print(f"{args.out / name}  {title}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
