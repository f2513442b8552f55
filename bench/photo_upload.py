"""
Photo homework over 3G (issue #15): what three camera photos cost a pupil.

    .venv/bin/python bench/photo_upload.py

Builds the demo in a throwaway SQLite database, serves it with the server
line ``make run`` uses (``lms.serve_scale``, uvicorn) on a free port, and
drives Debian's Chromium (Playwright) as a demo pupil on a 360×740 phone
with Chromium's CDP network emulation (400 kbit/s up and down, 400 ms RTT).
The pupil picks three 12 Mpx camera photos of handwriting
(``tests.files.samples.camera_photo``, 4000×3000, about 5.5 MB each) and
presses "Nộp bài". Reported:

- bytes on the wire: the upload's body as the browser sent it (the XHR
  upload's ``total``), against the photos' size on the phone;
- seconds from the press to "Đã nộp lúc …" (shrinking on the phone included),
  and how much of that was shrinking, on a plain and on a 4× slowed CPU
  (``Emulation.setCPUThrottlingRate``, a cheap phone).

Budgets: each photo ≤ 400 KB on the wire, three submitted in ≤ 15 s. Exit
code 1 if one is broken. Nothing is left behind.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from support import demo_env, free_port, sign_in, wait_for

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
CHROMIUM = os.environ.get("LOPHOC_CHROMIUM", "/usr/bin/chromium")
THREE_G = {
    "offline": False,
    "latency": 400,
    "downloadThroughput": 400 * 1000 / 8,
    "uploadThroughput": 400 * 1000 / 8,
}
PHOTO_BUDGET = 400 * 1024
SECONDS_BUDGET = 15.0


def main() -> int:
    workdir = tempfile.mkdtemp(prefix="lophoc-photos-")
    env = demo_env(workdir)
    server = None
    try:
        for command in (["migrate", "-v0"], ["seed_demo"]):
            subprocess.run(
                [PY, "manage.py", *command],
                cwd=ROOT,
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
        port = free_port()
        server = subprocess.Popen(
            [PY, "-m", "lms.serve_scale", "--workers", "1"]
            + ["--host", "127.0.0.1", "--port-base", str(port)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        wait_for(f"{base}/accounts/login/")
        os.environ.update(env)
        sys.path.insert(0, str(ROOT))
        return _measure(base, Path(workdir))
    finally:
        if server:
            server.terminate()
            server.wait(10)
        shutil.rmtree(workdir, ignore_errors=True)


def _homework(title: str):
    """A fresh photo homework for 6A, and a demo pupil of 6A."""
    import django

    django.setup()
    from datetime import timedelta

    from django.utils import timezone

    from assignments import services
    from classrooms import demo as school_demo

    demo = school_demo.seed()
    classroom = next(c for c in demo.classrooms if c.name.endswith("6A"))
    homework = services.create_assignment(
        by=classroom.homeroom_teacher,
        classrooms=[classroom],
        title=title,
        due_at=timezone.now() + timedelta(days=1),
        publish=True,
    )
    pupil = demo.students["6A"][0]
    return homework, pupil.username, school_demo.DEMO_PASSWORD


def _hand_in(browser, base, url, user, photos, cpu_rate):
    from tests.e2e.conftest import PHONE_VIEWPORT

    context = browser.new_context(viewport=PHONE_VIEWPORT, is_mobile=True)
    context.route_web_socket("**/ws/**", lambda ws: None)
    page = context.new_page()
    page.set_default_timeout(120_000)
    try:
        sign_in(page, base, *user)
        page.goto(url)
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", THREE_G)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": cpu_rate})
        page.set_input_files("#id_photos", [str(p) for p in photos])
        started = time.monotonic()
        page.click("form.form button[type=submit]")
        page.wait_for_function(
            "() => !document.querySelector('#upload-status progress').hidden"
        )
        shrunk = time.monotonic() - started
        page.wait_for_selector("#upload-status.message-success")
        seconds = time.monotonic() - started
        wire = page.evaluate(
            "() => document.querySelector('#upload-status progress').max"
        )
        said = page.inner_text("#upload-status .upload-state")
        return {"seconds": seconds, "shrink": shrunk, "wire": wire, "said": said}
    finally:
        context.close()


def _measure(base: str, workdir: Path) -> int:
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM_ARGS
    from tests.files.samples import camera_photo

    photos = []
    for n in range(3):
        path = workdir / f"IMG_0{n}.jpg"
        path.write_bytes(camera_photo(seed=n, orientation=6 if n == 1 else None))
        photos.append(path)
    taken = sum(p.stat().st_size for p in photos)
    # The ORM before Playwright: its sync API runs an event loop.
    work = {rate: _homework(f"Bài ảnh (đo, CPU ×{rate})") for rate in (1, 4)}
    runs = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        for rate, (homework, username, password) in work.items():
            runs[rate] = _hand_in(
                browser,
                base,
                f"{base}/homework/{homework.pk}/",
                (username, password),
                photos,
                rate,
            )
        browser.close()
    broken = []
    print(f"photos as taken: 3 × 4000×3000, {taken / 1e6:.1f} MB in all")
    for rate, run in runs.items():
        per_photo = run["wire"] / 3
        print(
            f"CPU ×{rate}: {run['wire'] / 1024:.0f} KB on the wire "
            f"({per_photo / 1024:.0f} KB a photo, {taken / run['wire']:.0f}× less); "
            f"submitted in {run['seconds']:.1f} s, of which shrinking "
            f"{run['shrink']:.1f} s; the page said: {run['said']!r}"
        )
        if per_photo > PHOTO_BUDGET:
            broken.append(f"CPU ×{rate}: {per_photo / 1024:.0f} KB a photo > 400 KB")
        if rate == 1 and run["seconds"] > SECONDS_BUDGET:
            broken.append(f"{run['seconds']:.1f} s > {SECONDS_BUDGET:.0f} s")
    for line in broken:
        print("BUDGET BROKEN:", line)
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
