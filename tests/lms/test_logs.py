"""
JSON logs with request id and user id, and nothing PR-07 forbids
(docs/security-tests.md): no password, session id, ticket, or a child's name
next to a grade. Sentry stays off without SENTRY_DSN.
"""

import io
import json
import logging

import pytest
import sentry_sdk
from django.conf import settings as django_settings
from django.urls import reverse

from lms import logs
from tests.assignments.conftest import make_assignment, submit
from tests.factories.accounts import TEST_PASSWORD
from tests.factories.live import LiveSessionFactory


@pytest.fixture
def json_lines():
    """Every log record of the test, rendered as the production handler does."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logs.formatter("json"))
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)
    root.setLevel(old_level)


def test_a_session_logs_ids_and_no_secret_or_child_name(client, world, json_lines):
    """PR-07: login, grade, join a ticket URL; scan every captured line."""
    homework = make_assignment(world.T1, [world.C1])
    work = submit(homework, world.S2, text="Bài của S2")
    response = client.post(
        "/accounts/login/",
        {"username": world.T1.username, "password": TEST_PASSWORD},
    )
    assert response.status_code == 302
    session_key = client.session.session_key
    graded = client.post(
        reverse("assignments:submission", args=[work.pk]),
        {"score": "9.5", "comment": "Rất tốt"},
    )
    assert graded.status_code == 302
    live = LiveSessionFactory(classroom=world.C1)
    ticket = client.post(reverse("live:create-ticket", args=[live.pk])).json()
    client.get(f"/live/{live.pk}/?ticket={ticket['ticket']}")

    lines = json_lines()
    text = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines)
    finished = [line for line in lines if line.get("event") == "request_finished"]
    assert len(finished) >= 4
    assert all(line["request_id"] for line in finished)
    assert any(line.get("user_id") == world.T1.pk for line in finished)
    assert TEST_PASSWORD not in text
    assert session_key not in text
    assert ticket["ticket"] not in text
    assert "[redacted]" in text
    assert world.S2.display_name not in text
    assert world.S2.username not in text


def test_redact_blanks_secret_fields_and_query_values():
    event = logs.redact(
        None,
        "info",
        {"event": "GET /x/?a=1&ticket=abc.def&token=zz", "password": "hunter2"},
    )
    assert event == {
        "event": "GET /x/?a=1&ticket=[redacted]&token=[redacted]",
        "password": "[redacted]",
    }


def test_an_unknown_log_format_is_refused():
    with pytest.raises(ValueError, match="LOPHOC_LOG_FORMAT"):
        logs.logging_config("xml", "INFO")


def test_without_a_dsn_sentry_is_not_initialised():
    assert not django_settings.SENTRY_DSN
    assert not sentry_sdk.get_client().is_active()


def test_with_a_dsn_sentry_sends_no_personal_data():
    logs.init_sentry("https://key@127.0.0.1:9/1", environment="test")
    try:
        client = sentry_sdk.get_client()
        assert client.is_active()
        assert not client.should_send_default_pii()
        assert client.options["max_request_body_size"] == "never"
    finally:
        sentry_sdk.get_global_scope().set_client(None)
    assert not sentry_sdk.get_client().is_active()
