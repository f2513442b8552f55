"""WS-10/WS-11: arbitrary JSON never escapes as anything but ClientError."""

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from live import protocol as p
from live.rooms.handlers import HANDLERS

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False)
    | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=5)
        | st.dictionaries(st.text(max_size=10), children, max_size=5)
    ),
    max_leaves=30,
)
types = st.sampled_from([*HANDLERS, "quiz.answer", "x", ""])
frames = st.fixed_dictionaries(
    {"type": types},
    optional={
        "text": json_values,
        "index": json_values,
        "muted": json_values,
        "user_id": json_values,
        "client_id": json_values,
        "stroke": json_values
        | st.fixed_dictionaries(
            {"points": json_values, "color": json_values, "width": json_values}
        ),
    },
)


@settings(max_examples=400, deadline=None)
@given(frames)
def test_any_frame_is_parsed_and_validated_or_refused_cleanly(frame):
    try:
        request = p.parse(json.dumps(frame))
        for clean in (
            p.clean_chat_text,
            p.clean_index,
            lambda r: p.clean_id(r, "user_id"),
            p.clean_stroke,
            lambda r: p.clean_bool(r, "muted"),
        ):
            try:
                clean(request)
            except p.ClientError as error:
                assert error.code == p.ErrorCode.BAD_REQUEST
    except p.ClientError as error:
        assert error.frame()["code"] in p.ERROR_MESSAGES


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_any_text_is_parsed_or_refused_cleanly(text):
    try:
        p.parse(text)
    except p.ClientError:
        pass


def test_deep_nesting_and_huge_arrays_are_refused_cleanly():
    for text in ("[" * 1000 + "]" * 1000, json.dumps({"type": "x" * 10**5})):
        try:
            p.parse(text)
        except p.ClientError:
            pass
    huge = {"type": "board.stroke", "stroke": {"points": [[0, 0]] * 10**5}}
    request = p.parse(json.dumps(huge))
    try:
        p.clean_stroke(request)
        raise AssertionError("10^5 points accepted")
    except p.ClientError as error:
        assert error.code == p.ErrorCode.BAD_REQUEST
