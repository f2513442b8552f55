"""
The grader's marks on a homework photo: a pen and three stamps (✓, ✗, ?)
drawn over the photo, and the quarter turn that makes it read upright.

They are vector data kept on the ``SubmissionFile`` (``rotation`` and
``marks``), saved with the grade, and drawn over the untouched photo for the
teacher, and for the pupil and the parents once the work is returned.
Points are whole numbers from 0 to 1000 across the unturned photo's width
and height, so the marks fit every rendition of it.

The browser sends them as one JSON object keyed by file id::

    {"41": {"r": 90, "m": [{"t": "pen", "p": [120, 80, 131, 90, ...]},
                          {"t": "ok", "x": 500, "y": 640}]}}

``parse_marks`` accepts exactly that shape within small bounds, or raises a
``ValidationError`` with a translated message; nothing is stored then.
"""

import json
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

SCALE = 1000
ROTATIONS = (0, 90, 180, 270)
STAMPS = ("ok", "no", "ask")
PEN = "pen"
MAX_JSON_BYTES = 64 * 1024
MAX_MARKS_PER_PHOTO = 200
MAX_POINTS_PER_STROKE = 500
MAX_POINTS_PER_PHOTO = 4000

MARKS_BROKEN = _(
    "Không đọc được các nét chấm trên ảnh. Hãy tải lại trang rồi chấm lại."
)
MARKS_TOO_MANY = _(
    "Có quá nhiều nét chấm trên một ảnh (tối đa %(marks)s nét, %(points)s điểm). "
    "Hãy xoá bớt rồi lưu lại."
)
MARKS_TOO_BIG = _("Các nét chấm quá lớn để lưu. Hãy xoá bớt rồi lưu lại.")
MARKS_OTHER_PHOTO = _("Có nét chấm gắn với một ảnh không thuộc bài này.")


@dataclass(frozen=True)
class PhotoMarks:
    rotation: int
    marks: list


def _broken():
    return ValidationError({"marks": ValidationError(MARKS_BROKEN, code="broken")})


def _point(value) -> int:
    if type(value) is not int or not 0 <= value <= SCALE:
        raise _broken()
    return value


def _clean_mark(mark) -> tuple[dict, int]:
    if not isinstance(mark, dict):
        raise _broken()
    kind = mark.get("t")
    if kind == PEN and set(mark) == {"t", "p"}:
        points = mark["p"]
        if (
            not isinstance(points, list)
            or len(points) % 2
            or not 2 <= len(points) <= 2 * MAX_POINTS_PER_STROKE
        ):
            raise _broken()
        return {"t": PEN, "p": [_point(v) for v in points]}, len(points) // 2
    if kind in STAMPS and set(mark) == {"t", "x", "y"}:
        return {"t": kind, "x": _point(mark["x"]), "y": _point(mark["y"])}, 1
    raise _broken()


def _clean_photo(value) -> PhotoMarks:
    if not isinstance(value, dict) or not set(value) <= {"r", "m"}:
        raise _broken()
    rotation = value.get("r", 0)
    marks = value.get("m", [])
    if type(rotation) is not int or rotation not in ROTATIONS:
        raise _broken()
    if not isinstance(marks, list):
        raise _broken()
    if len(marks) > MAX_MARKS_PER_PHOTO:
        raise _too_many()
    cleaned, points = [], 0
    for mark in marks:
        mark, count = _clean_mark(mark)
        points += count
        cleaned.append(mark)
    if points > MAX_POINTS_PER_PHOTO:
        raise _too_many()
    return PhotoMarks(rotation=rotation, marks=cleaned)


def _too_many():
    return ValidationError(
        {
            "marks": ValidationError(
                MARKS_TOO_MANY,
                code="too_many",
                params={"marks": MAX_MARKS_PER_PHOTO, "points": MAX_POINTS_PER_PHOTO},
            )
        }
    )


def parse_marks(raw: str, photo_ids) -> dict[int, PhotoMarks]:
    """
    The marks the grader sent, by file id; ``photo_ids`` are the photos of
    the submission being graded. An empty ``raw`` means "no change".
    """
    if not raw:
        return {}
    if len(raw.encode()) > MAX_JSON_BYTES:
        raise ValidationError({"marks": ValidationError(MARKS_TOO_BIG, code="big")})
    try:
        data = json.loads(raw)
    except ValueError:
        raise _broken() from None
    if not isinstance(data, dict):
        raise _broken()
    allowed = {str(pk) for pk in photo_ids}
    result = {}
    for key, value in data.items():
        if key not in allowed:
            raise ValidationError(
                {"marks": ValidationError(MARKS_OTHER_PHOTO, code="other_photo")}
            )
        result[int(key)] = _clean_photo(value)
    return result


def frame(width: int, height: int, rotation: int) -> dict:
    """
    The SVG frame that shows a ``width`` × ``height`` photo turned by
    ``rotation``: the viewBox size and the transform of the photo's group
    (the same arithmetic as ``static/js/assignments/marking.js``).
    """
    transform = {
        0: "",
        90: f"translate({height} 0) rotate(90)",
        180: f"translate({width} {height}) rotate(180)",
        270: f"translate(0 {width}) rotate(270)",
    }[rotation]
    turned = rotation in (90, 270)
    return {
        "width": height if turned else width,
        "height": width if turned else height,
        "transform": transform,
    }


def shapes(width: int, height: int, marks: list, rotation: int = 0) -> list[dict]:
    """
    The marks in the photo's pixel frame, ready for the SVG template. Stamps
    are turned back by ``rotation`` so they stand upright on the screen.
    """
    sx, sy = width / SCALE, height / SCALE
    drawn = []
    for mark in marks:
        if mark.get("t") == PEN:
            points = mark["p"]
            coords = [
                f"{points[i] * sx:.1f} {points[i + 1] * sy:.1f}"
                for i in range(0, len(points), 2)
            ]
            drawn.append({"kind": PEN, "d": "M" + " L".join(coords)})
        else:
            # The stamp's box, centred on the point it was put at.
            half = sizes(width, height)["stamp"] / 2
            cx, cy = mark["x"] * sx, mark["y"] * sy
            drawn.append(
                {
                    "kind": mark["t"],
                    "x": f"{cx - half:.1f}",
                    "y": f"{cy - half:.1f}",
                    "transform": (
                        f"rotate({-rotation} {cx:.1f} {cy:.1f})" if rotation else ""
                    ),
                }
            )
    return drawn


def sizes(width: int, height: int) -> dict:
    """Pen width and stamp size in the photo's pixels (as marking.js)."""
    longest = max(width, height)
    return {"pen": round(longest * 0.004, 1), "stamp": round(longest * 0.07, 1)}
