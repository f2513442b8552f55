"""Request bodies over the limit are refused with 413 before they are read."""

import asyncio

import pytest

from files.body_limit import BodySizeLimit
from lms.asgi import application

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

MB = 1024 * 1024


class Recorder:
    """The server's side of one ASGI HTTP request."""

    def __init__(self, chunks, headers):
        self.chunks = list(chunks)
        self.headers = headers
        self.sent = []
        self.pulled = 0

    async def receive(self):
        if not self.chunks:  # the client waits for the answer
            await asyncio.Event().wait()
        body = self.chunks.pop(0)
        self.pulled += len(body)
        return {"type": "http.request", "body": body, "more_body": bool(self.chunks)}

    async def send(self, message):
        self.sent.append(message)

    @property
    def status(self):
        starts = [m for m in self.sent if m["type"] == "http.response.start"]
        assert len(starts) == 1, self.sent
        return starts[0]["status"]

    @property
    def body(self) -> str:
        return b"".join(
            m.get("body", b"") for m in self.sent if m["type"] == "http.response.body"
        ).decode()


def scope(headers, path="/accounts/login/"):
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1"), *headers],
        "client": ("127.0.0.1", 5000),
        "server": ("127.0.0.1", 8000),
    }


@pytest.fixture
def small_limit(settings):
    settings.MAX_REQUEST_BYTES = 1 * MB


async def test_a_declared_length_over_the_limit_is_refused_before_reading(small_limit):
    called = []

    async def app(scope, receive, send):
        called.append(True)

    server = Recorder([b"x" * MB] * 300, [(b"content-length", str(300 * MB).encode())])
    await BodySizeLimit(app)(scope(server.headers), server.receive, server.send)
    assert server.status == 413
    assert server.pulled == 0 and called == []
    assert "Tệp gửi lên quá lớn" in server.body and "1 MB" in server.body


async def test_a_streamed_body_stops_being_read_once_past_the_limit(small_limit):
    """No Content-Length (chunked): the site reads 1 MB and a chunk, no more."""
    server = Recorder([b"x" * (256 * 1024)] * 1200, [])  # 300 MB
    await application(scope(server.headers), server.receive, server.send)
    assert server.status == 413
    assert server.pulled <= 1 * MB + 256 * 1024


async def test_a_body_under_the_limit_reaches_the_site(small_limit):
    server = Recorder([b"a=1"], [(b"content-length", b"3")])
    await application(
        scope(server.headers, path="/khong-co/"), server.receive, server.send
    )
    assert server.status in (403, 404)  # Django answered (CSRF or not found)


async def test_the_413_page_follows_the_language_cookie(small_limit):
    server = Recorder(
        [], [(b"content-length", b"999999999"), (b"cookie", b"django_language=en")]
    )
    await application(scope(server.headers), server.receive, server.send)
    assert server.status == 413
    assert "too large" in server.body
