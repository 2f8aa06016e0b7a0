"""RFM quintile mode: ranks within the portfolio, robust to ties, few accounts and zeros."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from kamtui.domain.models import Money
from kamtui.domain.rfm import (
    RfmInputs,
    measure,
    quintile_score,
    score_quintiles,
    score_rfm,
    score_rfm_portfolio,
)

AS_OF = date(2024, 6, 30)


def rfm(days: int | None, freq: int, money: float) -> RfmInputs:
    last = None if days is None else AS_OF - timedelta(days=days)
    return RfmInputs(days, freq, money, last)


def triple(s: object) -> tuple[int, int, int]:
    return (s.r, s.f, s.m)  # type: ignore[attr-defined]


def test_quintile_score_of_five_distinct_values() -> None:
    values = [1.0, 2.0, 3.0, 4.0, 5.0]
    # mid-rank percentiles 10, 30, 50, 70, 90 → 1, 2, 3, 4, 5
    assert [quintile_score(v, values)[0] for v in values] == [1, 2, 3, 4, 5]


def test_quintile_score_edges() -> None:
    assert quintile_score(7.0, [7.0]) == (3, 0.5)  # one account
    assert quintile_score(7.0, []) == (3, 0.5)
    assert quintile_score(7.0, [7.0] * 5)[0] == 3  # all equal
    ten = [float(i) for i in range(10)]
    assert [quintile_score(v, ten)[0] for v in ten] == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]


def test_ten_accounts_by_rank() -> None:
    measured = {i: rfm(10 * (i + 1), i + 1, 1000.0 * (i + 1)) for i in range(10)}
    scores = score_quintiles(measured)
    # account 0: most recent (best R), fewest purchases, least spend
    assert triple(scores[0]) == (5, 1, 1)
    assert triple(scores[9]) == (1, 5, 5)
    assert triple(scores[4]) == (3, 3, 3)
    assert scores[4].tier == 2  # 9 → tier 2 (same tier bounds as fixed mode)
    assert scores[9].criteria[3].note == "R1 + F5 + M5 = 11"


def test_equal_inputs_get_equal_scores() -> None:
    measured = {i: rfm(40, 3, 5000.0) for i in range(5)}
    scores = score_quintiles(measured)
    assert {triple(s) for s in scores.values()} == {(3, 3, 3)}


def test_ties_get_the_same_score_whatever_the_order() -> None:
    measured = {"a": rfm(5, 2, 10.0), "b": rfm(5, 2, 10.0), "c": rfm(100, 8, 99.0)}
    scores = score_quintiles(measured)
    assert triple(scores["a"]) == triple(scores["b"])
    reversed_ = score_quintiles(dict(reversed(list(measured.items()))))
    assert {k: triple(v) for k, v in reversed_.items()} == {k: triple(v) for k, v in scores.items()}


def test_shuffling_changes_nothing() -> None:
    rng = random.Random(7)
    measured = {
        i: rfm(
            rng.choice([None, 3, 3, 50, 200, 400]), rng.randint(0, 14), rng.choice([0, 10, 10, 5e4])
        )
        for i in range(40)
    }
    for i, m in measured.items():
        if m.recency_days is None:
            measured[i] = rfm(None, 0, 0.0)
    expected = {k: (triple(v), v.tier) for k, v in score_quintiles(measured).items()}
    items = list(measured.items())
    for _ in range(5):
        rng.shuffle(items)
        got = {k: (triple(v), v.tier) for k, v in score_quintiles(dict(items)).items()}
        assert got == expected


def test_one_account() -> None:
    scores = score_quintiles({1: rfm(10, 4, 45_000.0)})
    assert triple(scores[1]) == (3, 3, 3)
    assert scores[1].tier == 2


def test_all_zero_spend_and_never_purchased() -> None:
    measured = {i: rfm(None, 0, 0.0) for i in range(5)}
    scores = score_quintiles(measured)
    assert {triple(s) for s in scores.values()} == {(1, 1, 1)}
    assert all(s.tier == 3 for s in scores.values())
    assert scores[0].criteria[0].band == "never purchased"


def test_never_purchased_ranks_below_buyers() -> None:
    measured = {"never": rfm(None, 0, 0.0), "old": rfm(300, 1, 10.0), "new": rfm(1, 1, 10.0)}
    scores = score_quintiles(measured)
    assert scores["never"].r == 1
    # recency goodness: never (−inf), old (−300), new (−1) → 17%, 50%, 83% → 1, 3, 5
    assert scores["old"].r == 3 and scores["new"].r == 5


def test_empty_portfolio() -> None:
    assert score_quintiles({}) == {}


def test_portfolio_fixed_mode_matches_score_rfm() -> None:
    lines = {
        "guide": [
            Money(date(2024, 6, 10), 20_000),
            Money(date(2024, 3, 1), 10_000),
            Money(date(2024, 1, 5), 10_000),
            Money(date(2023, 9, 1), 5_000),
        ],
        "none": [],
        "refund": [Money(date(2024, 5, 1), 100), Money(date(2024, 5, 2), -500)],
    }
    fixed = score_rfm_portfolio(lines, AS_OF)
    for key, ls in lines.items():
        assert triple(fixed[key]) == triple(score_rfm(ls, AS_OF))
    assert triple(fixed["guide"]) == (5, 3, 4) and fixed["guide"].tier == 1


def test_portfolio_quintile_mode_from_lines() -> None:
    lines = {
        "guide": [Money(date(2024, 6, 10), 20_000), Money(date(2024, 3, 1), 25_000)],
        "none": [],
        # refund larger than the purchase: one purchase day, spend floored at 0 → M 1
        "refund": [Money(date(2024, 5, 1), 100), Money(date(2024, 5, 2), -500)],
    }
    q = score_rfm_portfolio(lines, AS_OF, mode="quintile")
    assert measure(lines["refund"], AS_OF).monetary == 0
    assert q["refund"].m == 1 and q["none"].m == 1 and q["none"].r == 1 and q["none"].f == 1
    assert q["guide"].m == 5  # (2 + 0.5) / 3 = 83% → 5


def test_unknown_mode_raises() -> None:
    with pytest.raises(ValueError, match="fixed, quintile"):
        score_rfm_portfolio({}, AS_OF, mode="decile")
