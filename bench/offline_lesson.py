"""
Offline lessons (issue #14): what saving costs and how fast a saved lesson opens.

    .venv/bin/python bench/offline_lesson.py

Builds the demo in a throwaway SQLite database with hashed static files
(``DJANGO_STATIC_MANIFEST=1``, ``collectstatic``, WhiteNoise), serves it with
daphne on a free port and drives Debian's Chromium (Playwright) as a demo
student on a 360×740 phone:

- online transfer size of the demo lesson with pictures, formula and
  self-check (navigation + every resource, ``transferSize``), against the
  bytes its saved copy takes in the child's cache;
- the shell precache (bytes in ``lophoc-shell-*``);
- the service worker's size: as served, minified with rjsmin,
  and gzip'd;
- first-contentful-paint over Chromium's CDP network emulation (400 kbit/s,
  400 ms RTT): a first visit (no worker, empty HTTP cache, signed in) and a
  repeat visit to the saved lesson, online and offline.

Budgets: cache ≤ 1.2 × transfer, shell ≤ 60 KB, worker ≤ 10,000 B minified,
repeat ≤ 1 s, first ≤ 2 s. Exit code 1 if one is broken. Nothing is left
behind.
"""

import gzip
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.request
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
FCP = """() => new Promise(resolve => {
    const hit = performance.getEntriesByName('first-contentful-paint')[0];
    if (hit) return resolve(hit.startTime);
    new PerformanceObserver(list => resolve(list.getEntries()[0].startTime))
        .observe({type: 'paint', buffered: true});
})"""


