"""
Homework and the question bank, split by concern and re-exported here so
callers keep writing ``from assignments.models import Quiz``.
"""

from .homework import (
    Assignment,
    AssignmentAttachment,
    AssignmentKind,
    AssignmentQuerySet,
    DueSoonNotice,
    FileKind,
    LatePolicy,
    PhotoRendition,
    Submission,
    SubmissionFile,
    SubmissionQuerySet,
    SubmissionStatus,
    SubmissionVersion,
)
from .questions import (
    Choice,
    Question,
    QuestionKind,
    Quiz,
    QuizAnswer,
    QuizAttempt,
    QuizQuerySet,
)

__all__ = [
    "Assignment",
    "AssignmentAttachment",
    "AssignmentKind",
    "AssignmentQuerySet",
    "Choice",
    "DueSoonNotice",
    "FileKind",
    "LatePolicy",
    "PhotoRendition",
    "Question",
    "QuestionKind",
    "Quiz",
    "QuizAnswer",
    "QuizAttempt",
    "QuizQuerySet",
    "Submission",
    "SubmissionFile",
    "SubmissionQuerySet",
    "SubmissionStatus",
    "SubmissionVersion",
]
