"""
Settings profiles (issue 2): embedded defaults, the switch to PostgreSQL and
Redis, and the hardened production profile (security-tests CF-01, CF-03,
CF-04). Profiles are read in subprocesses, because settings are read once.
"""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from tests.csp import directives

BASE_DIR = Path(__file__).resolve().parent.parent
SHOW_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "db": settings.DATABASES["default"]["ENGINE"],
    "layer": settings.CHANNEL_LAYERS["default"]["BACKEND"],
    "cache": settings.CACHES["default"]["BACKEND"],
    "email": settings.EMAIL_BACKEND,
    "debug": settings.DEBUG,
}))
"""
PRODUCTION_HEADERS = """
import json, django
django.setup()
from django.test import Client
client = Client()
https = client.get("/accounts/login/", secure=True, HTTP_HOST="lophoc.example")
http = client.get("/accounts/login/", HTTP_HOST="lophoc.example")
print(json.dumps({
    "status": https.status_code,
    "headers": dict(https.headers),
    "csrf_cookie_secure": bool(https.cookies["csrftoken"]["secure"]),
    "http_status": http.status_code,
    "http_location": http.headers.get("Location", ""),
}))
"""


def _env(tmp_path, **extra):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="lms.settings", LOPHOC_VAR_DIR=str(tmp_path), **extra
    )
    return env


def _production_env(tmp_path, **extra):
    return _env(
        tmp_path,
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="lophoc.example",
        **extra,
    )


def _run(args, env):
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_profile_passes_check_deploy_with_no_warnings(tmp_path):
    """CF-01."""
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        _production_env(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.parametrize(
    "env",
    [
        {"DJANGO_ENV": "production", "DJANGO_ALLOWED_HOSTS": "lophoc.example"},
        {
            "DJANGO_ENV": "production",
            "DJANGO_SECRET_KEY": "short",
            "DJANGO_ALLOWED_HOSTS": "lophoc.example",
        },
        {"DJANGO_ENV": "production", "DJANGO_SECRET_KEY": "x" * 60},
    ],
    ids=["no-secret", "short-secret", "no-hosts"],
)
def test_production_refuses_to_start_on_development_defaults(tmp_path, env):
    result = _run(["-c", SHOW_SETTINGS], _env(tmp_path, **env))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr


def test_no_variables_means_sqlite_in_memory_layer_and_console_email(tmp_path):
    result = _run(["-c", SHOW_SETTINGS], _env(tmp_path))
    assert json.loads(result.stdout) == {
        "db": "django.db.backends.sqlite3",
        "layer": "channels.layers.InMemoryChannelLayer",
        "cache": "django.core.cache.backends.locmem.LocMemCache",
        "email": "django.core.mail.backends.console.EmailBackend",
        "debug": True,
    }


def test_database_and_redis_urls_switch_to_postgresql_and_redis(tmp_path):
    env = _env(
        tmp_path,
        DATABASE_URL="postgres://u@127.0.0.1:5432/x",
        REDIS_URL="redis://127.0.0.1:6379/9",
    )
    settings = json.loads(_run(["-c", SHOW_SETTINGS], env).stdout)
    assert settings["db"] == "django.db.backends.postgresql"
    assert settings["layer"] == "channels_redis.core.RedisChannelLayer"
    assert settings["cache"] == "django.core.cache.backends.redis.RedisCache"


def test_production_sends_security_headers_and_redirects_to_https(tmp_path):
    """CF-04 in the production profile: HSTS, secure cookies, HTTPS only."""
    env = _production_env(tmp_path, DJANGO_STATIC_MANIFEST="0")
    result = _run(["-c", PRODUCTION_HEADERS], env)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    headers = answer["headers"]
    assert answer["status"] == 200
    assert "max-age=31536000" in headers["Strict-Transport-Security"]
    assert answer["csrf_cookie_secure"]
    assert answer["http_status"] == 301
    assert answer["http_location"].startswith("https://lophoc.example/")


def test_foreign_host_header_is_refused(client, db):
    """CF-03."""
    assert client.get("/accounts/login/", HTTP_HOST="evil.example").status_code == 400


def test_pages_send_the_security_headers(client, db):
    """CF-04 headers every profile sends (HSTS only behind HTTPS, above)."""
    response = client.get("/accounts/login/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    csp = directives(response["Content-Security-Policy"])
    assert csp["frame-ancestors"] == "'none'"
    assert csp["script-src"] == "'self'"


def test_personal_pages_are_private_and_roster_pages_not_stored(
    client, classroom, teacher
):
    client.force_login(teacher)
    assert "private" in client.get("/")["Cache-Control"]
    for url in (
        f"/classes/{classroom.pk}/students/",
        f"/classes/{classroom.pk}/students/import/",
    ):
        assert "no-store" in client.get(url)["Cache-Control"]


def test_site_policy_lets_sockets_reach_this_host_only(client, db):
    """``connect-src 'self'`` (CSP 3 matches ws:/wss: to the same host)."""
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    assert directives(policy)["connect-src"] == "'self'"
