"""
Writes for live sessions: create, open, end, tickets, who may join,
chat persistence, removal and attendance.

Plain sync functions; the room handlers call them through
``database_sync_to_async``, views and commands call them directly.
Broadcasts happen after commit through ``live.realtime.events``.
"""

import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.names import sort_people
from accounts.permissions import NOT_ALLOWED
from accounts.sessions import signs_in
from classrooms.models import Classroom, School
from courses.selectors import may_use_lesson
from live import protocol as p
from live.audio import tasks as audio_tasks
from live.models import (
    Attendance,
    CalendarFeed,
    ChatMessage,
    LiveSession,
    SessionStatus,
)
from live.protocol import (
    CLOSE_ENDED,
    CLOSE_FORBIDDEN,
    CLOSE_NOT_FOUND,
    CLOSE_NOT_OPEN,
    CLOSE_UNAUTHENTICATED,
    OBSERVER,
    STUDENT,
    TEACHER,
)
from live.realtime import events
from live.realtime.wire import iso

from . import admission, permissions, rules

BAD_TRANSITION = _("Buổi học không thể chuyển sang trạng thái này.")
TICKET_SALT = "live.ticket"
MAX_TICKET_TTL = 60 * 60  # an hour at most: clients fetch a new one


# -- sessions ----------------------------------------------------------------
def create_session(
    *,
    classroom: Classroom,
    title: str,
    scheduled_at: datetime,
    by: User,
    lesson=None,
    video_url: str = "",
) -> LiveSession:
    """A teacher of the class schedules a live session."""
    if not permissions.is_teacher_of(by, classroom):
        raise PermissionDenied(NOT_ALLOWED)
    if lesson is not None and not may_use_lesson(by, lesson):
        raise PermissionDenied(NOT_ALLOWED)
    session = LiveSession(
        classroom=classroom,
        title=title.strip(),
        scheduled_at=scheduled_at,
        lesson=lesson,
        video_url=video_url.strip(),
        created_by=by,
    )
    session.full_clean()
    session.save()
    return session


def _transition(session: LiveSession, action: str, by: User) -> LiveSession:
    if not permissions.managed_sessions(by).filter(pk=session.pk).exists():
        raise PermissionDenied(NOT_ALLOWED)
    with transaction.atomic():
        locked = LiveSession.objects.select_for_update().get(pk=session.pk)
        try:
            locked.status = rules.next_status(locked.status, action)
        except rules.TransitionError:
            raise ValidationError(BAD_TRANSITION)
        now = timezone.now()
        if action == rules.OPEN:
            locked.opened_at = now
        else:
            locked.ended_at = now
        locked.save(update_fields=["status", "opened_at", "ended_at"])
    return locked


def open_session(*, session: LiveSession, by: User) -> LiveSession:
    """scheduled → live: students may now join."""
    session = _transition(session, rules.OPEN, by)
    transaction.on_commit(lambda: events.room_changed(session.pk))
    return session


def end_session(*, session: LiveSession, by: User) -> LiveSession:
    """→ ended: everyone gets ``session.ended`` and their sockets close 4410."""
    session = _transition(session, rules.END, by)
    transaction.on_commit(lambda: events.end_room(session.pk))
    transaction.on_commit(lambda: audio_tasks.queue_finalise(session.pk))
    return session


def end_session_by_id(*, session_id: int, by: User) -> LiveSession:
    return end_session(session=LiveSession.objects.get(pk=session_id), by=by)


# -- tickets and joining ----------------------------------------------------------
def _digest(value: str) -> str:
    return salted_hmac(TICKET_SALT, value).hexdigest()[:32]


def _bound_key(digest: str) -> str:
    return f"live-ticket-session:{digest}"


