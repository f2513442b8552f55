"""
What happens in a room, message by message: joining and leaving, the
``room.state`` snapshot, and one handler per client message type
(``HANDLERS``, which includes the live quiz game's ``quiz.*`` handlers from
``live.quiz.handlers`` and the teacher's ``audio.*`` from
``live.audio.handlers``).

Handlers are async because room state lives in Redis; anything touching the
database goes through a service in ``live.rooms.services`` via
``database_sync_to_async``. A handler returns the frame to send back to the
sender only, or None; room-wide frames go through the hub.

The hub hears of the room layer only through ``record_lost_sockets`` and
``recheck_sockets`` (registered in ``live.apps``).
"""

import logging
from dataclasses import dataclass, field

from channels.db import database_sync_to_async as db
from django.utils import timezone

from live import protocol as p
from live.audio import handlers as audio
from live.quiz import handlers as quiz
from live.realtime.hub import LostSockets, RoomHub, SocketKeys, get_hub
from live.realtime.sockets import LocalSocket
from live.realtime.wire import iso

from . import access, services
from .rules import SlidingWindow
from .services import RoomGrant

log = logging.getLogger(__name__)


@dataclass
class Member:
    """One socket's user in one room."""

    grant: RoomGrant
    sock: LocalSocket
    hub: RoomHub
    user: object  # the User fixed at connect, for services' permission checks
    # The teacher's audio (live.audio.handlers): the bundle rate of this
    # socket and its cached view of the room's audio.start settings.
    audio_limit: SlidingWindow = field(
        default_factory=lambda: SlidingWindow(*p.BUNDLE_LIMIT)
    )
    audio_params: dict | None = None
    audio_checked: float = float("-inf")

    @property
    def session_id(self) -> int:
        return self.grant.session_id

    @property
    def user_id(self) -> int:
        return self.grant.user_id

    @property
    def name(self) -> str:
        return self.grant.name

    @property
    def role(self) -> str:
        return self.grant.role


async def join(
    grant: RoomGrant, sock: LocalSocket, user, quiz=None
) -> tuple[Member, dict]:
    """Register the socket (frames are held), count the user, snapshot."""
    hub = get_hub()
    member = Member(grant=grant, sock=sock, hub=hub, user=user)
    await hub.add(sock)
    info = {"name": grant.name, "role": grant.role}
    try:
        sockets, snap = await hub.store.join_and_snapshot(
            grant.session_id, grant.user_id, info
        )
    except BaseException:
        await hub.discard(sock)
        raise
    sock.epoch = hub.store.epoch
    try:
        state = await snapshot(member, quiz, snap)
        if sockets == 1 and state["you"]["hand_raised"]:
            # Back after a drop with the hand still up: tell the teachers.
            frame = p.hand_changed(user_id=grant.user_id, name=grant.name, raised=True)
            await hub.send_to_staff(grant.session_id, frame)
    except BaseException:
        await leave(member)  # counted in, so counted out again
        raise
    return member, state


async def leave(member: Member) -> None:
    await member.hub.discard(member.sock)
    try:
        await audio.on_leave(member)
    except Exception:
        log.warning("live: keeping the audio failed", exc_info=True)
    # A raised hand survives a dropped connection; staff see only those online.
    try:
        await member.hub.store.leave(
            member.session_id, member.user_id, epoch=member.sock.epoch
        )
    except Exception:
        # Redis is down: its presence data goes with it (or the reaper takes
        # this process's share off); the attendance below still counts.
        log.warning("live: presence leave failed", exc_info=True)
    await db(services.record_leave)(
        session_id=member.session_id, user_id=member.user_id
    )


async def record_lost_sockets(lost: LostSockets) -> None:
    """The hub's report of a dead process's sockets: close their clocks."""

    def record():
        for room, user_id, sockets in lost:
            services.record_leave(session_id=room, user_id=user_id, sockets=sockets)

    await db(record)()


async def recheck_sockets(items: SocketKeys) -> list[int]:
    """The hub's periodic backstop: a close code (or 0) per socket."""
    return await db(access.revoked_sockets)(items)


async def snapshot(member: Member, quiz=None, snap: dict | None = None) -> dict:
    """The full state a client rebuilds its screen from (``snap``: the
    store's, when the join already read it)."""
    store, room, grant = member.hub.store, member.session_id, member.grant
    if snap is None:
        snap = await store.snapshot(room)
    if not snap["chat_seeded"]:
        recent = await db(services.recent_chat_frames)(session_id=room)
        await store.seed_chat(room, recent)
        snap["chat"] = await store.recent_chat(room)
    hands = snap["hands"]
    state: p.RoomStateFrame = {
        "type": p.ROOM_STATE,
        "session": grant.session,
        "you": {
            "user_id": grant.user_id,
            "name": grant.name,
            "role": grant.role,
            "hand_raised": grant.user_id in hands,
        },
        "participants": {"count": snap["count"]},
        "chat": {"muted": snap["muted"], "recent": snap["chat"]},
        "slide": {"index": snap["slide"], "count": grant.slide_count},
        "board": {"strokes": snap["strokes"]},
        "quiz": quiz,
        "audio": p.audio_state(snap["audio"], member.sock.listening),
        "seq": snap["seq"],
        "server_time": iso(timezone.now()),
    }
    if grant.role in p.STAFF_ROLES:
        state["roster"] = await _roster(member, hands)
    return state


