"""What every section of the live quiz game's services starts from: the
session a teacher drives, and the running run locked for a change."""

from accounts.models import User
from live import protocol as p
from live.models import LiveSession, QuizRun
from live.rooms.permissions import is_teacher_of


def driven_session(session_id: int, user: User) -> LiveSession:
    """The live session, when ``user`` is one of its class's teachers."""
    session = LiveSession.objects.select_related("classroom").get(pk=session_id)
    if not is_teacher_of(user, session.classroom):
        raise p.ClientError(p.ErrorCode.FORBIDDEN)
    return session


def locked_running_run(session_id: int) -> QuizRun:
    """The session's running run, locked until the transaction ends."""
    run = QuizRun.objects.select_for_update().running().filter(session_id=session_id)
    run = run.first()
    if run is None:
        raise p.ClientError(p.ErrorCode.NO_QUIZ)
    return run
