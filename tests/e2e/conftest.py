"""
Shared browser fixtures: Playwright (sync API) driving Debian's Chromium.

A browser is never downloaded here: the tests use ``/usr/bin/chromium``
(``apt-get install chromium``). Use them with pytest-django's ``live_server``
(which needs ``transactional_db``) and mark the tests ``@pytest.mark.e2e``.
"""

import asyncio
import os
import socket
import threading
import time
from types import SimpleNamespace

import pytest

CHROMIUM = os.environ.get("LOPHOC_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
PHONE_VIEWPORT = {"width": 360, "height": 740}


@pytest.fixture(scope="session", autouse=True)
def _orm_beside_playwrights_loop():
    """
    Playwright's sync API keeps an event loop running in the test thread, so
    Django's async-safety guard would refuse the ORM calls these tests (and
    their database set-up and flush) make from it. Only the browser tests
    lift the guard: from the first of them, which run last in the session
    (``tests/conftest.py`` sorts them there), to the end. Every other test
    runs with the guard on, so an ORM call in async code fails it.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session."""
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def desktop_page(browser):
    """A fresh browser context (own cookies) with a laptop-sized window."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser):
    """A fresh browser context (own cookies) the size of a cheap phone."""
    context = browser.new_context(
        viewport=PHONE_VIEWPORT, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def seed_demo():
    """The demo school ``make run`` serves, built by its own command."""
    import io

    from django.core.management import call_command

    from classrooms import demo as school_demo
    from tests.factories import ensure_wagtail_tree

    ensure_wagtail_tree()
    call_command("seed_demo", stdout=io.StringIO())
    return school_demo.seed()


def login(page, live_server, username: str, password: str) -> None:
    """Sign in through the real login form and wait for the role home."""
    if not getattr(live_server, "websockets", False):
        # pytest-django's live_server speaks WSGI: the bell's WebSocket would
        # come back as 404 pages, retried with backoff, each reading the
        # user on the connection the test's teardown flushes ("database
        # table is locked" on SQLite). Answer it in the browser instead.
        page.context.route_web_socket("**/ws/**", lambda ws: None)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


@pytest.fixture
def log_in(live_server):
    """``log_in(page, username, password)``: the real login form, as a fixture."""

    def _log_in(page, username: str, password: str) -> None:
        login(page, live_server, username, password)

    return _log_in


@pytest.fixture
def asgi_server(transactional_db, settings):
    """
    The whole site over ASGI (pages, static files and WebSockets), served by
    uvicorn in a thread of the test process against the test database.
    pytest-django's ``live_server`` speaks WSGI only, so pages that open a
    WebSocket (live rooms, quizzes, the notification bell) use this instead.
    """
    import uvicorn
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

    from lms.asgi import application

    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
    # Redis pub/sub is shared by every test run on the machine.
    settings.LIVE_REDIS_PREFIX = f"e2e-{time.time_ns()}"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(
        ASGIStaticFilesHandler(application),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        lifespan="off",
        ws="websockets",
        # Open sockets (a room, the bell) must not hold up the teardown.
        timeout_graceful_shutdown=2,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=lambda: asyncio.run(server.serve()), daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield SimpleNamespace(url=f"http://127.0.0.1:{port}", websockets=True)
    server.should_exit = True
    thread.join(10)
    if thread.is_alive():
        # A consumer still awaiting the channel layer: stop without waiting.
        server.force_exit = True
        thread.join(10)
    assert not thread.is_alive(), "uvicorn did not stop"
