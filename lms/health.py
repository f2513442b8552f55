"""
Health endpoints for the proxy, the supervisor and a monitoring probe
(docs/deployment.md, "Health checks").

- ``/healthz``: the process is up and answers. Touches nothing else, so a
  database outage never makes a supervisor restart healthy workers.
- ``/readyz``: may this process take traffic? The database, Redis (when
  ``REDIS_URL`` is set), both storages and the task queue's backlog, through
  django-health-check. 200 when all pass, 503 naming each failed check.

Both answer JSON and are public: they name services, never data or settings
(no URLs, passwords or hosts).
"""

import dataclasses
import datetime

from django.conf import settings
from django.db import connection as db_connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from health_check.base import HealthCheck
from health_check.checks import Database, Storage
from health_check.contrib.redis import Redis
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView
from redis.asyncio import Redis as RedisClient

# Ready tasks waiting longer than this mean the worker is down or behind.
TASK_BACKLOG_MAX_AGE = datetime.timedelta(minutes=10)
# A probe must answer quickly: /readyz should turn red within 5 s.
REDIS_TIMEOUT_SECONDS = 2


@dataclasses.dataclass
class TaskBacklog(HealthCheck):
    """Ready tasks (django-tasks-db) older than ``max_age`` fail the check."""

    max_age: datetime.timedelta = TASK_BACKLOG_MAX_AGE

    def run(self):
        from django_tasks_db.models import DBTaskResult

        oldest = timezone.now() - self.max_age
        try:
            late = DBTaskResult.objects.ready().filter(enqueued_at__lt=oldest).count()
        finally:
            # The check runs in an executor thread, outside any request: a
            # connection it kept would stay checked out of the pool after the
            # thread ends, and a probe every few seconds would drain it.
            db_connection.close()
        if late:
            raise ServiceUnavailable(f"{late} tasks waiting over {self.max_age}")


def _redis_client() -> RedisClient:
    return RedisClient.from_url(
        settings.REDIS_URL,
        socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
        socket_timeout=REDIS_TIMEOUT_SECONDS,
    )


def _name(check: HealthCheck) -> str:
    name = type(check).__name__.lower()
    return f"{name}:{check.alias}" if isinstance(check, Storage) else name


class ReadyView(HealthCheckView):
    def get_checks(self):
        yield Database()
        if settings.REDIS_URL:
            yield Redis(client_factory=_redis_client)
        yield Storage(alias="default")
        yield Storage(alias="private")
        yield TaskBacklog()

    async def get(self, request, *args, **kwargs):
        results = [await check.get_result() for check in self.get_checks()]
        failed = [r for r in results if r.error]
        body = {
            "status": "fail" if failed else "ok",
            "checks": {
                _name(r.check): "ok" if not r.error else str(r.error) for r in results
            },
            "failed": [_name(r.check) for r in failed],
        }
        return JsonResponse(body, status=503 if failed else 200)


readyz = ReadyView.as_view()


@never_cache
def healthz(request):
    return JsonResponse({"status": "ok"})
