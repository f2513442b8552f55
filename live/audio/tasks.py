"""Background work for the recordings, run by ``manage.py db_worker``."""

from django_tasks import task

from . import recording


@task()
def finalise_session_recording(session_id: int) -> dict:
    """The session ended: build its recording from every chunk kept (also
    those of a teacher's process that died before it could)."""
    built = recording.finalise_recording(session_id=session_id)
    return {"seconds": built.duration_ms // 1000 if built else 0}


def queue_finalise(session_id: int) -> None:
    if recording.has_audio(session_id):
        finalise_session_recording.enqueue(session_id)
