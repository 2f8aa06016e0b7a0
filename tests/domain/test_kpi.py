"""KPIs per account and per period (SPEC §3.4), expected values worked out by hand."""

from __future__ import annotations

from datetime import date

import pytest

from kamtui.domain import kpi
from kamtui.domain.inputs import AccountFacts, AccountInputs, ActivityFact, KpiFact
from kamtui.domain.models import Money

AS_OF = date(2026, 12, 3)


def by_metric(values: tuple[kpi.KpiValue, ...]) -> dict[str, kpi.KpiValue]:
    return {v.metric: v for v in values}


def test_period_helpers() -> None:
    assert kpi.period_of(date(2026, 2, 5)) == "2026-02"
    assert kpi.period_of(date(2026, 2, 5), "quarter") == "2026-Q1"
    assert kpi.period_of(date(2026, 10, 1), "quarter") == "2026-Q4"
    assert kpi.period_bounds("2026-Q4") == (date(2026, 10, 1), date(2026, 12, 31))
    assert kpi.period_bounds("2024-02") == (date(2024, 2, 1), date(2024, 2, 29))
    assert kpi.period_bounds("2026-12") == (date(2026, 12, 1), date(2026, 12, 31))
    assert kpi.shift_period("2026-01", -1) == "2025-12"
    assert kpi.shift_period("2026-Q1", -1) == "2025-Q4"
    assert kpi.shift_period("2025-Q4", 5) == "2027-Q1"
    assert kpi.granularity_of("2026-q2") == "quarter"
    assert kpi.last_periods(AS_OF, "month", 3) == ["2026-10", "2026-11", "2026-12"]
    assert kpi.last_periods(AS_OF, "month", 2, complete_only=True) == ["2026-10", "2026-11"]
    assert kpi.last_periods(date(2026, 12, 31), "month", 1, complete_only=True) == ["2026-12"]
    assert kpi.last_periods(AS_OF, "quarter", 2, complete_only=True) == ["2026-Q2", "2026-Q3"]


@pytest.mark.parametrize("bad", ["2026", "2026-13", "2026-Q5", "abc-01", ""])
def test_bad_period_raises(bad: str) -> None:
    with pytest.raises(ValueError, match="not a period"):
        kpi.period_bounds(bad)


def test_growth_pct() -> None:
    assert kpi.growth_pct(115, 100) == 15.0
    assert kpi.growth_pct(80, 100) == -20.0
    assert kpi.growth_pct(10, 0) is None
    assert kpi.growth_pct(10, -5) is None


@pytest.mark.parametrize(
    ("metric", "value", "healthy"),
    [
        ("nps", 50, False),
        ("nps", 50.1, True),
        ("revenue_growth", 15, False),
        ("revenue_growth", 15.5, True),
        ("gross_margin_pct", 30, True),
        ("gross_margin_pct", 29.9, False),
        ("retention_rate", 85, True),
        ("retention_rate", 84.9, False),
        ("support_resolution_hours", 48, True),
        ("support_resolution_hours", 48.1, False),
        ("feature_adoption", 10, None),  # no healthy level by default
        ("revenue", 10, None),
        ("nps", None, None),
    ],
)
def test_healthy_levels_from_the_guide(
    metric: str, value: float | None, healthy: bool | None
) -> None:
    assert kpi.is_healthy(metric, value) is healthy


def test_clv_healthy_only_against_a_known_acquisition_cost() -> None:
    assert kpi.is_healthy("clv", 100) is None
    targets = kpi.KpiTargets(acquisition_cost=150)
    assert kpi.is_healthy("clv", 100, targets) is False
    assert kpi.is_healthy("clv", 151, targets) is True


def account() -> AccountInputs:
    return AccountInputs(
        AccountFacts(1, "Acme", acv=120_000, cost_to_serve=90_000),
        transactions=(
            # trailing year (after 2025-12-03): 100k + 20k − 5k = 115k
            Money(date(2026, 11, 20), 100_000),
            Money(date(2026, 2, 1), 20_000),
            Money(date(2026, 3, 1), -5_000),
            # the year before: 100k
            Money(date(2025, 12, 3), 60_000),  # exactly one year before: previous year
            Money(date(2025, 1, 10), 40_000),
            Money(date(2024, 12, 3), 999_999),  # two years ago: outside both
        ),
        activities=(
            ActivityFact(1, date(2026, 11, 1), "survey_response", 10),
            ActivityFact(2, date(2026, 10, 1), "survey_response", 3),
            ActivityFact(3, date(2026, 10, 2), "survey_response", 9),
            ActivityFact(4, date(2026, 11, 5), "support_ticket", 30),
            ActivityFact(5, date(2026, 10, 5), "support_ticket", 60),
            ActivityFact(6, date(2026, 11, 6), "support_ticket", None, "critical", True),
        ),
        kpis=(KpiFact("2026-Q3", "retention_rate", 90),),
    )


