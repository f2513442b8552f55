"""
The deadline rule for slow links (#15 Build 4, docs/security-tests.md
RL-09): a hard deadline accepts work whose upload started before it, flags
it late and shows the teacher both times; only the server's clock decides.
"""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse

from assignments import deadlines
from assignments.models import LatePolicy, Submission, SubmissionStatus
from files import arrival
from tests.assignments.conftest import make_assignment, submit


@pytest.fixture
def hard(world):
    return make_assignment(world.T1, [world.C1], late_policy=LatePolicy.REFUSE)


def test_upload_started_before_a_hard_deadline_is_accepted_and_flagged(
    world, hard, as_user
):
    started = hard.due_at - timedelta(seconds=20)
    with time_machine.travel(hard.due_at + timedelta(seconds=90)):
        submission = submit(hard, world.S1, started_at=started)
    assert submission.status == SubmissionStatus.LATE and submission.is_late
    version = submission.versions.get()
    assert version.started_at == started and version.started_before_due
    body = as_user(world.T1).get(
        reverse("assignments:submission", args=[submission.pk])
    )
    assert "Bắt đầu gửi lúc" in body.content.decode()


def test_upload_started_after_a_hard_deadline_is_refused(world, hard):
    with time_machine.travel(hard.due_at + timedelta(seconds=5)):
        with pytest.raises(
            ValidationError, match=re.escape(str(deadlines.PAST_HARD_DEADLINE))
        ):
            submit(hard, world.S1, started_at=hard.due_at + timedelta(seconds=1))
    assert not Submission.objects.exists()


def test_a_start_time_after_the_arrival_is_clamped_to_the_arrival(world, hard):
    """A start later than the arrival cannot exist; it is not stored as such."""
    submission = submit(hard, world.S1, started_at=hard.due_at + timedelta(hours=9))
    version = submission.versions.get()
    assert version.started_at <= version.created_at + timedelta(seconds=1)


def test_work_on_time_is_not_flagged_and_shows_no_start_line(world, hard, as_user):
    submission = submit(hard, world.S1, started_at=None)
    version = submission.versions.get()
    assert not version.is_late and not version.started_before_due
    body = as_user(world.T1).get(
        reverse("assignments:submission", args=[submission.pk])
    )
    assert "Bắt đầu gửi lúc" not in body.content.decode()


def test_started_at_reads_only_the_servers_stamp():
    factory = RequestFactory()
    # A header a client sends is not the stamp.
    forged = factory.post("/", HTTP_X_STARTED_AT="2020-01-01T00:00:00Z")
    before = arrival.timezone.now()
    assert arrival.started_at(forged) >= before
    request = factory.post("/")
    request.scope = {arrival.SCOPE_KEY: before.timestamp() - 30}
    assert abs((before - arrival.started_at(request)).total_seconds() - 30) < 0.01
    # A stamp from longer ago than any upload takes, or a forged type, is ignored.
    stale = before.timestamp() - arrival.MAX_UPLOAD_TIME.total_seconds() - 60
    for bad in (stale, "0", None):
        request.scope = {arrival.SCOPE_KEY: bad}
        assert arrival.started_at(request) >= before


@pytest.mark.asyncio
async def test_stamp_arrival_stamps_http_and_leaves_websockets_alone():
    seen = []

    async def app(scope, receive, send):
        seen.append(scope)

    stamped = arrival.StampArrival(app)
    await stamped({"type": "http"}, None, None)
    await stamped({"type": "websocket"}, None, None)
    assert isinstance(seen[0][arrival.SCOPE_KEY], float)
    assert arrival.SCOPE_KEY not in seen[1]
