"""Each run shows a question's choices shuffled, under ids that give nothing away."""

from collections import Counter

import pytest

from live.quiz import choice_ids, selectors, services
from tests.live.quiz_support import make_room

pytestmark = pytest.mark.django_db


def test_the_right_answer_written_first_lands_anywhere_across_runs():
    counts = Counter()
    pks = [101, 102, 103, 104]  # 101 written first: the right answer
    for run_id in range(1, 201):
        ids = choice_ids.wire_ids(run_id, pks)
        order = sorted(pks, key=ids.get)
        counts[order.index(101)] += 1
    # 200 runs, four places: each place gets the right answer often.
    assert set(counts) == {0, 1, 2, 3}
    assert min(counts.values()) >= 30


def test_ids_are_per_run_and_say_nothing_of_the_authoring_order():
    pks = [7, 8, 9, 10]
    first, second = choice_ids.wire_ids(1, pks), choice_ids.wire_ids(2, pks)
    assert set(first.values()).isdisjoint(second.values())
    ascending = sum(
        sorted(pks, key=choice_ids.wire_ids(run, pks).get) == pks for run in range(100)
    )
    assert ascending < 15  # 1 in 24 by chance, not always
    assert all(0 < i < 2**31 for i in first.values())


def test_ids_are_the_same_in_every_process_and_decode_back():
    ids = choice_ids.wire_ids(5, [3, 1, 2])
    assert choice_ids.wire_ids(5, [1, 2, 3]) == ids
    assert choice_ids.real_ids(5, [1, 2, 3]) == {v: k for k, v in ids.items()}


def test_two_choices_that_would_share_an_id_get_distinct_ones(monkeypatch):
    real_mac = choice_ids._mac
    monkeypatch.setattr(
        choice_ids,
        "_mac",
        lambda run, pk, salt: 42 if salt == 0 else real_mac(run, pk, salt),
    )
    ids = choice_ids.wire_ids(1, [1, 2])
    assert len(set(ids.values())) == 2


def test_the_question_frame_shows_shuffled_choices_that_an_answer_can_use():
    room = make_room(students=1)
    run = services.start_quiz(
        session_id=room.session.pk, quiz_id=room.quiz.pk, user=room.teacher
    )
    _results, item = services.open_next_question(
        session_id=room.session.pk, user=room.teacher
    )
    frame = selectors.question_body(item)
    shown = [c["id"] for c in frame["choices"]]
    assert shown == sorted(shown)  # the run's order is the order of its ids
    real = {c.pk for c in room.question(0).choices.all()}
    assert set(shown).isdisjoint(real)
    right = room.right(0)
    right_shown = choice_ids.wire_ids(run.pk, real)[right.pk]
    assert (
        next(c["text"] for c in frame["choices"] if c["id"] == right_shown)
        == right.text
    )
