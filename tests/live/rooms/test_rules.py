"""Pure room rules, checked synchronously with an injected clock."""

import unicodedata
from datetime import UTC, datetime, timedelta

import pytest

from live import protocol as p
from live.rooms import rules


def request(frame: dict) -> p.Request:
    import json

    return p.parse(json.dumps(frame))


def test_sessions_go_scheduled_live_ended_only():
    assert rules.next_status("scheduled", "open") == "live"
    assert rules.next_status("live", "end") == "ended"
    assert rules.next_status("scheduled", "end") == "ended"
    for status, action in [("live", "open"), ("ended", "open"), ("ended", "end")]:
        with pytest.raises(rules.TransitionError):
            rules.next_status(status, action)


def test_sliding_window_allows_limit_then_refuses_until_it_slides():
    window = rules.SlidingWindow(5, 10.0)
    assert all(window.allow(t) for t in (0, 1, 2, 3, 4))
    assert not window.allow(9.9)
    assert window.allow(10.0)  # the hit at 0 has left the window


def test_rate_limiter_keeps_users_apart():
    limiter = rules.RateLimiter()
    assert all(limiter.allow("frame", 1, 0.0) for _ in range(20))
    assert not limiter.allow("frame", 1, 0.5)
    assert limiter.allow("frame", 2, 0.5)
    assert limiter.allow("frame", 1, 1.01)


def test_presence_is_sent_only_on_change_and_at_most_once_a_second():
    throttle = rules.PresenceThrottle()
    assert throttle.count_update(3, 0.0) == {"type": "presence", "count": 3}
    assert throttle.count_update(4, 0.5) is None  # too soon
    assert throttle.count_update(4, 1.0) == {"type": "presence", "count": 4}
    assert throttle.count_update(4, 5.0) is None  # unchanged


def test_a_big_room_gets_its_count_less_often_so_sends_stay_bounded():
    throttle = rules.PresenceThrottle()
    assert throttle.count_update(10, 0.0, audience=3000)
    assert throttle.count_update(11, 1.0, audience=3000) is None
    assert throttle.count_update(11, 5.9, audience=3000) is None
    assert throttle.count_update(11, 6.0, audience=3000) == {
        "type": "presence",
        "count": 11,
    }


def test_roster_diff_reports_joined_and_left():
    throttle = rules.PresenceThrottle()
    a = {"name": "An", "role": "student"}
    frame = throttle.roster_update({1: a, 2: a})
    assert [j["user_id"] for j in frame["joined"]] == [1, 2] and frame["left"] == []
    assert throttle.roster_update({1: a, 2: a}) is None
    frame = throttle.roster_update({2: a, 3: a})
    assert [j["user_id"] for j in frame["joined"]] == [3]
    assert frame["left"] == [1]


def test_attendance_status_present_late_absent():
    start = datetime(2026, 11, 22, 8, tzinfo=UTC)
    assert rules.attendance_status(None, start) == "absent"
    assert rules.attendance_status(start + timedelta(minutes=9), start) == "present"
    assert rules.attendance_status(start + timedelta(minutes=11), start) == "late"


def test_parse_refuses_non_objects_and_unknown_types():
    for text, code in [
        ("nope", p.ErrorCode.BAD_JSON),
        ("[1]", p.ErrorCode.BAD_REQUEST),
        ('{"type": 3}', p.ErrorCode.BAD_REQUEST),
        ('{"type": "x"}', p.ErrorCode.UNKNOWN_TYPE),
        ('{"type": "ping", "t": Infinity}', p.ErrorCode.BAD_JSON),
        ("[" * 100_000, p.ErrorCode.BAD_JSON),
    ]:
        with pytest.raises(p.ClientError) as error:
            p.parse(text)
        assert error.value.code == code


def test_quiz_types_parse_so_the_quiz_can_route_them():
    assert request({"type": "quiz.answer"}).type == "quiz.answer"


def test_roles_per_message_type():
    p.check_role(request({"type": "slide.goto"}), p.TEACHER)
    with pytest.raises(p.ClientError):
        p.check_role(request({"type": "slide.goto"}), p.STUDENT)
    with pytest.raises(p.ClientError):
        p.check_role(request({"type": "slide.goto"}), p.OBSERVER)
    with pytest.raises(p.ClientError):
        p.check_role(request({"type": "hand.raise"}), p.TEACHER)
    p.check_role(request({"type": "chat.send"}), p.OBSERVER)


def test_chat_text_is_trimmed_and_bounded():
    assert p.clean_chat_text(request({"type": "chat.send", "text": " hi "})) == "hi"
    assert (
        len(p.clean_chat_text(request({"type": "chat.send", "text": "é" * 500}))) == 500
    )
    with pytest.raises(p.ClientError):
        p.clean_chat_text(request({"type": "chat.send", "text": "é" * 501}))


def test_zalgo_chat_keeps_two_combining_marks_per_letter_and_vietnamese_stays_whole():
    # WS-07: a run of 30 combining marks would be drawn over everyone's chat.
    zalgo = "a" + "\u0301\u0323\u0308" * 10 + "b"
    cleaned = p.clean_chat_text(request({"type": "chat.send", "text": zalgo}))
    # NFC composes what it can (a + dot below = ạ); two marks may follow.
    assert cleaned[0] == "\u1ea1" and cleaned.endswith("b") and len(cleaned) == 4
    longest = run = 0
    for char in cleaned:
        run = run + 1 if unicodedata.combining(char) else 0
        longest = max(longest, run)
    assert longest <= 2
    typed_nfd = unicodedata.normalize("NFD", "Tiếng Việt có dấu: ậ ễ ở")
    assert (
        p.clean_chat_text(request({"type": "chat.send", "text": typed_nfd}))
        == "Tiếng Việt có dấu: ậ ễ ở"
    )
    # Markup and bidi controls stay text: clients insert it with textContent
    # and isolate its direction (tests/e2e/test_live.py).
    evil = "<img src=x onerror=alert(1)> \u202egnp.exe"
    assert p.clean_chat_text(request({"type": "chat.send", "text": evil})) == evil


def test_stroke_validation():
    ok = {"points": [[0, 0], [1, 1]], "color": "#A0b1C2", "width": 20}
    assert (
        p.clean_stroke(request({"type": "board.stroke", "stroke": ok}))["color"]
        == "#a0b1c2"
    )
    for bad in [
        {**ok, "points": [[0, 1.0001]]},
        {**ok, "points": [[True, 0]]},
        {**ok, "points": [["0", 0]]},
        {**ok, "points": [[0, 0]] * 501},
        {**ok, "color": "#fff"},
        {**ok, "color": "<svg>"},
        {**ok, "width": 0},
        {**ok, "width": None},
    ]:
        with pytest.raises(p.ClientError):
            p.clean_stroke(request({"type": "board.stroke", "stroke": bad}))


def test_frame_size_is_measured_in_utf8_bytes():
    assert not p.frame_too_big("a" * 16384, None)
    assert p.frame_too_big("a" * 16385, None)
    assert p.frame_too_big("ữ" * 6000, None)
    assert p.frame_too_big(None, b"x" * 16385)
