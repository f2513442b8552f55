"""
AZ-12, the authorisation matrix (issue #11; docs/authorisation-matrix.md).

Every URL pattern of the site is a row of ``ROWS``: the roles that may GET it
and the roles that may POST it (``None``: the method is not served). Each row
is requested by every role of the two-school world (``authz_world``) with
GET, POST, PUT and DELETE, about the records of pupil S1 in class C1 of
school A, and each answer is judged against the row:

- an allowed cell is served (2xx, 3xx, or a refused form: 400/409/422/429);
- a refused cell is a 404 byte for byte the same as the same user's request
  for a missing object, or for a visitor a login redirect; it writes nothing
  but the login session;
- a method not served is a 405 (or the login redirect);
- PUT and DELETE are never more than GET: whoever may not GET gets 404/405;
- no answer is a 5xx, and no answer to a role shows a name or title of the
  other school (nor a parent the names of other families' children).

A test walks the URLconf, so a new URL pattern fails CI until it has a row.
"""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.security.authz_matrix import (
    ADMINS,
    EVERYONE,
    LOGIN_PREFIXES,
    MISSING_ID,
    ROLES,
    SIGNED_IN,
    STAFF,
    TEACHERS,
    Row,
    assert_documented,
    paths,
    request,
)
from tests.security.authz_world import build_authz_world
from tests.worlds import NAMES

C1_PUPILS = frozenset({"S1", "S2"})
C1_PARENTS = frozenset({"P1", "P2"})  # P2's child S2 is in C1
C1_STAFF = frozenset({"T1", "A1"})
C1_ALL = C1_PUPILS | C1_PARENTS | C1_STAFF
OWNER = frozenset({"S1", "P1"})  # the pupil and their linked parent
OWNER_PARENT = frozenset({"P1"})
# Trees guarded by their own framework, as in tests/test_urls_policy.py.
DELEGATED = ("admin/", "django-admin/", "static/", "^static/")
# Rows whose URL is itself the credential (a calendar app can't sign in):
# whoever holds the link reads that one pupil's timetable.
BEARER = {"live:calendar-feed"}
# The readiness probe answers 503 while a service it needs is down.
PROBES = {"readyz"}
INPUT_REFUSED = {400, 409, 422, 429}

