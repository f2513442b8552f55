import pytest
from django.core.mail.backends.base import BaseEmailBackend

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


class BouncingEmailBackend(BaseEmailBackend):
    """Stands in for an SMTP server that refuses the address every time."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("550 5.1.1 mailbox unavailable")


BOUNCING = "tests.notifications.conftest.BouncingEmailBackend"


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = IMMEDIATE


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = DATABASE


@pytest.fixture
def bouncing_email(settings):
    settings.EMAIL_BACKEND = BOUNCING


def run_worker() -> None:
    """Run every ready task in the database queue, as ``db_worker --batch``."""
    from django_tasks_db.management.commands.db_worker import Worker

    Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()
