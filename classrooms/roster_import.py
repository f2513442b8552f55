"""
Parsing and checking a CSV class list (pure functions, no database writes).

The file needs a header row. Recognised columns (case and diacritics are
ignored): "Họ và tên" (required; also "Họ tên", "Tên học sinh", "Name") and
"Tên đăng nhập" (optional; also "Username"). Extra columns are ignored.
Accepted encodings, in the order tried: UTF-8 (with or without the BOM Excel
adds) and Windows-1258, the code page of Vietnamese Windows/Excel. Anything
else is refused with a message: a decode that produces control characters or
letters no Vietnamese list would contain counts as undecodable. Text is
normalised to NFC because Windows-1258 and macOS write tone marks as
combining characters. Delimiters ",", ";" and tab are detected.
"""

import csv
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

MAX_ROWS = 100
NAME_MAX = 150
USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{2,29}$")

NOT_DECODABLE = _(
    "Không đọc được tệp: hãy lưu lại dưới dạng CSV UTF-8 (hoặc CSV Windows-1258)."
)
NO_HEADER = _(
    "Dòng đầu tiên phải là tiêu đề và có cột “Họ và tên” "
    "(cột “Tên đăng nhập” là tùy chọn)."
)
NO_ROWS = _("Tệp không có học sinh nào.")
NOT_CSV = _("Tệp không đúng định dạng CSV.")
TOO_MANY_ROWS = _("Tệp có quá nhiều dòng (tối đa %(max)s học sinh mỗi lần).")
NAME_MISSING = _("thiếu họ và tên")
NAME_TOO_LONG = _("họ và tên dài quá 150 ký tự")
USERNAME_INVALID = _(
    "tên đăng nhập chỉ gồm chữ thường không dấu, số, dấu chấm, gạch; 3–30 ký tự"
)
USERNAME_DUPLICATE_IN_FILE = _("tên đăng nhập “%(username)s” trùng với dòng %(row)s")
USERNAME_TAKEN = _("tên đăng nhập “%(username)s” đã có người dùng")

NAME_HEADERS = {"ho va ten", "ho ten", "ten hoc sinh", "name", "full name"}
USERNAME_HEADERS = {"ten dang nhap", "username", "login"}


class RosterFileError(ValueError):
    """The file as a whole cannot be read; ``message`` says why."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass
class RosterRow:
    number: int  # line number as a spreadsheet shows it (header = 1)
    display_name: str
    username: str = ""
    errors: list[str] = field(default_factory=list)


def decode_roster(data: bytes) -> str:
    """Bytes of an uploaded CSV → NFC text, or ``RosterFileError``."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1258")
        except UnicodeDecodeError:
            raise RosterFileError(NOT_DECODABLE)
    text = unicodedata.normalize("NFC", text)
    if not _looks_like_text(text):
        raise RosterFileError(NOT_DECODABLE)
    return text


def _looks_like_text(text: str) -> bool:
    """Printable Latin text only: what a Vietnamese class list contains."""
    for char in text:
        if char in "\r\n\t":
            continue
        category = unicodedata.category(char)
        if category[0] == "C" or ord(char) > 0x2FFF:
            return False
    return True


def _fold(text: str) -> str:
    """Lower case without diacritics, for matching header names."""
    decomposed = unicodedata.normalize("NFD", text.strip().lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.replace("đ", "d").split())


def parse_roster(text: str) -> list[RosterRow]:
    """CSV text → rows with per-row format errors (not yet the database)."""
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        records = list(csv.reader(io.StringIO(text), dialect))
    except csv.Error:  # e.g. a field over the csv module's size limit
        raise RosterFileError(NOT_CSV)
    if not records:
        raise RosterFileError(NO_ROWS)
    header = [_fold(cell) for cell in records[0]]
    name_col = next((i for i, h in enumerate(header) if h in NAME_HEADERS), None)
    user_col = next((i for i, h in enumerate(header) if h in USERNAME_HEADERS), None)
    if name_col is None:
        raise RosterFileError(NO_HEADER)
    rows = []
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        rows.append(_row(number, _cell(record, name_col), _cell(record, user_col)))
    if not rows:
        raise RosterFileError(NO_ROWS)
    if len(rows) > MAX_ROWS:
        raise RosterFileError(TOO_MANY_ROWS % {"max": MAX_ROWS})
    return rows


def _cell(record: list[str], index: int | None) -> str:
    if index is None or index >= len(record):
        return ""
    return " ".join(record[index].split())


def _row(number: int, name: str, username: str) -> RosterRow:
    row = RosterRow(number=number, display_name=name, username=username.lower())
    if not name:
        row.errors.append(NAME_MISSING)
    elif len(name) > NAME_MAX:
        row.errors.append(NAME_TOO_LONG)
    if row.username and not USERNAME_RE.match(row.username):
        row.errors.append(USERNAME_INVALID)
    return row


def check_usernames(rows: list[RosterRow], taken: Iterable[str]) -> None:
    """Flag usernames repeated in the file or already used in Lophoc."""
    taken = {name.lower() for name in taken}
    first_row: dict[str, int] = {}
    for row in rows:
        if not row.username:
            continue
        if row.username in first_row:
            row.errors.append(
                USERNAME_DUPLICATE_IN_FILE
                % {"username": row.username, "row": first_row[row.username]}
            )
        else:
            first_row[row.username] = row.number
        if row.username in taken:
            row.errors.append(USERNAME_TAKEN % {"username": row.username})


def username_base(display_name: str) -> str:
    """
    "Nguyễn Thị Minh Anh" → "anhntm": the given name, then the initials of
    the family and middle names, without diacritics, as Vietnamese schools
    and companies write logins.
    """
    words = _fold(display_name).split()
    words = ["".join(c for c in w if c.isascii() and c.isalnum()) for w in words]
    words = [w for w in words if w]
    if not words:
        return "hocsinh"
    base = words[-1] + "".join(w[0] for w in words[:-1])
    return base[:24] if len(base) >= 3 else f"hs{base}"
