"""Plain text helpers for Vietnamese search (no Django, no database)."""

import re
import unicodedata

# "đ" is a letter of its own in Unicode, not "d" plus a mark, so NFD leaves it.
_EXTRA = str.maketrans({"đ": "d", "Đ": "D"})
MAX_QUERY_LENGTH = 200


def unaccent(text: str) -> str:
    """``"Phân số đơn giản"`` → ``"Phan so don gian"``: the marks are removed."""
    decomposed = unicodedata.normalize("NFD", text.translate(_EXTRA))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalise_query(query: str) -> str:
    """
    A search query as the index stores text: unaccented, lower case, words
    separated by single spaces, at most ``MAX_QUERY_LENGTH`` characters.

    The length cap keeps a pasted 10,000-character string cheap (XS-04).
    """
    # Only letters and digits reach the search backend: FTS5 and tsquery
    # give punctuation meanings of their own.
    plain = re.sub(r"[^\w\s]|_", " ", unaccent(query[: MAX_QUERY_LENGTH * 2]))
    words = plain.lower().split()
    return " ".join(words)[:MAX_QUERY_LENGTH].strip()