def main() -> int:
    workdir = tempfile.mkdtemp(prefix="lophoc-offline-")
    env = demo_env(workdir, DJANGO_STATIC_MANIFEST="1")
    server = None
    try:
        for command in (
            ["migrate", "-v0"],
            ["collectstatic", "--noinput", "-v0"],
            ["seed_demo"],
        ):
            subprocess.run(
                [PY, "manage.py", *command],
                cwd=ROOT,
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
        port = free_port()
        server = subprocess.Popen(
            [str(ROOT / ".venv/bin/daphne"), "-b", "127.0.0.1", "-p", str(port)]
            + ["lms.asgi:application"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        wait_for(f"{base}/manifest.webmanifest")
        os.environ.update(env)
        sys.path.insert(0, str(ROOT))
        return _measure(base)
    finally:
        if server:
            server.terminate()
            server.wait(10)
        shutil.rmtree(workdir, ignore_errors=True)


def _demo():
    import django

    django.setup()
    from classrooms import demo as school_demo
    from courses.models import LessonPage

    student = school_demo.seed().students["6A"][0]
    for lesson in LessonPage.objects.live().order_by("path"):
        kinds = {block.block_type for block in lesson.body}
        if {"image", "math", "self_check"} <= kinds:
            return student.username, school_demo.DEMO_PASSWORD, lesson.url
    raise SystemExit("no demo lesson with pictures, formula and self-check")


def _load_all_images(page):
    page.evaluate(
        """() => Promise.all([...document.querySelectorAll('img')].map(img => {
            img.loading = 'eager';
            return img.complete ? 1 : new Promise(r => { img.onload = img.onerror = r; });
        }))"""
    )


def _transfer(page, static=True) -> int:
    """Bytes on the wire for the page and what it loaded (optionally not
    the static files, which the shell holds for every lesson)."""
    return page.evaluate(
        """(withStatic) => performance.getEntriesByType('navigation')
              .concat(performance.getEntriesByType('resource'))
              .filter(e => !e.name.includes('/ws/'))
              .filter(e => withStatic || !new URL(e.name).pathname.startsWith('/static/'))
              .reduce((sum, e) => sum + (e.transferSize || 0), 0)""",
        static,
    )


def _minified(source: str) -> bytes:
    """rjsmin: comments and whitespace out, names kept."""
    import rjsmin

    return rjsmin.jsmin(source).encode()


def _measure(base: str) -> int:
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM_ARGS as ARGS
    from tests.e2e.conftest import PHONE_VIEWPORT as PHONE

    username, password, lesson_url = _demo()
    url = f"{base}{lesson_url}"
    sw = urllib.request.urlopen(f"{base}/sw.js").read()
    sw_min = _minified(sw.decode())
    figures = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=ARGS
        )

        def context():
            ctx = browser.new_context(
                viewport=PHONE, is_mobile=True, has_touch=True, service_workers="allow"
            )
            ctx.route_web_socket("**/ws/**", lambda ws: None)
            page = ctx.new_page()
            page.set_default_timeout(60_000)
            return ctx, page

        # First visit over 3G: signed in, no worker yet, nothing cached.
        ctx, page = context()
        sign_in(page, base, username, password)
        ctx.clear_cookies()
        ctx.close()
        ctx, page = context()
        ctx.route("**/sw.js", lambda route: route.abort())  # no worker: first visit
        sign_in(page, base, username, password)
        cdp = ctx.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        cdp.send("Network.emulateNetworkConditions", THREE_G)
        page.goto(url)
        figures["first_fcp_ms"] = page.evaluate(FCP)
        _load_all_images(page)
        page.wait_for_timeout(500)
        figures["online_transfer"] = _transfer(page)
        figures["online_page_images"] = _transfer(page, static=False)
        ctx.close()

        # Online transfer size, then save, on a phone with the worker.
        ctx, page = context()
        sign_in(page, base, username, password)
        page.goto(url)
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        page.reload()  # controlled by the worker from here on
        cdp = ctx.new_cdp_session(page)
        page.wait_for_selector("[data-save-lesson]:not([hidden])")
        page.get_by_role("button", name="Lưu để học offline").click()
        page.wait_for_selector("[data-save-lesson][data-state=saved]")
        figures["saved_cache"] = page.evaluate(
            """async () => {
                let total = 0;
                for (const name of await caches.keys()) {
                    if (!name.startsWith('lophoc-saved-u')) continue;
                    const cache = await caches.open(name);
                    for (const r of await cache.keys()) {
                        if (r.url.includes('/__lophoc/')) continue;
                        total += (await (await cache.match(r)).blob()).size;
                    }
                }
                return total;
            }"""
        )
        figures["shell"] = page.evaluate(
            """async () => {
                let total = 0;
                for (const name of await caches.keys()) {
                    if (!name.startsWith('lophoc-shell-')) continue;
                    const cache = await caches.open(name);
                    for (const r of await cache.keys())
                        total += (await (await cache.match(r)).blob()).size;
                }
                return total;
            }"""
        )
        # Repeat visits over 3G: online (the page from the network, its
        # files from the caches) and offline (the saved copy).
        cdp.send("Network.emulateNetworkConditions", THREE_G)
        page.goto(f"{base}/learn/saved/")
        page.goto(url)
        figures["repeat_online_fcp_ms"] = page.evaluate(FCP)
        ctx.set_offline(True)
        page.goto(url)
        figures["repeat_offline_fcp_ms"] = page.evaluate(FCP)
        ctx.close()
        browser.close()

    ratio = figures["saved_cache"] / figures["online_transfer"]
    rows = [
        ("lesson", lesson_url, ""),
        ("online transfer (HTML+CSS+JS+images)", f"{figures['online_transfer']} B", ""),
        ("  of which HTML+images", f"{figures['online_page_images']} B", ""),
        ("saved copy in the child's cache", f"{figures['saved_cache']} B", ""),
        ("cache / transfer", f"{ratio:.2f}", "≤ 1.2"),
        ("shell precache", f"{figures['shell']} B", "≤ 61440"),
        ("service worker as served", f"{len(sw)} B", ""),
        ("service worker minified (rjsmin)", f"{len(sw_min)} B", "≤ 10000"),
        ("service worker minified, gzip", f"{len(gzip.compress(sw_min))} B", ""),
        ("first visit FCP, 3G", f"{figures['first_fcp_ms']:.0f} ms", "≤ 2000"),
        (
            "repeat visit FCP, 3G online",
            f"{figures['repeat_online_fcp_ms']:.0f} ms",
            "≤ 1000",
        ),
        (
            "repeat visit FCP, offline",
            f"{figures['repeat_offline_fcp_ms']:.0f} ms",
            "≤ 1000",
        ),
    ]
    for name, value, budget in rows:
        print(f"{name:42} {value:>14}  {budget}")
    broken = (
        ratio > 1.2
        or figures["shell"] > 60 * 1024
        or len(sw_min) > 10_000
        or figures["first_fcp_ms"] > 2000
        or figures["repeat_online_fcp_ms"] > 1000
        or figures["repeat_offline_fcp_ms"] > 1000
    )
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
