"""
CF-05, the minimums: what ``requirements.txt`` pins, and what is installed,
is at or above the first release that fixed each advisory the catalogue
names (daphne 4.2.2, Wagtail 7.0.9 / 8.0.x, Pillow 12.3, Django's 5.2 line).
A hashed lock file and an offline advisory snapshot come with the production
install (issue #19).
"""

from importlib.metadata import version
from pathlib import Path

import pytest
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
MINIMUMS = {
    "daphne": "4.2.2",
    "wagtail": "8.0",
    "pillow": "12.3",
    "django": "5.2.9",
}


def _pins():
    pins = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if "==" in line:
            name, _, pinned = line.partition("==")
            pins[name.split("[")[0].strip().lower()] = pinned.strip()
    return pins


@pytest.mark.parametrize("package", sorted(MINIMUMS))
def test_pinned_and_installed_versions_meet_the_advisory_minimums(package):
    floor = Version(MINIMUMS[package])
    pinned = Version(_pins()[package])
    assert pinned >= floor
    assert Version(version(package)) == pinned  # what runs is what is pinned


def test_django_stays_on_the_5_2_lts_line():
    assert Version(_pins()["django"]).release[:2] == (5, 2)


def test_every_runtime_dependency_is_pinned_exactly():
    lines = [
        line.split("#")[0].strip()
        for line in (ROOT / "requirements.txt").read_text().splitlines()
    ]
    loose = [line for line in lines if line and "==" not in line]
    assert loose == []
