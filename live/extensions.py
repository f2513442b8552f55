"""
Extension points the realtime quiz (``live/quiz_room.py``) fills in.

* ``QUIZ_HANDLERS`` maps ``quiz.*`` message types to async handlers with the
  signature of ``live.room`` handlers: ``async def h(member, request)``,
  where ``member`` is a ``live.room.Member`` (``session_id``, ``user_id``,
  ``name``, ``role``, ``hub``) and ``request`` a ``live.protocol.Request``.
  Raise ``live.protocol.ClientError(code, request.ref)`` for an error frame.
  Register with one line in ``live/quiz_room.py``:
  ``QUIZ_HANDLERS.update({"quiz.start": start, ...})``; ``live.room``
  imports ``live.quiz_room`` when it exists. Until a type is registered it
  is answered with ``error`` ``no_quiz``.
* ``quiz_state(session_id, user_id, role)`` gives ``room.state`` its
  ``quiz`` field. It is sync and may use the ORM (it runs in a thread).
  Replace it with ``set_quiz_state(fn)``.
"""

QUIZ_HANDLERS: dict = {}


def _no_quiz_state(session_id: int, user_id: int, role: str):
    return None


_quiz_state = _no_quiz_state


def set_quiz_state(fn) -> None:
    global _quiz_state
    _quiz_state = fn


def quiz_state(session_id: int, user_id: int, role: str):
    return _quiz_state(session_id, user_id, role)
