"""The frame checker that every live test's receive helpers use fails on a
frame that drifts from the contract's TypedDicts."""

import pytest

from live import protocol as p
from tests.live.frames import FrameError, check_frame, check_text

HAND = {"type": "hand.changed", "user_id": 3, "name": "An", "raised": True}
ACK = p.quiz_ack(7, "c1", accepted=False, reason=p.AckReason.CLOSED)


def test_a_frame_built_by_the_protocol_passes():
    assert check_frame(HAND) is HAND
    check_frame(ACK)
    check_text('{"type":"board.clear","seq":4}')


def test_a_missing_key_fails():
    with pytest.raises(FrameError, match="missing"):
        check_frame({k: v for k, v in HAND.items() if k != "raised"})


def test_an_unknown_key_fails():
    with pytest.raises(FrameError, match="unknown"):
        check_frame({**HAND, "email": "an@example.com"})


@pytest.mark.parametrize(
    "frame",
    [
        {**HAND, "raised": 1},
        {**HAND, "user_id": True},
        {**HAND, "user_id": "3"},
        {**ACK, "reason": "late"},
        {**ACK, "client_id": None},
        {"type": "presence", "count": 1.5},
    ],
)
def test_a_value_of_the_wrong_type_fails(frame):
    with pytest.raises(FrameError):
        check_frame(frame)


def test_nested_objects_and_lists_are_checked_too():
    stroke = {"points": [[0.5, 1]], "color": "#000000", "width": 2}
    check_frame(p.board_stroke(stroke))
    with pytest.raises(FrameError, match=r"stroke\.points\[0\]\[1\]"):
        check_frame(p.board_stroke({**stroke, "points": [[0.5, "1"]]}))
    with pytest.raises(FrameError, match=r"joined\[0\]: unknown"):
        check_frame(
            p.presence_roster(
                joined=[{"user_id": 1, "name": "An", "role": "student", "x": 1}],
                left=[],
            )
        )
    with pytest.raises(FrameError, match=r"joined\[0\]\.role"):
        check_frame(
            p.presence_roster(
                joined=[{"user_id": 1, "name": "An", "role": "admin"}], left=[]
            )
        )


def test_an_unknown_frame_type_fails():
    with pytest.raises(FrameError, match="unknown server frame type"):
        check_frame({"type": "hand.waved"})


def test_every_server_type_has_a_typeddict_whose_type_literal_matches():
    for kind, schema in p.SERVER_FRAMES.items():
        literal = schema.__annotations__.get("type") or next(
            base.__annotations__["type"]
            for base in schema.__mro__
            if "type" in getattr(base, "__annotations__", {})
        )
        assert literal.__args__ == (kind,)