ROWS = [
    Row("home", SIGNED_IN, SIGNED_IN),
    Row("healthz", EVERYONE, EVERYONE),
    Row("readyz", EVERYONE, None),
    Row("pwa:sw", EVERYONE, None),
    Row("pwa:manifest", EVERYONE, None),
    Row("pwa:favicon", EVERYONE, None),
    Row("pwa:offline", EVERYONE, None),
    Row("pwa:csrf", EVERYONE, None),
    Row("set_language", None, EVERYONE),
    Row("accounts:login", EVERYONE, EVERYONE),
    Row("accounts:logout", None, EVERYONE),
    Row("accounts:end-other-sessions", None, SIGNED_IN),
    Row("accounts:password-change", SIGNED_IN, SIGNED_IN),
    Row("accounts:password-change-done", SIGNED_IN, None),
    Row("accounts:password-reset", EVERYONE, EVERYONE),
    Row("accounts:password-reset-done", EVERYONE, None),
    Row(
        "accounts:password-reset-confirm",
        EVERYONE,
        EVERYONE,
        kwargs=lambda w: {"uidb64": "MQ", "token": "set-password"},
    ),
    Row("accounts:password-reset-complete", EVERYONE, None),
    # A card that is not in use signs nobody in (tests/accounts/test_login_badges.py).
    Row("badge-sign-in", frozenset(), None, kwargs=lambda w: {"token": "A" * 22}),
    Row("classrooms:create-classroom", STAFF, STAFF),
    Row("classrooms:join-classroom", SIGNED_IN, SIGNED_IN),
    Row("classrooms:link-child", SIGNED_IN, SIGNED_IN),
    Row(
        "classrooms:remove-parent-link",
        None,
        OWNER_PARENT | {"A1"},
        kwargs=lambda w: {"link_pk": w["a"].link.pk},
    ),
    Row(
        "classrooms:school-join-policy",
        None,
        frozenset({"A1"}),
        kwargs=lambda w: {"pk": w["school_a"].pk},
    ),
    Row(
        "classrooms:classroom-detail",
        C1_ALL,
        C1_ALL,
        kwargs=lambda w: {"pk": w["C1"].pk},
    ),
    Row(
        "classrooms:regenerate-join-code",
        None,
        C1_STAFF,
        kwargs=lambda w: {"pk": w["C1"].pk},
    ),
    Row(
        "classrooms:disable-join-code",
        None,
        C1_STAFF,
        kwargs=lambda w: {"pk": w["C1"].pk},
    ),
    Row(
        "classrooms:enable-join-code",
        None,
        C1_STAFF,
        kwargs=lambda w: {"pk": w["C1"].pk},
    ),
    Row("classrooms:roster", C1_STAFF, C1_STAFF, kwargs=lambda w: {"pk": w["C1"].pk}),
    Row(
        "classrooms:import-roster",
        C1_STAFF,
        C1_STAFF,
        kwargs=lambda w: {"pk": w["C1"].pk},
    ),
    Row(
        "classrooms:student-detail",
        C1_STAFF,
        C1_STAFF,
        kwargs=lambda w: {"pk": w["C1"].pk, "student_pk": w["S1"].pk},
    ),
    Row(
        "classrooms:remove-student",
        None,
        C1_STAFF,
        kwargs=lambda w: {"pk": w["C1"].pk, "student_pk": w["S1"].pk},
    ),
    Row(
        "classrooms:reset-student-password",
        None,
        C1_STAFF,
        kwargs=lambda w: {"pk": w["C1"].pk, "student_pk": w["S1"].pk},
    ),
    Row(
        "classrooms:end-student-sessions",
        None,
        C1_STAFF,
        kwargs=lambda w: {"pk": w["C1"].pk, "student_pk": w["S1"].pk},
    ),
    Row(
        "classrooms:create-parent-invite",
        None,
        C1_STAFF,
        kwargs=lambda w: {"pk": w["C1"].pk, "student_pk": w["S1"].pk},
    ),
    Row("classrooms:login-cards", C1_STAFF, None, kwargs=lambda w: {"pk": w["C1"].pk}),
    Row(
        "classrooms:print-class-cards",
        None,
        C1_STAFF,
        kwargs=lambda w: {"pk": w["C1"].pk},
    ),
    Row(
        "classrooms:print-student-card",
        None,
        C1_STAFF,
        kwargs=lambda w: {"pk": w["C1"].pk, "student_pk": w["S1"].pk},
    ),
    Row(
        "classrooms:void-student-card",
        None,
        C1_STAFF,
        kwargs=lambda w: {"pk": w["C1"].pk, "student_pk": w["S1"].pk},
    ),
    Row("announcements:list", C1_ALL, C1_ALL, kwargs=lambda w: {"pk": w["C1"].pk}),
    Row("announcements:create", None, C1_STAFF, kwargs=lambda w: {"pk": w["C1"].pk}),
    Row(
        "announcements:attachment",
        C1_ALL,
        C1_ALL,
        kwargs=lambda w: {"announcement_pk": w["a"].announcement.pk},
    ),
    Row(
        "course_progress:course-progress",
        C1_STAFF,
        C1_STAFF,
        kwargs=lambda w: {"pk": w["C1"].pk, "course_pk": w["a"].course.pk},
    ),
    Row("assignments:list", SIGNED_IN, SIGNED_IN),
    Row("assignments:create", STAFF, STAFF),
    Row("assignments:to-grade", STAFF, STAFF),
    Row(
        "assignments:detail",
        C1_ALL,
        C1_ALL,
        kwargs=lambda w: {"pk": w["a"].homework.pk},
    ),
    Row(
        "assignments:publish",
        None,
        C1_STAFF,
        kwargs=lambda w: {"pk": w["a"].homework.pk},
    ),
    Row(
        "assignments:queued-submit",
        None,
        EVERYONE,  # the upload ticket, not the role, decides (400 without one)
        kwargs=lambda w: {"pk": w["a"].homework.pk},
    ),
    Row(
        "assignments:quiz-submit",
        None,
        C1_PUPILS,
        kwargs=lambda w: {"pk": w["a"].quiz_homework.pk},
    ),
    Row(
        "assignments:queue",
        C1_STAFF,
        C1_STAFF,
        kwargs=lambda w: {"pk": w["a"].homework.pk},
    ),
    Row(
        "assignments:submission",
        OWNER | C1_STAFF,
        OWNER | C1_STAFF,
        kwargs=lambda w: {"pk": w["a"].submission.pk},
    ),
    Row(
        "assignments:return-submission",
        None,
        C1_STAFF,
        kwargs=lambda w: {"pk": w["a"].submission.pk},
    ),
    Row(
        "assignments:file",
        OWNER | C1_STAFF,
        OWNER | C1_STAFF,
        kwargs=lambda w: {"pk": w["a"].photo.pk},
    ),
    Row(
        "assignments:attachment",
        C1_ALL,
        C1_ALL,
        kwargs=lambda w: {"pk": w["a"].attachment.pk},
    ),
    Row(
        "assignments:gradebook",
        C1_STAFF,
        C1_STAFF,
        kwargs=lambda w: {"classroom_id": w["C1"].pk},
    ),
    Row(
        "assignments:gradebook-export",
        C1_STAFF,
        C1_STAFF,
        kwargs=lambda w: {"classroom_id": w["C1"].pk, "fmt": "csv"},
    ),
    Row("assignments:quizzes", STAFF, STAFF),
    Row(
        "assignments:quiz",
        frozenset({"T1"}),
        frozenset({"T1"}),
        kwargs=lambda w: {"pk": w["a"].quiz.pk},
    ),
    Row("live:list-sessions", SIGNED_IN, SIGNED_IN),
    Row("live:create-session", TEACHERS, TEACHERS),
    Row(
        "live:room", C1_ALL, C1_ALL, kwargs=lambda w: {"session_id": w["a"].session.pk}
    ),
    Row(
        "live:projector",
        frozenset({"T1"}),
        frozenset({"T1"}),
        kwargs=lambda w: {"session_id": w["a"].session.pk},
    ),
    # The class only: its pupils, teacher and admin; parents are not of it.
    Row(
        "live:recording",
        C1_PUPILS | C1_STAFF,
        C1_PUPILS | C1_STAFF,
        kwargs=lambda w: {"session_id": w["a"].session.pk},
    ),
    Row(
        "live:open-session",
        None,
        C1_STAFF,
        kwargs=lambda w: {"session_id": w["a"].session.pk},
    ),
    Row(
        "live:end-session",
        None,
        C1_STAFF,
        kwargs=lambda w: {"session_id": w["a"].session.pk},
    ),
    Row(
        "live:create-ticket",
        None,
        C1_PUPILS | C1_STAFF,
        kwargs=lambda w: {"session_id": w["a"].session.pk},
    ),
    Row(
        "live:attendance",
        C1_PARENTS | C1_STAFF,
        C1_PARENTS | C1_STAFF,
        kwargs=lambda w: {"session_id": w["a"].session.pk},
    ),
    Row("live:create-calendar-feed", None, SIGNED_IN),
    Row("live:rotate-calendar-feed", None, frozenset({"S1", "S5"})),
    Row(
        "live:calendar-feed",
        EVERYONE,
        EVERYONE,
        kwargs=lambda w: {"token": w["a"].feed.token},
        missing=lambda w: "/live/calendar/" + "x" * 43 + ".ics",
    ),
    Row("live:quiz-run-list", SIGNED_IN, SIGNED_IN),
    Row(
        "live:quiz-run-results",
        frozenset({"T1"}),
        frozenset({"T1"}),
        kwargs=lambda w: {"run_id": w["a"].run.pk},
    ),
    Row(
        "live:quiz-run-record-grades",
        None,
        frozenset({"T1"}),
        kwargs=lambda w: {"run_id": w["a"].run.pk},
    ),
    Row(
        "live:quiz-student-runs",
        OWNER,
        OWNER,
        kwargs=lambda w: {"student_id": w["S1"].pk},
    ),
    Row(
        "live:quiz-student-result",
        OWNER,
        OWNER,
        kwargs=lambda w: {"run_id": w["a"].run.pk, "student_id": w["S1"].pk},
    ),
    Row("notifications:list", SIGNED_IN, SIGNED_IN),
    Row(
        "notifications:open",
        frozenset({"S1"}),
        frozenset({"S1"}),
        kwargs=lambda w: {"pk": w["a"].notification.pk},
    ),
    Row(
        "notifications:mark-read",
        None,
        frozenset({"S1"}),
        kwargs=lambda w: {"pk": w["a"].notification.pk},
    ),
    Row("notifications:mark-all-read", None, SIGNED_IN),
    Row("notifications:preferences", SIGNED_IN, SIGNED_IN),
    Row("deliveries:failed", ADMINS, ADMINS),
    Row(
        "deliveries:retry",
        None,
        frozenset({"A1"}),
        kwargs=lambda w: {"pk": w["a"].delivery.pk},
    ),
    Row(
        "parents:child",
        frozenset({"P1"}),
        frozenset({"P1"}),
        kwargs=lambda w: {"child_pk": w["S1"].pk},
    ),
    Row("courses:course-list", EVERYONE, EVERYONE),
    Row("courses:search", EVERYONE, EVERYONE),
    Row("courses:saved-lessons", SIGNED_IN, None),
    Row(
        "courses:mark-done",
        None,
        C1_ALL,
        kwargs=lambda w: {"lesson_id": w["a"].lesson.pk},
    ),
    Row(
        "courses:image",
        C1_ALL,
        None,
        path=lambda w: _image_path(w["a"].image.pk),
        missing=lambda w: _image_path(987654321),
    ),
    Row(
        "lesson-short", C1_ALL, C1_ALL, kwargs=lambda w: {"lesson_id": w["a"].lesson.pk}
    ),
    Row(
        "wagtaildocs_serve",
        C1_ALL,
        C1_ALL,
        path=lambda w: f"/documents/{w['a'].document.pk}/{w['a'].document.filename}",
        missing=lambda w: f"/documents/987654321/{w['a'].document.filename}",
    ),
    Row(
        "wagtaildocs_authenticate_with_password",
        frozenset(),
        frozenset(),
        kwargs=lambda w: {"restriction_id": MISSING_ID},
    ),
    Row(
        "media",
        frozenset({"T1"}),
        frozenset({"T1"}),
        path=lambda w: "/media/" + w["a"].image.file.name,
        missing=lambda w: "/media/original_images/khong-co.png",
    ),
    Row(
        "wagtailcore_authenticate_with_password",
        frozenset(),
        frozenset(),
        kwargs=lambda w: {
            "page_view_restriction_id": MISSING_ID,
            "page_id": w["a"].lesson.pk,
        },
    ),
    Row("wagtailcore_login", EVERYONE, EVERYONE),
    Row(
        "wagtail_serve",
        C1_ALL,
        C1_ALL,
        path=lambda w: w["a"].lesson.url,
        missing=lambda w: w["a"].course.url + "khong-co/",
    ),
]


