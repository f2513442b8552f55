from django.urls import path, re_path

from . import question_bank_views, views

app_name = "assignments"

urlpatterns = [
    path("", views.assignment_list, name="list"),
    path("new/", views.assignment_create, name="create"),
    path("to-grade/", views.to_grade, name="to-grade"),
    path("<id:pk>/", views.assignment_detail, name="detail"),
    path("<id:pk>/queued/", views.queued_submit, name="queued-submit"),
    path("<id:pk>/publish/", views.assignment_publish, name="publish"),
    path("<id:pk>/quiz/", views.quiz_submit, name="quiz-submit"),
    path("<id:pk>/grading/", views.grading_queue, name="queue"),
    path("submissions/<id:pk>/", views.submission_detail, name="submission"),
    path(
        "submissions/<id:pk>/return/",
        views.submission_return,
        name="return-submission",
    ),
    path("files/<id:pk>/", views.submission_file, name="file"),
    path("attachments/<id:pk>/", views.attachment_file, name="attachment"),
    path("classes/<id:classroom_id>/gradebook/", views.gradebook, name="gradebook"),
    re_path(
        r"^classes/(?P<classroom_id>[0-9]+)/gradebook\.(?P<fmt>csv|xlsx)$",
        views.gradebook_export,
        name="gradebook-export",
    ),
    path("quizzes/", question_bank_views.quiz_list, name="quizzes"),
    path("quizzes/<id:pk>/", question_bank_views.quiz_detail, name="quiz"),
]
