"""
Room rules that need no database and no socket: rate limits, the presence
throttle, session state transitions and attendance status.

They are plain classes and functions with the clock passed in, so tests
check them synchronously and deterministically.
"""

from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils.translation import gettext_lazy as _

from live import protocol as p
from live.models import SessionStatus

# Per user, from the contract (section 5).
CHAT_LIMIT = (5, 10.0)  # 5 messages per 10 s
FRAME_LIMIT = (20, 1.0)  # 20 frames per second
PRESENCE_INTERVAL = 1.0  # at most one presence frame per second
# ...and, in a big room, at most this many presence sends a second per
# process: 3,000 sockets of a join storm get the count every 6 s, not every
# second (which cost a third of the storm's CPU in sends of a number).
PRESENCE_SENDS_PER_SECOND = 500
LATE_AFTER = timedelta(minutes=10)

OPEN, END = "open", "end"
_TRANSITIONS = {
    (SessionStatus.SCHEDULED, OPEN): SessionStatus.LIVE,
    (SessionStatus.SCHEDULED, END): SessionStatus.ENDED,
    (SessionStatus.LIVE, END): SessionStatus.ENDED,
}


class TransitionError(ValueError):
    """The session cannot go from its status through this action."""


def next_status(status: str, action: str) -> SessionStatus:
    """scheduled → live → ended; an unopened session may also be cancelled."""
    try:
        return _TRANSITIONS[(status, action)]
    except KeyError:
        raise TransitionError(f"{status} -/{action}->")


class SlidingWindow:
    """At most ``limit`` hits per ``window`` seconds, for one key."""

    def __init__(self, limit: int, window: float):
        self.limit = limit
        self.window = window
        self._hits: deque[float] = deque()

    def allow(self, now: float) -> bool:
        hits = self._hits
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        if len(hits) >= self.limit:
            return False
        hits.append(now)
        return True


@dataclass
class RateLimiter:
    """Sliding windows per (user, kind), kept in one process's memory."""

    limits: dict[str, tuple[int, float]] = field(
        default_factory=lambda: {"chat": CHAT_LIMIT, "frame": FRAME_LIMIT}
    )
    _windows: dict[tuple, SlidingWindow] = field(default_factory=dict)

    def allow(self, kind: str, key, now: float) -> bool:
        window = self._windows.get((kind, key))
        if window is None:
            window = self._windows[(kind, key)] = SlidingWindow(*self.limits[kind])
        return window.allow(now)


@dataclass
class PresenceThrottle:
    """
    Decides when a room's presence frame goes out: only when the count or
    the roster changed, and at most once per ``interval`` seconds, so a join
    burst of thousands costs one frame per second, not one per join.
    """

    interval: float = PRESENCE_INTERVAL
    last_count: int | None = None
    last_ids: frozenset = frozenset()
    last_sent: float = float("-inf")

    def due(self, now: float, audience: int = 1) -> bool:
        spacing = max(self.interval, audience / PRESENCE_SENDS_PER_SECOND)
        return now - self.last_sent >= spacing

    def count_update(self, count: int, now: float, audience: int = 1) -> dict | None:
        """The ``presence`` frame to send now to ``audience`` sockets, or None."""
        if count == self.last_count or not self.due(now, audience):
            return None
        self.last_count = count
        self.last_sent = now
        return p.presence(count)

    def roster_update(self, online: dict[int, dict]) -> dict | None:
        """The staff's ``presence.roster`` diff since the last call, or None."""
        ids = frozenset(online)
        joined = ids - self.last_ids
        left = self.last_ids - ids
        self.last_ids = ids
        if not joined and not left:
            return None
        return p.presence_roster(
            joined=[{"user_id": uid, **online[uid]} for uid in sorted(joined)],
            left=sorted(left),
        )


PRESENT, LATE, ABSENT = "present", "late", "absent"
ATTENDANCE_LABELS = {
    PRESENT: _("Có mặt"),
    LATE: _("Đi muộn"),
    ABSENT: _("Vắng"),
}


def attendance_status(
    first_join: datetime | None, starts_at: datetime, late_after=LATE_AFTER
) -> str:
    """Absent if never joined; late if first joined after start + grace."""
    if first_join is None:
        return ABSENT
    return LATE if first_join > starts_at + late_after else PRESENT
