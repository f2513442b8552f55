"""Every row of the contract's error table: an error frame, nothing changed."""

import json
import time

import pytest
import pytest_asyncio
from channels.db import database_sync_to_async

from live.models import ChatMessage
from live.realtime import store as live_store
from tests.live.conftest import Room, close_code, joined, next_of

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


async def state_of(room):
    comm, state = await joined(room.teacher, room.session)
    await comm.disconnect()
    return state


@pytest_asyncio.fixture
async def room():
    return await database_sync_to_async(Room)()


async def expect_error(comm, frame, code):
    text = frame if isinstance(frame, str) else json.dumps(frame)
    await comm.send_to(text_data=text)
    error = await next_of(comm, "error")
    assert error["code"] == code
    assert error["message"]
    return error


async def test_malformed_json_gets_bad_json(room):
    comm, _ = await joined(room.students[0], room.session)
    await expect_error(comm, "{not json", "bad_json")
    await expect_error(comm, '{"type": "ping", "t": NaN}', "bad_json")
    # A binary frame is an audio bundle, which only the teacher may send
    # (section 6): a student's is refused, never relayed.
    await comm.send_to(bytes_data=b"\x00\x01")
    assert (await next_of(comm, "error"))["code"] == "forbidden"
    # the socket stays open
    await comm.send_to(text_data=json.dumps({"type": "ping", "t": 1}))
    assert await next_of(comm, "pong")
    await comm.disconnect()


async def test_unknown_type_gets_unknown_type_with_ref(room):
    comm, _ = await joined(room.students[0], room.session)
    error = await expect_error(
        comm, {"type": "dance", "client_id": "x1"}, "unknown_type"
    )
    assert error["ref"] == {"type": "dance", "client_id": "x1"}
    await expect_error(comm, [1, 2], "bad_request")
    await expect_error(comm, {"no": "type"}, "bad_request")
    await comm.disconnect()


async def test_missing_or_invalid_fields_get_bad_request(room):
    comm, _ = await joined(room.teacher, room.session)
    for frame in (
        {"type": "chat.send"},
        {"type": "chat.send", "text": 5},
        {"type": "chat.send", "text": "   "},
        {"type": "chat.send", "text": "hi", "client_id": "x" * 65},
        {"type": "slide.goto"},
        {"type": "slide.goto", "index": -1},
        {"type": "slide.goto", "index": "3"},
        {"type": "slide.goto", "index": True},
        {"type": "chat.mute", "muted": "yes"},
        {"type": "participant.remove"},
        {"type": "participant.remove", "user_id": room.teacher.pk},
        {"type": "board.stroke"},
        {
            "type": "board.stroke",
            "stroke": {"points": [], "color": "#000000", "width": 2},
        },
        {
            "type": "board.stroke",
            "stroke": {"points": [[0, 0]], "color": "red", "width": 2},
        },
        {
            "type": "board.stroke",
            "stroke": {"points": [[0, 0]], "color": "#000000", "width": 21},
        },
        {
            "type": "board.stroke",
            "stroke": {"points": [[0, 0, 0]], "color": "#000000", "width": 2},
        },
    ):
        await expect_error(comm, frame, "bad_request")
    await comm.disconnect()
    state = await state_of(room)
    assert state["slide"]["index"] == 0
    assert state["board"]["strokes"] == []
    assert state["chat"]["muted"] is False


async def test_500_point_stroke_outside_0_to_1_is_refused_and_not_kept(room):
    comm, _ = await joined(room.teacher, room.session)
    points = [[i / 500, 0.5] for i in range(499)] + [[1.5, -0.2]]
    stroke = {"points": points, "color": "#112233", "width": 4}
    await expect_error(comm, {"type": "board.stroke", "stroke": stroke}, "bad_request")
    too_many = {"points": [[0.1, 0.1]] * 501, "color": "#112233", "width": 4}
    await expect_error(
        comm, {"type": "board.stroke", "stroke": too_many}, "bad_request"
    )
    await comm.disconnect()
    assert (await state_of(room))["board"]["strokes"] == []


async def test_501_character_chat_is_refused_and_not_stored(room):
    comm, _ = await joined(room.students[0], room.session)
    await expect_error(comm, {"type": "chat.send", "text": "a" * 501}, "bad_request")
    await comm.send_to(text_data=json.dumps({"type": "chat.send", "text": "a" * 500}))
    assert len((await next_of(comm, "chat.message"))["text"]) == 500
    await comm.disconnect()
    count = await database_sync_to_async(ChatMessage.objects.count)()
    assert count == 1