def issue_ticket(
    *,
    user: User,
    session: LiveSession,
    ttl: int | None = None,
    login_session_key: str | None = None,
) -> dict:
    """
    A signed ticket naming one user and one live session, valid minutes
    (WS-04/AU-08). It carries a digest of the user's auth hash, so a password
    change or reset voids it, and — when fetched over HTTP — a digest of the
    login session that fetched it: that session's key stays on the server
    (the cache, for the ticket's lifetime), so a logout voids the ticket and
    closes its socket at the next re-check. A ticket printed by
    ``live_tickets`` has no login session and is bound to the hash only.
    """
    ttl = min(ttl or settings.LIVE_TICKET_TTL_SECONDS, MAX_TICKET_TTL)
    expires = int(time.time()) + ttl
    claims = {
        "u": user.pk,
        "s": session.pk,
        "x": expires,
        "h": _digest(user.get_session_auth_hash()),
    }
    if login_session_key:
        claims["k"] = _digest(login_session_key)
        cache.set(_bound_key(claims["k"]), login_session_key, ttl)
    ticket = signing.TimestampSigner(salt=TICKET_SALT).sign_object(claims)
    return {"ticket": ticket, "expires_at": iso(datetime.fromtimestamp(expires, UTC))}


@dataclass(frozen=True, slots=True)
class TicketClaims:
    """What a ticket's signature vouches for; ``ticket_holds`` checks the rest."""

    user_id: int
    session_id: int
    auth_digest: str
    login_digest: str | None


