"""
What the homework page's script is told (#15 Build 2): JSON with the
server's time once the work is committed, the reasons when it is refused,
and nothing stored then. The plain form's answers are unchanged.
"""

import json
import uuid

from django.urls import reverse
from django.utils import timezone

from assignments.models import Submission
from tests.assignments.conftest import make_assignment, photo

JSON = {"HTTP_ACCEPT": "application/json"}


def post(client, homework, **data):
    data.setdefault("idempotency_key", uuid.uuid4().hex)
    url = reverse("assignments:detail", args=[homework.pk])
    return client.post(url, data, **JSON)


def test_committed_work_answers_with_the_servers_time_and_the_link(
    world, homework, as_user
):
    response = post(as_user(world.S1), homework, photos=[photo()], text="Bài em")
    assert response.status_code == 200
    answer = response.json()
    submission = Submission.objects.get(student=world.S1)
    at = timezone.localtime(submission.submitted_at).strftime("%H:%M %d/%m/%Y")
    assert answer["state"] == "submitted"
    assert answer["message"].startswith(f"Đã nộp lúc {at}")
    assert answer["url"] == reverse("assignments:submission", args=[submission.pk])


def test_a_retry_with_the_same_key_answers_the_same_single_submission(
    world, homework, as_user
):
    client = as_user(world.S1)
    key = uuid.uuid4().hex
    first = post(client, homework, photos=[photo()], idempotency_key=key).json()
    again = post(client, homework, photos=[photo()], idempotency_key=key).json()
    assert first["url"] == again["url"]
    assert Submission.objects.get(student=world.S1).versions.count() == 1


def test_refused_work_answers_400_with_the_reasons_and_stores_nothing(
    world, homework, as_user
):
    client = as_user(world.S1)
    empty = post(client, homework)
    assert empty.status_code == 400 and empty.json()["state"] == "failed"
    assert empty.json()["errors"]
    no_key = post(client, homework, photos=[photo()], idempotency_key="")
    assert no_key.status_code == 400
    assert not Submission.objects.exists()


def test_the_plain_form_still_redirects_with_the_time_in_the_message(
    world, homework, as_user
):
    url = reverse("assignments:detail", args=[homework.pk])
    response = as_user(world.S1).post(
        url,
        {"idempotency_key": uuid.uuid4().hex, "photos": [photo()]},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == url
    assert "Đã nộp lúc" in response.content.decode()


def test_homework_asking_for_large_photos_tells_the_page_not_to_shrink(world, as_user):
    client = as_user(world.S1)
    usual = make_assignment(world.T1, [world.C1])
    large = make_assignment(world.T1, [world.C1], full_size_photos=True)
    page = client.get(reverse("assignments:detail", args=[usual.pk])).content
    assert b"data-upload" in page and b"data-full-size" not in page
    page = client.get(reverse("assignments:detail", args=[large.pk])).content
    assert b"data-full-size" in page
    text = json.loads(
        page.decode()
        .split('id="upload-text" type="application/json">')[1]
        .split("</script>")[0]
    )
    assert text["sending"] == "Đang gửi"