def _image_path(image_id):
    from django.urls import reverse
    from wagtail.images.utils import generate_signature

    spec = "width-400"
    signature = generate_signature(image_id, spec)
    return reverse("courses:image", args=(signature, image_id, spec)) + "anh.png"


_TITLES = ("Bài riêng", "Bài tập", "Thông báo", "Học trực tuyến", "Trắc nghiệm",
           "Kiểm tra", "Tin riêng", "Tin gia đình", "Toán")  # fmt: skip
_SCHOOL_STRINGS = {
    "A": [NAMES[k] for k in ("A1", "T1", "T2", "S1", "S2", "S3", "S4", "P1", "P2")]
    + ["Lớp 6A1", "Lớp 6A2", "Hoa Sen"]
    + [f"{title} A" for title in _TITLES],
    "B": [NAMES[k] for k in ("A2", "T3", "T4", "S5", "S6", "S7", "S8", "P3")]
    + ["Lớp 7B1", "Lớp 7B2", "Bình Minh"]
    + [f"{title} B" for title in _TITLES],
}
_SCHOOL_OF = {role: "B" if role in {"S5", "P3", "T3", "A2"} else "A" for role in ROLES}
_CHILDREN = {"P1": {"S1"}, "P2": {"S2", "S3"}, "P3": {"S6"}}