def parse_ticket(ticket: str) -> TicketClaims | None:
    """The claims of a ticket that is well signed and unexpired, else None.
    No database: the socket's join reads the user once and checks them."""
    try:
        data = signing.TimestampSigner(salt=TICKET_SALT).unsign_object(
            ticket, max_age=MAX_TICKET_TTL
        )
        if data["x"] < time.time():
            return None
        bound = data.get("k")
        return TicketClaims(
            user_id=int(data["u"]),
            session_id=int(data["s"]),
            auth_digest=str(data["h"]),
            login_digest=None if bound is None else str(bound),
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def ticket_holds(claims: TicketClaims, user: User) -> tuple[bool, str | None]:
    """Whether the ticket still holds for ``user`` (active, loaded fresh):
    the same password, and its login session (if any) still signing them
    in. Also returns that login session's key."""
    if not user.is_active or not constant_time_compare(
        claims.auth_digest, _digest(user.get_session_auth_hash())
    ):
        return False, None
    if claims.login_digest is None:
        return True, None
    login_key = cache.get(_bound_key(claims.login_digest))
    if not login_key or not signs_in(login_key, user.pk):
        return False, None
    return True, login_key


def read_ticket_binding(ticket: str) -> tuple[int, int, str | None] | None:
    """(user_id, session_id, login session key or None) of a ticket that is
    valid, unexpired, whose user is active with the same password and whose
    login session (if any) still signs them in; else None."""
    claims = parse_ticket(ticket)
    if claims is None:
        return None
    user = User.objects.filter(pk=claims.user_id, is_active=True).first()
    holds, login_key = ticket_holds(claims, user) if user else (False, None)
    return (claims.user_id, claims.session_id, login_key) if holds else None


def read_ticket(ticket: str) -> tuple[int, int] | None:
    """(user_id, session_id) of a ticket that still holds (see above), else None."""
    found = read_ticket_binding(ticket)
    return found[:2] if found else None


class JoinRefused(Exception):
    def __init__(self, code: int):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class RoomGrant:
    """What the consumer needs to know about an admitted user."""

    session_id: int
    user_id: int
    name: str
    role: str
    session: dict
    slide_count: int | None


@dataclass(frozen=True)
class Admission:
    user: User  # fixed for the socket's life, for the services' permission checks
    grant: RoomGrant
    quiz: dict | None  # room.state.quiz
    session_key: str | None  # the login session the socket follows


def admit(
    *,
    session_id: int,
    user=None,
    ticket: TicketClaims | None = None,
    session_key: str | None = None,
    memo: dict | None = None,
) -> Admission:
    """
    Everything a join needs from the database, in one thread hop: the room's
    facts (cached per process in ``memo``, see ``live.rooms.admission``), the
    user and their standing in one statement, the attendance in another.
    ``ticket``'s claims, else the session's ``user``, say who joins.
    Raises ``JoinRefused`` with the close code of the first rule that fails.
    """
    if ticket is not None:
        user_id = ticket.user_id
    elif user is not None and user.is_authenticated and user.is_active:
        user_id = user.pk
    else:
        raise JoinRefused(CLOSE_UNAUTHENTICATED)
    facts = admission.room_facts(session_id, memo)
    found = admission.joiner(user_id, facts)
    if found is None:
        raise JoinRefused(CLOSE_UNAUTHENTICATED)
    user = found.user
    if ticket is not None:
        holds, session_key = ticket_holds(ticket, user)
        if not holds:
            raise JoinRefused(CLOSE_UNAUTHENTICATED)
    if facts is None:
        raise JoinRefused(CLOSE_NOT_FOUND)
    role = permissions.room_role_of(
        user,
        teacher_ids=facts.teacher_ids,
        enrolled=found.enrolled,
        administers=lambda: School.objects.filter(
            pk=facts.school_id, admins=user
        ).exists(),
    )
    if role is None or found.removed:
        raise JoinRefused(CLOSE_FORBIDDEN)
    if facts.status == SessionStatus.ENDED:
        raise JoinRefused(CLOSE_ENDED)
    if facts.status == SessionStatus.SCHEDULED and role == STUDENT:
        raise JoinRefused(CLOSE_NOT_OPEN)
    grant = RoomGrant(
        session_id=session_id,
        user_id=user.pk,
        name=user.get_full_name(),
        role=role,
        session=facts.session,
        slide_count=facts.slide_count,
    )
    record_join(session_id=session_id, user_id=user.pk)
    return Admission(
        user=user,
        grant=grant,
        quiz=admission.quiz_state(facts, found, role),
        session_key=session_key,
    )


def class_roster(*, session_id: int) -> list[dict]:
    """Teachers and students of the session's class, in Vietnamese name order."""
    session = LiveSession.objects.select_related("classroom").get(pk=session_id)
    classroom = session.classroom
    teacher_ids = classroom.teacher_ids()
    people = User.objects.filter(pk__in=teacher_ids) | User.objects.filter(
        enrollments__classroom=classroom, is_active=True
    )
    return [
        {
            "user_id": u.pk,
            "name": u.get_full_name(),
            "role": TEACHER if u.pk in teacher_ids else STUDENT,
        }
        for u in sort_people(people.distinct(), name=User.get_full_name)
    ]


# -- chat and moderation ---------------------------------------------------------
def post_chat_message(
    *, session_id: int, author_id: int, text: str, client_id: str | None
) -> ChatMessage:
    """Persist one chat line; the same ``client_id`` twice stores it once."""
    if client_id:
        existing = ChatMessage.objects.filter(
            session_id=session_id, author_id=author_id, client_id=client_id
        ).first()
        if existing is not None:
            return existing
    message = ChatMessage(
        session_id=session_id, author_id=author_id, text=text, client_id=client_id or ""
    )
    message.full_clean()
    message.save()
    return message


def chat_frame(message: ChatMessage, *, name: str, role: str) -> p.ChatMessageFrame:
    """The ``chat.message`` broadcast of a stored chat line."""
    return p.chat_message(
        message_id=message.pk,
        author={"user_id": message.author_id, "name": name, "role": role},
        text=message.text,
        sent_at=message.sent_at,
        client_id=message.client_id or None,
    )


def recent_chat_frames(*, session_id: int, limit: int = 50) -> list[dict]:
    """The room's last chat lines, oldest first, rebuilt from the database
    (``room.state`` after the room's Redis state was lost)."""
    session = LiveSession.objects.select_related("classroom").get(pk=session_id)
    teacher_ids = session.classroom.teacher_ids()
    messages = list(
        ChatMessage.objects.filter(session_id=session_id)
        .select_related("author")
        .order_by("-sent_at", "-pk")[:limit]
    )[::-1]
    students = set(
        session.classroom.enrollments.filter(
            student_id__in={m.author_id for m in messages}
        ).values_list("student_id", flat=True)
    )
    return [
        chat_frame(
            m,
            name=m.author.get_full_name(),
            role=TEACHER
            if m.author_id in teacher_ids
            else STUDENT
            if m.author_id in students
            else OBSERVER,
        )
        for m in messages
    ]


def remove_participant(*, session_id: int, user_id: int, by: User) -> bool:
    """Bar a student (not a teacher) from the session for good."""
    session = LiveSession.objects.select_related("classroom").get(pk=session_id)
    if permissions.room_role(by, session) != TEACHER:
        raise PermissionDenied(NOT_ALLOWED)
    target = User.objects.filter(pk=user_id).first()
    if target is None or permissions.room_role(target, session) != STUDENT:
        return False
    Attendance.objects.update_or_create(
        session=session, user=target, defaults={"removed_at": timezone.now()}
    )
    transaction.on_commit(
        lambda: events.close_user(user_id, CLOSE_FORBIDDEN, session_id)
    )
    return True


# -- attendance ---------------------------------------------------------------------
def record_join(*, session_id: int, user_id: int) -> None:
    """A socket opened: start the clock on the user's first open socket.

    One upsert, so concurrent joins on several processes cannot lose a
    socket or restart a running clock (and a join costs one statement)."""
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    sql = _JOIN_SQL.get(connection.alias)
    if sql is None:
        sql = _JOIN_SQL[connection.alias] = _record_join_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql, [session_id, user_id, now, now])


