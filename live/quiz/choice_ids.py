"""
The ids and order in which a run shows a question's choices.

Authors tend to write the right answer first, and choices' primary keys
follow the order they were written in: sent as they are, they would give the
answer away (``choices`` sorted by ``id``), and a pupil who played the same
quiz before would know which id was right. So each run shows every question's
choices under ids of its own, keyed on the server's secret, and in the order
of those ids: shuffled per question at each run, the same in every process
and after every reconnect, and meaningless without the key. The database
keeps the real choice ids; only frames carry these.
"""

import hashlib
import hmac
from collections.abc import Iterable

from django.conf import settings

ID_BITS = 31  # a positive id that every JSON client reads as an exact integer


def _mac(run_id: int, choice_pk: int, salt: int) -> int:
    message = f"lophoc.quiz.choice:{run_id}:{choice_pk}:{salt}".encode()
    digest = hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big") % ((1 << ID_BITS) - 1) + 1


def wire_ids(run_id: int, choice_pks: Iterable[int]) -> dict[int, int]:
    """Choice primary key → the id this run shows, for one question's choices.

    Two choices of a question that would share an id (about one chance in
    10⁸) move on to the next salt, which is the same for every process.
    """
    pks = sorted(set(choice_pks))
    salt = 0
    while True:
        ids = {pk: _mac(run_id, pk, salt) for pk in pks}
        if len(set(ids.values())) == len(ids):
            return ids
        salt += 1


def real_ids(run_id: int, choice_pks: Iterable[int]) -> dict[int, int]:
    """The reverse: shown id → choice primary key."""
    return {wire: pk for pk, wire in wire_ids(run_id, choice_pks).items()}


def shown_order(run_id: int, choices: Iterable) -> list:
    """A question's choices (anything with ``pk``) in this run's order."""
    choices = list(choices)
    ids = wire_ids(run_id, [c.pk for c in choices])
    return sorted(choices, key=lambda c: ids[c.pk])
