"""The contract's names and numbers: close codes, limits, roles, every
message type in both directions, the error codes with their messages and
the ``quiz.ack`` reasons."""

import re
from enum import StrEnum
from typing import Literal

from django.utils.translation import gettext_lazy as _

# -- close codes (section 1) -------------------------------------------------
CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404
CLOSE_NOT_OPEN = 4409
CLOSE_ENDED = 4410
CLOSE_TOO_BIG = 1009
CLOSE_SERVER_ERROR = 1011  # a server fault (Redis down): reconnect with backoff
# "Service restart": the process lost its pub/sub subscription or learnt it
# was declared dead; the client reconnects and room.state resyncs it.
CLOSE_RESTART = 1012
CLOSE_SLOW = 1013  # "try again later": too many frames waited for the client

# -- limits (sections 3 and 5) -----------------------------------------------
MAX_FRAME_BYTES = 16 * 1024
MAX_TEXT = 500
MAX_POINTS = 500
MAX_CLIENT_ID = 64
MAX_WIDTH = 20
COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")

# -- roles inside a room -----------------------------------------------------
TEACHER = "teacher"
STUDENT = "student"
OBSERVER = "observer"
STAFF_ROLES = frozenset({TEACHER, OBSERVER})
Role = Literal["teacher", "student", "observer"]

# -- client -> server types (section 3) --------------------------------------
PING = "ping"
CHAT_SEND = "chat.send"
HAND_RAISE = "hand.raise"
HAND_LOWER = "hand.lower"
SLIDE_GOTO = "slide.goto"
BOARD_STROKE = "board.stroke"  # also the broadcast that answers it
BOARD_CLEAR = "board.clear"  # also the broadcast that answers it
CHAT_MUTE = "chat.mute"
PARTICIPANT_REMOVE = "participant.remove"
SESSION_END = "session.end"
QUIZ_START = "quiz.start"
QUIZ_NEXT = "quiz.next"
QUIZ_ANSWER = "quiz.answer"
QUIZ_REVEAL = "quiz.reveal"
QUIZ_END = "quiz.end"
AUDIO_START = "audio.start"  # section 6
AUDIO_STOP = "audio.stop"
AUDIO_LISTEN = "audio.listen"
QUIZ_PREFIX = "quiz."

# -- server -> client types (sections 2 and 4) -------------------------------
ROOM_STATE = "room.state"
PONG = "pong"
CHAT_MESSAGE = "chat.message"
HAND_CHANGED = "hand.changed"
SLIDE_CHANGED = "slide.changed"
CHAT_MUTED = "chat.muted"
PRESENCE = "presence"
PRESENCE_ROSTER = "presence.roster"
QUIZ_STARTED = "quiz.started"
QUIZ_QUESTION = "quiz.question"
QUIZ_ACK = "quiz.ack"
QUIZ_PROGRESS = "quiz.progress"
QUIZ_RESULT = "quiz.result"
QUIZ_YOU = "quiz.you"
QUIZ_ENDED = "quiz.ended"
SESSION_ENDED = "session.ended"
AUDIO_STARTED = "audio.started"
AUDIO_STOPPED = "audio.stopped"
# Staff only, an extension of section 6: what the audio costs a listener,
# from the server's byte counter.
AUDIO_METER = "audio.meter"
ERROR = "error"


class ErrorCode(StrEnum):
    """``error.code``: the contract's codes, then the live quiz game's."""

    BAD_JSON = "bad_json"
    UNKNOWN_TYPE = "unknown_type"
    BAD_REQUEST = "bad_request"
    FORBIDDEN = "forbidden"
    RATE_LIMITED = "rate_limited"
    CHAT_MUTED = "chat_muted"
    NO_QUIZ = "no_quiz"
    QUIZ_NOT_FOUND = "quiz_not_found"
    QUIZ_RUNNING = "quiz_running"
    NO_MORE_QUESTIONS = "no_more_questions"
    SESSION_NOT_LIVE = "session_not_live"
    # The database is away (RL-07): nothing was done or stored; send again.
    UNAVAILABLE = "unavailable"


ERROR_MESSAGES = {
    ErrorCode.BAD_JSON: _("Khung tin không phải JSON hợp lệ."),
    ErrorCode.UNKNOWN_TYPE: _("Loại tin không được hỗ trợ."),
    ErrorCode.BAD_REQUEST: _("Thiếu trường hoặc trường không hợp lệ."),
    ErrorCode.FORBIDDEN: _("Vai trò của bạn không được làm việc này."),
    ErrorCode.RATE_LIMITED: _("Bạn gửi quá nhanh, hãy chờ một chút."),
    ErrorCode.CHAT_MUTED: _("Giáo viên đang tắt trò chuyện."),
    ErrorCode.NO_QUIZ: _("Chưa có câu đố nào."),
    ErrorCode.QUIZ_NOT_FOUND: _("Không tìm thấy bộ câu hỏi có thể chơi trong lớp này."),
    ErrorCode.QUIZ_RUNNING: _(
        "Một lượt trắc nghiệm đang diễn ra; hãy kết thúc nó trước."
    ),
    ErrorCode.NO_MORE_QUESTIONS: _("Đã hết câu hỏi; hãy kết thúc lượt chơi."),
    ErrorCode.SESSION_NOT_LIVE: _("Buổi học không còn diễn ra."),
    ErrorCode.UNAVAILABLE: _(
        "Lophoc đang bận, chưa làm được việc này. Hãy gửi lại sau ít giây."
    ),
}


class AckReason(StrEnum):
    """Why a ``quiz.ack`` refused an answer (section 4)."""

    CLOSED = "closed"
    ALREADY_ANSWERED = "already_answered"
    NOT_OPEN = "not_open"
    BAD_CHOICE = "bad_choice"


# Who may send what (section 3's "who" column): the one table every frame is
# checked against before its handler runs (``parsing.check_role``). A refused
# attempt is logged (QZ-07). tests/security/test_protocol_matrix.py holds the
# spec's column apart from this table and drives every cell through the
# consumer; docs/authorisation-matrix.md shows it.
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
    QUIZ_START: frozenset({TEACHER}),
    QUIZ_NEXT: frozenset({TEACHER}),
    QUIZ_ANSWER: frozenset({STUDENT}),
    QUIZ_REVEAL: frozenset({TEACHER}),
    QUIZ_END: frozenset({TEACHER}),
    AUDIO_START: frozenset({TEACHER}),
    AUDIO_STOP: frozenset({TEACHER}),
    AUDIO_LISTEN: frozenset({TEACHER, STUDENT, OBSERVER}),
}
