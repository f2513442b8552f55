"""
Project URLs. Each app mounts its own ``urls.py``; Wagtail serves the course
pages last, as the catch-all.
"""

from django.conf import settings
from django.contrib import admin
from django.contrib.staticfiles.urls import staticfiles_urlpatterns
from django.urls import include, path
from django.views.decorators.cache import never_cache
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.documents import urls as wagtaildocs_urls

from accounts import views as account_views
from classrooms import urls as classroom_urls
from courses import urls as course_urls
from courses import views as course_views
from courses.admin_views import CreatePageView

from . import health, views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("", include((course_urls.pwa_patterns, "pwa"))),
    path("i18n/setlang/", account_views.set_language, name="set_language"),
    path("accounts/", include("accounts.urls")),
    # A QR login card: short, so the code stays small (accounts.badges).
    path("b/<str:token>", account_views.badge_sign_in, name="badge-sign-in"),
    path("classes/", include("classrooms.urls")),
    path(
        "classes/",
        include((classroom_urls.announcement_patterns, "announcements")),
    ),
    path("classes/", include((classroom_urls.progress_patterns, "course_progress"))),
    path("homework/", include("assignments.urls")),
    path("live/", include("live.rooms.urls")),
    path("notifications/", include("notifications.urls")),
    path(
        "parents/deliveries/",
        include((classroom_urls.delivery_patterns, "deliveries")),
    ),
    path("parents/", include("families.urls")),
    path("learn/", include("courses.urls")),
    path("l/<id:lesson_id>/", course_views.short_lesson, name="lesson-short"),
    # Wagtail's "add page", safe when its autosave races a Publish click.
    path(
        "admin/pages/add/<slug:content_type_app_name>/<slug:content_type_model_name>/"
        "<id:parent_page_id>/",
        never_cache(require_admin_access(CreatePageView.as_view())),
    ),
    path("admin/", include(wagtailadmin_urls)),
    # Wagtail's document URL, served with byte ranges (courses.views).
    path(
        "documents/<id:document_id>/<str:document_filename>",
        course_views.serve_document,
        name="wagtaildocs_serve",
    ),
    path("documents/", include(wagtaildocs_urls)),
    # The image files the Wagtail admin shows, behind the course privacy
    # check (lesson pages use the signed ``courses:image`` URLs instead).
    path(
        f"{settings.MEDIA_URL.strip('/')}/<path:path>",
        course_views.media_file,
        name="media",
    ),
    path("django-admin/", admin.site.urls),
]

if settings.DEBUG:
    urlpatterns += staticfiles_urlpatterns()

urlpatterns += [path("", include(wagtail_urls))]

# Lophoc's own error pages (lms/errors.py); 404 and 403 are the templates
# of the same names, the CSRF 403 is CSRF_FAILURE_VIEW.
handler500 = "lms.errors.server_error"
