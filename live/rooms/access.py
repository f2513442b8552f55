"""
Revocation: a socket's user is fixed at connect, so the server must close
sockets whose right to stay has gone (WS-04/WS-05).

Fast path: signal receivers (``live.rooms.signals``, connected in
``live.apps``) publish a close for the user
the moment a logout, a removed enrolment or a teacher's removal commits.
Backstop: each process re-checks all its sockets every
``LIVE_RECHECK_SECONDS`` with a handful of batched queries
(``revoked_sockets``), which also catches changes made behind Django's back
(an account disabled in the admin, a session expired or deleted, a
password changed — the session's auth hash no longer matches).
"""

from django.db import connection
from django.db.models.expressions import RawSQL

from accounts.models import User
from accounts.sessions import signed_in_users
from classrooms.models import Enrollment
from live.models import Attendance, LiveSession, SessionStatus
from live.protocol import (
    CLOSE_ENDED,
    CLOSE_FORBIDDEN,
    CLOSE_UNAUTHENTICATED,
    STUDENT,
)


def _one_of(ids):
    """``IN`` over thousands of ids: on PostgreSQL as one array parameter,
    which spares Django and psycopg a placeholder per id (the check runs
    every few seconds over every socket of the process)."""
    ids = sorted(ids)
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", [ids])
    return ids


def revoked_sockets(items: list[tuple[int, int, str, str | None]]) -> list[int]:
    """For each (user_id, session_id, role, session_key): a close code or 0."""
    user_ids = _one_of({i[0] for i in items})
    room_ids = {i[1] for i in items}
    active = set(
        User.objects.filter(pk__in=user_ids, is_active=True).values_list(
            "pk", flat=True
        )
    )
    ended = set(
        LiveSession.objects.filter(
            pk__in=room_ids, status=SessionStatus.ENDED
        ).values_list("pk", flat=True)
    )
    rooms = LiveSession.objects.filter(pk__in=room_ids).values_list(
        "pk", "classroom_id"
    )
    class_of = dict(rooms)
    enrolled = set(
        Enrollment.objects.filter(
            classroom_id__in=set(class_of.values()), student_id__in=user_ids
        ).values_list("classroom_id", "student_id")
    )
    removed = set(
        Attendance.objects.filter(
            session_id__in=room_ids, user_id__in=user_ids, removed_at__isnull=False
        ).values_list("session_id", "user_id")
    )
    # A session still signs in its user only with the user's current auth
    # hash: a password change or a teacher's reset ends it (AU-08).
    session_users = signed_in_users({i[3] for i in items if i[3]})
    codes = []
    for user_id, room_id, role, session_key in items:
        if user_id not in active or (
            session_key and session_users[session_key] != user_id
        ):
            codes.append(CLOSE_UNAUTHENTICATED)
        elif room_id in ended:
            codes.append(CLOSE_ENDED)
        elif (room_id, user_id) in removed or (
            role == STUDENT and (class_of.get(room_id), user_id) not in enrolled
        ):
            codes.append(CLOSE_FORBIDDEN)
        else:
            codes.append(0)
    return codes