def _foreign_strings(role):
    """What an answer to ``role`` must never contain."""
    other = "B" if _SCHOOL_OF[role] == "A" else "A"
    strings = list(_SCHOOL_STRINGS[other])
    if role in _CHILDREN:
        strings += [
            NAMES[f"S{n}"] for n in range(1, 9) if f"S{n}" not in _CHILDREN[role]
        ]
    return strings


def _is_login(location):
    return location.startswith(LOGIN_PREFIXES)


def _judge(row, role, method, path, missing, client, user):
    """The faults of one cell, as readable lines (none when it holds)."""
    (status, body), location, writes = request(client, user, method, path)
    cell = f"{row.name} {method.upper()} as {role} → {status}"
    if status >= 500 and not (row.name in PROBES and status == 503):
        return [f"{cell}: a server error"]
    allowed = {"get": row.get, "post": row.post}.get(method)
    if method in ("put", "delete"):
        allowed = row.get or frozenset()
    elif allowed is None:
        if status == 405 or (role == "anon" and _is_login(location)):
            return []
        return [f"{cell}: the method should not be served (405)"]
    faults = []
    if row.name not in BEARER:
        text = body.decode("utf-8", "ignore")
        leaked = [s for s in _foreign_strings(role) if s in text]
        if leaked:
            faults.append(f"{cell}: shows {leaked}")
    if role in allowed:
        public = "anon" in allowed
        refused_login = _is_login(location) and not public
        if status in (403, 404) or refused_login:
            faults.append(f"{cell}: should be allowed")
        elif not (status < 400 or status in INPUT_REFUSED or status == 405):
            faults.append(f"{cell}: unexpected status")
        return faults
    if method in ("put", "delete") and status == 405:
        pass
    elif role == "anon" and status == 302 and _is_login(location):
        pass
    elif status != 404:
        return faults + [f"{cell}: should be refused with 404"]
    elif missing is not None:
        twin = request(client, user, method, missing)[0]
        if twin != (status, body):
            faults.append(f"{cell}: the 404 differs from a missing object's")
    if writes:
        faults.append(f"{cell}: refused but wrote to {sorted(writes)}")
    return faults


