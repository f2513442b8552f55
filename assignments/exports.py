"""Gradebook exports: CSV (through the one writer, files.spreadsheets) and XLSX."""

import io
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook

from files.spreadsheets import csv_bytes, neutralised

from .selectors import Gradebook


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
    return neutralised(table)


def gradebook_csv(gradebook: Gradebook) -> bytes:
    return csv_bytes(gradebook_table(gradebook))


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
