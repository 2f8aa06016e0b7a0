"""RFM as SPEC §3.1 defines it, with expected values worked out by hand."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from kamtui.domain.models import Money
from kamtui.domain.rfm import (
    RfmThresholds,
    frequency_score,
    measure,
    monetary_score,
    recency_score,
    score_rfm,
    tier_for,
    window_start,
)

AS_OF = date(2024, 6, 30)


def test_guide_worked_example_is_tier_1() -> None:
    # Guide: purchased <=30 days ago, 4 purchases in 12 months, $45,000 -> R5 F3 M4 = 12 -> Tier 1
    lines = [
        Money(date(2024, 6, 10), 20_000),
        Money(date(2024, 3, 1), 10_000),
        Money(date(2024, 1, 5), 10_000),
        Money(date(2023, 9, 1), 5_000),
    ]
    score = score_rfm(lines, AS_OF)
    assert (score.recency_days, score.frequency, score.monetary) == (20, 4, 45_000)
    assert (score.r, score.f, score.m, score.rfm, score.tier) == (5, 3, 4, 12, 1)
    assert [c.name for c in score.criteria] == ["recency", "frequency", "monetary", "tier"]
    assert score.criteria[3].note == "R5 + F3 + M4 = 12"


@pytest.mark.parametrize(
    ("days", "expected"),
    [(0, 5), (30, 5), (31, 4), (90, 4), (91, 3), (180, 3), (181, 2), (365, 2), (366, 1), (None, 1)],
)
def test_recency_bounds(days: int | None, expected: int) -> None:
    assert recency_score(days) == expected


@pytest.mark.parametrize(
    ("count", "expected"),
    [(0, 1), (1, 1), (2, 2), (3, 2), (4, 3), (5, 3), (6, 4), (11, 4), (12, 5), (40, 5)],
)
def test_frequency_bounds(count: int, expected: int) -> None:
    assert frequency_score(count) == expected


@pytest.mark.parametrize(
    ("amount", "expected"),
    [(0, 1), (999.99, 1), (1_000, 2), (9_999.99, 2), (10_000, 3), (25_000, 4), (100_000, 5)],
)
def test_monetary_bounds(amount: float, expected: int) -> None:
    assert monetary_score(amount) == expected


@pytest.mark.parametrize(("total", "tier"), [(3, 3), (7, 3), (8, 2), (11, 2), (12, 1), (15, 1)])
def test_tiers(total: int, tier: int) -> None:
    assert tier_for(total) == tier


def test_several_lines_on_one_day_are_one_purchase_and_returns_net() -> None:
    lines = [
        Money(date(2024, 6, 1), 300),
        Money(date(2024, 6, 1), 200),  # same day: one purchase day
        Money(date(2024, 5, 1), 100),
        Money(date(2024, 5, 1), -100),  # fully returned: not a purchase day
        Money(date(2024, 4, 1), 50),
    ]
    m = measure(lines, AS_OF)
    assert m.frequency == 2
    assert m.last_purchase == date(2024, 6, 1)
    assert m.recency_days == 29
    assert m.monetary == 550


def test_window_is_after_one_calendar_year_back_and_ignores_future_lines() -> None:
    lines = [
        Money(date(2023, 6, 30), 5_000),  # exactly one year back: outside the window
        Money(date(2023, 7, 1), 700),  # first day inside
        Money(date(2024, 7, 1), 9_999),  # after the as-of date: ignored entirely
    ]
    m = measure(lines, AS_OF)
    assert window_start(AS_OF) == date(2023, 6, 30)
    assert m.frequency == 1
    assert m.monetary == 700
    assert m.recency_days == (AS_OF - date(2023, 7, 1)).days


def test_refunds_larger_than_purchases_floor_monetary_at_zero() -> None:
    lines = [Money(date(2024, 6, 1), 1_000), Money(date(2024, 6, 2), -5_000)]
    s = score_rfm(lines, AS_OF)
    assert s.monetary == 0
    assert s.frequency == 1  # 1 June is still a purchase day
    assert (s.r, s.f, s.m) == (5, 1, 1)


def test_no_transactions_is_never_purchased() -> None:
    s = score_rfm([], AS_OF)
    assert s.recency_days is None and s.inputs.last_purchase is None
    assert (s.r, s.f, s.m, s.rfm, s.tier) == (1, 1, 1, 3, 3)


def test_purchase_older_than_window_still_counts_for_recency() -> None:
    s = score_rfm([Money(AS_OF - timedelta(days=400), 50_000)], AS_OF)
    assert (s.recency_days, s.frequency, s.monetary, s.r) == (400, 0, 0, 1)


def test_leap_day_window() -> None:
    assert window_start(date(2024, 2, 29)) == date(2023, 2, 28)


def test_thresholds_are_checked() -> None:
    with pytest.raises(ValueError, match="increase"):
        RfmThresholds(recency_days=(90, 30, 180, 365))
    with pytest.raises(ValueError, match="four bounds"):
        RfmThresholds(frequency=(12, 6, 4))  # type: ignore[arg-type]


def test_custom_thresholds_change_scores() -> None:
    t = RfmThresholds(monetary=(1_000_000, 500_000, 100_000, 50_000))
    assert monetary_score(45_000, t) == 1


@pytest.mark.parametrize(
    ("n", "text"),
    [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"), (13, "13th"),
     (18.2, "18th"), (21, "21st"), (22.4, "22nd"), (96.2, "96th"), (100, "100th"), (101, "101st")],
)  # fmt: skip
def test_ordinals_read_as_english(n: float, text: str) -> None:
    from kamtui.domain.models import ordinal

    assert ordinal(n) == text
