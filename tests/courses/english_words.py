"""
How much of a page's visible text is English: the measure behind the admin
language test.

A word counts as English when it is written in plain ASCII letters and is a
lower-case entry of the system's English word list (Debian's ``wamerican``,
``/usr/share/dict/american-english``). So Vietnamese words with their marks
never count, nor do proper names the dictionary spells with a capital;
Vietnamese syllables written without marks that happen to be English words
too ("Nội dung", "Quay lại", "Tin học", "trang con") are listed in
``VIETNAMESE_SYLLABLES``, names of products, formats and keyboard keys in
``NAMES``. Identifiers are not words: those joined to digits ("teacher3",
"6A") and time zone names ("Asia/Ho_Chi_Minh", "Pacific/Auckland").

Visible text is what the browser shows or reads out: text outside
``<script>``, ``<style>``, ``<svg>`` and ``<noscript>``, plus the ``title``,
``placeholder``, ``alt`` and ``aria-label`` attributes, the captions of
button inputs and Wagtail's tooltips.
"""

import re
import unicodedata
import zoneinfo
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

WORD_LIST = Path("/usr/share/dict/american-english")
VIETNAMESE_SYLLABLES = frozenset(
    "bang chi con do dung em hay hoc qua quay so ten tin".split()
)
NAMES = frozenset(
    "lophoc wagtail draftail youtube vimeo zalo latex pdf jpeg jpg png gif webp "
    "heic avif url email web video alt shift ctrl cmd esc enter".split()
)
ATTRIBUTES = (
    "title",
    "placeholder",
    "alt",
    "aria-label",
    "data-w-tooltip-content-value",
)
HIDDEN_ELEMENTS = {"script", "style", "svg", "noscript"}
TOKEN = re.compile(r"[^\W_]+(?:['’][^\W\d_]+)?")


@cache
def english_words() -> frozenset[str]:
    if not WORD_LIST.exists():
        raise RuntimeError(f"{WORD_LIST} is missing: apt-get install -y wamerican")
    lines = WORD_LIST.read_text(encoding="utf-8").split()
    return frozenset(word for word in lines if word.isascii() and word.islower())


@cache
def time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


class _VisibleText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden_depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in HIDDEN_ELEMENTS:
            self.hidden_depth += 1
            return
        values = dict(attrs)
        self.parts.extend(values[name] for name in ATTRIBUTES if values.get(name))
        kind = (values.get("type") or "").lower()
        if tag == "input" and kind in {"submit", "button"} and values.get("value"):
            self.parts.append(values["value"])

    def handle_endtag(self, tag):
        if tag in HIDDEN_ELEMENTS and self.hidden_depth:
            self.hidden_depth -= 1

    def handle_data(self, data):
        if not self.hidden_depth:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return "\n".join(part.strip() for part in parser.parts if part.strip())


@dataclass
class WordCount:
    total: int = 0
    english: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return len(self.english) / self.total if self.total else 0.0

    def add(self, text: str) -> "WordCount":
        text = unicodedata.normalize("NFC", text)
        zones = time_zones()
        text = " ".join(chunk for chunk in text.split() if chunk not in zones)
        for token in TOKEN.findall(text):
            if any(char.isdigit() for char in token):
                continue
            if token.isascii() and len(token) < 2:
                continue
            self.total += 1
            if is_english(token):
                self.english.append(token)
        return self


def is_english(token: str) -> bool:
    word = token.lower().replace("’", "'")
    if not token.isascii() or word in VIETNAMESE_SYLLABLES or word in NAMES:
        return False
    return word in english_words()
