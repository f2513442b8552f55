from django.urls import path, re_path

from . import pwa, views

app_name = "courses"

urlpatterns = [
    path("", views.course_list, name="course-list"),
    path("search/", views.search, name="search"),
    path("saved/", pwa.saved_lessons, name="saved-lessons"),
    path("lessons/<id:lesson_id>/done/", views.mark_done, name="mark-done"),
    re_path(
        r"^images/([^/]*)/(\d*)/([^/]*)/[^/]*$",
        views.ImageServeView.as_view(),
        name="image",
    ),
]

# The installable app, at the root scope (``lms/urls.py`` mounts them there).
pwa_patterns = [
    path("sw.js", pwa.service_worker, name="sw"),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("favicon.ico", pwa.favicon, name="favicon"),
    path("offline/", pwa.offline, name="offline"),
    path("csrf/", pwa.csrf_refresh, name="csrf"),
]