def _pattern_names(patterns, namespace=(), prefix=""):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if route.startswith(DELEGATED):
            continue
        if isinstance(entry, URLResolver):
            inner = namespace + ((entry.namespace,) if entry.namespace else ())
            yield from _pattern_names(entry.url_patterns, inner, route)
        elif isinstance(entry, URLPattern):
            yield route, ":".join(namespace + (entry.name or route,))


def test_every_url_pattern_has_a_row():
    rows = {row.name for row in ROWS}
    missing = sorted(
        f"{name} ({route})"
        for route, name in _pattern_names(get_resolver().url_patterns)
        if name not in rows
    )
    assert not missing, f"add these to the matrix's ROWS: {missing}"
    assert len(rows) == len(ROWS), "a row is declared twice"


@pytest.mark.parametrize("role", list(ROLES))
def test_each_role_gets_exactly_the_documented_answers(db, role):
    world = build_authz_world()
    client = Client()
    user = None if role == "anon" else world[role]
    faults = []
    for row in ROWS:
        path, missing = paths(row, world)
        for method in ("get", "post", "put", "delete"):
            faults += _judge(row, role, method, path, missing, client, user)
    assert not faults, "\n".join(faults)


def _cell(allowed, role):
    if allowed is None:
        return "–"
    return "✓" if role in allowed else "·"


def render_table():
    roles = list(ROLES)
    lines = [
        "| URL name | method | " + " | ".join(roles) + " |",
        "|---|---|" + "---|" * len(roles),
    ]
    for row in ROWS:
        for method, allowed in (("GET", row.get), ("POST", row.post)):
            cells = " | ".join(_cell(allowed, role) for role in roles)
            lines.append(f"| `{row.name}` | {method} | {cells} |")
    return "\n".join(lines) + "\n"


def test_the_documented_table_is_the_tested_one():
    assert_documented(
        render_table(), "matrix", "tests/security/test_authorisation_matrix.py"
    )
