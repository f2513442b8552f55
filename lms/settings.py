"""
Lophoc settings: one module, read from the environment, with embedded defaults.

With no variables set the platform runs on SQLite (``var/lophoc.sqlite3``),
the in-memory channel layer, a local-memory cache and the console email
backend. ``DATABASE_URL`` switches to PostgreSQL and ``REDIS_URL`` to Redis
for the channel layer, cache and live-room state. ``DJANGO_ENV=production``
selects the hardened profile, which refuses to start on development secrets.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from lms import logs
from lms.env import load_env

BASE_DIR = Path(__file__).resolve().parent.parent
ENV_FILE = load_env(BASE_DIR)
VAR_DIR = Path(os.environ.get("LOPHOC_VAR_DIR", BASE_DIR / "var"))


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


# GENERAL
# ------------------------------------------------------------------------------
# https://docs.djangoproject.com/en/5.2/ref/settings/#debug
PRODUCTION = env_str("DJANGO_ENV", "development") == "production"
DEBUG = env_bool("DJANGO_DEBUG", not PRODUCTION)

DEV_SECRET_KEY = "django-insecure-lophoc-development-key-do-not-use-in-production"  # noqa: S105
SECRET_KEY = env_str("DJANGO_SECRET_KEY", DEV_SECRET_KEY)
ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", [] if PRODUCTION else ["localhost", "127.0.0.1", "[::1]"]
)
if PRODUCTION:
    if SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set to a long random value in production."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set in production.")
# SAFE BY DEFAULT (issue #12) -------------------------------------------------
# The committed development key and the demo accounts are for the one-command
# demo on 127.0.0.1 only. DEBUG off, or any host that is not loopback, means
# the site is exposed: the development key is refused at start and
# ``seed_demo`` refuses to create accounts with the published password.
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "[::1]", "::1"})
LOPHOC_DEMO_ALLOWED = DEBUG and all(host in LOOPBACK_HOSTS for host in ALLOWED_HOSTS)
if not LOPHOC_DEMO_ALLOWED and SECRET_KEY == DEV_SECRET_KEY:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set: the development key is public and is "
        "refused when DEBUG is off or DJANGO_ALLOWED_HOSTS names a host that is "
        "not loopback."
    )
# END SAFE BY DEFAULT ---------------------------------------------------------
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

# https://docs.djangoproject.com/en/5.2/ref/settings/#language-code
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

# APPS
# ------------------------------------------------------------------------------
# https://docs.djangoproject.com/en/5.2/ref/settings/#installed-apps
INSTALLED_APPS = [
    "daphne",
    # Lophoc, lowest layer first (see docs/architecture.md). ``lms`` itself
    # is the wiring (management commands that span apps, role homes).
    "lms",
    "files",
    "accounts",
    "notifications",
    "courses",
    "classrooms",
    "assignments",
    "live",
    "families",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    # Third party
    "channels",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "django_structlog",
]

AUTH_USER_MODEL = "accounts.User"

# MIDDLEWARE
# ------------------------------------------------------------------------------
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "accounts.middleware.StudentIdleTimeoutMiddleware",
    # Binds a request id and the user id to every log line of the request.
    "django_structlog.middlewares.RequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "lms.csp.CSPMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # AxesMiddleware last, as its documentation asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lms.urls"
WSGI_APPLICATION = "lms.wsgi.application"
ASGI_APPLICATION = "lms.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# DATABASES
# ------------------------------------------------------------------------------
# https://docs.djangoproject.com/en/5.2/ref/settings/#databases
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    # Connections come from one psycopg pool per process (Django 5.1+):
    # per-thread persistent connections (CONN_MAX_AGE > 0) pile up idle
    # under ASGI servers until PostgreSQL answers "too many clients"
    # (bench/deadline_spike.py hit it at 300 students), while opening one
    # per request or per socket join costs a PostgreSQL backend start each
    # time (the live rooms' joins and chat, docs/performance.md). The pool
    # bounds a process to LOPHOC_DB_POOL_MAX connections; a thread waits for
    # a free one. LOPHOC_DB_POOL_MAX=0 goes back to a connection per request.
    DB_POOL_MAX = env_int("LOPHOC_DB_POOL_MAX", 12)
    DATABASES = {
        "default": dj_database_url.parse(
            # With the pool, health checks make it replace a connection
            # dropped by a PostgreSQL restart instead of handing it out.
            DATABASE_URL,
            conn_max_age=0,
            conn_health_checks=True,
        )
    }
    if DB_POOL_MAX:
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": 1,
            "max_size": DB_POOL_MAX,
            "timeout": 30,
        }
else:
    # SQLite is the single-school demo default. WAL plus a busy timeout and
    # IMMEDIATE transactions let the web process and the task worker write
    # without "database is locked" errors.
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "lophoc.sqlite3",
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Opt in to Django 6's https default for URL form fields now.
FORMS_URLFIELD_ASSUME_HTTPS = True

# CACHES, CHANNEL LAYERS
# ------------------------------------------------------------------------------
# https://docs.djangoproject.com/en/5.2/topics/cache/#redis
# https://channels.readthedocs.io/en/latest/topics/channel_layers.html
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "lophoc",
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                # redis-py 8 defaults break channels_redis (see
                # docs/perf-baseline.md): its 5 s socket timeout equals
                # the layer's blocking read, and its pool raises at 100
                # connections instead of waiting.
                "hosts": [
                    {
                        "address": REDIS_URL,
                        "socket_timeout": 15,
                        "socket_connect_timeout": 5,
                        "max_connections": 1000,
                    }
                ],
                "capacity": 1500,
                "expiry": 30,
                "prefix": "lophoc",
            },
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "lophoc",
        }
    }
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# AUTHENTICATION
# ------------------------------------------------------------------------------
# https://docs.djangoproject.com/en/5.2/topics/auth/customizing/
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = 60 * 60  # one hour (ASVS; security-tests AU-04)

# Brute force: lock one (username, IP) pair, never a whole school behind NAT.
# https://django-axes.readthedocs.io/en/latest/4_configuration.html
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The client's address as ``LOPHOC_TRUSTED_PROXIES`` allow (never a forged
# X-Forwarded-For): behind nginx every login would otherwise be 127.0.0.1.
AXES_CLIENT_IP_CALLABLE = "accounts.client_ip.client_ip"
# One address that fails with this many different usernames is refused for
# the cool-off (security-tests AU-02; accounts/throttles.py). A school's NAT
# where dozens of pupils mistype in one cool-off stays under it; raise it for
# a very large school behind one address.
LOPHOC_LOGIN_USERNAMES_PER_IP = env_int("LOPHOC_LOGIN_USERNAMES_PER_IP", 100)
LOPHOC_LOGIN_IP_COOLOFF_SECONDS = 15 * 60
# QR login cards (accounts.badges): unusable card tokens one client address
# may send in the cool-off before every card is refused with 429 for it.
LOPHOC_BADGE_FAILURES_PER_IP = env_int("LOPHOC_BADGE_FAILURES_PER_IP", 20)

# STATIC AND MEDIA
# ------------------------------------------------------------------------------
# https://docs.djangoproject.com/en/5.2/ref/settings/#storages
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("LOPHOC_MEDIA_ROOT", str(VAR_DIR / "media")))
# Uploads only some people may see (homework, announcement attachments):
# outside MEDIA_ROOT, without URLs, served by permission-checked views. Every
# model field uses this alias (``files.storage``): point it at another
# backend here to move them.
PRIVATE_MEDIA_ROOT = Path(
    env_str("LOPHOC_PRIVATE_MEDIA_ROOT", str(MEDIA_ROOT.parent / "private-media"))
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "files.storage.PrivateStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT},
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("DJANGO_STATIC_MANIFEST", PRODUCTION)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Homework photos are re-encoded before saving; 25 MiB covers a raw phone
# photo and a scanned PDF while keeping a slow upload from tying up a worker.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# The largest request body (a homework hand-in with its photos): over it,
# files.body_limit answers 413 before the body is read. Keep nginx's
# client_max_body_size the same.
MAX_REQUEST_BYTES = env_int("LOPHOC_MAX_REQUEST_MB", 64) * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 20

# EMAIL
# ------------------------------------------------------------------------------
# SMTP by default in production; ``DJANGO_EMAIL_BACKEND`` picks another, e.g.
# an anymail provider (``anymail.backends.brevo.EmailBackend``) whose API key
# goes in ``ANYMAIL_API_KEY`` (https://anymail.dev/en/stable/esps/).
EMAIL_BACKEND = env_str(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env_str("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("DJANGO_EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("DJANGO_EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", EMAIL_PORT == 587)
EMAIL_USE_SSL = env_bool("DJANGO_EMAIL_USE_SSL", EMAIL_PORT == 465)
EMAIL_TIMEOUT = env_int("DJANGO_EMAIL_TIMEOUT", 20)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured(
        "Set only one of DJANGO_EMAIL_USE_TLS and DJANGO_EMAIL_USE_SSL."
    )
ANYMAIL = {
    key: value
    for key, value in {
        "API_KEY": env_str("ANYMAIL_API_KEY"),
        "API_URL": env_str("ANYMAIL_API_URL"),
    }.items()
    if value
}
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "Lophoc <no-reply@lophoc.vn>")

# BACKGROUND TASKS
# ------------------------------------------------------------------------------
# Persistent queue in the main database; run the worker with
# ``manage.py db_worker`` (see docs/notifications.md).
# https://github.com/RealOrangeOne/django-tasks-db
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# PROXY AND FILE HAND-OFF
# ------------------------------------------------------------------------------
# Addresses of the reverse proxies in front of Lophoc (nginx on the same
# machine: 127.0.0.1). Only their X-Forwarded-For is believed when working out
# a client's address for the login lockout and the rate limits.
LOPHOC_TRUSTED_PROXIES = env_list("LOPHOC_TRUSTED_PROXIES", [])
# The nginx ``internal`` location prefix that serves private files after
# Django's permission check (X-Accel-Redirect); empty: Django streams them.
LOPHOC_ACCEL_REDIRECT = env_str("LOPHOC_ACCEL_REDIRECT")

# HOMEWORK UPLOADS
# ------------------------------------------------------------------------------
# What one pupil may keep in homework files in all (every version of every
# submission; security-tests UP-09). A year of photo homework shrunk on the
# phone is about 75 MB and 300 files; without JavaScript about 300 MB.
LOPHOC_UPLOAD_QUOTA_BYTES = env_int("LOPHOC_UPLOAD_QUOTA_BYTES", 500 * 1024 * 1024)
LOPHOC_UPLOAD_QUOTA_FILES = env_int("LOPHOC_UPLOAD_QUOTA_FILES", 1500)

# SECURITY
# ------------------------------------------------------------------------------
# https://docs.djangoproject.com/en/5.2/topics/security/
SESSION_COOKIE_HTTPONLY = True
# Pupils share family phones: their sessions end after this many minutes
# without a request (accounts.middleware.StudentIdleTimeoutMiddleware).
# Everyone else keeps Django's two weeks (SESSION_COOKIE_AGE).
STUDENT_SESSION_IDLE_SECONDS = 60 * env_int("LOPHOC_STUDENT_IDLE_MINUTES", 120)
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# A stale token: the 403 page resends the form once (static/js/csrf.js).
CSRF_FAILURE_VIEW = "courses.pwa.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Content Security Policy (django-csp 4, through ``lms.csp``). Every page
# children see is covered. The admins rely on inline scripts: under these
# prefixes only ``frame-ancestors`` is sent. Wagtail's preview panel gets
# ``frame-ancestors 'self'``, nothing else does.
# https://django-csp.readthedocs.io/en/latest/configuration.html
ADMIN_CSP_URL_PREFIXES = ["/admin/", "/django-admin/"]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "media-src": ["'self'", "blob:"],
        # 'self' covers ws:/wss: to this host (CSP 3); sockets go nowhere else.
        "connect-src": ["'self'"],
        "frame-src": [
            "'self'",
            "https://www.youtube-nocookie.com",
            "https://www.youtube.com",
            "https://player.vimeo.com",
        ],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}
# The Wagtail and Django admins: the same policy, plus what their editors
# need, found by tests/e2e/test_admin_csp.py (it fails on any violation):
# inline scripts (Wagtail's date widgets render ``<script>initDateChooser(…)``
# and jQuery runs the inline scripts of chooser and StreamField markup) and
# inline styles (vendor.js inserts ``<style>`` elements). No other host may
# serve scripts, and connections, forms and frames stay on this site.
ADMIN_CONTENT_SECURITY_POLICY = {
    **CONTENT_SECURITY_POLICY["DIRECTIVES"],
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
}

# WAGTAIL
# ------------------------------------------------------------------------------
# https://docs.wagtail.org/en/stable/reference/settings.html
WAGTAIL_SITE_NAME = "Lophoc"
# Avatars come from uploads only: Gravatar would receive a hash of every
# teacher's e-mail address each time an admin page lists them.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Draftail without its "/" command palette, which opened at every fraction
# a teacher typed ("1/2"), Enter then turning the line into a list.
WAGTAILADMIN_RICH_TEXT_EDITORS = {
    "default": {"WIDGET": "courses.widgets.LessonRichTextArea"}
}
# Links in e-mails and the admin. Unset, they follow the address `make run`
# serves on (the Makefile passes it as LOPHOC_DEV_ORIGIN).
WAGTAILADMIN_BASE_URL = env_str("LOPHOC_BASE_URL") or env_str(
    "LOPHOC_DEV_ORIGIN", "http://127.0.0.1:8000"
)
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Lesson attachments a teacher may upload: documents, sheets, slides, text,
# audio and video. No HTML or SVG (they would run on our origin when opened
# inline), no executables, and no legacy Office formats, which carry macros.
WAGTAILDOCS_EXTENSIONS = [
    "pdf",
    "docx",
    "xlsx",
    "pptx",
    "odt",
    "ods",
    "odp",
    "txt",
    "csv",
    "mp3",
    "m4a",
    "mp4",
    "webm",
]
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp", "heic", "avif"]
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
if DATABASE_URL.startswith(("postgres", "postgis")):
    # Created by courses migration 0002: unaccented full text, so "phan so"
    # finds "phân số".
    WAGTAILSEARCH_BACKENDS["default"]["SEARCH_CONFIG"] = "lophoc_vi"

# LIVE ROOMS
# ------------------------------------------------------------------------------
# Minutes a live ticket is valid (at most 60); clients fetch a new one on
# every reconnect (#11: tickets are bound to the login session and live
# minutes, not hours).
LIVE_TICKET_TTL_SECONDS = 60 * env_int("LOPHOC_LIVE_TICKET_TTL", 10)
LIVE_MAX_FRAME_BYTES = 16 * 1024
# Redis keys and pub/sub channels of the live rooms start with this prefix;
# pub/sub ignores DB numbers, so tests and deployments sharing a server
# each need their own.
LIVE_REDIS_PREFIX = env_str("LOPHOC_REDIS_PREFIX", "lophoc")
# Every socket's right to stay is re-checked this often (backstop for
# revocations that bypass the signals, WS-04); 0 switches it off.
LIVE_RECHECK_SECONDS = env_int("LOPHOC_LIVE_RECHECK_SECONDS", 3)
# A server process that stops renewing its heartbeat for this long is taken
# as dead and its sockets leave their rooms' presence (live/realtime/store.py).
LIVE_PROCESS_TTL_SECONDS = env_int("LOPHOC_LIVE_PROCESS_TTL", 30)

# LOGGING AND ERROR REPORTS
# ------------------------------------------------------------------------------
# structlog + django-structlog (lms/logs.py): JSON lines in production, plain
# lines for a developer; a request id and user id on every request's lines.
# https://django-structlog.readthedocs.io/
LOPHOC_LOG_FORMAT = env_str("LOPHOC_LOG_FORMAT", "json" if PRODUCTION else "plain")
logs.configure_structlog()
LOGGING = logs.logging_config(LOPHOC_LOG_FORMAT, env_str("LOPHOC_LOG_LEVEL", "INFO"))
DJANGO_STRUCTLOG_IP_LOGGING_ENABLED = False
# Sentry only when a DSN is given; nothing is initialised otherwise.
SENTRY_DSN = env_str("SENTRY_DSN")
if SENTRY_DSN:
    logs.init_sentry(
        SENTRY_DSN,
        environment=env_str("SENTRY_ENVIRONMENT", "production"),
        release=env_str("SENTRY_RELEASE"),
    )
