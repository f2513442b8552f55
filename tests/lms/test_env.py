"""The environment file (lms/env.py) and the settings it feeds."""

import os
import subprocess
import sys
from pathlib import Path

from lms.env import load_env

BASE_DIR = Path(__file__).resolve().parents[2]


def test_env_file_named_by_lophoc_env_file_is_read(tmp_path, monkeypatch):
    env_file = tmp_path / "lophoc.env"
    env_file.write_text("LOPHOC_TEST_FROM_FILE=từ tệp\n", encoding="utf-8")
    monkeypatch.setenv("LOPHOC_ENV_FILE", str(env_file))
    monkeypatch.delenv("LOPHOC_TEST_FROM_FILE", raising=False)

    assert load_env(tmp_path) == env_file
    assert os.environ["LOPHOC_TEST_FROM_FILE"] == "từ tệp"
    monkeypatch.delenv("LOPHOC_TEST_FROM_FILE")


def test_real_environment_wins_over_the_file(tmp_path, monkeypatch):
    (tmp_path / ".env").write_text("LOPHOC_TEST_BOTH=file\n")
    monkeypatch.delenv("LOPHOC_ENV_FILE", raising=False)
    monkeypatch.setenv("LOPHOC_TEST_BOTH", "shell")

    assert load_env(tmp_path) == tmp_path / ".env"
    assert os.environ["LOPHOC_TEST_BOTH"] == "shell"


def test_dev_null_reads_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("LOPHOC_ENV_FILE", "/dev/null")
    assert load_env(tmp_path) is None


def test_smtp_settings_come_from_the_env_file(tmp_path):
    env_file = tmp_path / "lophoc.env"
    env_file.write_text(
        "DJANGO_ENV=production\n"
        f"DJANGO_SECRET_KEY={'k' * 60}\n"
        "DJANGO_ALLOWED_HOSTS=school.example\n"
        "DJANGO_EMAIL_HOST=smtp.school.example\n"
        "DJANGO_EMAIL_PORT=465\n"
        "DJANGO_EMAIL_HOST_USER=thu@school.example\n"
    )
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))
    }
    env["LOPHOC_ENV_FILE"] = str(env_file)
    code = (
        "from django.conf import settings as s;"
        "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_HOST_USER,"
        " s.EMAIL_USE_SSL, s.EMAIL_USE_TLS, s.DEBUG)"
    )
    out = subprocess.run(
        [sys.executable, "-c", f"import django;django.setup();{code}"],
        env={**env, "DJANGO_SETTINGS_MODULE": "lms.settings"},
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert out == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.school.example",
        "465",
        "thu@school.example",
        "True",
        "False",
        "False",
    ]


def _base_url(env_file_text: str | None, tmp_path, **make_vars) -> str:
    """The e-mail base URL the settings read under ``make``'s environment."""
    env_file = tmp_path / "lophoc.env"
    env_file.write_text(env_file_text or "")
    code = (
        "import django;django.setup();"
        "from django.conf import settings;print(settings.WAGTAILADMIN_BASE_URL)"
    )
    target = (
        f"print-base-url: ; @LOPHOC_ENV_FILE={env_file} {sys.executable} -c '{code}'"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOPHOC_")}
    args = [f"{key}={value}" for key, value in make_vars.items()]
    out = subprocess.run(
        [
            "make",
            "-s",
            "--no-print-directory",
            *args,
            f"--eval={target}",
            "print-base-url",
        ],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


def test_email_links_follow_the_port_make_run_serves_on(tmp_path):
    assert _base_url(None, tmp_path) == "http://127.0.0.1:8000"
    assert _base_url(None, tmp_path, PORT=8123) == "http://127.0.0.1:8123"
    every_address = "0.0.0.0"  # noqa: S104 (the value a LAN demo passes)
    assert _base_url(None, tmp_path, HOST=every_address, PORT=9000) == (
        "http://127.0.0.1:9000"
    )


def test_a_configured_base_url_wins_over_the_port(tmp_path):
    configured = "LOPHOC_BASE_URL=https://lophoc.truong.edu.vn\n"
    assert _base_url(configured, tmp_path, PORT=8123) == (
        "https://lophoc.truong.edu.vn"
    )
