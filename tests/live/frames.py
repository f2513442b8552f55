"""
Every frame a live test receives is checked against the contract's
``TypedDict`` for its type (``live.protocol.SERVER_FRAMES``): required keys
present, no unknown keys, every value of its declared type, nested dicts
and lists included — as Zulip checks every event against
``zerver/lib/event_schema.py``. The receive helpers of the communicator
tests (``tests/live/conftest.py``) and of the real-client tests
(``tests/live/multiprocess/clients.py``) call ``check_frame`` on each frame.
"""

import json
import types
import typing
from typing import Any, Literal, NotRequired, Union, get_args, get_origin

from live import protocol as p


class FrameError(AssertionError):
    """A received frame that does not match the contract."""


def check_frame(frame: Any) -> dict:
    """Raise ``FrameError`` unless ``frame`` matches its type's TypedDict."""
    if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
        raise FrameError(f"not a frame: {frame!r}")
    schema = p.SERVER_FRAMES.get(frame["type"])
    if schema is None:
        raise FrameError(f"unknown server frame type {frame['type']!r}")
    _check(frame, schema, frame["type"])
    return frame


def check_text(text: str) -> dict:
    """Parse a text frame as sent on the wire and check it."""
    return check_frame(json.loads(text))


def _is_typeddict(kind) -> bool:
    return isinstance(kind, type) and typing.is_typeddict(kind)


def _check(value, kind, where: str) -> None:
    if kind is Any:
        return
    origin = get_origin(kind)
    if origin is NotRequired:
        _check(value, get_args(kind)[0], where)
    elif origin is Literal:
        if value not in get_args(kind):
            raise FrameError(f"{where}: {value!r} not one of {get_args(kind)}")
    elif origin in (Union, types.UnionType):
        _check_union(value, kind, where)
    elif _is_typeddict(kind):
        _check_typeddict(value, kind, where)
    elif origin is list:
        if not isinstance(value, list):
            raise FrameError(f"{where}: expected a list, got {value!r}")
        for i, item in enumerate(value):
            _check(item, get_args(kind)[0], f"{where}[{i}]")
    elif origin is dict:
        _check_dict(value, kind, where)
    else:
        _check_scalar(value, kind, where)


def _check_union(value, kind, where: str) -> None:
    errors = []
    for option in get_args(kind):
        try:
            _check(value, option, where)
            return
        except FrameError as error:
            errors.append(str(error))
    raise FrameError(" / ".join(errors))


def _check_typeddict(value, kind, where: str) -> None:
    if not isinstance(value, dict):
        raise FrameError(f"{where}: expected an object, got {value!r}")
    hints = typing.get_type_hints(kind, include_extras=True)
    missing = kind.__required_keys__ - value.keys()
    unknown = value.keys() - hints.keys()
    if missing:
        raise FrameError(f"{where}: missing {sorted(missing)}")
    if unknown:
        raise FrameError(f"{where}: unknown {sorted(unknown)}")
    for key, item in value.items():
        _check(item, hints[key], f"{where}.{key}")


def _check_dict(value, kind, where: str) -> None:
    if not isinstance(value, dict):
        raise FrameError(f"{where}: expected an object, got {value!r}")
    key_kind, value_kind = get_args(kind)
    for key, item in value.items():
        _check(key, key_kind, f"{where} key")
        _check(item, value_kind, f"{where}.{key}")


def _check_scalar(value, kind, where: str) -> None:
    if kind is type(None):
        ok = value is None
    elif kind is bool:
        ok = isinstance(value, bool)
    elif kind is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif kind is float:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
    elif kind is str:
        ok = isinstance(value, str)
    else:
        raise FrameError(f"{where}: no check for {kind!r}")
    if not ok:
        raise FrameError(f"{where}: {value!r} is not {getattr(kind, '__name__', kind)}")
