"""
The authorisation matrix's machinery (AZ-12): the roles, how one cell is
requested and how its answer is judged. The declared table lives in
``test_authorisation_matrix.py``.
"""

import os
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

MISSING_ID = 987654321
# Every role of the world and its relation to S1's records in class C1 of
# school A (docs/authorisation-matrix.md).
ROLES = {
    "anon": "anonymous visitor",
    "S1": "the pupil who owns the records (class C1)",
    "S2": "a classmate (C1)",
    "S3": "a pupil of the same school, other class (C2)",
    "S5": "a pupil of the other school (C3)",
    "P1": "S1's linked parent",
    "P2": "a parent linked to S2 and S3, not to S1",
    "P3": "a parent of the other school (linked to S6)",
    "T1": "C1's teacher",
    "T2": "a teacher of the same school, other class (C2)",
    "T3": "a teacher of the other school (C3)",
    "A1": "the admin of school A",
    "A2": "the admin of school B",
}
EVERYONE = frozenset(ROLES)
SIGNED_IN = EVERYONE - {"anon"}
PUPILS = frozenset({"S1", "S2", "S3", "S5"})
PARENTS = frozenset({"P1", "P2", "P3"})
TEACHERS = frozenset({"T1", "T2", "T3"})
ADMINS = frozenset({"A1", "A2"})
STAFF = TEACHERS | ADMINS
LOGIN_PREFIXES = ("/accounts/login/", "/_util/login/")
# Tables a request may write to whatever it is refused: the login session
# and the failure counters.
BOOKKEEPING = ("django_session", "axes_")
WRITE = re.compile(r'^\s*(INSERT INTO|UPDATE|DELETE FROM)\s+"?(\w+)', re.I)
# Per-render values that are not part of an answer.
NOISE = re.compile(
    rb'(name="csrfmiddlewaretoken" value=")[^"]+|(nonce=")[^"]+'
    rb'|("csrfToken": ")[^"]+|(data-csrf=")[^"]+'
)


@dataclass(frozen=True)
class Row:
    """One URL pattern: which roles may GET and POST it (None: method not served)."""

    name: str
    get: frozenset | None
    post: frozenset | None = None
    kwargs: object = None  # world -> kwargs for reverse()
    path: object = None  # world -> path, where reverse() can't build one
    missing: object = None  # world -> the same request for a missing object


def _replace_ids(kwargs):
    return {k: MISSING_ID if isinstance(v, int) else v for k, v in kwargs.items()}


def paths(row, world):
    if row.path is not None:
        path = row.path(world)
        missing = row.missing(world) if row.missing else None
        return path, missing
    kwargs = row.kwargs(world) if row.kwargs else {}
    path = reverse(row.name, kwargs=kwargs)
    if row.missing:
        return path, row.missing(world)
    has_ids = any(isinstance(v, int) for v in kwargs.values())
    return path, reverse(row.name, kwargs=_replace_ids(kwargs)) if has_ids else None


def normalised(response):
    body = b"".join(response) if response.streaming else response.content
    return response.status_code, NOISE.sub(rb"\1\2\3\4", body)


def request(client, user, method, path):
    """One cell: the answer and the tables it wrote to, all rolled back."""
    with transaction.atomic():
        client.logout()
        if user is not None:
            client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            response = getattr(client, method)(path)
            answer = normalised(response)
            location = response.get("Location", "")
        transaction.set_rollback(True)
    writes = set()
    for query in queries.captured_queries:
        match = WRITE.match(query["sql"])
        if match and not match[2].startswith(BOOKKEEPING):
            writes.add(match[2])
    return answer, location, writes


DOC = Path(settings.BASE_DIR) / "docs" / "authorisation-matrix.md"


def assert_documented(table: str, marker: str, test_file: str) -> None:
    """``table`` is what docs/authorisation-matrix.md shows between the
    ``<!-- marker -->`` lines; with LOPHOC_WRITE_AUTHZ_DOC=1 it is written there."""
    if os.environ.get("LOPHOC_WRITE_AUTHZ_DOC"):
        text = DOC.read_text()
        start = text.index(f"<!-- {marker} -->") + len(f"<!-- {marker} -->\n")
        end = text.index(f"<!-- /{marker} -->")
        DOC.write_text(text[:start] + table + text[end:])
    assert table in DOC.read_text(), (
        "docs/authorisation-matrix.md is out of step with the tested table: run "
        f"LOPHOC_WRITE_AUTHZ_DOC=1 make test-embedded PYTEST_ARGS={test_file}"
    )
