"""Portfolio KPIs and whole-portfolio scoring, expected values worked out by hand."""

from __future__ import annotations

import json
from datetime import date

import pytest

from kamtui.domain.inputs import AccountFacts, AccountInputs, ActivityFact
from kamtui.domain.models import Money
from kamtui.domain.portfolio import (
    PortfolioContext,
    ScoringConfig,
    arpa_by_quarter,
    portfolio_context,
    portfolio_history,
    portfolio_kpis,
    revenue_concentration,
    score_account,
    score_portfolio,
)

AS_OF = date(2026, 12, 3)  # last complete quarters: 2026-Q2 and 2026-Q3


def test_revenue_concentration_top_20_percent() -> None:
    assert revenue_concentration([100, 50, 30, 10, 10]) == (50.0, 1)  # 100 / 200
    # six accounts: ⌈1.2⌉ = 2 → (100 + 50) / 210
    assert revenue_concentration([100, 50, 30, 10, 10, 10]) == (71.43, 2)
    assert revenue_concentration([42]) == (100.0, 1)
    assert revenue_concentration([]) == (None, 0)
    assert revenue_concentration([0, 0]) == (None, 1)
    assert revenue_concentration([10] * 10) == (20.0, 2)


def portfolio() -> list[AccountInputs]:
    a = AccountInputs(
        AccountFacts(1, "A", acv=100_000, gross_margin_pct=40, products=("x", "y", "z")),
        transactions=(Money(date(2026, 5, 1), 10_000), Money(date(2026, 8, 1), 12_000)),
        activities=(
            ActivityFact(1, date(2026, 11, 1), "survey_response", 10),
            ActivityFact(2, date(2026, 11, 2), "support_ticket", 20),
        ),
    )
    b = AccountInputs(
        AccountFacts(2, "B", acv=None, cost_to_serve=2_000, products=("x",)),
        transactions=(Money(date(2026, 6, 1), 6_000),),
        activities=(ActivityFact(3, date(2026, 10, 1), "survey_response", 4),),
    )
    c = AccountInputs(
        AccountFacts(3, "C", acv=40_000, gross_margin_pct=10, products=("x", "y", "z", "w")),
        transactions=(Money(date(2026, 9, 1), 6_000), Money(date(2026, 9, 2), -1_000)),
        activities=(ActivityFact(4, date(2026, 9, 2), "support_ticket", 40),),
    )
    gone = AccountInputs(
        AccountFacts(4, "Gone", status="churned", acv=500_000),
        transactions=(Money(date(2026, 4, 1), 1_000),),
    )
    prospect = AccountInputs(AccountFacts(5, "Maybe", status="prospect", acv=1_000_000))
    return [a, b, c, gone, prospect]


def test_arpa_by_quarter() -> None:
    # Q2: A 10k + B 6k + Gone 1k over 3 billed accounts; Q3: A 12k + C 5k over 2
    arpa = arpa_by_quarter(portfolio(), ["2026-Q2", "2026-Q3", "2026-Q4"])
    assert arpa == {"2026-Q2": 5_666.67, "2026-Q3": 8_500.0, "2026-Q4": None}


