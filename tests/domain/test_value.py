"""Account value (SPEC §3.2) and priority, with expected values worked out by hand."""

from __future__ import annotations

import pytest

from kamtui.domain.inputs import AccountFacts
from kamtui.domain.value import (
    ValueConfig,
    ValueWeights,
    gross_margin,
    margin_score,
    percentile_rank,
    points_of,
    priority,
    revenue_basis,
    revenue_score,
    score_value,
)

PORTFOLIO = [10_000.0, 20_000.0, 45_000.0, 80_000.0, 120_000.0]


def facts(**kw: object) -> AccountFacts:
    base: dict[str, object] = {"id": 1, "name": "Acme"}
    base.update(kw)
    return AccountFacts(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "expected"),
    [(10_000, 10.0), (20_000, 30.0), (45_000, 50.0), (80_000, 70.0), (120_000, 90.0)],
)
def test_percentile_is_mid_rank(value: float, expected: float) -> None:
    assert percentile_rank(value, PORTFOLIO) == pytest.approx(expected)


def test_percentile_ties_share_one_rank() -> None:
    values = [10.0, 10.0, 20.0, 30.0]
    # 10: (0 below + 2 equal / 2) / 4 = 25%; 20: (2 + 0.5) / 4 = 62.5%
    assert percentile_rank(10.0, values) == 25.0
    assert percentile_rank(20.0, values) == 62.5
    assert percentile_rank(5.0, [5.0]) == 50.0  # a single account
    assert percentile_rank(5.0, []) == 50.0
    assert percentile_rank(7.0, [7.0] * 5) == 50.0  # five equal accounts


@pytest.mark.parametrize(
    ("pct", "score"), [(100, 5), (80, 5), (79.9, 4), (60, 4), (40, 3), (20, 2), (19.9, 1), (0, 1)]
)
def test_revenue_cut_offs(pct: float, score: int) -> None:
    assert revenue_score(pct) == score


@pytest.mark.parametrize(
    ("margin", "score"),
    [(75, 5), (60, 5), (59.99, 4), (45, 4), (30, 3), (29.9, 2), (15, 2), (14.9, 1), (-20, 1)],
)
def test_profitability_bands_from_spec(margin: float, score: int) -> None:
    assert margin_score(margin) == score


def test_points_mapping() -> None:
    assert [points_of(s) for s in (1, 2, 3, 4, 5)] == [0, 25, 50, 75, 100]


def test_worked_example_all_criteria() -> None:
    # ACV 120k is the 90th percentile → 5 (100 pts); fit 4 (75); growth 3 (50);
    # margin 50% → 4 (75); partnership 2 (25).
    # 0.30×100 + 0.20×75 + 0.20×50 + 0.15×75 + 0.15×25 = 30 + 15 + 10 + 11.25 + 3.75 = 70.0
    f = facts(
        acv=120_000,
        rating_strategic_fit=4,
        rating_growth=3,
        rating_partnership=2,
        gross_margin_pct=50,
    )
    v = score_value(f, 0.0, PORTFOLIO)
    assert v.score == 70.0
    assert v.missing == ()
    assert [c.name for c in v.criteria] == [
        "revenue",
        "strategic_fit",
        "growth",
        "profitability",
        "partnership",
    ]
    assert [c.points for c in v.criteria] == [5, 4, 3, 4, 2]
    assert [c.weight for c in v.criteria] == [30, 20, 20, 15, 15]
    assert v.revenue_source == "acv" and v.percentile == 90.0


def test_missing_rating_is_renormalised_not_zero() -> None:
    # growth not rated: weights 30+20+15+15 = 80 remain.
    # (30×100 + 20×75 + 15×75 + 15×25) / 80 = 6000 / 80 = 75.0
    f = facts(acv=120_000, rating_strategic_fit=4, rating_partnership=2, gross_margin_pct=50)
    v = score_value(f, 0.0, PORTFOLIO)
    assert v.score == 75.0
    assert v.missing == ("growth",)
    growth = v.criteria[2]
    assert growth.band == "missing" and growth.weight == 0.0
    assert v.criteria[0].weight == pytest.approx(37.5)  # 30 / 80


