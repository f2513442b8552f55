"""Password reset: throttled per address and per client, mailed by the task queue."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from accounts import forms
from accounts.tasks import send_account_mail
from tests.factories import TeacherFactory

pytestmark = pytest.mark.django_db

URL = "/accounts/password/reset/"


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()
    yield
    cache.clear()


def ask(client, email, ip="10.0.0.9"):
    return client.post(URL, {"email": email}, REMOTE_ADDR=ip)


def test_the_mail_is_queued_not_sent_in_the_request(client):
    teacher = TeacherFactory(email="co.lan@truong.example")
    response = ask(client, teacher.email)
    assert response["Location"] == reverse("accounts:password-reset-done")
    assert mail.outbox == []
    queued = DBTaskResult.objects.get()
    assert queued.task_path == send_account_mail.module_path
    assert queued.args_kwargs["args"][2] == teacher.email
    assert "/accounts/password/reset/" in queued.args_kwargs["args"][1]


def test_an_unknown_address_queues_nothing_and_answers_alike(client):
    response = ask(client, "khong-co@truong.example")
    assert response["Location"] == reverse("accounts:password-reset-done")
    assert not DBTaskResult.objects.exists()


@pytest.mark.parametrize("email", ["co.lan@truong.example", "khong-co@truong.example"])
def test_a_fourth_request_for_one_address_in_an_hour_is_refused(client, email):
    TeacherFactory(email="co.lan@truong.example")
    for _ in range(forms.RESET_PER_EMAIL):
        assert ask(client, email).status_code == 302
    refused = ask(client, email.upper(), ip="10.0.0.99")
    assert refused.status_code == 429
    assert "quá nhiều yêu cầu" in refused.content.decode()
    assert DBTaskResult.objects.count() == (3 if email.startswith("co.lan") else 0)


def test_many_addresses_from_one_client_are_refused_but_not_another_client(client):
    for n in range(forms.RESET_PER_ADDRESS):
        assert ask(client, f"hs{n}@truong.example").status_code == 302
    assert ask(client, "hs-cuoi@truong.example").status_code == 429
    assert ask(client, "hs-cuoi@truong.example", ip="10.0.0.10").status_code == 302
