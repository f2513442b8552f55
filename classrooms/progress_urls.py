from django.urls import path

from . import progress

app_name = "course_progress"

urlpatterns = [
    path(
        "<int:pk>/courses/<int:course_pk>/progress/",
        progress.course_progress,
        name="course-progress",
    ),
]
