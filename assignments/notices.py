"""
What students and their parents are told about graded work: the one
grades-returned notification, for returned homework, quiz homework and grades
recorded without an upload (``grades.record_grades``, a live quiz game).
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from classrooms.selectors import student_and_parent_ids
from notifications import services as notifications

from .models import Submission

RETURNED_TITLE = _("Bài đã được chấm: %(title)s")


def notify_submission_returned(submission: Submission) -> None:
    """Tell the student and their parents, after commit, that a grade is out."""
    notifications.notify(
        event=notifications.SUBMISSION_RETURNED,
        recipients=student_and_parent_ids(students=[submission.student_id]),
        title=RETURNED_TITLE % {"title": submission.assignment},
        url=reverse("assignments:submission", args=[submission.pk]),
    )
