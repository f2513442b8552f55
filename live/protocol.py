"""
The live-room wire contract (``docs/live-protocol.md``) as Python.

Message-type constants, close codes, ``ClientError`` and the validation of
every client frame live here, so the consumer only translates frames and
the JavaScript client and the server agree in one place. Everything here is
pure: no database, no sockets, no clock.
"""

import json
import math
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

# Close codes (section 1 of the contract).
CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404
CLOSE_NOT_OPEN = 4409
CLOSE_ENDED = 4410
CLOSE_TOO_BIG = 1009
CLOSE_SERVER_ERROR = 1011  # a server fault (Redis down): reconnect with backoff

MAX_FRAME_BYTES = 16 * 1024
MAX_TEXT = 500
MAX_POINTS = 500
MAX_CLIENT_ID = 64
MAX_WIDTH = 20
COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")

# Client -> server types.
PING = "ping"
CHAT_SEND = "chat.send"
HAND_RAISE = "hand.raise"
HAND_LOWER = "hand.lower"
SLIDE_GOTO = "slide.goto"
BOARD_STROKE = "board.stroke"
BOARD_CLEAR = "board.clear"
CHAT_MUTE = "chat.mute"
PARTICIPANT_REMOVE = "participant.remove"
SESSION_END = "session.end"
QUIZ_PREFIX = "quiz."

# Error codes (section 4).
BAD_JSON = "bad_json"
UNKNOWN_TYPE = "unknown_type"
BAD_REQUEST = "bad_request"
FORBIDDEN = "forbidden"
RATE_LIMITED = "rate_limited"
CHAT_MUTED = "chat_muted"
NO_QUIZ = "no_quiz"

ERROR_MESSAGES = {
    BAD_JSON: _("Khung tin không phải JSON hợp lệ."),
    UNKNOWN_TYPE: _("Loại tin không được hỗ trợ."),
    BAD_REQUEST: _("Thiếu trường hoặc trường không hợp lệ."),
    FORBIDDEN: _("Vai trò của bạn không được làm việc này."),
    RATE_LIMITED: _("Bạn gửi quá nhanh, hãy chờ một chút."),
    CHAT_MUTED: _("Giáo viên đang tắt trò chuyện."),
    NO_QUIZ: _("Chưa có câu đố nào."),
}

# Roles inside a room.
TEACHER = "teacher"
STUDENT = "student"
OBSERVER = "observer"
STAFF_ROLES = frozenset({TEACHER, OBSERVER})

# Who may send what. ``quiz.*`` is routed by prefix (see ``live.dispatch``).
ALLOWED_ROLES: dict[str, frozenset[str]] = {
    PING: frozenset({TEACHER, STUDENT, OBSERVER}),
    CHAT_SEND: frozenset({TEACHER, STUDENT, OBSERVER}),
    HAND_RAISE: frozenset({STUDENT}),
    HAND_LOWER: frozenset({STUDENT}),
    SLIDE_GOTO: frozenset({TEACHER}),
    BOARD_STROKE: frozenset({TEACHER}),
    BOARD_CLEAR: frozenset({TEACHER}),
    CHAT_MUTE: frozenset({TEACHER}),
    PARTICIPANT_REMOVE: frozenset({TEACHER}),
    SESSION_END: frozenset({TEACHER}),
}


class ClientError(Exception):
    """A client frame that gets an ``error`` reply; the socket stays open."""

    def __init__(self, code: str, ref: dict | None = None):
        super().__init__(code)
        self.code = code
        self.ref = ref or {}

    def frame(self) -> dict:
        return {
            "type": "error",
            "code": self.code,
            "message": str(ERROR_MESSAGES.get(self.code, self.code)),
            "ref": self.ref,
        }


@dataclass
class Request:
    """A parsed, validated client frame."""

    type: str
    data: dict[str, Any] = field(default_factory=dict)
    client_id: str | None = None

    @property
    def ref(self) -> dict:
        ref: dict[str, Any] = {"type": self.type}
        if self.client_id is not None:
            ref["client_id"] = self.client_id
        return ref


