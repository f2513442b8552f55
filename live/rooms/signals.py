"""
Fast-path revocations (WS-04): when a logout, a disabled account or a
removed enrolment commits, the user's open sockets close at once on every
process. ``live.rooms.access`` re-checks periodically as a backstop.
"""

from django.db import transaction

from live.models import LiveSession, SessionStatus
from live.protocol import CLOSE_FORBIDDEN, CLOSE_UNAUTHENTICATED
from live.realtime import events


def on_logged_out(sender, request=None, user=None, **kwargs):
    if user is not None:
        events.close_user(user.pk, CLOSE_UNAUTHENTICATED)


def on_user_saved(sender, instance, created=False, **kwargs):
    if not created and not instance.is_active:
        user_id = instance.pk
        transaction.on_commit(lambda: events.close_user(user_id, CLOSE_UNAUTHENTICATED))


def on_enrollment_removed(sender, classroom_id=None, student_id=None, **kwargs):
    rooms = LiveSession.objects.filter(classroom_id=classroom_id).exclude(
        status=SessionStatus.ENDED
    )
    for room_id in rooms.values_list("pk", flat=True):
        events.close_user(student_id, CLOSE_FORBIDDEN, room_id)


def on_teachers_changed(sender, instance, **kwargs):
    """A class's teachers changed (its homeroom teacher, its subject
    teachers): each process forgets the rooms' cached teacher list."""
    action = kwargs.get("action", "post_save")
    if not action.startswith("post_"):
        return
    classroom_id = getattr(instance, "pk", None)
    rooms = list(
        LiveSession.objects.filter(classroom_id=classroom_id)
        .exclude(status=SessionStatus.ENDED)
        .values_list("pk", flat=True)
    )
    for room_id in rooms:
        transaction.on_commit(lambda room_id=room_id: events.room_changed(room_id))
