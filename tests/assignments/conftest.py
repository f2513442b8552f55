"""
Homework helpers on the authorisation world of ``tests.worlds`` (the root
``world`` fixture): published homework, photos and submissions made through
the real services.
"""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from assignments import services
from tests.files.samples import image_bytes, upload


def make_assignment(teacher, classrooms, **kwargs):
    """Published homework through the real service."""
    defaults = {
        "title": "Bài tập Toán tuần 3",
        "instructions": "<p>Làm bài 1–3.</p>",
        "due_at": timezone.now() + timedelta(days=2),
        "publish": True,
    }
    defaults.update(kwargs)
    return services.create_assignment(by=teacher, classrooms=classrooms, **defaults)


def photo(name="bai-lam.jpg", **kwargs):
    return upload(name, image_bytes(**kwargs))


def submit(assignment, student, key=None, **kwargs):
    kwargs.setdefault("photos", [photo()])
    return services.submit_assignment(
        assignment=assignment,
        student=student,
        idempotency_key=key or uuid.uuid4().hex,
        **kwargs,
    )


@pytest.fixture
def homework(world):
    """A published upload homework for C1, made by T1."""
    return make_assignment(world.T1, [world.C1])


@pytest.fixture
def as_user(client):
    """Log ``client`` in as a user and hand it back."""

    def _login(user):
        client.force_login(user)
        return client

    return _login
