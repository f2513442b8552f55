"""Results pages of the live quiz game, included by ``live/rooms/urls.py`` (namespace ``live``)."""

from django.urls import path

from . import views as quiz_views

urlpatterns = [
    path("quiz/runs/", quiz_views.run_list, name="quiz-run-list"),
    path("quiz/runs/<id:run_id>/", quiz_views.run_results, name="quiz-run-results"),
    path(
        "quiz/runs/<id:run_id>/gradebook/",
        quiz_views.run_record_grades,
        name="quiz-run-record-grades",
    ),
    path(
        "quiz/students/<id:student_id>/",
        quiz_views.student_runs,
        name="quiz-student-runs",
    ),
    path(
        "quiz/runs/<id:run_id>/students/<id:student_id>/",
        quiz_views.student_run_result,
        name="quiz-student-result",
    ),
]
