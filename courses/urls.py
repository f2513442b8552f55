from django.urls import path, re_path

from . import views

app_name = "courses"

urlpatterns = [
    path("", views.course_list, name="course-list"),
    path("search/", views.search, name="search"),
    path("lessons/<int:lesson_id>/done/", views.mark_done, name="mark-done"),
    re_path(
        r"^images/([^/]*)/(\d*)/([^/]*)/[^/]*$",
        views.ImageServeView.as_view(),
        name="image",
    ),
]
