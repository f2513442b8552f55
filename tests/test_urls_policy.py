"""
AZ-11: every URL pattern, including ones added later, answers an anonymous GET
with a login redirect or a 404, unless it is on the public allowlist below
with a reason. The URLconf is walked, each converter filled with a sample
value, and the sample checked to resolve to the same view before it is hit.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern, RoutePattern

# Public on purpose: (path prefix or exact sample path, reason).
PUBLIC = {
    "/accounts/login/": "the login form itself",
    "/accounts/password/reset/": "password reset by email, for signed-out users",
    "/accounts/password/reset/done/": "static 'check your email' page",
    "/accounts/password/reset/1/1/": "confirm link; an invalid token shows 'invalid link'",
    "/accounts/password/reset/complete/": "static 'password changed' page",
    "/accounts/logout/": "POST only (405 on GET); logging out needs no login",
    "/i18n/setlang/": "POST only (405 on GET); the language switch on the login page",
    "/_util/login/": "Wagtail's login form for password/login-restricted pages",
    "/learn/": "course list: only courses the visitor may read (courses.permissions)",
    "/learn/search/": "lesson search: lists only lessons the visitor may open",
    "/sw.js": "the service worker script: code, no one's data (docs/offline.md)",
    "/manifest.webmanifest": "the installable app's manifest: names and icons",
    "/favicon.ico": "the site icon",
    "/offline/": "the offline page, rendered as for a visitor (no name, no token)",
    "/csrf/": "sets a CSRF cookie (and, asked for JSON, gives the token) for forms on saved pages and the homework queue",
    "/homework/1/queued/": "POST only (405 on GET): homework from the phone's queue, handed in as its signed upload ticket's pupil (assignments.tickets); CSRF checked",
    "/healthz": "liveness probe for the supervisor: says 'ok', nothing else",
    "/readyz": "readiness probe for nginx/monitoring: names services, no data",
}
# Trees guarded by their own framework (path prefix: reason).
DELEGATED = {
    "/admin/": "Wagtail admin: every view requires admin access (own login)",
    "/django-admin/": "Django admin: every view requires staff login",
    "/static/": "static files served in DEBUG only",
}
CATCH_ALL_REASON = "Wagtail page serving: page privacy is enforced per page"

SAMPLES = {
    "int": "1",
    "str": "1",
    "slug": "1",
    "path": "1",
    "uuid": "00000000-0000-0000-0000-000000000001",
}
LOGIN_PREFIXES = ("/accounts/login/", "/admin/login/", "/django-admin/login/")


def _route_sample(pattern: RoutePattern) -> str:
    route = str(pattern._route)

    def fill(match):
        converter = match[1] or "str"
        return SAMPLES.get(converter, "1")

    return re.sub(r"<(?:(\w+):)?\w+>", fill, route)


def _regex_sample(pattern: RegexPattern) -> str | None:
    regex = pattern._regex.lstrip("^").rstrip("$").rstrip("\\Z")
    regex = re.sub(r"\[[^\]]*\][*+]?|\\d[*+]?|\\w[*+]?|\.[*+]", "1", regex)
    regex = re.sub(r"\(\?P<\w+>(\w+)(?:\|[\w|]*)?\)", r"\1", regex)  # a|b → a
    regex = re.sub(r"\(\?P<\w+>[^)]*\)", "1", regex)
    regex = re.sub(r"\([^)]*\)", "1", regex)
    regex = regex.replace("\\.", ".").replace("\\-", "-")
    if re.search(r"[\\()\[\]{}*+?|^$]", regex):
        return None
    return regex


def _walk(patterns, prefix=""):
    for entry in patterns:
        pattern = entry.pattern
        if isinstance(pattern, RoutePattern):
            part = _route_sample(pattern)
        else:
            part = _regex_sample(pattern)
        if part is None:
            yield prefix + str(pattern), None, entry
            continue
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + part)
        elif isinstance(entry, URLPattern):
            yield prefix + str(pattern), "/" + prefix + part, entry


def _delegated(path: str) -> bool:
    return any(path.startswith(prefix) for prefix in DELEGATED)


def _cases():
    cases = []
    for label, sample, entry in _walk(get_resolver().url_patterns):
        if _delegated(sample or "/" + label) or entry.name == "wagtail_serve":
            continue  # the catch-all: see CATCH_ALL_REASON
        cases.append(pytest.param(sample, entry, id=label or "(root)"))
    return cases


@pytest.mark.parametrize(("sample", "entry"), _cases())
def test_anonymous_get_is_a_login_redirect_or_404(client, db, sample, entry):
    if sample is None:
        pytest.fail(f"cannot build a sample URL for {entry.pattern}: add a policy")
    if sample in PUBLIC:
        return
    match = resolve(sample)
    if match.url_name == entry.name and match.func != entry.callback:
        # A third-party view replaced on purpose by an earlier pattern of the
        # same name (Wagtail's document serve by courses.views.serve_document,
        # for byte ranges): the replacement is tested as its own case.
        return
    assert match.func == entry.callback, f"{sample} resolves to another view"
    response = client.get(sample)
    if response.status_code == 405:
        # A POST-only view may refuse GET outright (it says nothing about any
        # object), but an anonymous POST must meet the same policy.
        response = client.post(sample)
    _assert_login_redirect_or_404(sample, response)


def _assert_login_redirect_or_404(sample, response):
    if response.status_code in (301, 302):
        assert response["Location"].startswith(LOGIN_PREFIXES), response["Location"]
    else:
        assert response.status_code == 404, f"{sample} answered {response.status_code}"


@pytest.mark.parametrize("path", list(PUBLIC))
def test_public_pages_answer_without_an_error(client, db, path):
    assert client.get(path).status_code in (200, 302, 405)


def test_the_walk_finds_every_app(db):
    samples = [sample for _label, sample, _entry in _walk(get_resolver().url_patterns)]
    for prefix in ("/classes/", "/accounts/"):
        assert any(s and s.startswith(prefix) for s in samples), prefix
