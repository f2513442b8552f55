"""
Each pupil's share of the homework storage (security-tests UP-09): work that
would take a pupil past the file count or the byte quota is refused with a
clear message and stores nothing; other pupils are unaffected.
"""

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assignments import services
from assignments.models import SubmissionFile, SubmissionVersion
from tests.assignments.conftest import make_assignment, photo, submit
from tests.assignments.test_submit_assignment import stored_files


def _refusal(error) -> str:
    return error.value.message_dict["photos"][0]


def test_going_past_the_file_quota_is_refused_and_stores_nothing(
    world, homework, settings
):
    settings.LOPHOC_UPLOAD_QUOTA_FILES = 3
    submit(homework, world.S1, photos=[photo(), photo("b.jpg")])
    before = sorted(stored_files())
    with pytest.raises(ValidationError) as error:
        submit(homework, world.S1, photos=[photo(), photo("b.jpg")])
    assert "đã dùng hết chỗ lưu bài nộp" in _refusal(error)
    assert "3 tệp" in _refusal(error)
    assert SubmissionVersion.objects.filter(submission__student=world.S1).count() == 1
    assert sorted(stored_files()) == before
    # One more photo still fits; other pupils are not held to S1's count.
    submit(homework, world.S1, photos=[photo()])
    submit(homework, world.S2, photos=[photo(), photo("b.jpg"), photo("c.jpg")])


def test_going_past_the_byte_quota_counts_every_homework_and_version(
    world, homework, settings
):
    other = make_assignment(world.T1, [world.C1], title="Bài tập Văn")
    first = submit(homework, world.S1, photos=[photo(size=(800, 600))])
    used = SubmissionFile.objects.get(version__submission=first).size
    settings.LOPHOC_UPLOAD_QUOTA_BYTES = used * 2 + 10
    submit(other, world.S1, photos=[photo(size=(800, 600))])
    with pytest.raises(ValidationError) as error:
        submit(homework, world.S1, photos=[photo(size=(800, 600))])
    assert "tối đa" in _refusal(error)
    assert (
        SubmissionFile.objects.filter(version__submission__student=world.S1).count()
        == 2
    )
    # Text alone still goes in: the quota is for files.
    services.submit_assignment(
        assignment=homework,
        student=world.S1,
        idempotency_key=uuid.uuid4().hex,
        text="Em viết bài vào đây ạ.",
    )


def test_the_homework_page_says_why_when_the_quota_is_used_up(
    world, homework, settings, as_user
):
    settings.LOPHOC_UPLOAD_QUOTA_FILES = 1
    submit(homework, world.S1)
    response = as_user(world.S1).post(
        reverse("assignments:detail", args=[homework.pk]),
        {"idempotency_key": uuid.uuid4().hex, "photos": [photo()]},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 400
    answer = response.json()
    assert answer["state"] == "failed"
    assert any("đã dùng hết chỗ lưu bài nộp" in e for e in answer["errors"])
