"""The one CSV writer (security-tests XS-02)."""

import csv
import io
from datetime import datetime
from decimal import Decimal

import pytest

from files.spreadsheets import csv_bytes, csv_response, neutralise


@pytest.mark.parametrize(
    "text", ["=1+1", "+1", "-2", "@SUM(A1)", "\t=x", "\r=x", "\n=x", '=HYPERLINK("x")']
)
def test_text_a_spreadsheet_would_run_is_prefixed_with_an_apostrophe(text):
    assert neutralise(text) == "'" + text


def test_numbers_stay_numbers_and_none_is_empty():
    assert neutralise(-3) == -3
    assert neutralise(Decimal("7.5")) == Decimal("7.5")
    assert neutralise(None) == ""
    assert neutralise(True) == "True"
    assert neutralise(datetime(2026, 12, 4, 9, 5)) == "2026-12-04T09:05:00"


def test_csv_is_utf8_with_a_bom_and_reads_back_as_written():
    body = csv_bytes([["Học sinh", "Điểm"], ["Trần Thị Ánh", 9], ["=cmd", -1]])
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows == [["Học sinh", "Điểm"], ["Trần Thị Ánh", "9"], ["'=cmd", "-1"]]


def test_csv_response_is_an_attachment():
    response = csv_response([["a"]], "x.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'


def test_no_other_module_writes_csv():
    """One writer: any export that writes CSV itself bypasses the neutraliser."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    writers = sorted(
        str(path.relative_to(root))
        for package in (
            "accounts",
            "assignments",
            "classrooms",
            "courses",
            "families",
            "files",
            "live",
            "lms",
            "notifications",
        )
        for path in (root / package).rglob("*.py")
        if "csv.writer" in path.read_text(encoding="utf-8")
    )
    assert writers == ["files/spreadsheets.py"]
