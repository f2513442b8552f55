"""Gradebook exports: CSV (UTF-8 with BOM, for Excel) and XLSX."""

import csv
import io
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook

from .selectors import Gradebook

# A cell starting with one of these is read as a formula by spreadsheet
# programs (security-tests XS-02): it is prefixed with an apostrophe.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralise(value):
    """Make text inert in a spreadsheet; numbers stay numbers."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal):
        return value
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def gradebook_table(gradebook: Gradebook) -> list[list]:
    header = [_("Học sinh"), _("Tên đăng nhập")]
    header += [a.title for a in gradebook.assignments]
    header += [_("Tổng điểm"), _("Điểm trung bình")]
    table = [header]
    for row in gradebook.rows:
        cells = [c["score"] for c in row["cells"]]
        table.append(
            [row["student"].display_name, row["student"].username, *cells]
            + [row["total"], row["average"]]
        )
    table.append(["", _("Trung bình lớp"), *gradebook.averages, "", ""])
    return [[neutralise(v) for v in line] for line in table]


def gradebook_csv(gradebook: Gradebook) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for line in gradebook_table(gradebook):
        writer.writerow(line)
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


def gradebook_xlsx(gradebook: Gradebook) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(gradebook.classroom.name)[:31] or "Lop"
    for line in gradebook_table(gradebook):
        sheet.append([float(v) if isinstance(v, Decimal) else v for v in line])
    for row in sheet.iter_rows():
        for cell in row:
            # openpyxl reads any string starting with "=" as a formula.
            if isinstance(cell.value, str):
                cell.data_type = "s"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