async def _roster(member: Member, hands: set[int]) -> list[dict]:
    online = await member.hub.store.online(member.session_id)
    people = await db(services.class_roster)(session_id=member.session_id)
    known = {person["user_id"] for person in people}
    people += [
        {"user_id": uid, **info} for uid, info in online.items() if uid not in known
    ]
    for person in people:
        person["online"] = person["user_id"] in online
        person["hand_raised"] = person["online"] and person["user_id"] in hands
    return people


async def handle(member: Member, request: p.Request) -> dict | None:
    """Check role and rate, then run the type's handler."""
    if not await member.hub.store.allow("frame", member.user_id):
        raise p.ClientError(p.ErrorCode.RATE_LIMITED, request.ref)
    try:
        p.check_role(request, member.role)
    except p.ClientError:
        # QZ-07: a student (or observer) trying to drive the room is logged.
        log.warning(
            "live: %s refused for user %s (%s) in session %s",
            request.type,
            member.user_id,
            member.role,
            member.session_id,
        )
        raise
    handler = HANDLERS.get(request.type)
    if handler is None:  # an unknown ``quiz.*`` type
        raise p.ClientError(p.ErrorCode.NO_QUIZ, request.ref)
    return await handler(member, request)


async def ping(member: Member, request: p.Request) -> p.PongFrame:
    return p.pong(request.data.get("t"))


async def chat_send(member: Member, request: p.Request) -> None:
    text = p.clean_chat_text(request)
    store = member.hub.store
    if member.role == p.STUDENT and await store.muted(member.session_id):
        raise p.ClientError(p.ErrorCode.CHAT_MUTED, request.ref)
    if not await store.allow("chat", member.user_id):
        raise p.ClientError(p.ErrorCode.RATE_LIMITED, request.ref)
    message = await db(services.post_chat_message)(
        session_id=member.session_id,
        author_id=member.user_id,
        text=text,
        client_id=request.client_id,
    )
    frame = services.chat_frame(message, name=member.name, role=member.role)
    await store.add_chat(member.session_id, frame)
    await member.hub.publish(member.session_id, frame)


async def hand(member: Member, request: p.Request) -> p.HandChangedFrame | None:
    raised = request.type == p.HAND_RAISE
    frame = p.hand_changed(user_id=member.user_id, name=member.name, raised=raised)
    if await member.hub.store.set_hand(member.session_id, member.user_id, raised):
        await member.hub.send_to_staff(member.session_id, frame, member.user_id)
        return None
    return frame


async def slide_goto(member: Member, request: p.Request) -> None:
    index = p.clean_index(request)
    count = member.grant.slide_count
    if count is not None and index >= count:
        raise p.bad_request(request)
    await member.hub.store.set_slide(member.session_id, index)
    await member.hub.publish(member.session_id, p.slide_changed(index))


async def board_stroke(member: Member, request: p.Request) -> None:
    stroke = p.clean_stroke(request)
    await member.hub.store.add_stroke(member.session_id, stroke)
    await member.hub.publish(member.session_id, p.board_stroke(stroke))


async def board_clear(member: Member, request: p.Request) -> None:
    await member.hub.store.clear_board(member.session_id)
    await member.hub.publish(member.session_id, p.board_clear())


async def chat_mute(member: Member, request: p.Request) -> None:
    muted = p.clean_bool(request, "muted")
    await member.hub.store.set_muted(member.session_id, muted)
    await member.hub.publish(member.session_id, p.chat_muted(muted))


async def participant_remove(member: Member, request: p.Request) -> None:
    user_id = p.clean_id(request, "user_id")
    removed = await db(services.remove_participant)(
        session_id=member.session_id, user_id=user_id, by=member.user
    )
    if not removed:
        raise p.bad_request(request)
    await member.hub.store.set_hand(member.session_id, user_id, False)


async def session_end(member: Member, request: p.Request) -> None:
    await db(services.end_session_by_id)(session_id=member.session_id, by=member.user)


HANDLERS = {
    p.PING: ping,
    p.CHAT_SEND: chat_send,
    p.HAND_RAISE: hand,
    p.HAND_LOWER: hand,
    p.SLIDE_GOTO: slide_goto,
    p.BOARD_STROKE: board_stroke,
    p.BOARD_CLEAR: board_clear,
    p.CHAT_MUTE: chat_mute,
    p.PARTICIPANT_REMOVE: participant_remove,
    p.SESSION_END: session_end,
    **quiz.HANDLERS,
    **audio.HANDLERS,
}
