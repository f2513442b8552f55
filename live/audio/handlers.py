"""
The teacher's voice in a room, message by message (section 6):
``audio.start``, ``audio.stop`` and ``audio.listen`` (part of the room's
``HANDLERS`` table in ``live.rooms.handlers``) and the binary audio
bundles (``bundle``).

A bundle is checked, relayed unchanged through the room hub (one pub/sub
message, then the same bytes to every listening socket of each process),
and kept for the recording. Nothing from a student is relayed.
"""

import time
from typing import TYPE_CHECKING

from channels.db import database_sync_to_async as db

from live import protocol as p

from . import recording

if TYPE_CHECKING:
    from live.rooms.handlers import Member

BUNDLE_REF = {"type": "audio.bundle"}  # the error's ref for a binary frame
PARAMS_FRESH_FOR = 1.0  # seconds a socket trusts its view of "audio is live"


async def audio_start(member: "Member", request: p.Request) -> None:
    params = p.clean_audio_params(request.data)
    if params is None:
        raise p.bad_request(request)
    await member.hub.store.set_audio(member.session_id, params)
    member.audio_params, member.audio_checked = params, time.monotonic()
    await member.hub.publish(member.session_id, p.audio_started(params))


async def audio_stop(member: "Member", request: p.Request) -> None:
    await member.hub.store.set_audio(member.session_id, None)
    member.audio_params = None
    await member.hub.publish(member.session_id, p.audio_stopped())
    await finish(member.session_id)


async def audio_listen(member: "Member", request: p.Request) -> None:
    member.sock.listening = p.clean_bool(request, "on")


async def bundle(member: "Member", data: bytes) -> None:
    """One binary frame: an audio bundle from the room's teacher, or an error."""
    if member.role != p.TEACHER:
        raise p.ClientError(p.ErrorCode.FORBIDDEN, BUNDLE_REF)
    if not member.audio_limit.allow(time.monotonic()):
        raise p.ClientError(p.ErrorCode.BAD_REQUEST, BUNDLE_REF)
    try:
        checked = p.parse_bundle(data)
    except p.BadBundle:
        raise p.ClientError(p.ErrorCode.BAD_REQUEST, BUNDLE_REF)
    now = time.monotonic()
    if now - member.audio_checked > PARAMS_FRESH_FOR:
        member.audio_params = await member.hub.store.audio(member.session_id)
        member.audio_checked = now
    if member.audio_params is None:  # no audio.start: nothing to relay
        raise p.ClientError(p.ErrorCode.BAD_REQUEST, BUNDLE_REF)
    await member.hub.publish_audio(member.session_id, bytes(data))
    if recording.recorder_for(member.session_id).add(bytes(data), checked.seq):
        await recording.flush(member.session_id)


async def finish(session_id: int) -> None:
    """Write what this process holds and rebuild the recording."""
    await recording.flush(session_id)
    await db(recording.finalise_recording)(session_id=session_id)


async def on_leave(member: "Member") -> None:
    """The teacher's socket is gone: keep what it sent."""
    if member.role == p.TEACHER and await recording.flush(member.session_id):
        await db(recording.finalise_recording)(session_id=member.session_id)


HANDLERS = {
    p.AUDIO_START: audio_start,
    p.AUDIO_STOP: audio_stop,
    p.AUDIO_LISTEN: audio_listen,
}
