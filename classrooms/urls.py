"""
URLs of the classrooms app. ``lms.urls`` mounts ``urlpatterns`` (namespace
``classrooms``) and, each in a namespace of its own so that their names stay
as they were, ``announcement_patterns`` and ``progress_patterns`` under
``/classes/`` and ``delivery_patterns`` under ``/parents/deliveries/``.
"""

from django.urls import path

from . import announcements, cards, deliveries, progress, views

app_name = "classrooms"

urlpatterns = [
    path("new/", views.create_classroom, name="create-classroom"),
    path("join/", views.join_classroom, name="join-classroom"),
    path("link-child/", views.link_child, name="link-child"),
    path(
        "parent-links/<id:link_pk>/remove/",
        views.remove_parent_link,
        name="remove-parent-link",
    ),
    path(
        "schools/<id:pk>/join-policy/",
        views.set_school_join_policy,
        name="school-join-policy",
    ),
    path("<id:pk>/", views.classroom_detail, name="classroom-detail"),
    *[
        path(
            f"<id:pk>/join-code/{action}/",
            views.change_join_code,
            {"action": action},
            name=f"{action}-join-code",
        )
        for action in ("regenerate", "disable", "enable")
    ],
    path("<id:pk>/students/", views.roster, name="roster"),
    path("<id:pk>/students/import/", views.import_roster, name="import-roster"),
    path(
        "<id:pk>/students/<id:student_pk>/",
        views.student_detail,
        name="student-detail",
    ),
    path(
        "<id:pk>/students/<id:student_pk>/remove/",
        views.remove_student,
        name="remove-student",
    ),
    path(
        "<id:pk>/students/<id:student_pk>/password/",
        views.reset_student_password,
        name="reset-student-password",
    ),
    path(
        "<id:pk>/students/<id:student_pk>/sessions/end/",
        views.end_student_sessions,
        name="end-student-sessions",
    ),
    path("<id:pk>/cards/", cards.login_cards, name="login-cards"),
    path("<id:pk>/cards/print/", cards.print_class_cards, name="print-class-cards"),
    path(
        "<id:pk>/students/<id:student_pk>/card/",
        cards.print_student_card,
        name="print-student-card",
    ),
    path(
        "<id:pk>/students/<id:student_pk>/card/void/",
        cards.void_student_card,
        name="void-student-card",
    ),
    path(
        "<id:pk>/students/<id:student_pk>/parent-invite/",
        views.create_parent_invite,
        name="create-parent-invite",
    ),
]

# Namespace ``announcements``.
announcement_patterns = [
    path("<id:pk>/announcements/", announcements.announcement_list, name="list"),
    path(
        "<id:pk>/announcements/new/",
        announcements.create_announcement,
        name="create",
    ),
    path(
        "announcements/<id:announcement_pk>/attachment/",
        announcements.download_attachment,
        name="attachment",
    ),
]

# Namespace ``course_progress``.
progress_patterns = [
    path(
        "<id:pk>/courses/<id:course_pk>/progress/",
        progress.course_progress,
        name="course-progress",
    ),
]

# Namespace ``deliveries``: a school admin's failed notification deliveries.
delivery_patterns = [
    path("failed/", deliveries.failed_deliveries, name="failed"),
    path("<id:pk>/retry/", deliveries.retry_delivery, name="retry"),
]