def test_account_kpis_worked_example() -> None:
    k = by_metric(kpi.account_kpis(account(), AS_OF))
    # NPS: 2 promoters, 1 detractor of 3 → 33.3
    assert k["nps"].value == 33.3 and k["nps"].healthy is False
    # growth 115k vs 100k = 15% — not above 15%
    assert k["revenue_growth"].value == 15.0 and k["revenue_growth"].healthy is False
    # margin (ACV 120k − 90k) / 120k = 25%
    assert k["gross_margin_pct"].value == 25.0 and k["gross_margin_pct"].healthy is False
    assert k["retention_rate"].value == 90 and k["retention_rate"].source == "reading 2026-Q3"
    assert k["revenue"].value == 115_000
    # CLV: ACV 120k × 5 years
    assert k["clv"].value == 600_000
    # mean of 30 h and 60 h; the open ticket does not count
    assert k["support_resolution_hours"].value == 45.0
    assert k["support_resolution_hours"].healthy is True


def test_account_kpis_without_any_data() -> None:
    k = by_metric(kpi.account_kpis(AccountInputs(AccountFacts(2, "Empty")), AS_OF))
    assert k["nps"].value is None and k["nps"].source == "missing"
    assert k["revenue_growth"].value is None
    assert k["gross_margin_pct"].value is None
    assert k["retention_rate"].value is None
    assert k["support_resolution_hours"].value is None
    assert k["revenue"].value == 0.0
    assert k["clv"].value == 0.0


def test_refunds_larger_than_purchases() -> None:
    inputs = AccountInputs(
        AccountFacts(3, "Refunds"),
        transactions=(Money(date(2026, 6, 1), 1_000), Money(date(2026, 6, 2), -3_000)),
    )
    assert kpi.revenue_12m(inputs, AS_OF) == 0.0
    k = by_metric(kpi.account_kpis(inputs, AS_OF))
    assert k["revenue"].value == 0.0
    assert k["revenue_growth"].value is None  # no revenue the year before


def test_history_monthly_series() -> None:
    h = kpi.kpi_history(account(), AS_OF, "month", 3)
    assert h["revenue"] == (("2026-10", 0.0), ("2026-11", 100_000.0), ("2026-12", 0.0))
    assert h["nps"] == (("2026-10", 0.0), ("2026-11", 100.0), ("2026-12", None))
    assert h["support_resolution_hours"] == (
        ("2026-10", 60.0),
        ("2026-11", 30.0),
        ("2026-12", None),
    )
    assert "retention_rate" not in h  # only a quarterly reading


def test_history_quarterly_with_readings_and_growth() -> None:
    h = kpi.kpi_history(account(), AS_OF, "quarter", 5)
    periods = [p for p, _ in h["revenue"]]
    assert periods == ["2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    assert dict(h["revenue"]) == {
        "2025-Q4": 60_000.0,
        "2026-Q1": 15_000.0,
        "2026-Q2": 0.0,
        "2026-Q3": 0.0,
        "2026-Q4": 100_000.0,
    }
    # 2026-Q1 15k vs 2025-Q1 40k = −62.5%; 2026-Q4 100k vs 2025-Q4 60k = +66.67%
    growth = dict(h["revenue_growth"])
    assert growth["2026-Q1"] == -62.5
    assert growth["2026-Q4"] == 66.67
    assert growth["2026-Q2"] is None  # nothing a year before
    assert dict(h["retention_rate"])["2026-Q3"] == 90


def test_readings_win_and_months_roll_up_into_quarters() -> None:
    inputs = AccountInputs(
        AccountFacts(1, "A"),
        transactions=(Money(date(2026, 11, 2), 500),),
        kpis=(
            KpiFact("2026-07", "usage", 10),
            KpiFact("2026-08", "usage", 20),
            KpiFact("2026-09", "usage", 30),
            KpiFact("2026-07", "nps", 20),
            KpiFact("2026-08", "nps", 40),
            KpiFact("2026-Q2", "nps", 5),
            KpiFact("2026-04", "nps", 99),  # a native quarterly reading wins over months
            KpiFact("2026-11", "revenue", 700),  # a reading beats the transactions
        ),
    )
    q = kpi.kpi_history(inputs, AS_OF, "quarter", 2)
    assert q["usage"] == (("2026-Q3", 60), ("2026-Q4", None))  # sum
    assert q["nps"] == (("2026-Q3", 30), ("2026-Q4", None))  # mean
    assert kpi.kpi_history(inputs, AS_OF, "quarter", 3)["nps"][0] == ("2026-Q2", 5)
    m = kpi.kpi_history(inputs, AS_OF, "month", 2)
    assert m["revenue"] == (("2026-11", 700), ("2026-12", 0.0))


def test_history_of_an_empty_account_is_empty() -> None:
    assert kpi.kpi_history(AccountInputs(AccountFacts(1, "A")), AS_OF) == {}


def test_malformed_periods_do_not_break_history_or_kpis() -> None:
    inputs = AccountInputs(AccountFacts(1, "A"), kpis=(KpiFact("June", "retention_rate", 90),))
    assert kpi.kpi_history(inputs, AS_OF) == {}
    assert by_metric(kpi.account_kpis(inputs, AS_OF))["retention_rate"].value is None
    assert kpi.kpi_history(inputs, AS_OF, count=0) == {}
