from io import StringIO

from assignments import demo as homework_demo
from assignments.models import Assignment, QuizAttempt, Submission, SubmissionStatus
from classrooms import demo as school_demo


def test_demo_homework_covers_every_state_and_is_idempotent(db):
    school = school_demo.seed()
    homework_demo.seed(school, StringIO())
    counts = (
        Assignment.objects.count(),
        Submission.objects.count(),
        QuizAttempt.objects.count(),
    )
    homework_demo.seed(school, StringIO())
    assert (
        Assignment.objects.count(),
        Submission.objects.count(),
        QuizAttempt.objects.count(),
    ) == counts
    classroom = school.classrooms[0]
    statuses = set(
        Submission.objects.filter(assignment__classrooms=classroom).values_list(
            "status", flat=True
        )
    )
    assert {"submitted", "graded", "returned", "late"} <= statuses
    assert Submission.objects.filter(
        assignment__kind="upload", versions__files__kind="photo"
    ).exists()
    scores = sorted(
        QuizAttempt.objects.filter(
            submission__assignment__classrooms=classroom
        ).values_list("score", flat=True)
    )
    assert scores == [2, 3, 4]
    assert SubmissionStatus.RETURNED in statuses
