"""
The pub/sub wire between server processes: how a frame is encoded once,
how it is wrapped for the hubs of every process, and the one clock format.

Channels (``<prefix>`` is ``settings.LIVE_REDIS_PREFIX``):

* ``<prefix>:live:room:<id>`` carries a room's frames;
* ``<prefix>:live:ctl`` carries closes (a user's sockets, a whole room).

A message is one text: its kind, ``|``, then the kind's fields.

=====  ==================================  ====================================
kind   fields                              delivered to
=====  ==================================  ====================================
``A``  the frame, with its ``seq``         every socket of the room
``S``  ``<user_id or 0>|<frame>``          teachers and observers, and that user
``U``  ``<user_id>|<frame>``               that user's sockets
``M``  ``{"<user_id>": "<frame>", ...}``   each user their own frame
``C``  ``<user_id>|<code>|<room_id>``      close with ``code`` (0 = everyone /
                                           every room)
``B``  the audio bundle's bytes            every socket of the room that
                                           listens (a binary message)
``F``  nothing                             nobody: the room's facts changed,
                                           each hub forgets its memo of them
=====  ==================================  ====================================

Pure functions of strings: ``live.realtime.hub`` (async) and
``live.realtime.events`` (sync code) both speak through them.
"""

import json
from dataclasses import dataclass
from datetime import UTC, datetime

ALL, STAFF, USER, USERS, CLOSE, FACTS = "A", "S", "U", "M", "C", "F"
AUDIO_PREFIX = b"B|"

# Assign the room's next seq and publish in one atomic step, so every
# process sees a room's broadcasts in seq order. ARGV[1] is a numbered
# message without its seq and closing brace (``numbered_head``).
PUBLISH_SCRIPT = """
local s = redis.call('INCR', KEYS[1])
redis.call('PUBLISH', KEYS[2], ARGV[1] .. s .. '}')
return s
"""


def dumps(frame: dict) -> str:
    """A frame as the compact UTF-8 JSON text sent to clients."""
    return json.dumps(frame, ensure_ascii=False, separators=(",", ":"))


def iso(moment: datetime) -> str:
    """ISO 8601 UTC with milliseconds, as the contract writes every time."""
    return (
        moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    )


def _server_id(room_id) -> int:
    """WS-12: channel and key names are built from server-side ids only; a
    string from a client (``"1:ctl"``) never becomes part of one."""
    if not isinstance(room_id, int) or isinstance(room_id, bool):
        raise TypeError(f"a room id is an int, not {type(room_id).__name__}")
    return room_id


def room_channel(prefix: str, room_id: int) -> str:
    return f"{prefix}:live:room:{_server_id(room_id)}"


def control_channel(prefix: str) -> str:
    return f"{prefix}:live:ctl"


def seq_key(prefix: str, room_id: int) -> str:
    return f"{prefix}:live:{_server_id(room_id)}:seq"


def room_of(channel: str) -> int:
    return int(channel.rsplit(":", 1)[1])


def numbered_head(frame: dict) -> str:
    """An ``A`` message up to its seq: append the number and ``}``."""
    return f"{ALL}|" + dumps(frame)[:-1] + ',"seq":'


def numbered(head: str, seq: int) -> str:
    return f"{head}{seq}}}"


def staff_message(frame: dict, also_user: int | None = None) -> str:
    return f"{STAFF}|{also_user or 0}|{dumps(frame)}"


def user_message(user_id: int, frame: dict) -> str:
    return f"{USER}|{user_id}|{dumps(frame)}"


def users_message(frames: dict[int, dict]) -> str:
    """A different private frame to each of many users, in one message."""
    return f"{USERS}|" + json.dumps({str(uid): dumps(f) for uid, f in frames.items()})


def audio_message(bundle: bytes) -> bytes:
    """The one binary message: an audio bundle, relayed unchanged."""
    return AUDIO_PREFIX + bundle


def audio_bundle(data: bytes) -> bytes | None:
    """The bundle of a binary pub/sub message, or None for a text one."""
    return data[len(AUDIO_PREFIX) :] if data.startswith(AUDIO_PREFIX) else None


def facts_message() -> str:
    return f"{FACTS}|"


def close_message(user_id: int, code: int, room_id: int | None = None) -> str:
    return f"{CLOSE}|{user_id or 0}|{code}|{room_id or 0}"


@dataclass(frozen=True, slots=True)
class Message:
    """One message as received: its kind and what it says.

    ``text`` is the frame for ``A``/``S``/``U``; ``texts`` the frame per
    user id (a string) for ``M``; ``user_id`` 0 means nobody in particular
    (``S``) or everyone (``C``); ``room_id`` 0 means every room (``C``).
    """

    kind: str
    text: str = ""
    user_id: int = 0
    code: int = 0
    room_id: int = 0
    texts: dict | None = None


def parse(data: str) -> Message:
    kind, _, rest = data.partition("|")
    if kind == ALL:
        return Message(kind, text=rest)
    if kind == USERS:
        return Message(kind, texts=json.loads(rest))
    if kind == FACTS:
        return Message(kind)
    if kind == CLOSE:
        user_id, code, room_id = (int(x) for x in rest.split("|"))
        return Message(kind, user_id=user_id, code=code, room_id=room_id)
    who, _, text = rest.partition("|")
    return Message(kind, text=text, user_id=int(who))
