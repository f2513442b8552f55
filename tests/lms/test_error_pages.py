"""Production error pages: Lophoc's own, translated, and 503 when a service is down."""

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client
from django.urls import reverse

from tests.factories import StudentFactory

pytestmark = pytest.mark.django_db


def test_a_missing_page_is_lophocs_own_404_in_vietnamese(client):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Không tìm thấy trang" in html and 'name="viewport"' in html
    assert "Lophoc" in html


def test_the_404_page_follows_the_users_language(client):
    client.cookies["django_language"] = "en"
    html = client.get("/khong-co-trang-nay/").content.decode()
    assert "Page not found" in html


def test_a_forbidden_action_gets_the_translated_403(client, rf):
    from django.core.exceptions import PermissionDenied
    from django.utils import translation
    from django.views.defaults import permission_denied

    request = rf.get("/")
    request.user = StudentFactory()
    with translation.override("vi"):
        response = permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    assert "Bạn không có quyền thực hiện thao tác này." in response.content.decode()


@pytest.fixture
def database_down(monkeypatch):
    """Every new database connection fails, as with PostgreSQL stopped."""

    def refuse(self):
        raise OperationalError("connection refused")

    def down():
        monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", refuse)
        from django.db import connection

        connection.close()

    return down


def test_with_the_database_down_the_answer_is_a_translated_503_with_retry_after(
    database_down,
):
    pupil = StudentFactory()
    client = Client(raise_request_exception=False)
    client.force_login(pupil)
    database_down()
    response = client.get(reverse("home"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert "Lophoc đang bận, xin thử lại sau ít phút" in html
    assert 'name="viewport"' in html


# Outside a test transaction: closing the connection inside one (as the outage
# does) marks it for rollback on PostgreSQL, which no real request has.
@pytest.mark.django_db(transaction=True)
def test_the_site_recovers_without_a_restart(database_down, monkeypatch):
    pupil = StudentFactory()
    client = Client(raise_request_exception=False)
    client.force_login(pupil)
    database_down()
    assert client.get(reverse("home")).status_code == 503
    monkeypatch.undo()
    assert client.get(reverse("home")).status_code == 200


def test_any_other_crash_is_the_500_page_not_a_traceback(monkeypatch):
    from lms import views

    monkeypatch.setattr(views, "HOME_TEMPLATES", None)
    client = Client(raise_request_exception=False)
    client.force_login(StudentFactory())
    response = client.get(reverse("home"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Có lỗi xảy ra" in html and "Traceback" not in html
