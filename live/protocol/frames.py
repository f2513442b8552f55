"""A ``TypedDict`` per server frame (sections 2 and 4 of the contract), and
``SERVER_FRAMES``, the type of each frame by its ``type``."""

from typing import Any, Literal, NotRequired, TypedDict

from .audio import AudioMeterFrame, AudioStartedFrame, AudioState, AudioStoppedFrame
from .codes import (
    AUDIO_METER,
    AUDIO_STARTED,
    AUDIO_STOPPED,
    BOARD_CLEAR,
    BOARD_STROKE,
    CHAT_MESSAGE,
    CHAT_MUTED,
    ERROR,
    HAND_CHANGED,
    PONG,
    PRESENCE,
    PRESENCE_ROSTER,
    QUIZ_ACK,
    QUIZ_ENDED,
    QUIZ_PROGRESS,
    QUIZ_QUESTION,
    QUIZ_RESULT,
    QUIZ_STARTED,
    QUIZ_YOU,
    ROOM_STATE,
    SESSION_ENDED,
    SLIDE_CHANGED,
    Role,
)


class Stroke(TypedDict):
    points: list[list[float]]
    color: str
    width: float


# -- server frames ----------------------------------------------------------------
# ``seq`` is on every room-wide broadcast received live; the same frames
# kept inside ``room.state`` (recent chat) were stored before numbering.
class Person(TypedDict):
    user_id: int
    name: str
    role: Role


class ChatMessageFrame(TypedDict):
    type: Literal["chat.message"]
    id: int
    author: Person
    text: str
    sent_at: str
    client_id: str | None
    seq: NotRequired[int]


class RoomSession(TypedDict):
    id: int
    title: str
    status: Literal["scheduled", "live", "ended"]
    classroom: str


class You(Person):
    hand_raised: bool


class Participants(TypedDict):
    count: int


class ChatState(TypedDict):
    muted: bool
    recent: list[ChatMessageFrame]


class SlideState(TypedDict):
    index: int
    count: int | None


class BoardState(TypedDict):
    strokes: list[Stroke]


class RosterEntry(Person):
    hand_raised: bool
    online: bool


class QuizChoice(TypedDict):
    id: int
    text: str


class QuizQuestionBody(TypedDict):
    run_id: int
    question_id: int
    index: int
    count: int
    text: str
    choices: list[QuizChoice]
    opens_at: str
    closes_at: str
    time_limit_ms: int


class YourAnswer(TypedDict):
    choice_id: int
    accepted: bool


class QuizState(QuizQuestionBody):
    your_answer: YourAnswer | None


class RoomStateFrame(TypedDict):
    type: Literal["room.state"]
    session: RoomSession
    you: You
    participants: Participants
    chat: ChatState
    slide: SlideState
    board: BoardState
    quiz: QuizState | None
    audio: AudioState | None
    seq: int
    server_time: str
    roster: NotRequired[list[RosterEntry]]


class PongFrame(TypedDict):
    type: Literal["pong"]
    t: Any


class HandChangedFrame(TypedDict):
    type: Literal["hand.changed"]
    user_id: int
    name: str
    raised: bool


class SlideChangedFrame(TypedDict):
    type: Literal["slide.changed"]
    index: int
    seq: NotRequired[int]


class BoardStrokeFrame(TypedDict):
    type: Literal["board.stroke"]
    stroke: Stroke
    seq: NotRequired[int]


class BoardClearFrame(TypedDict):
    type: Literal["board.clear"]
    seq: NotRequired[int]


class ChatMutedFrame(TypedDict):
    type: Literal["chat.muted"]
    muted: bool
    seq: NotRequired[int]


class PresenceFrame(TypedDict):
    type: Literal["presence"]
    count: int


class PresenceRosterFrame(TypedDict):
    type: Literal["presence.roster"]
    joined: list[Person]
    left: list[int]


class QuizStartedFrame(TypedDict):
    type: Literal["quiz.started"]
    run_id: int
    quiz_id: int
    title: str
    question_count: int
    seq: NotRequired[int]


class QuizQuestionFrame(QuizQuestionBody):
    type: Literal["quiz.question"]
    seq: NotRequired[int]


class QuizAckFrame(TypedDict):
    type: Literal["quiz.ack"]
    question_id: int
    client_id: str
    accepted: bool
    reason: Literal["closed", "already_answered", "not_open", "bad_choice"] | None
    duplicate: bool


class QuizProgressFrame(TypedDict):
    type: Literal["quiz.progress"]
    question_id: int
    answered: int
    total: int


class LeaderboardEntry(TypedDict):
    name: str
    score: int


class QuizResultFrame(TypedDict):
    type: Literal["quiz.result"]
    question_id: int
    correct_choice_ids: list[int]
    counts: dict[str, int]
    leaderboard: list[LeaderboardEntry]
    seq: NotRequired[int]


class QuizYouFrame(TypedDict):
    type: Literal["quiz.you"]
    question_id: int
    correct: bool
    points: int
    score: int
    rank: int


class QuizEndedFrame(TypedDict):
    type: Literal["quiz.ended"]
    run_id: int
    leaderboard: list[LeaderboardEntry]
    seq: NotRequired[int]


class SessionEndedFrame(TypedDict):
    type: Literal["session.ended"]
    seq: NotRequired[int]


class ErrorRef(TypedDict, total=False):
    type: str
    client_id: str


class ErrorFrame(TypedDict):
    type: Literal["error"]
    code: str
    message: str
    ref: ErrorRef


SERVER_FRAMES: dict[str, type] = {
    ROOM_STATE: RoomStateFrame,
    PONG: PongFrame,
    CHAT_MESSAGE: ChatMessageFrame,
    HAND_CHANGED: HandChangedFrame,
    SLIDE_CHANGED: SlideChangedFrame,
    BOARD_STROKE: BoardStrokeFrame,
    BOARD_CLEAR: BoardClearFrame,
    CHAT_MUTED: ChatMutedFrame,
    PRESENCE: PresenceFrame,
    PRESENCE_ROSTER: PresenceRosterFrame,
    QUIZ_STARTED: QuizStartedFrame,
    QUIZ_QUESTION: QuizQuestionFrame,
    QUIZ_ACK: QuizAckFrame,
    QUIZ_PROGRESS: QuizProgressFrame,
    QUIZ_RESULT: QuizResultFrame,
    QUIZ_YOU: QuizYouFrame,
    QUIZ_ENDED: QuizEndedFrame,
    SESSION_ENDED: SessionEndedFrame,
    AUDIO_STARTED: AudioStartedFrame,
    AUDIO_STOPPED: AudioStoppedFrame,
    AUDIO_METER: AudioMeterFrame,
    ERROR: ErrorFrame,
}
