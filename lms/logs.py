"""
Logging and error reporting (docs/deployment.md, "Logs" and "Error reports").

Every log line, ours and Django's, goes through structlog: JSON for a log
collector (``LOPHOC_LOG_FORMAT=json``, the production default) or plain
``key=value`` lines for a developer. django-structlog binds a request id and
the user id to each request's lines. The client address is not logged
(children's data: store the minimum).

PR-07 (docs/security-tests.md): ``redact`` runs last before rendering. It
blanks fields named like secrets and the values of secret query parameters
(a live ticket, a reset token) in any text. Passwords and session ids are
never logged by our code; a child's name is never logged next to a grade
(log ids, not names). tests/lms/test_logs.py checks a real session.
"""

import re

import structlog

SECRET_FIELDS = frozenset(
    {
        "password",
        "password1",
        "password2",
        "sessionid",
        "session_key",
        "ticket",
        "token",
        "csrftoken",
        "cookie",
        "authorization",
    }
)
_SECRET_PARAMS = re.compile(
    r"((?:^|[?&;])(?:ticket|token|sig|signature|password|sessionid|key)=)[^&;\s\"']*",
    re.IGNORECASE,
)
REDACTED = "[redacted]"
# A QR login card's path (accounts.badges): /b/<token>.
_BADGE_PATH = re.compile(r"(/b/)[A-Za-z0-9_-]+")


def redact(logger, method_name, event_dict):
    """structlog processor: blank secret fields and secret query values."""
    for key, value in list(event_dict.items()):
        if key.lower() in SECRET_FIELDS:
            event_dict[key] = REDACTED
        elif isinstance(value, str):
            value = _SECRET_PARAMS.sub(rf"\1{REDACTED}", value)
            event_dict[key] = _BADGE_PATH.sub(rf"\1{REDACTED}", value)
    return event_dict


_SHARED = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]


def formatter(fmt: str) -> structlog.stdlib.ProcessorFormatter:
    """The formatter of every handler: ``json`` or ``plain``."""
    renderer = (
        structlog.processors.JSONRenderer(ensure_ascii=False)
        if fmt == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[*_SHARED, structlog.stdlib.ExtraAdder()],
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            redact,
            renderer,
        ],
    )


def configure_structlog() -> None:
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *_SHARED,
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.processors.StackInfoRenderer(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )


def logging_config(fmt: str, level: str) -> dict:
    """``LOGGING`` for settings: one console handler, structlog-formatted."""
    if fmt not in {"json", "plain"}:
        raise ValueError(f"LOPHOC_LOG_FORMAT must be json or plain, not {fmt!r}")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"main": {"()": formatter, "fmt": fmt}},
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": "main"}
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.request": {"level": "ERROR"},
            "django_structlog": {"level": level},
            "daphne": {"level": "WARNING"},
            "axes": {"level": "WARNING"},
        },
    }


def init_sentry(dsn: str, *, environment: str, release: str = "") -> None:
    """Error reports to Sentry, only called when ``SENTRY_DSN`` is set.

    No personal data is sent (sentry-sdk's default: no cookies, no user
    names), no request bodies, and no performance traces.
    """
    import sentry_sdk

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        max_request_body_size="never",
        traces_sample_rate=0.0,
    )
