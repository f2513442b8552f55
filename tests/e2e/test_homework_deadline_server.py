"""
RL-09 against a real server: uvicorn (as ``make run`` serves) receives a
photo upload that starts before a hard deadline and finishes after it. The
server stamps when the request started (``files.arrival``), so the work is
accepted and flagged late; an upload that starts after the deadline is
refused. Run over a raw socket so the body really trickles in.
"""

import http.client
import re
import time
import uuid
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assignments.models import LatePolicy, Submission
from tests.assignments.conftest import make_assignment
from tests.files.samples import image_bytes

pytestmark = pytest.mark.e2e


def signed_in(server, user, path):
    """A session cookie for ``user`` and the page's CSRF token."""
    client = Client()
    client.force_login(user)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    host = urlsplit(server.url)
    connection = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
    connection.request("GET", path, headers={"Cookie": cookie})
    response = connection.getresponse()
    page = response.read().decode()
    assert response.status == 200, page[:300]
    csrf = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie")).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    return connection, f"{cookie}; csrftoken={csrf}", token


def multipart(token):
    boundary = uuid.uuid4().hex
    parts = [
        ("csrfmiddlewaretoken", None, token.encode()),
        ("idempotency_key", None, uuid.uuid4().hex.encode()),
        ("text", None, "Bài làm gửi trên 3G".encode()),
        ("photos", "bai.jpg", image_bytes(size=(900, 700))),
    ]
    body = b""
    for name, filename, value in parts:
        disposition = f'form-data; name="{name}"'
        if filename:
            disposition += f'; filename="{filename}"\r\nContent-Type: image/jpeg'
        body += f"--{boundary}\r\nContent-Disposition: {disposition}\r\n\r\n".encode()
        body += value + b"\r\n"
    body += f"--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def post_slowly(connection, path, cookie, token, *, pause_until=None):
    """POST the form, holding the last half of the body until ``pause_until``."""
    body, content_type = multipart(token)
    connection.putrequest("POST", path)
    for name, value in (
        ("Cookie", cookie),
        ("Content-Type", content_type),
        ("Content-Length", str(len(body))),
        # A client's claim about when it started is not the server's stamp.
        ("X-Started-At", "2000-01-01T00:00:00Z"),
    ):
        connection.putheader(name, value)
    connection.endheaders()
    half = len(body) // 2
    connection.send(body[:half])
    if pause_until is not None:
        while timezone.now() < pause_until:
            time.sleep(0.05)
    connection.send(body[half:])
    response = connection.getresponse()
    return response.status, response.read().decode()


def test_upload_that_straddles_a_hard_deadline_is_kept_and_flagged(world, asgi_server):
    homework = make_assignment(
        world.T1,
        [world.C1],
        late_policy=LatePolicy.REFUSE,
        due_at=timezone.now() + timedelta(seconds=4),
    )
    path = reverse("assignments:detail", args=[homework.pk])
    connection, cookie, token = signed_in(asgi_server, world.S1, path)
    status, _ = post_slowly(
        connection,
        path,
        cookie,
        token,
        pause_until=homework.due_at + timedelta(seconds=1),
    )
    assert status == 302
    version = Submission.objects.get(student=world.S1).versions.get()
    assert version.started_at < homework.due_at < version.created_at
    assert version.is_late and version.started_before_due

    # S2 opens the page in time but starts sending after the deadline.
    connection, cookie, token = signed_in(asgi_server, world.S2, path)
    status, page = post_slowly(connection, path, cookie, token)
    assert status == 200 and "Đã quá hạn nộp" in page
    assert not Submission.objects.filter(student=world.S2).exists()


def test_fifty_uploads_cut_at_random_offsets_leave_nothing_and_a_retry_one(
    world, asgi_server, tmp_path, settings
):
    """RL-08: the connection dies mid-body; no row, no half file; then one."""
    import random
    import socket
    from pathlib import Path

    homework = make_assignment(world.T1, [world.C1])
    path = reverse("assignments:detail", args=[homework.pk])
    connection, cookie, token = signed_in(asgi_server, world.S1, path)
    connection.close()
    body, content_type = multipart(token)
    host = urlsplit(asgi_server.url)
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {host.hostname}:{host.port}\r\n"
        f"Cookie: {cookie}\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode()
    private = Path(settings.STORAGES["private"]["OPTIONS"]["location"])
    before = sorted(private.rglob("*")) if private.exists() else []
    rng = random.Random(8)
    for _ in range(50):
        with socket.create_connection((host.hostname, host.port), timeout=10) as raw:
            raw.sendall(head + body[: rng.randrange(1, len(body))])
        # the socket is closed here, mid-body
    time.sleep(0.5)
    assert not Submission.objects.exists()
    after = sorted(private.rglob("*")) if private.exists() else []
    assert after == before
    # The retry of the same form (same idempotency key) makes exactly one.
    for _ in range(2):
        connection = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
        connection.request(
            "POST",
            path,
            body=body,
            headers={
                "Cookie": cookie,
                "Content-Type": content_type,
            },
        )
        assert connection.getresponse().status == 302
        connection.close()
    assert Submission.objects.get().versions.count() == 1