@pytest.mark.parametrize(
    "frame",
    [
        {"type": "slide.goto", "index": 2},
        {
            "type": "board.stroke",
            "stroke": {"points": [[0, 0]], "color": "#000000", "width": 2},
        },
        {"type": "board.clear"},
        {"type": "chat.mute", "muted": True},
        {"type": "session.end"},
    ],
)
async def test_student_sending_teacher_only_message_is_forbidden_and_changes_nothing(
    room, frame
):
    comm, _ = await joined(room.students[0], room.session)
    await expect_error(comm, frame, "forbidden")
    await comm.send_to(text_data=json.dumps({"type": "ping", "t": 1}))
    assert await next_of(comm, "pong")
    await comm.disconnect()
    state = await state_of(room)
    assert state["slide"]["index"] == 0
    assert state["board"]["strokes"] == []
    assert state["chat"]["muted"] is False
    assert state["session"]["status"] == "live"


async def test_student_cannot_remove_another_student(room):
    comm, _ = await joined(room.students[0], room.session)
    other, _ = await joined(room.students[1], room.session)
    await expect_error(
        comm,
        {"type": "participant.remove", "user_id": room.students[1].pk},
        "forbidden",
    )
    await other.send_to(text_data=json.dumps({"type": "ping", "t": 1}))
    assert await next_of(other, "pong")
    for c in (comm, other):
        await c.disconnect()


async def test_teacher_cannot_raise_a_hand(room):
    comm, _ = await joined(room.teacher, room.session)
    await expect_error(comm, {"type": "hand.raise"}, "forbidden")
    await comm.disconnect()


async def test_quiz_messages_without_a_quiz_get_no_quiz_or_their_own_answer(room):
    from live.rooms.handlers import HANDLERS

    comm, _ = await joined(room.students[0], room.session)
    await comm.send_to(text_data=json.dumps({"type": "quiz.unknown"}))
    error = await next_of(comm, "error")
    assert error["code"] == "no_quiz"
    assert "quiz.unknown" not in HANDLERS
    await comm.disconnect()


async def test_17_kib_frame_closes_1009(room):
    comm, _ = await joined(room.students[0], room.session)
    big = json.dumps({"type": "chat.send", "text": "a" * (17 * 1024)})
    await comm.send_to(text_data=big)
    assert await close_code(comm) == 1009


async def test_16_kib_of_multibyte_text_is_measured_in_bytes(room):
    comm, _ = await joined(room.students[0], room.session)
    # 6,000 Vietnamese characters are 18 KB of UTF-8, above the limit.
    big = json.dumps({"type": "chat.send", "text": "ữ" * 6000}, ensure_ascii=False)
    await comm.send_to(text_data=big)
    assert await close_code(comm) == 1009


async def test_chat_rate_limit_5_per_10_seconds(room):
    comm, _ = await joined(room.students[0], room.session)
    for i in range(5):
        await comm.send_to(text_data=json.dumps({"type": "chat.send", "text": f"m{i}"}))
        await next_of(comm, "chat.message")
    await expect_error(comm, {"type": "chat.send", "text": "m6"}, "rate_limited")
    await comm.send_to(text_data=json.dumps({"type": "ping", "t": 1}))
    assert await next_of(comm, "pong")  # still connected
    await comm.disconnect()
    assert await database_sync_to_async(ChatMessage.objects.count)() == 5


class FrozenClock:
    """One instant for the rate limiter: a slow machine can't spread a burst over two windows."""

    def __init__(self):
        self.wall, self.mono = time.time(), time.monotonic()

    def time(self):
        return self.wall

    def monotonic(self):
        return self.mono


async def test_frame_rate_limit_20_per_second_never_disconnects(room, monkeypatch):
    monkeypatch.setattr(live_store, "time", FrozenClock())
    comm, _ = await joined(room.students[0], room.session)
    for i in range(30):
        await comm.send_to(text_data=json.dumps({"type": "ping", "t": i}))
    kinds = []
    while len(kinds) < 30:
        out = await comm.receive_output(5)
        assert out["type"] == "websocket.send"
        kind = json.loads(out["text"])["type"]
        if kind in ("pong", "error"):
            kinds.append(kind)
    assert kinds.count("error") == 10
    assert kinds.count("pong") == 20
    await comm.disconnect()


async def test_2_mib_message_closes_1009(room):
    comm, _ = await joined(room.students[0], room.session)
    await comm.send_to(text_data="x" * (2 * 1024 * 1024))
    assert await close_code(comm) == 1009
