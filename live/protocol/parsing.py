"""Client frames: a ``TypedDict`` per request type (section 3), their
parsing and validation, and the one ``ClientError``."""

import json
import math
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Literal, NotRequired, TypedDict

from .codes import (
    ALLOWED_ROLES,
    COLOR_RE,
    ERROR,
    ERROR_MESSAGES,
    MAX_CLIENT_ID,
    MAX_FRAME_BYTES,
    MAX_POINTS,
    MAX_TEXT,
    MAX_WIDTH,
    QUIZ_PREFIX,
    ErrorCode,
)
from .frames import ErrorFrame, Stroke


class PingRequest(TypedDict):
    type: Literal["ping"]
    t: NotRequired[Any]


class ChatSendRequest(TypedDict):
    type: Literal["chat.send"]
    text: str
    client_id: NotRequired[str]


class HandRequest(TypedDict):
    type: Literal["hand.raise", "hand.lower"]


class SlideGotoRequest(TypedDict):
    type: Literal["slide.goto"]
    index: int


class BoardStrokeRequest(TypedDict):
    type: Literal["board.stroke"]
    stroke: Stroke


class BareRequest(TypedDict):
    """``board.clear``, ``session.end``, ``quiz.next``/``reveal``/``end``."""

    type: Literal["board.clear", "session.end", "quiz.next", "quiz.reveal", "quiz.end"]


class ChatMuteRequest(TypedDict):
    type: Literal["chat.mute"]
    muted: bool


class ParticipantRemoveRequest(TypedDict):
    type: Literal["participant.remove"]
    user_id: int


class QuizStartRequest(TypedDict):
    type: Literal["quiz.start"]
    quiz_id: int


class QuizAnswerRequest(TypedDict):
    type: Literal["quiz.answer"]
    question_id: int
    choice_id: int
    client_id: str


# -- errors -------------------------------------------------------------------------
class ClientError(Exception):
    """A client frame that gets an ``error`` reply; the socket stays open.

    Raised by the parsing below, by handlers and by the services they call;
    the consumer turns it into the ``error`` frame.
    """

    def __init__(self, code: ErrorCode, ref: dict | None = None):
        super().__init__(code)
        self.code = code
        self.ref = ref or {}

    def with_ref(self, ref: dict) -> "ClientError":
        """The same error about the request ``ref`` names."""
        return ClientError(self.code, ref)

    def frame(self) -> ErrorFrame:
        return {
            "type": ERROR,
            "code": self.code,
            "message": str(ERROR_MESSAGES.get(self.code, self.code)),
            "ref": self.ref,
        }


# -- parsing and validating client frames ---------------------------------------------
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
        raise ClientError(ErrorCode.BAD_JSON)
    if not isinstance(obj, dict) or not isinstance(obj.get("type"), str):
        raise ClientError(ErrorCode.BAD_REQUEST)
    kind = obj["type"][:64]
    client_id = obj.get("client_id")
    ref = {"type": kind}
    if client_id is not None:
        if not isinstance(client_id, str) or len(client_id) > MAX_CLIENT_ID:
            raise ClientError(ErrorCode.BAD_REQUEST, ref)
        ref["client_id"] = client_id
    if kind not in ALLOWED_ROLES and not kind.startswith(QUIZ_PREFIX):
        raise ClientError(ErrorCode.UNKNOWN_TYPE, ref)
    return Request(type=kind, data=obj, client_id=client_id)


def check_role(request: Request, role: str) -> None:
    """Raise ``forbidden`` when ``role`` may not send this type."""
    allowed = ALLOWED_ROLES.get(request.type)
    if allowed is not None and role not in allowed:
        raise ClientError(ErrorCode.FORBIDDEN, request.ref)


def is_int(value) -> bool:
    """An integer that is not a bool (JSON ``true`` is not an id)."""
    return isinstance(value, int) and not isinstance(value, bool)


def _is_num(value) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
    )


def bad_request(request: Request) -> ClientError:
    return ClientError(ErrorCode.BAD_REQUEST, request.ref)


# Vietnamese needs no combining mark once composed (NFC); two after a letter
# cover every other script. Longer runs are "zalgo" text drawn over the lines
# above and below it in everyone's chat (WS-07).
MAX_COMBINING_RUN = 2


def _tame(text: str) -> str:
    out, run = [], 0
    for char in unicodedata.normalize("NFC", text):
        run = run + 1 if unicodedata.combining(char) else 0
        if run <= MAX_COMBINING_RUN:
            out.append(char)
    return "".join(out)


def clean_chat_text(request: Request) -> str:
    text = request.data.get("text")
    if not isinstance(text, str):
        raise bad_request(request)
    text = text.strip()
    if not 1 <= len(text) <= MAX_TEXT:
        raise bad_request(request)
    return _tame(text)


def clean_index(request: Request) -> int:
    index = request.data.get("index")
    if not is_int(index) or not 0 <= index <= 10_000:
        raise bad_request(request)
    return index


def clean_bool(request: Request, name: str) -> bool:
    value = request.data.get(name)
    if not isinstance(value, bool):
        raise bad_request(request)
    return value


MAX_ID = 2**63 - 1  # the databases' bigint: a larger id can name no row


def clean_id(request: Request, name: str) -> int:
    """A positive integer id field (``user_id``, ``quiz_id``, ``choice_id``…)."""
    value = request.data.get(name)
    if not is_int(value) or not 0 < value <= MAX_ID:
        raise bad_request(request)
    return value


def clean_stroke(request: Request) -> Stroke:
    """A stroke as stored and broadcast; anything out of contract is refused."""
    stroke = request.data.get("stroke")
    if not isinstance(stroke, dict):
        raise bad_request(request)
    points, color, width = (stroke.get(k) for k in ("points", "color", "width"))
    if not isinstance(points, list) or not 1 <= len(points) <= MAX_POINTS:
        raise bad_request(request)
    if not isinstance(color, str) or not COLOR_RE.match(color):
        raise bad_request(request)
    if not _is_num(width) or not 1 <= width <= MAX_WIDTH:
        raise bad_request(request)
    clean_points = []
    for point in points:
        if (
            not isinstance(point, list)
            or len(point) != 2
            or not all(_is_num(c) and 0 <= c <= 1 for c in point)
        ):
            raise bad_request(request)
        clean_points.append([round(point[0], 4), round(point[1], 4)])
    return {"points": clean_points, "color": color.lower(), "width": width}
