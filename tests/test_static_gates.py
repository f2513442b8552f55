"""
CF-06, the local rules (what the catalogue asks of semgrep; bandit's rules
run as ruff's ``S`` set in ``make lint``). Each rule walks the code of every
app and fails on a use it has not been told about. An allowed use is listed
here with the reason it is safe, so a new one fails CI until someone reviews
it and adds it:

- no ``csrf_exempt`` anywhere;
- ``mark_safe`` and ``|safe`` only on HTML the code sanitised or built;
- raw SQL (``.raw``, ``.extra``, ``RawSQL``, ``cursor.execute``) only where
  every value goes as a parameter and the text is built from model metadata;
- documents are never served directly from storage.

"A view without a permission check" is the authorisation matrix's job
(``tests/security/test_authorisation_matrix.py``: every URL pattern is a row).
"""

import ast
import re
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
# The project's own apps: the installed ones that live in this repository.
APPS = [app for app in settings.INSTALLED_APPS if (ROOT / app).is_dir()]


def _sources():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def _calls(name_or_attr: set[str]):
    """(file, line, callee) of every call to one of these names/attributes."""
    for path in _sources():
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            callee = (
                func.attr
                if isinstance(func, ast.Attribute)
                else func.id
                if isinstance(func, ast.Name)
                else None
            )
            if callee in ("execute", "executemany") and "cursor" not in ast.unparse(
                func.value
            ):
                continue  # a Redis pipeline's execute, not SQL
            if callee in name_or_attr:
                yield str(path.relative_to(ROOT)), callee


def _count(found):
    counts = {}
    for path, callee in found:
        counts[(path, callee)] = counts.get((path, callee), 0) + 1
    return counts


def test_no_view_is_exempt_from_csrf():
    hits = [
        str(path.relative_to(ROOT))
        for path in _sources()
        if "csrf_exempt" in path.read_text()
    ]
    assert hits == []


# Each: why the HTML is safe.
MARK_SAFE = {
    ("courses/templatetags/lesson_text.py", "mark_safe"): "nh3-sanitised just above",
    ("courses/mathml.py", "mark_safe"): "MathML serialised from a parsed tree",
    ("classrooms/cards.py", "mark_safe"): "QR code SVG made by segno from our URL",
}
SAFE_FILTER = {
    "templates/blocks/video_embed_block.html": (
        "oEmbed HTML from the provider allowlist, inside an inert <template>"
    ),
    "templates/assignments/includes/assignment_info.html": (
        "instructions are nh3-sanitised when saved (sanitize_instructions)"
    ),
}


def test_html_is_marked_safe_only_where_it_was_sanitised_or_built():
    found = set(_count(_calls({"mark_safe", "SafeString"})))
    assert found == set(MARK_SAFE), sorted(found ^ set(MARK_SAFE))
    templates = [ROOT / "templates", *(ROOT / app / "templates" for app in APPS)]
    safe = {
        str(path.relative_to(ROOT))
        for folder in templates
        if folder.exists()
        for path in folder.rglob("*.html")
        if re.search(r"\|\s*safe\b|{%\s*autoescape\s+off", path.read_text())
    }
    assert safe == set(SAFE_FILTER), sorted(safe ^ set(SAFE_FILTER))


# Each: where the values go, and what the text is built from.
RAW_SQL = {
    ("live/rooms/access.py", "RawSQL"): 1,  # a literal; ids as one array parameter
    ("live/quiz/services/answers.py", "raw"): 1,  # the ORM's own SQL + FOR SHARE
    ("live/quiz/services/answers.py", "execute"): 1,  # table/column names; params
    ("live/quiz/services/answers.py", "extra"): 1,  # a literal; ids as a parameter
    ("live/rooms/admission.py", "execute"): 1,  # table/column names from _meta; params
    ("live/rooms/services.py", "execute"): 1,  # the attendance upsert: _meta; params
}


def test_raw_sql_appears_only_where_every_value_is_a_parameter():
    found = _count(_calls({"raw", "extra", "RawSQL", "execute", "executemany"}))
    assert found == RAW_SQL


def test_documents_are_never_served_straight_from_storage():
    assert settings.WAGTAILDOCS_SERVE_METHOD != "direct"
