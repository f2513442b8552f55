"""
Request bodies bounded before they are read (#12 Build 3).

Django's ASGI handler spools a whole request body to a temporary file
before any view or middleware runs, so a 300 MB "photo" was written out in
full before the 15 MB check could answer. This ASGI wrapper answers 413 at
once when ``Content-Length`` is over ``LOPHOC_MAX_REQUEST_MB``, and for a
body without one (chunked) as soon as the bytes received pass the limit:
Django then sees a disconnected client and stops reading. nginx's
``client_max_body_size`` does the same in front; this holds without it.
"""

from django.conf import settings
from django.template import loader
from django.utils import translation


def _header(scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return value
    return None


def _language(scope) -> str:
    cookie = (_header(scope, b"cookie") or b"").decode("latin-1")
    for part in cookie.split(";"):
        key, _, value = part.strip().partition("=")
        if key == settings.LANGUAGE_COOKIE_NAME and value in dict(settings.LANGUAGES):
            return value
    return settings.LANGUAGE_CODE


async def send_too_large(scope, send) -> None:
    with translation.override(_language(scope)):
        body = (
            loader.get_template("413.html")
            .render({"limit_mb": settings.MAX_REQUEST_BYTES // (1024 * 1024)})
            .encode()
        )
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"text/html; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class BodySizeLimit:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = settings.MAX_REQUEST_BYTES
        length = _header(scope, b"content-length")
        if length is not None and (not length.isdigit() or int(length) > limit):
            return await send_too_large(scope, send)
        received = 0
        refused = False

        async def bounded_receive():
            nonlocal received, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    refused = True
                    await send_too_large(scope, send)
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message):
            if not refused:  # Django answers nothing after a disconnect
                await send(message)

        return await self.app(scope, bounded_receive, guarded_send)
