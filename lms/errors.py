"""
Lophoc's own error pages (production: ``DEBUG`` off), translated and made
for a phone's width.

- All four stand alone (``templates/_error_base.html``): they render
  without a database, a cache or a signed-in user, since one of those
  failing is often why they are shown, and a 404 holds nothing of the
  request, so a page that exists but is not yours (a 404 too) reads exactly
  like a page that does not exist.
- A request that fails because PostgreSQL, SQLite or Redis can't be reached
  (or SQLite stays locked) answers 503 "try again shortly" with
  ``Retry-After``, not 500: nothing was half-written (each request's writes
  are one transaction) and the next request after the service returns
  succeeds without a restart.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

try:  # redis is installed with the project; the embedded default never uses it
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError
except ImportError:  # pragma: no cover
    RedisConnectionError = RedisTimeoutError = OSError

RETRY_AFTER_SECONDS = 30
UNAVAILABLE = (
    OperationalError,
    InterfaceError,
    RedisConnectionError,
    RedisTimeoutError,
)


def service_unavailable(exc: BaseException | None) -> bool:
    """Whether ``exc`` (or what caused it) is a service out of reach."""
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, UNAVAILABLE):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


def unavailable_response() -> HttpResponse:
    body = loader.get_template("503.html").render({})
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


@requires_csrf_token
def server_error(request, template_name="500.html"):
    """``handler500``: 503 when a service is down, else the 500 page."""
    if service_unavailable(sys.exc_info()[1]):
        return unavailable_response()
    return HttpResponseServerError(loader.get_template(template_name).render({}))