def frame_too_big(text: str | None, data: bytes | None) -> bool:
    """True when a frame exceeds the contract's 16 KiB."""
    if data is not None:
        return len(data) > MAX_FRAME_BYTES
    # A str of n characters encodes to at most 4n bytes: skip the encode for
    # small frames, the common case.
    if text is None or len(text) * 4 <= MAX_FRAME_BYTES:
        return False
    return len(text.encode("utf-8")) > MAX_FRAME_BYTES


def _reject_constant(value: str):
    raise ValueError(value)


def parse(text: str) -> Request:
    """Parse one text frame into a ``Request`` or raise ``ClientError``."""
    try:
        obj = json.loads(text, parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        raise ClientError(BAD_JSON)
    if not isinstance(obj, dict) or not isinstance(obj.get("type"), str):
        raise ClientError(BAD_REQUEST)
    kind = obj["type"][:64]
    client_id = obj.get("client_id")
    ref = {"type": kind}
    if client_id is not None:
        if not isinstance(client_id, str) or len(client_id) > MAX_CLIENT_ID:
            raise ClientError(BAD_REQUEST, ref)
        ref["client_id"] = client_id
    if kind not in ALLOWED_ROLES and not kind.startswith(QUIZ_PREFIX):
        raise ClientError(UNKNOWN_TYPE, ref)
    return Request(type=kind, data=obj, client_id=client_id)


def check_role(request: Request, role: str) -> None:
    """Raise ``forbidden`` when ``role`` may not send this type."""
    allowed = ALLOWED_ROLES.get(request.type)
    if allowed is not None and role not in allowed:
        raise ClientError(FORBIDDEN, request.ref)


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_num(value) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
    )


def clean_chat_text(request: Request) -> str:
    text = request.data.get("text")
    if not isinstance(text, str):
        raise ClientError(BAD_REQUEST, request.ref)
    text = text.strip()
    if not 1 <= len(text) <= MAX_TEXT:
        raise ClientError(BAD_REQUEST, request.ref)
    return text


def clean_index(request: Request) -> int:
    index = request.data.get("index")
    if not _is_int(index) or not 0 <= index <= 10_000:
        raise ClientError(BAD_REQUEST, request.ref)
    return index


def clean_bool(request: Request, name: str) -> bool:
    value = request.data.get(name)
    if not isinstance(value, bool):
        raise ClientError(BAD_REQUEST, request.ref)
    return value


def clean_user_id(request: Request) -> int:
    value = request.data.get("user_id")
    if not _is_int(value) or value <= 0:
        raise ClientError(BAD_REQUEST, request.ref)
    return value


def clean_stroke(request: Request) -> dict:
    """A stroke as stored and broadcast; anything out of contract is refused."""
    stroke = request.data.get("stroke")
    if not isinstance(stroke, dict):
        raise ClientError(BAD_REQUEST, request.ref)
    points, color, width = (stroke.get(k) for k in ("points", "color", "width"))
    if not isinstance(points, list) or not 1 <= len(points) <= MAX_POINTS:
        raise ClientError(BAD_REQUEST, request.ref)
    if not isinstance(color, str) or not COLOR_RE.match(color):
        raise ClientError(BAD_REQUEST, request.ref)
    if not _is_num(width) or not 1 <= width <= MAX_WIDTH:
        raise ClientError(BAD_REQUEST, request.ref)
    clean_points = []
    for point in points:
        if (
            not isinstance(point, list)
            or len(point) != 2
            or not all(_is_num(c) and 0 <= c <= 1 for c in point)
        ):
            raise ClientError(BAD_REQUEST, request.ref)
        clean_points.append([round(point[0], 4), round(point[1], 4)])
    return {"points": clean_points, "color": color.lower(), "width": width}
