"""
The installable app: web manifest, favicon, service worker and the
Vietnamese offline page, all at the root scope (``docs/offline.md``).

The service worker is ``static/js/sw.js`` with one line in front of it: the
shell's URLs (hashed when ``ManifestStaticFilesStorage`` is on) and a
version made of their contents. A deploy that changes any shell file or the
worker changes the bytes of ``/sw.js``, so the browser installs the new
worker, which takes over on the next load (``skipWaiting``/``claim``).
"""

import hashlib
import json
from functools import lru_cache

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import FileResponse, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_GET

THEME_COLOUR = "#166534"

# What every visitor may see offline: no user's data, no CSRF token.
SHELL_STATIC = [
    "css/site.css",
    "css/lesson.css",
    "css/print.css",
    "js/csrf.js",
    "js/menu.js",
    "js/offline/register.js",
    "js/offline/saved.js",
    "js/courses/self_check.js",
    "js/courses/video_facade.js",
    "js/assignments/queue.js",
    "pwa/icon-192.png",
]


def _static_bytes(name: str) -> bytes:
    path = finders.find(name)
    if path is None and staticfiles_storage.exists(name):
        path = staticfiles_storage.path(name)
    with open(path, "rb") as handle:
        return handle.read()


@lru_cache(maxsize=1)
def _worker_source() -> str:
    """``sw.js`` with its configuration; computed once per process."""
    source = _static_bytes("js/sw.js")
    digest = hashlib.sha256(source)
    for name in SHELL_STATIC:
        digest.update(_static_bytes(name))
    config = {
        "version": digest.hexdigest()[:12],
        "shell": [static(name) for name in SHELL_STATIC],
        "offline": reverse("pwa:offline"),
        "static": static(""),
        "queue": static("js/assignments/queue.js"),
    }
    return f"self.LOPHOC={json.dumps(config)};\n{source.decode()}"


@require_GET
@cache_control(no_cache=True)
def service_worker(request):
    response = HttpResponse(
        _worker_source(), content_type="text/javascript; charset=utf-8"
    )
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
@cache_control(no_cache=True)
def manifest(request):
    icon = {"type": "image/png"}
    data = {
        "name": _("Lophoc – Lớp học trực tuyến"),
        "short_name": "Lophoc",
        "description": _("Bài học, bài tập và lớp học trực tiếp cho học sinh."),
        "lang": "vi",
        "start_url": "/?source=pwa",
        "scope": "/",
        "id": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOUR,
        "icons": [
            {**icon, "src": static("pwa/icon-192.png"), "sizes": "192x192"},
            {**icon, "src": static("pwa/icon-512.png"), "sizes": "512x512"},
            {
                **icon,
                "src": static("pwa/icon-maskable-512.png"),
                "sizes": "512x512",
                "purpose": "maskable",
            },
        ],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


@require_GET
@cache_control(max_age=60 * 60 * 24 * 7, public=True)
def favicon(request):
    path = finders.find("pwa/favicon.ico") or staticfiles_storage.path(
        "pwa/favicon.ico"
    )
    return FileResponse(open(path, "rb"), content_type="image/x-icon")


@require_GET
@cache_control(no_cache=True)
def offline(request):
    """
    The Vietnamese page a navigation gets offline when nothing saved
    matches (whatever language the worker's request asked for). The
    worker precaches it for everyone, so it is rendered as for a visitor:
    no name, no token, no user's data; the saved lessons are listed in the
    browser from the signed-in child's own cache.
    """
    request.user = AnonymousUser()
    with translation.override(settings.LANGUAGE_CODE):
        response = render(request, "pwa/offline.html")
    return response


@require_GET
@login_required
def saved_lessons(request):
    """ "Bài đã lưu": the list itself comes from the child's cache on this phone."""
    return render(request, "courses/saved_lessons.html")


@require_GET
@never_cache
@ensure_csrf_cookie
def csrf_refresh(request):
    """
    Sets a fresh ``csrftoken`` cookie for ``static/js/csrf.js``. Asked for
    JSON, it also gives the token in the body, for the service worker (which
    cannot read cookies) to send homework from the phone's queue; only a
    page of this site can read the answer.
    """
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"token": get_token(request)})
    return HttpResponse(b"", content_type="text/plain")


def csrf_failure(request, reason=""):
    """``CSRF_FAILURE_VIEW``: a 403 page that ``static/js/csrf.js`` recognises
    (``<meta name="lophoc-csrf-failed">``): it refreshes the token from
    ``/csrf/`` and sends the form the child had sent once more."""
    return render(request, "pwa/csrf_failed.html", status=403)
