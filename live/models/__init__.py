"""
The models of the live rooms, split by concern and re-exported here so
callers keep writing ``from live.models import LiveSession``:

* ``rooms``: live sessions, their chat, attendance and calendar feeds;
* ``audio``: the recording of the teacher's voice;
* ``quiz``: the *live quiz game* (``QuizRun`` with its ``QuizRunQuestion``,
  ``QuizRunAnswer`` and ``QuizRunScore`` rows).
"""

from .audio import LiveRecording
from .quiz import (
    QuizRun,
    QuizRunAnswer,
    QuizRunQuerySet,
    QuizRunQuestion,
    QuizRunScore,
    RunStatus,
)
from .rooms import (
    Attendance,
    CalendarFeed,
    ChatMessage,
    LiveSession,
    SessionStatus,
)

__all__ = [
    "Attendance",
    "CalendarFeed",
    "ChatMessage",
    "LiveRecording",
    "LiveSession",
    "QuizRun",
    "QuizRunAnswer",
    "QuizRunQuerySet",
    "QuizRunQuestion",
    "QuizRunScore",
    "RunStatus",
    "SessionStatus",
]
