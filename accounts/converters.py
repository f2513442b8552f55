"""
The ``<id:…>`` URL converter every app's urls use instead of ``<int:…>``.

An id above the databases' bigint (2**63-1) names no row: it resolves to no
URL (a 404) before any query can overflow. Registered once, in
``AccountsConfig.ready`` (issue #12).
"""

from django.urls.converters import IntConverter

MAX_ID = 2**63 - 1


class IdConverter(IntConverter):
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValueError(value)  # Django then tries the next pattern / 404s
        return number
