"""
Work sent from the phone's queue (#15 Build 3): the signed upload ticket,
not the cookie, says which pupil hands it in; every bad ticket is refused
with a translated reason and nothing is stored.
"""

import uuid
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.services import end_sessions
from assignments import tickets
from assignments.models import Submission
from tests.assignments.conftest import make_assignment, photo


def send(client, homework, ticket, key, **extra):
    data = {"idempotency_key": key, "ticket": ticket, "photos": [photo()], **extra}
    url = reverse("assignments:queued-submit", args=[homework.pk])
    return client.post(url, data, HTTP_ACCEPT="application/json")


def ticket_for(student, homework, key):
    return tickets.issue_ticket(student=student, assignment_id=homework.pk, key=key)


@pytest.fixture
def key():
    return uuid.uuid4().hex


def test_queued_work_is_handed_in_as_the_tickets_pupil_whoever_is_signed_in(
    world, homework, key, as_user
):
    signed_in_as_sibling = as_user(world.S2)
    response = send(
        signed_in_as_sibling, homework, ticket_for(world.S1, homework, key), key
    )
    assert response.status_code == 200 and response.json()["state"] == "submitted"
    assert Submission.objects.get().student == world.S1
    # Nobody signed in at all: still the ticket's pupil.
    other = make_assignment(world.T1, [world.C1], title="Bài hai")
    second = uuid.uuid4().hex
    response = send(Client(), other, ticket_for(world.S1, other, second), second)
    assert response.status_code == 200
    assert Submission.objects.filter(student=world.S1).count() == 2


def test_a_double_send_of_one_item_makes_one_submission(world, homework, key):
    ticket = ticket_for(world.S1, homework, key)
    first = send(Client(), homework, ticket, key).json()
    again = send(Client(), homework, ticket, key).json()
    assert first["url"] == again["url"]
    assert Submission.objects.get().versions.count() == 1


@pytest.mark.parametrize(
    "case",
    ["other_assignment", "replayed_with_new_key", "broken", "tampered", "empty"],
)
def test_a_bad_ticket_is_refused_with_a_reason_and_nothing_is_stored(
    world, homework, key, case
):
    ticket = ticket_for(world.S1, homework, key)
    other = make_assignment(world.T1, [world.C1], title="Bài khác")
    target, sent_key = homework, key
    if case == "other_assignment":
        target = other
    elif case == "replayed_with_new_key":
        sent_key = uuid.uuid4().hex
    elif case == "broken":
        ticket = "not-a-ticket"
    elif case == "tampered":
        ticket = ticket[:-3] + ("aaa" if not ticket.endswith("aaa") else "bbb")
    elif case == "empty":
        ticket = ""
    response = send(Client(), target, ticket, sent_key)
    assert response.status_code == 400
    answer = response.json()
    assert answer["state"] == "failed" and answer["errors"][0].startswith("Phiếu")
    assert not Submission.objects.exists()


def test_a_ticket_for_another_pupil_cannot_be_made_from_one_pupils_page(
    world, homework, key, as_user
):
    """The page issues tickets only for whoever opened it."""
    page = as_user(world.S1).get(reverse("assignments:detail", args=[homework.pk]))
    ticket = page.content.decode().split('data-ticket="')[1].split('"')[0]
    page_key = page.context["form"]["idempotency_key"].value()
    send(Client(), homework, ticket, page_key)
    assert Submission.objects.get().student == world.S1


def test_an_expired_ticket_is_refused_in_the_pages_language(world, homework, key):
    ticket = ticket_for(world.S1, homework, key)
    with time_machine.travel(
        timezone.now() + timedelta(days=tickets.TICKET_DAYS, hours=1)
    ):
        vi = send(Client(), homework, ticket, key).json()["errors"][0]
        en = send(Client(), homework, ticket, key, lang="en").json()["errors"][0]
    assert "hết hạn" in vi and "expired" in en
    assert not Submission.objects.exists()


def test_a_ticket_is_revoked_when_the_pupils_sessions_are_ended(world, homework, key):
    ticket = ticket_for(world.S1, homework, key)
    end_sessions(user=world.S1)
    response = send(Client(), homework, ticket, key)
    assert response.status_code == 400 and "đăng xuất" in response.json()["errors"][0]
    assert not Submission.objects.exists()


def test_a_pupil_who_left_the_class_cannot_hand_in_from_the_queue(world, homework, key):
    ticket = ticket_for(world.S1, homework, key)
    world.S1.enrollments.all().delete()
    response = send(Client(), homework, ticket, key)
    assert response.status_code == 400
    assert response.json()["errors"] == [str(tickets.NOT_ALLOWED)]
    assert not Submission.objects.exists()


def test_the_phones_pressed_time_is_kept_only_when_it_is_plausible(world, homework):
    def pressed(value):
        key = uuid.uuid4().hex
        assignment = make_assignment(world.T1, [world.C1], title=f"Bài {key[:6]}")
        send(
            Client(),
            assignment,
            ticket_for(world.S1, assignment, key),
            key,
            pressed_at=value,
        )
        return Submission.objects.get(assignment=assignment).versions.get().pressed_at

    now = timezone.now()
    assert (
        abs((pressed((now - timedelta(seconds=30)).isoformat()) - now).total_seconds())
        < 40
    )
    assert pressed((now + timedelta(hours=3)).isoformat()) is None  # in the future
    assert pressed((now - timedelta(days=30)).isoformat()) is None  # before the ticket
    assert pressed("yesterday") is None
    assert pressed("2026-12-07T10:00:00") is None  # no time zone


def test_without_a_csrf_token_a_queued_send_is_refused(world, homework, key):
    client = Client(enforce_csrf_checks=True)
    response = send(client, homework, ticket_for(world.S1, homework, key), key)
    assert response.status_code == 403
    assert not Submission.objects.exists()
