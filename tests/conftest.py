"""Shared fixtures. Test-only speed-ups live here, not in a settings module."""

import os
from contextlib import ExitStack

import pytest

from tests.factories import (
    ClassroomFactory,
    ParentFactory,
    SchoolAdminFactory,
    StudentFactory,
    TeacherFactory,
)
from tests.signals import caught
from tests.worlds import World, make_world


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix, tmp_path_factory
):
    """
    On SQLite the test database is a file, as the platform's own is. Django's
    default in-memory test database is one connection shared by every thread
    of the live server, so two images a lesson page asks for at once raised
    "database table is locked" (a 500 no real server gives): the offline
    tests failed about one run in three.
    """
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        name = tmp_path_factory.mktemp("db") / "test-lophoc.sqlite3"
        database.setdefault("TEST", {})["NAME"] = str(name)


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.AXES_ENABLED = False
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "files.storage.PrivateStorage",
            "OPTIONS": {"location": tmp_path / "private-media"},
        },
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def pytest_report_header(config):
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    layer = settings.CHANNEL_LAYERS["default"]["BACKEND"].rsplit(".", 1)[-1]
    profile = "real services" if os.environ.get("DATABASE_URL") else "embedded default"
    return (
        f"Lophoc test profile: {profile} (database: {engine}, channel layer: {layer})"
    )


@pytest.fixture
def catch_signal():
    """
    ``catch_signal(signal)`` returns the list of what ``signal`` is sent
    during the test; only that receiver is disconnected afterwards.
    """
    with ExitStack() as stack:
        yield lambda signal: stack.enter_context(caught(signal))


@pytest.fixture
def world(db) -> World:
    """The authorisation world of docs/security-tests.md (``tests.worlds``)."""
    return make_world()


@pytest.fixture
def teacher(db):
    return TeacherFactory()


@pytest.fixture
def student(db):
    return StudentFactory()


@pytest.fixture
def parent(db):
    return ParentFactory()


@pytest.fixture
def school_admin(db):
    return SchoolAdminFactory()


@pytest.fixture
def classroom(db, teacher):
    return ClassroomFactory(homeroom_teacher=teacher)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """
    Run the browser tests last. Playwright's sync API keeps an event loop
    running in the main thread for as long as the session-scoped browser
    lives, and async tests that ran after it would fail with "cannot be
    called from a running event loop". pytest-django has already ordered the
    items by database use; this keeps that order within each group.
    """
    items.sort(key=lambda item: item.get_closest_marker("e2e") is not None)