def test_out_of_range_rating_is_ignored() -> None:
    f = facts(acv=120_000, rating_strategic_fit=9)
    v = score_value(f, 0.0, PORTFOLIO)
    assert "strategic_fit" in v.missing
    # only revenue (score 5) and nothing else: 100
    assert v.score == 100.0


def test_trailing_revenue_used_when_acv_missing() -> None:
    f = facts(acv=None)
    assert revenue_basis(f, 45_000) == (45_000, "revenue_12m")
    v = score_value(f, 45_000, PORTFOLIO)
    assert v.revenue_source == "revenue_12m"
    assert v.percentile == 50.0 and v.criteria[0].points == 3
    # only the revenue criterion has data: 50 points
    assert v.score == 50.0


def test_no_transactions_and_no_acv_scores_lowest_revenue() -> None:
    v = score_value(facts(), 0.0, [0.0, *PORTFOLIO])
    # 0 is the lowest of 6: (0 + 0.5) / 6 = 8.3rd percentile → 1 → 0 points
    assert v.criteria[0].points == 1
    assert v.score == 0.0


def test_refunds_larger_than_purchases_floor_revenue_at_zero() -> None:
    assert revenue_basis(facts(), -5_000) == (0.0, "revenue_12m")


def test_single_account_portfolio() -> None:
    f = facts(acv=50_000)
    v = score_value(f, 0.0, [50_000])
    assert v.percentile == 50.0 and v.score == 50.0
    # an empty portfolio list counts the account alone
    assert score_value(f, 0.0, []).score == 50.0


def test_margin_from_cost_to_serve() -> None:
    f = facts(acv=100_000, cost_to_serve=70_000)
    margin, how = gross_margin(f, 100_000)
    assert margin == 30.0 and "cost" in how
    v = score_value(f, 0.0, [100_000])
    assert v.criteria[3].points == 3
    # revenue 3 (50 pts, w30) + profitability 3 (50 pts, w15) → 50.0
    assert v.score == 50.0
    # the account's own gross margin % wins over cost to serve
    assert gross_margin(facts(acv=100_000, cost_to_serve=70_000, gross_margin_pct=65), 1)[0] == 65
    # no revenue: no margin
    assert gross_margin(facts(cost_to_serve=10), 0.0)[0] is None


def test_custom_weights_change_the_score() -> None:
    cfg = ValueConfig(weights=ValueWeights(100, 0, 0, 0, 0))
    f = facts(acv=120_000, rating_strategic_fit=1, gross_margin_pct=0)
    assert score_value(f, 0.0, PORTFOLIO, cfg).score == 100.0


@pytest.mark.parametrize(
    "weights", [(30, 20, 20, 15, 10), (50, 20, 20, 15, 15), (110, -10, 0, 0, 0)]
)
def test_weights_must_sum_to_100(weights: tuple[float, ...]) -> None:
    with pytest.raises(ValueError, match=r"sum to 100|negative"):
        ValueWeights(*weights)


def test_weights_error_message_shows_the_sum() -> None:
    with pytest.raises(ValueError, match=r"got 95 \(revenue 30 \+ strategic_fit 20"):
        ValueWeights(30, 20, 20, 15, 10)


def test_priority_tier_dominates_value() -> None:
    assert priority(1, 0.0) == 3000.0
    assert priority(2, 100.0) == 2100.0
    assert priority(3, 42.5) == 1042.5
    assert priority(1, None) == 3000.0
    ranked = sorted([(2, 99.9), (1, 0.0), (3, 100.0), (1, 50.0)], key=lambda t: -priority(*t))
    assert ranked == [(1, 50.0), (1, 0.0), (2, 99.9), (3, 100.0)]
