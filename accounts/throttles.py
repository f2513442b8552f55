"""
Counters that slow down guessing, kept in the cache (Redis when it is set,
so every process shares them) and keyed on ``client_ip``:

- the password reset: per e-mail address and per client address;
- the login, per client address (security-tests AU-02): one address that
  fails with many *different* usernames is refused for a cool-off.

django-axes locks one (username, address) pair after five wrong passwords;
this limit is for the other attack, one address trying a password on many
accounts. It counts distinct usernames, not failures, so one pupil mistyping
a hundred times behind a school's NAT never blocks the 29 classmates beside
them (AU-01), and it always ends: the count is forgotten a cool-off after the
first failure it holds, never a permanent lock of a school.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache


def spend(key: str, limit: int, window: int) -> bool:
    """Count one use of ``key`` in a ``window`` of seconds; False once over ``limit``."""
    cache.add(key, 0, window)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, window)
        used = 1
    return used <= limit


def _login_key(ip: str) -> str:
    return f"login:ip:{ip}"


def login_blocked(ip: str) -> bool:
    """Whether ``ip`` has failed with too many usernames in the cool-off."""
    used = cache.get(_login_key(ip), 0)
    return used >= settings.LOPHOC_LOGIN_USERNAMES_PER_IP


def record_failed_login(ip: str, username: str) -> None:
    """Count ``username`` once for ``ip`` in the cool-off window."""
    window = settings.LOPHOC_LOGIN_IP_COOLOFF_SECONDS
    digest = hashlib.blake2b(username.casefold().encode(), digest_size=12).hexdigest()
    if cache.add(f"{_login_key(ip)}:{digest}", 1, window):
        spend(_login_key(ip), settings.LOPHOC_LOGIN_USERNAMES_PER_IP, window)
