"""The builders of every server frame: the one place each frame's keys are
written (in wire order)."""

from datetime import datetime
from typing import Any

from live.realtime.wire import iso

from .codes import (
    BOARD_CLEAR,
    BOARD_STROKE,
    CHAT_MESSAGE,
    CHAT_MUTED,
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
    SESSION_ENDED,
    SLIDE_CHANGED,
    AckReason,
)
from .frames import (
    BoardClearFrame,
    BoardStrokeFrame,
    ChatMessageFrame,
    ChatMutedFrame,
    HandChangedFrame,
    LeaderboardEntry,
    Person,
    PongFrame,
    PresenceFrame,
    PresenceRosterFrame,
    QuizAckFrame,
    QuizChoice,
    QuizEndedFrame,
    QuizProgressFrame,
    QuizQuestionBody,
    QuizQuestionFrame,
    QuizResultFrame,
    QuizStartedFrame,
    QuizYouFrame,
    SessionEndedFrame,
    SlideChangedFrame,
    Stroke,
)


# -- server frame builders -------------------------------------------------------------
def pong(t: Any) -> PongFrame:
    return {"type": PONG, "t": t}


def chat_message(
    *,
    message_id: int,
    author: Person,
    text: str,
    sent_at: datetime,
    client_id: str | None,
) -> ChatMessageFrame:
    return {
        "type": CHAT_MESSAGE,
        "id": message_id,
        "author": author,
        "text": text,
        "sent_at": iso(sent_at),
        "client_id": client_id,
    }


def hand_changed(*, user_id: int, name: str, raised: bool) -> HandChangedFrame:
    return {"type": HAND_CHANGED, "user_id": user_id, "name": name, "raised": raised}


def slide_changed(index: int) -> SlideChangedFrame:
    return {"type": SLIDE_CHANGED, "index": index}


def board_stroke(stroke: Stroke) -> BoardStrokeFrame:
    return {"type": BOARD_STROKE, "stroke": stroke}


def board_clear() -> BoardClearFrame:
    return {"type": BOARD_CLEAR}


def chat_muted(muted: bool) -> ChatMutedFrame:
    return {"type": CHAT_MUTED, "muted": muted}


def presence(count: int) -> PresenceFrame:
    return {"type": PRESENCE, "count": count}


def presence_roster(*, joined: list[Person], left: list[int]) -> PresenceRosterFrame:
    return {"type": PRESENCE_ROSTER, "joined": joined, "left": left}


def session_ended() -> SessionEndedFrame:
    return {"type": SESSION_ENDED}


def quiz_started(
    *, run_id: int, quiz_id: int, title: str, question_count: int
) -> QuizStartedFrame:
    return {
        "type": QUIZ_STARTED,
        "run_id": run_id,
        "quiz_id": quiz_id,
        "title": title,
        "question_count": question_count,
    }


def quiz_question_body(
    *,
    run_id: int,
    question_id: int,
    index: int,
    count: int,
    text: str,
    choices: list[QuizChoice],
    opens_at: datetime,
    closes_at: datetime,
    time_limit_ms: int,
) -> QuizQuestionBody:
    """A question as students see it. Only ids and texts of the choices are
    copied, so no correctness flag can leak whatever the caller passes
    (QZ-01)."""
    return {
        "run_id": run_id,
        "question_id": question_id,
        "index": index,
        "count": count,
        "text": text,
        "choices": [{"id": c["id"], "text": c["text"]} for c in choices],
        "opens_at": iso(opens_at),
        "closes_at": iso(closes_at),
        "time_limit_ms": time_limit_ms,
    }


def quiz_question(body: QuizQuestionBody) -> QuizQuestionFrame:
    return {"type": QUIZ_QUESTION, **body}  # type: ignore[typeddict-item]


def quiz_ack(
    question_id: int,
    client_id: str,
    *,
    accepted: bool,
    reason: AckReason | None = None,
    duplicate: bool = False,
) -> QuizAckFrame:
    return {
        "type": QUIZ_ACK,
        "question_id": question_id,
        "client_id": client_id,
        "accepted": accepted,
        "reason": reason,
        "duplicate": duplicate,
    }


def quiz_progress(*, question_id: int, answered: int, total: int) -> QuizProgressFrame:
    return {
        "type": QUIZ_PROGRESS,
        "question_id": question_id,
        "answered": answered,
        "total": total,
    }


def quiz_result(
    *,
    question_id: int,
    correct_choice_ids: list[int],
    counts: dict[str, int],
    leaderboard: list[LeaderboardEntry],
) -> QuizResultFrame:
    return {
        "type": QUIZ_RESULT,
        "question_id": question_id,
        "correct_choice_ids": correct_choice_ids,
        "counts": counts,
        "leaderboard": leaderboard,
    }


def quiz_you(
    *, question_id: int, correct: bool, points: int, score: int, rank: int
) -> QuizYouFrame:
    return {
        "type": QUIZ_YOU,
        "question_id": question_id,
        "correct": correct,
        "points": points,
        "score": score,
        "rank": rank,
    }


def quiz_ended(*, run_id: int, leaderboard: list[LeaderboardEntry]) -> QuizEndedFrame:
    return {"type": QUIZ_ENDED, "run_id": run_id, "leaderboard": leaderboard}
