from django.urls import path

from . import views

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
