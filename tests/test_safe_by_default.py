"""
Safe by default (issue #12, Build 1; security-tests CF-01): an exposed site
(DEBUG off, or a host that is not loopback) refuses the public development
key at start, and ``seed_demo`` refuses to create the demo accounts there.
The plain default profile stays the one-command demo on 127.0.0.1.
Settings are read once per process, so profiles run in subprocesses.
"""

import secrets
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from tests.test_settings import _env as settings_env
from tests.test_settings import _run as run_python

SHOW_DEMO_ALLOWED = (
    "import django; from django.conf import settings; django.setup(); "
    "print(settings.LOPHOC_DEMO_ALLOWED)"
)


def _run(args, tmp_path, **extra):
    return run_python(args, settings_env(tmp_path, **extra))


@pytest.mark.parametrize(
    "exposure",
    [
        {"DJANGO_ALLOWED_HOSTS": "lophoc.example"},
        {"DJANGO_ALLOWED_HOSTS": "127.0.0.1,192.168.1.20"},
        {"DJANGO_ALLOWED_HOSTS": "*"},
        {"DJANGO_DEBUG": "false"},
    ],
    ids=["public-host", "lan-address", "any-host", "debug-off"],
)
def test_exposed_site_refuses_to_start_with_the_development_key(tmp_path, exposure):
    """CF-01: no DJANGO_ENV=production, yet the public key is refused."""
    result = _run(["-c", SHOW_DEMO_ALLOWED], tmp_path, **exposure)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_exposed_site_starts_with_its_own_key_but_forbids_the_demo(tmp_path):
    result = _run(
        ["-c", SHOW_DEMO_ALLOWED],
        tmp_path,
        DJANGO_ALLOWED_HOSTS="lophoc.example",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_default_profile_is_the_loopback_demo(tmp_path):
    result = _run(["-c", SHOW_DEMO_ALLOWED], tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_seed_demo_refuses_on_an_exposed_site_and_creates_nobody(tmp_path):
    """The demo password is published: an exposed site gets no such account."""
    result = _run(
        ["manage.py", "seed_demo"],
        tmp_path,
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
    )
    assert result.returncode != 0
    assert "DJANGO_DEBUG" in result.stderr  # the refusal, not a missing table
    assert "Password for every demo account" not in result.stdout


def test_seed_demo_refusal_leaves_the_database_untouched(db, settings):
    settings.LOPHOC_DEMO_ALLOWED = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG"):
        call_command("seed_demo", stdout=StringIO())
    assert not User.objects.filter(username="quantri").exists()