def test_portfolio_kpis_worked_example() -> None:
    k = portfolio_kpis(portfolio(), AS_OF)
    assert (k.accounts, k.active_accounts) == (5, 3)
    # revenue bases of the active accounts: A ACV 100k, B trailing 6k, C ACV 40k
    assert k.revenue == 146_000
    assert k.revenue_12m == 22_000 + 6_000 + 5_000
    assert k.revenue_per_account == pytest.approx(48_666.67)
    assert k.clv == pytest.approx(243_333.35)
    assert k.top_accounts == 1  # ⌈0.6⌉
    assert k.concentration_top20_pct == pytest.approx(68.49)  # 100 / 146
    assert k.products_3plus_pct == pytest.approx(66.67)  # A and C of 3
    assert k.arpa_quarters == ("2026-Q2", "2026-Q3")
    assert k.arpa_growth_qoq_pct == pytest.approx(50.0, abs=0.01)  # 8500 / 5666.67 − 1
    assert k.retention_rate_pct == 75.0  # 3 active / (3 + 1 churned)
    assert k.nps == 0.0  # one promoter, one detractor
    assert k.nps_answers == 2
    assert k.support_resolution_hours == 30.0
    # margins: A 40% on 100k, B (6k − 2k) / 6k = 66.67% on 6k, C 10% on 40k
    # (40×100k + 66.67×6k + 10×40k) / 146k = 4.8M / 146k = 32.88
    assert k.gross_margin_pct == pytest.approx(32.88, abs=0.01)
    by_metric = {v.metric: v for v in k.kpis}
    assert by_metric["products_3plus"].healthy is True
    assert by_metric["revenue_per_account"].healthy is True  # ARPA not declining
    assert by_metric["nps"].healthy is False


def test_portfolio_kpis_of_nothing() -> None:
    k = portfolio_kpis([], AS_OF)
    assert k.active_accounts == 0 and k.revenue == 0
    assert k.revenue_per_account is None and k.concentration_top20_pct is None
    assert k.products_3plus_pct is None and k.retention_rate_pct is None
    assert k.arpa_growth_qoq_pct is None and k.nps is None


def test_single_account_portfolio() -> None:
    one = [AccountInputs(AccountFacts(1, "Solo", acv=10_000))]
    k = portfolio_kpis(one, AS_OF)
    assert k.concentration_top20_pct == 100.0 and k.revenue_per_account == 10_000
    scores = score_portfolio(one, AS_OF)
    assert scores.accounts[1].value.percentile == 50.0
    assert scores.accounts[1].tier == 3


def test_score_portfolio_ranks_by_priority() -> None:
    scores = score_portfolio(portfolio(), AS_OF)
    ranked = [s.account_id for s in scores.ranked()]
    assert len(ranked) == 5
    for s in scores.accounts.values():
        assert s.priority == pytest.approx((4 - s.tier) * 1000 + s.value.score)
        assert s.alert_count == len(s.alerts)
    # value percentiles are taken over the active accounts only
    assert scores.context.revenues == (6_000.0, 40_000.0, 100_000.0)
    assert scores.accounts[1].value.percentile == pytest.approx(83.33, abs=0.01)
    assert scores.accounts[4].alerts == ()  # churned: quiet
    json.dumps(scores.accounts[1].breakdown())  # JSON-ready


def test_score_account_matches_full_pass() -> None:
    accounts = portfolio()
    context = portfolio_context(accounts, AS_OF)
    full = score_portfolio(accounts, AS_OF)
    one = score_account(accounts[2], AS_OF, context)
    assert one == full.accounts[3]
    # without a context the account is compared with itself
    alone = score_account(accounts[2], AS_OF, PortfolioContext())
    assert alone.value.percentile == 50.0


def test_quintile_mode_through_the_portfolio() -> None:
    config = ScoringConfig(rfm_mode="quintile")
    scores = score_portfolio(portfolio(), AS_OF, config)
    assert "quintile" in scores.accounts[1].rfm.criteria[0].note
    # prospect with no transactions: R1 F1 M1
    assert (scores.accounts[5].rfm.r, scores.accounts[5].rfm.f, scores.accounts[5].rfm.m) == (
        1,
        1,
        1,
    )
    with pytest.raises(ValueError, match="rfm mode"):
        ScoringConfig(rfm_mode="nope")


def test_portfolio_history() -> None:
    h = portfolio_history(portfolio(), AS_OF, "quarter", 3)
    assert h["revenue"] == (("2026-Q2", 17_000.0), ("2026-Q3", 17_000.0), ("2026-Q4", 0.0))
    assert h["arpa"] == (("2026-Q2", 5_666.67), ("2026-Q3", 8_500.0), ("2026-Q4", None))
    assert h["nps"] == (("2026-Q2", None), ("2026-Q3", None), ("2026-Q4", 0.0))
