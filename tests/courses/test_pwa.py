"""The installable app: manifest, favicon, service worker, offline page."""

import io
import json
import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import override_settings
from django.urls import reverse
from PIL import Image

from courses import pwa

pytestmark = pytest.mark.django_db


def test_manifest_names_the_app_in_vietnamese_with_maskable_icons(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    assert "no-cache" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["name"] == "Lophoc – Lớp học trực tuyến"
    assert data["short_name"] == "Lophoc"
    assert data["lang"] == "vi"
    assert data["display"] == "standalone"
    assert data["start_url"].startswith("/")
    assert re.fullmatch(r"#[0-9a-f]{6}", data["theme_color"])
    assert any(icon.get("purpose") == "maskable" for icon in data["icons"])


def test_manifest_icons_are_real_pngs_of_the_sizes_they_claim(client):
    data = json.loads(client.get("/manifest.webmanifest").content)
    for icon in data["icons"]:
        path = finders.find(icon["src"].removeprefix(settings.STATIC_URL))
        picture = Image.open(path)
        assert picture.format == "PNG"
        assert "x".join(map(str, picture.size)) == icon["sizes"]


def test_favicon_is_an_icon_at_the_root(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert Image.open(io.BytesIO(b"".join(response.streaming_content))).format == (
        "ICO"
    )


def test_service_worker_is_served_at_root_scope_uncached(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert "no-cache" in response["Cache-Control"]
    assert response["Service-Worker-Allowed"] == "/"
    config = json.loads(
        re.match(r"self\.LOPHOC=(.*?);\n", response.content.decode()).group(1)
    )
    assert config["offline"] == reverse("pwa:offline")
    assert "/static/css/site.css" in config["shell"]


def test_a_changed_shell_file_changes_the_worker_so_a_deploy_takes_over(
    client, tmp_path
):
    """A new deploy's worker: other bytes at /sw.js make the browser install it."""
    before = client.get("/sw.js").content
    changed = tmp_path / "css"
    changed.mkdir()
    (changed / "site.css").write_text("body { color: red; }")
    pwa._worker_source.cache_clear()
    try:
        with override_settings(STATICFILES_DIRS=[tmp_path, *settings.STATICFILES_DIRS]):
            finders.get_finder.cache_clear()
            after = client.get("/sw.js").content
    finally:
        finders.get_finder.cache_clear()
        pwa._worker_source.cache_clear()
    assert before != after


def test_every_shell_file_exists_and_the_shell_is_small(client):
    """Shell precache ≤ 60 KB (bench/offline_lesson.py measures it gzip'd too)."""
    total = 0
    for name in pwa.SHELL_STATIC:
        total += len(pwa._static_bytes(name))
    total += len(client.get("/offline/").content)
    assert total <= 60 * 1024


def test_offline_page_is_vietnamese_and_carries_no_user_or_token(client, world):
    """The precached page is the same for everyone (no name, no CSRF token)."""
    client.force_login(world.S1)
    response = client.get("/offline/", headers={"accept-language": "en"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Máy đang không có mạng" in html
    assert world.S1.display_name not in html
    assert "csrfmiddlewaretoken" not in html
    assert 'name="lophoc-user" content=""' in html


def test_pages_link_the_manifest_and_name_the_signed_in_child_for_the_worker(
    client, world
):
    client.force_login(world.S1)
    html = client.get(world.lesson_a.url).content.decode()
    assert 'rel="manifest" href="/manifest.webmanifest"' in html
    assert f'<meta name="lophoc-user" content="{world.S1.pk}">' in html
    assert "Lưu để học offline" in html
    assert "/static/js/offline/register.js" in html


def test_a_visitor_page_names_nobody(client):
    html = client.get("/accounts/login/").content.decode()
    assert '<meta name="lophoc-user" content="">' in html


def test_saved_lessons_page_needs_sign_in(client, world):
    url = reverse("courses:saved-lessons")
    assert client.get(url).status_code == 302
    client.force_login(world.S1)
    html = client.get(url).content.decode()
    assert "Bài đã lưu" in html and "data-saved-list" in html


def test_csrf_refresh_sets_a_fresh_cookie(client):
    response = client.get("/csrf/")
    assert response.status_code == 200
    assert response.cookies["csrftoken"].value
    assert "no-cache" in response["Cache-Control"]


def test_a_csrf_failure_answers_403_with_the_page_csrf_js_resends_from(client):
    """A stale token gets the marked 403 page, whose csrf.js resends the form."""
    client.handler.enforce_csrf_checks = True
    client.cookies["csrftoken"] = "stale"
    response = client.post("/accounts/logout/", {"csrfmiddlewaretoken": "stale"})
    assert response.status_code == 403
    html = response.content.decode()
    assert '<meta name="lophoc-csrf-failed" content="1">' in html
    assert "js/csrf.js" in html
    assert "Phiên làm việc đã cũ" in html


def test_csrf_refresh_gives_the_token_to_the_service_worker_as_json(client):
    """The worker cannot read cookies; it asks /csrf/ for JSON (homework queue)."""
    response = client.get("/csrf/", HTTP_ACCEPT="application/json")
    token = response.json()["token"]
    assert token and response.cookies["csrftoken"].value
    assert "no-cache" in response["Cache-Control"]
