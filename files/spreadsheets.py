"""
The one CSV writer: every export a user downloads (gradebook, attendance)
goes through ``csv_response`` (security-tests XS-02).

- Text that a spreadsheet would read as a formula (``=HYPERLINK(...)``,
  ``+``, ``-``, ``@``, a leading tab or line break) is prefixed with an
  apostrophe, so a pupil's name can never run in the teacher's Excel.
- Numbers stay numbers.
- UTF-8 with a byte-order mark, which Excel needs to show Vietnamese.
- Headers and values are whatever the caller passes: callers pass
  translated words, never internal codes.
"""

import csv
import io
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from django.http import HttpResponse

# A cell starting with one of these is read as a formula by spreadsheet
# programs: it is prefixed with an apostrophe.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")
BOM = "\ufeff"


def neutralise(value):
    """Make text inert in a spreadsheet; numbers stay numbers."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def neutralised(rows: Iterable[Iterable]) -> list[list]:
    return [[neutralise(v) for v in row] for row in rows]


def csv_bytes(rows: Iterable[Iterable]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerows(neutralised(rows))
    return (BOM + out.getvalue()).encode("utf-8")


def csv_response(rows: Iterable[Iterable], filename: str) -> HttpResponse:
    """A download of ``rows`` (the first row being the headers)."""
    response = HttpResponse(csv_bytes(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
