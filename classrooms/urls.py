"""
URLs of the classrooms app. ``lms.urls`` mounts ``urlpatterns`` (namespace
``classrooms``) and, each in a namespace of its own so that their names stay
as they were, ``announcement_patterns`` and ``progress_patterns`` under
``/classes/`` and ``delivery_patterns`` under ``/parents/deliveries/``.
"""

from django.urls import path

from . import announcements, deliveries, progress, views

app_name = "classrooms"

urlpatterns = [
    path("new/", views.create_classroom, name="create-classroom"),
    path("join/", views.join_classroom, name="join-classroom"),
    path("link-child/", views.link_child, name="link-child"),
    path(
        "parent-links/<int:link_pk>/remove/",
        views.remove_parent_link,
        name="remove-parent-link",
    ),
    path("<int:pk>/", views.classroom_detail, name="classroom-detail"),
    *[
        path(
            f"<int:pk>/join-code/{action}/",
            views.change_join_code,
            {"action": action},
            name=f"{action}-join-code",
        )
        for action in ("regenerate", "disable", "enable")
    ],
    path("<int:pk>/students/", views.roster, name="roster"),
    path("<int:pk>/students/import/", views.import_roster, name="import-roster"),
    path(
        "<int:pk>/students/<int:student_pk>/",
        views.student_detail,
        name="student-detail",
    ),
    path(
        "<int:pk>/students/<int:student_pk>/remove/",
        views.remove_student,
        name="remove-student",
    ),
    path(
        "<int:pk>/students/<int:student_pk>/password/",
        views.reset_student_password,
        name="reset-student-password",
    ),
    path(
        "<int:pk>/students/<int:student_pk>/parent-invite/",
        views.create_parent_invite,
        name="create-parent-invite",
    ),
]

# Namespace ``announcements``.
announcement_patterns = [
    path("<int:pk>/announcements/", announcements.announcement_list, name="list"),
    path(
        "<int:pk>/announcements/new/",
        announcements.create_announcement,
        name="create",
    ),
    path(
        "announcements/<int:announcement_pk>/attachment/",
        announcements.download_attachment,
        name="attachment",
    ),
]

# Namespace ``course_progress``.
progress_patterns = [
    path(
        "<int:pk>/courses/<int:course_pk>/progress/",
        progress.course_progress,
        name="course-progress",
    ),
]

# Namespace ``deliveries``: a school admin's failed notification deliveries.
delivery_patterns = [
    path("failed/", deliveries.failed_deliveries, name="failed"),
    path("<int:pk>/retry/", deliveries.retry_delivery, name="retry"),
]