_JOIN_SQL: dict[str, str] = {}  # built once per database, not per join


def _record_join_sql() -> str:
    q = connection.ops.quote_name
    meta = Attendance._meta
    table = q(meta.db_table)

    def col(name):
        return q(meta.get_field(name).column)

    session, user, first = col("session"), col("user"), col("first_joined_at")
    sockets, since, seconds = (
        col("open_sockets"),
        col("connected_since"),
        col("connected_seconds"),
    )
    return (
        f"INSERT INTO {table} ({session}, {user}, {first}, {since}, {sockets},"  # noqa: S608 - names from _meta
        f" {seconds}) VALUES (%s, %s, %s, %s, 1, 0)"
        f" ON CONFLICT ({session}, {user}) DO UPDATE SET"
        f" {sockets} = {table}.{sockets} + 1,"
        f" {first} = COALESCE({table}.{first}, excluded.{first}),"
        f" {since} = CASE WHEN {table}.{sockets} = 0 THEN excluded.{since}"
        f" ELSE {table}.{since} END"
    )


@transaction.atomic
def record_leave(*, session_id: int, user_id: int, sockets: int = 1) -> None:
    """A socket closed (or ``sockets`` of a dead server process): when it
    was the user's last, add the time online."""
    now = timezone.now()
    row = (
        Attendance.objects.select_for_update()
        .filter(session_id=session_id, user_id=user_id)
        .first()
    )
    if row is None or row.open_sockets == 0:
        return
    row.open_sockets = max(0, row.open_sockets - sockets)
    row.last_left_at = now
    if row.open_sockets == 0 and row.connected_since is not None:
        row.connected_seconds += int((now - row.connected_since).total_seconds())
        row.connected_since = None
    row.save()


def connected_seconds(row: Attendance, now: datetime | None = None) -> int:
    """Time online so far, including a connection still open."""
    total = row.connected_seconds
    if row.open_sockets and row.connected_since:
        now = now or timezone.now()
        total += int((now - row.connected_since).total_seconds())
    return total


# -- calendar -------------------------------------------------------------------------
def create_calendar_feed(*, user: User) -> CalendarFeed:
    """The user's private calendar feed; asking twice gives the same one."""
    feed, _ = CalendarFeed.objects.get_or_create(
        user=user, defaults={"token": secrets.token_urlsafe(32)}
    )
    return feed


def rotate_calendar_feed(*, user: User) -> CalendarFeed | None:
    """
    A new private link for the user's calendar: the old one stops working at
    once (a link shared by mistake, a lost phone). None if they have none.
    """
    feed = CalendarFeed.objects.filter(user=user).first()
    if feed is None:
        return None
    feed.token = secrets.token_urlsafe(32)
    feed.save(update_fields=["token"])
    return feed
