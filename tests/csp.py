"""Read a Content-Security-Policy header as directives.

django-csp does not promise the order of directives, so tests compare
directives, never substrings of the header.
"""


def directives(policy: str) -> dict[str, str]:
    """``"a x; b y z"`` -> ``{"a": "x", "b": "y z"}``."""
    parsed = {}
    for part in policy.split(";"):
        name, _, value = part.strip().partition(" ")
        if name:
            parsed[name] = value.strip()
    return parsed
