"""
Pure rules of the live quiz game: points, timing, ranking, nicknames and
the answer counts. No database, no channel layer, no clock reads: every
function takes the times it needs, so the rules are testable alone. (What
students may see of a question is ``live.protocol.quiz_question_body``.)

The contract (``docs/live-protocol.md``, section 5):

* a correct answer earns ``round(1000 × (1 − elapsed / time_limit / 2))``
  points, ``elapsed`` measured by the server from ``opens_at`` to receipt;
  a wrong or missing answer earns 0;
* answers received after ``closes_at`` are refused;
* ranking: higher score first, ties broken by the earlier total answer time.

Leaderboards show a nickname, never a full name (security test QZ-03): the
given name (the last word of a Vietnamese name) plus the initial of the
family name (the first word), e.g. "Nguyễn Văn An" → "An N.".
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

MAX_POINTS = 1000
PODIUM_SIZE = 10
RESULT_LEADERBOARD_SIZE = 5


def elapsed_ms(opens_at: datetime, received_at: datetime, time_limit_ms: int) -> int:
    """Server-measured answer time in ms, clamped to ``[0, time_limit_ms]``."""
    delta = received_at - opens_at
    millis = delta.days * 86_400_000 + delta.seconds * 1000 + delta.microseconds // 1000
    return max(0, min(millis, time_limit_ms))


def is_late(received_at: datetime, closes_at: datetime) -> bool:
    """Whether an answer received at ``received_at`` missed the deadline."""
    return received_at > closes_at


def points_for(*, correct: bool, elapsed: int, time_limit_ms: int) -> int:
    """Points of one answer: the contract's formula, rounded half up.

    Computed in integers so that no float rounding can change a score:
    ``1000 × (1 − e / (2L)) = 1000 × (2L − e) / (2L)``.
    """
    if not correct or time_limit_ms <= 0:
        return 0
    elapsed = max(0, min(elapsed, time_limit_ms))
    numerator = MAX_POINTS * (2 * time_limit_ms - elapsed)
    denominator = 2 * time_limit_ms
    return (2 * numerator + denominator) // (2 * denominator)


def nickname(full_name: str) -> str:
    """The leaderboard name: given name plus family initial ("An N.")."""
    words = (full_name or "").split()
    if not words:
        return "?"
    if len(words) == 1:
        return words[0]
    return f"{words[-1]} {words[0][0].upper()}."


@dataclass(frozen=True)
class Standing:
    """One student's running total in a run."""

    student_id: int
    name: str
    score: int
    total_ms: int


def rank_standings(standings: Iterable[Standing]) -> list[tuple[int, Standing]]:
    """Order by score (high first), then total answer time (low first).

    Returns ``(rank, standing)`` pairs; students equal on both keys share a
    rank (competition ranking, "1, 2, 2, 4"). The student id only makes the
    order of such exact ties deterministic.
    """
    ordered = sorted(standings, key=lambda s: (-s.score, s.total_ms, s.student_id))
    ranked: list[tuple[int, Standing]] = []
    for position, standing in enumerate(ordered, start=1):
        if ranked and (ranked[-1][1].score, ranked[-1][1].total_ms) == (
            standing.score,
            standing.total_ms,
        ):
            ranked.append((ranked[-1][0], standing))
        else:
            ranked.append((position, standing))
    return ranked


def leaderboard(ranked: Sequence[tuple[int, Standing]], size: int) -> list[dict]:
    """The first ``size`` entries as ``{"name", "score"}`` with nicknames."""
    return [
        {"name": nickname(standing.name), "score": standing.score}
        for _rank, standing in ranked[:size]
    ]


def histogram(choice_ids: Iterable[int], chosen: Iterable[int]) -> dict[str, int]:
    """Counts per choice, every choice present (JSON keys are strings)."""
    counts = {str(choice_id): 0 for choice_id in choice_ids}
    for choice_id in chosen:
        key = str(choice_id)
        if key in counts:
            counts[key] += 1
    return counts


def most_chosen_wrong(
    counts: Mapping[str, int], correct_choice_ids: Iterable[int]
) -> int | None:
    """The wrong choice most students picked, or ``None`` if none was picked."""
    correct = {str(c) for c in correct_choice_ids}
    wrong = [(n, key) for key, n in counts.items() if key not in correct and n > 0]
    if not wrong:
        return None
    best = max(wrong, key=lambda pair: (pair[0], -int(pair[1])))
    return int(best[1])
