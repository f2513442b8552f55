"""
files.serving.private_file_response: byte ranges and the X-Accel-Redirect
hand-off, behind the permission check (AZ-02: what a user may not see is the
same 404 as a missing object).
"""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from files.serving import parse_range
from tests.assignments.conftest import make_assignment, submit
from tests.courses.conftest import world  # noqa: F401  (the course world fixture)
from tests.factories import CourseDocumentFactory
from tests.worlds import make_world

VIDEO = bytes(range(256)) * 8  # 2048 bytes, every offset distinguishable


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("bytes=100-199", (100, 199)),
        ("bytes=100-", (100, 2047)),
        ("bytes=-100", (1948, 2047)),
        ("bytes=-5000", (0, 2047)),
        ("bytes=2000-9999", (2000, 2047)),
        ("bytes=2048-", False),
        ("bytes=-0", False),
        ("bytes=200-100", None),
        ("bytes=0-1,5-6", None),
        ("items=0-1", None),
        ("", None),
    ],
)
def test_parse_range(header, expected):
    assert parse_range(header, len(VIDEO)) == expected


@pytest.fixture
def video_b(world):  # noqa: F811
    """A lesson video in course B (class C2: T2, S3, S4)."""
    return CourseDocumentFactory(
        collection=world.course_b.collection,
        title="Thí nghiệm",
        file=ContentFile(VIDEO, name="thi-nghiem.mp4"),
    )


def _body(response):
    return b"".join(response.streaming_content)


@pytest.mark.django_db
def test_class_member_seeks_in_a_course_video_with_range(client, world, video_b):  # noqa: F811
    client.force_login(world.S3)
    response = client.get(video_b.url, HTTP_RANGE="bytes=100-199")
    assert response.status_code == 206
    assert response["Content-Range"] == "bytes 100-199/2048"
    assert response["Content-Length"] == "100"
    assert response["Accept-Ranges"] == "bytes"
    assert _body(response) == VIDEO[100:200]

    tail = client.get(video_b.url, HTTP_RANGE="bytes=-48")
    assert tail.status_code == 206 and _body(tail) == VIDEO[-48:]

    whole = client.get(video_b.url)
    assert whole.status_code == 200 and _body(whole) == VIDEO
    assert whole["Accept-Ranges"] == "bytes"


@pytest.mark.django_db
def test_range_beyond_the_file_is_416(client, world, video_b):  # noqa: F811
    client.force_login(world.S3)
    response = client.get(video_b.url, HTTP_RANGE="bytes=5000-")
    assert response.status_code == 416
    assert response["Content-Range"] == "bytes */2048"


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["S1", "P1", "T1"])
def test_outsider_range_request_looks_like_a_missing_document(
    client,
    world,  # noqa: F811
    video_b,
    who,
):
    """AZ-02: a Range request changes nothing about who may read."""
    client.force_login(getattr(world, who))
    forbidden = client.get(video_b.url, HTTP_RANGE="bytes=100-199")
    missing = client.get(
        reverse("wagtaildocs_serve", args=[video_b.pk + 999, video_b.filename]),
        HTTP_RANGE="bytes=100-199",
    )
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.content == missing.content
    assert VIDEO[100:200] not in forbidden.content


@pytest.mark.django_db
def test_accel_redirect_hands_the_file_to_nginx_after_the_check(
    client,
    world,  # noqa: F811
    video_b,
    settings,
):
    settings.LOPHOC_ACCEL_REDIRECT = "/_protected/"
    client.force_login(world.S3)
    response = client.get(video_b.url, HTTP_RANGE="bytes=100-199")
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/_protected/media/{video_b.file.name}"
    assert response.content == b""

    client.force_login(world.S1)
    refused = client.get(video_b.url)
    assert refused.status_code == 404 and "X-Accel-Redirect" not in refused


@pytest.mark.django_db
def test_homework_photo_answers_range_for_its_teacher_and_404_for_others(client):
    """AZ-02 for ranges on a homework file: T1 gets the bytes, P1 a 404."""
    people = make_world()
    submission = submit(make_assignment(people.T1, [people.C1]), people.S2)
    stored = submission.versions.first().files.first()
    url = reverse("assignments:file", args=[stored.pk])
    content = stored.file.open("rb").read()
    stored.file.close()

    client.force_login(people.T1)
    response = client.get(url, HTTP_RANGE="bytes=10-19")
    assert response.status_code == 206
    assert _body(response) == content[10:20]
    assert response["Content-Range"] == f"bytes 10-19/{len(content)}"

    client.force_login(people.P1)
    forbidden = client.get(url, HTTP_RANGE="bytes=10-19")
    missing = client.get(
        reverse("assignments:file", args=[stored.pk + 999]), HTTP_RANGE="bytes=10-19"
    )
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.content == missing.content
