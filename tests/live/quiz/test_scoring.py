"""The pure quiz rules: points, lateness, ranking, nicknames, secrecy."""

import json
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from live import protocol as p
from live.quiz import scoring
from tests.live.quiz_support import answer_key_paths

OPENS = datetime(2026, 11, 22, 8, 0, 0, tzinfo=UTC)


def test_instant_correct_answer_earns_1000_and_last_moment_earns_500():
    assert scoring.points_for(correct=True, elapsed=0, time_limit_ms=20_000) == 1000
    assert scoring.points_for(correct=True, elapsed=20_000, time_limit_ms=20_000) == 500
    assert scoring.points_for(correct=True, elapsed=5_000, time_limit_ms=20_000) == 875


def test_wrong_answer_earns_nothing():
    assert scoring.points_for(correct=False, elapsed=0, time_limit_ms=20_000) == 0


def test_half_point_rounds_up():
    # 1000 × (1 − 1/1000/2) = 999.5 → 1000; 1000 × (1 − 5/1000/2) = 997.5 → 998.
    assert scoring.points_for(correct=True, elapsed=1, time_limit_ms=1000) == 1000
    assert scoring.points_for(correct=True, elapsed=5, time_limit_ms=1000) == 998
    # 1000 × (1 − 3/1000/2) = 998.5 → 999; 1000 × (1 − 1/3000/2) = 999.83 → 1000.
    assert scoring.points_for(correct=True, elapsed=3, time_limit_ms=1000) == 999
    assert scoring.points_for(correct=True, elapsed=1, time_limit_ms=3000) == 1000


@given(
    limit=st.integers(min_value=5_000, max_value=600_000),
    elapsed=st.integers(min_value=-10_000, max_value=700_000),
)
def test_points_follow_the_contract_formula(limit, elapsed):
    clamped = max(0, min(elapsed, limit))
    expected = 1000 * (1 - clamped / limit / 2)
    points = scoring.points_for(correct=True, elapsed=elapsed, time_limit_ms=limit)
    assert abs(points - expected) <= 0.5 + 1e-9
    assert 500 <= points <= 1000


@given(
    limit=st.integers(min_value=5_000, max_value=600_000),
    a=st.integers(min_value=0, max_value=600_000),
    b=st.integers(min_value=0, max_value=600_000),
)
def test_a_faster_correct_answer_never_earns_less(limit, a, b):
    fast, slow = sorted((a, b))
    assert scoring.points_for(
        correct=True, elapsed=fast, time_limit_ms=limit
    ) >= scoring.points_for(correct=True, elapsed=slow, time_limit_ms=limit)


def test_elapsed_is_measured_from_opening_and_clamped():
    limit = 20_000
    assert scoring.elapsed_ms(OPENS, OPENS + timedelta(seconds=3.25), limit) == 3250
    assert scoring.elapsed_ms(OPENS, OPENS - timedelta(seconds=1), limit) == 0
    assert scoring.elapsed_ms(OPENS, OPENS + timedelta(seconds=99), limit) == limit


def test_answer_after_close_is_late_and_at_close_is_not():
    closes = OPENS + timedelta(seconds=20)
    assert scoring.is_late(closes + timedelta(milliseconds=1), closes)
    assert not scoring.is_late(closes, closes)


def test_ties_rank_by_earlier_total_answer_time():
    standings = [
        scoring.Standing(1, "Nguyễn Văn An", 1500, 9000),
        scoring.Standing(2, "Trần Thị Bình", 1500, 4000),
        scoring.Standing(3, "Lê Minh Châu", 1900, 20000),
        scoring.Standing(4, "Phạm Dũng", 1500, 4000),
    ]
    ranked = scoring.rank_standings(standings)
    assert [(rank, s.student_id) for rank, s in ranked] == [
        (1, 3),
        (2, 2),
        (2, 4),
        (4, 1),
    ]


@given(
    st.lists(
        st.tuples(st.integers(0, 5000), st.integers(0, 100_000)),
        min_size=1,
        max_size=40,
    )
)
def test_ranking_is_ordered_by_score_then_time(pairs):
    standings = [
        scoring.Standing(i, f"Học Sinh {i}", score, ms)
        for i, (score, ms) in enumerate(pairs)
    ]
    ranked = scoring.rank_standings(standings)
    keys = [(-s.score, s.total_ms) for _r, s in ranked]
    assert keys == sorted(keys)
    assert ranked[0][0] == 1
    for (rank_a, a), (rank_b, b) in zip(ranked, ranked[1:], strict=False):
        same = (a.score, a.total_ms) == (b.score, b.total_ms)
        assert (rank_a == rank_b) if same else (rank_b > rank_a)


def test_leaderboard_shows_nicknames_never_full_names():
    ranked = scoring.rank_standings(
        [
            scoring.Standing(1, "Nguyễn Văn An", 900, 1),
            scoring.Standing(2, "Bình", 0, 1),
        ]
    )
    board = scoring.leaderboard(ranked, 5)
    assert board == [{"name": "An N.", "score": 900}, {"name": "Bình", "score": 0}]
    assert "Nguyễn Văn An" not in json.dumps(board, ensure_ascii=False)


def test_nickname_of_an_empty_name_is_a_placeholder():
    assert scoring.nickname("  ") == "?"
    assert scoring.nickname("đặng thị mai") == "mai Đ."


def test_histogram_counts_every_choice_and_ignores_foreign_ids():
    assert scoring.histogram([5, 6, 7], [5, 5, 7, 99]) == {"5": 2, "6": 0, "7": 1}


def test_most_chosen_wrong_choice():
    assert scoring.most_chosen_wrong({"5": 9, "6": 3, "7": 4}, [5]) == 7
    assert scoring.most_chosen_wrong({"5": 9, "6": 0}, [5]) is None


choice_st = st.fixed_dictionaries(
    {
        "id": st.integers(1, 10**6),
        "text": st.text(max_size=30),
        "is_correct": st.booleans(),
        "correct": st.booleans(),
        "explanation": st.text(max_size=10),
        "score": st.integers(),
    }
)


@given(
    choices=st.lists(choice_st, min_size=2, max_size=6),
    limit=st.integers(5_000, 600_000),
    index=st.integers(0, 50),
)
def test_question_payload_never_carries_the_answer_key(choices, limit, index):
    payload = p.quiz_question_body(
        run_id=1,
        question_id=2,
        index=index,
        count=index + 1,
        text="2 + 2 = ?",
        choices=choices,
        opens_at=OPENS,
        closes_at=OPENS + timedelta(milliseconds=limit),
        time_limit_ms=limit,
    )
    assert answer_key_paths(payload) == []
    # The order of choices is the teacher's order, never sorted by truth.
    assert [c["id"] for c in payload["choices"]] == [c["id"] for c in choices]
    assert payload["closes_at"].endswith("Z") and len(payload["closes_at"]) == 24
