"""Alerts (SPEC §3.5): every rule fires on a hand-built case and stays quiet just short of it."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from kamtui.domain.alerts import (
    RULES,
    AlertThresholds,
    evaluate_alerts,
    qbr_summary_deadline,
)
from kamtui.domain.health import HealthBands, HealthComponent, HealthScore
from kamtui.domain.inputs import (
    AccountFacts,
    AccountInputs,
    ActionFact,
    ActivityFact,
    KpiFact,
    ObjectiveFact,
    QbrFact,
    StakeholderFact,
)

AS_OF = date(2026, 12, 3)
# a mapped, contacted buyer plus a champion: no coverage alerts unless a test wants them
COVERED = (
    StakeholderFact(1, "Cleo", "economic_buyer", last_contact=AS_OF - timedelta(days=10)),
    StakeholderFact(2, "Chad", "champion"),
)


def health(score: float | None) -> HealthScore:
    return HealthScore(score, HealthBands().band(score), (HealthComponent("nps", score, 100, 100),))


GREEN = health(80.0)


def alerts(
    tier: int = 2,
    h: HealthScore = GREEN,
    t: AlertThresholds | None = None,
    facts: AccountFacts | None = None,
    **kw: object,
) -> dict[str, object]:
    kw.setdefault("stakeholders", COVERED)
    inputs = AccountInputs(facts or AccountFacts(7, "Acme"), **kw)  # type: ignore[arg-type]
    found = evaluate_alerts(inputs, AS_OF, t or AlertThresholds(), tier=tier, health=h)
    return {a.key: a for a in found}


def test_a_quiet_account_raises_nothing() -> None:
    assert alerts() == {}


# -- KPI below healthy for two consecutive periods -------------------------------------------


def test_kpi_below_two_consecutive_complete_months() -> None:
    kpis = (KpiFact("2026-10", "nps", 20), KpiFact("2026-11", "nps", 50))  # 50 is not > 50
    found = alerts(kpis=kpis)
    a = found["kpi_below_target:nps"]
    assert a.rule == "kpi_below_target" and a.severity == "warning"
    assert a.figures["2026-10"] == 20 and a.figures["2026-11"] == 50
    assert "root-cause" in a.next_step


def test_kpi_one_bad_period_or_a_gap_is_quiet() -> None:
    assert alerts(kpis=(KpiFact("2026-10", "nps", 60), KpiFact("2026-11", "nps", 20))) == {}
    # the current (incomplete) month does not count; September–November has a gap
    kpis = (
        KpiFact("2026-09", "nps", 10),
        KpiFact("2026-11", "nps", 10),
        KpiFact("2026-12", "nps", 1),
    )
    assert alerts(kpis=kpis) == {}


def test_kpi_missing_data_raises_nothing() -> None:
    assert alerts(kpis=()) == {}


def test_kpi_quarterly_readings_checked_when_no_months() -> None:
    kpis = (
        KpiFact("2026-Q2", "gross_margin_pct", 25),
        KpiFact("2026-Q3", "gross_margin_pct", 29),
        KpiFact("2026-Q4", "gross_margin_pct", 10),  # not complete yet
    )
    assert set(alerts(kpis=kpis)) == {"kpi_below_target:gross_margin_pct"}
    kpis = (
        KpiFact("2026-Q2", "support_resolution_hours", 60),
        KpiFact("2026-Q3", "support_resolution_hours", 48),
    )
    assert alerts(kpis=kpis) == {}  # 48 h is healthy


# -- usage drop --------------------------------------------------------------------------------


def logins(recent: float, prior: float) -> tuple[ActivityFact, ...]:
    return (
        ActivityFact(1, AS_OF - timedelta(days=10), "login", recent),
        ActivityFact(2, AS_OF - timedelta(days=100), "login", prior),
    )


def test_logins_down_20_percent_fires() -> None:
    a = alerts(activities=logins(80, 100))["usage_drop:logins"]
    assert a.figures == {"recent": 80, "prior": 100, "change_pct": -20.0}
    assert "diagnostic call" in a.next_step


def test_logins_down_19_percent_is_quiet() -> None:
    assert alerts(activities=logins(81, 100)) == {}


def test_usage_readings_month_over_month() -> None:
    kpis = (KpiFact("2026-10", "usage", 1000), KpiFact("2026-11", "usage", 750))
    a = alerts(kpis=kpis)["usage_drop:usage"]
    assert a.figures["change_pct"] == -25.0
    kpis = (KpiFact("2026-10", "usage", 1000), KpiFact("2026-11", "usage", 850))
    assert alerts(kpis=kpis) == {}


# -- churn risk --------------------------------------------------------------------------------


def renewing(days: int) -> AccountFacts:
    return AccountFacts(7, "Acme", renewal_date=AS_OF + timedelta(days=days))


@pytest.mark.parametrize(
    ("days", "h", "severity"),
    [(90, health(69.9), "warning"), (0, health(39.9), "critical"), (30, health(None), "warning")],
)
def test_churn_risk(days: int, h: HealthScore, severity: str) -> None:
    found = alerts(h=h, facts=renewing(days))
    key = f"churn_risk:{(AS_OF + timedelta(days=days)).isoformat()}"
    assert found[key].severity == severity
    assert found[key].figures["days_to_renewal"] == days


@pytest.mark.parametrize(("days", "h"), [(91, health(10)), (30, health(70)), (-1, health(10))])
def test_no_churn_risk(days: int, h: HealthScore) -> None:
    assert alerts(h=h, facts=renewing(days)) == {}


# -- upsell ------------------------------------------------------------------------------------


def test_upsell_on_capacity() -> None:
    f = AccountFacts(7, "Acme", capacity_limit=1000, current_usage=800)
    a = alerts(facts=f)["upsell:capacity"]
    assert a.severity == "info" and a.figures["share_pct"] == 80.0
    assert alerts(facts=AccountFacts(7, "Acme", capacity_limit=1000, current_usage=799)) == {}


def test_upsell_on_budget() -> None:
    from kamtui.domain.models import Money

    f = AccountFacts(7, "Acme", annual_budget=100_000)
    tx = (Money(AS_OF - timedelta(days=30), 15_000), Money(AS_OF - timedelta(days=60), 5_000))
    a = alerts(facts=f, transactions=tx)["upsell:budget"]
    assert a.figures == {"spend_12m": 20_000, "budget": 100_000, "share_pct": 20.0}
    assert alerts(facts=f, transactions=tx[:1]) == {}
    # an unknown budget never fires
    assert alerts(transactions=tx) == {}


# -- coverage gaps -----------------------------------------------------------------------------


def test_no_stakeholders_is_no_economic_buyer() -> None:
    assert set(alerts(stakeholders=())) == {"coverage_gap:no_economic_buyer"}


def test_single_threaded_without_buyer() -> None:
    found = alerts(stakeholders=(StakeholderFact(3, "Chad", "champion"),))
    assert set(found) == {"coverage_gap:no_economic_buyer", "coverage_gap:single_threaded"}


def test_economic_buyer_not_contacted() -> None:
    people = (
        StakeholderFact(1, "Cleo", "economic_buyer", last_contact=AS_OF - timedelta(days=91)),
        StakeholderFact(2, "Eve", "economic_buyer"),
        StakeholderFact(3, "Chad", "champion"),
    )
    found = alerts(stakeholders=people)
    assert set(found) == {
        "coverage_gap:economic_buyer_stale:1",
        "coverage_gap:economic_buyer_stale:2",
    }
    assert found["coverage_gap:economic_buyer_stale:1"].figures["days_since_contact"] == 91
    assert "never contacted" in found["coverage_gap:economic_buyer_stale:2"].message
    people = (
        StakeholderFact(1, "Cleo", "economic_buyer", last_contact=AS_OF - timedelta(days=90)),
        StakeholderFact(3, "Chad", "champion"),
    )
    assert alerts(stakeholders=people) == {}


# -- critical ticket, margin -------------------------------------------------------------------


def test_critical_ticket_open_more_than_48h() -> None:
    tickets = (
        ActivityFact(11, AS_OF - timedelta(days=3), "support_ticket", None, "critical", True),
        ActivityFact(12, AS_OF - timedelta(days=2), "support_ticket", None, "critical", True),
        ActivityFact(13, AS_OF - timedelta(days=9), "support_ticket", None, "high", True),
        ActivityFact(14, AS_OF - timedelta(days=9), "support_ticket", 100, "critical", False),
    )
    found = alerts(activities=tickets)
    assert set(found) == {"critical_ticket_open:11"}  # 72 h; 48 h is not more than 48
    assert found["critical_ticket_open:11"].severity == "critical"
    assert found["critical_ticket_open:11"].figures["hours_open"] == 72


def test_gross_margin_below_30() -> None:
    found = alerts(facts=AccountFacts(7, "Acme", gross_margin_pct=29.5))
    assert found["low_margin:7"].figures["gross_margin_pct"] == 29.5
    assert "Renegotiate" in found["low_margin:7"].next_step
    assert alerts(facts=AccountFacts(7, "Acme", gross_margin_pct=30)) == {}
    # from cost to serve: (100k − 75k) / 100k = 25%
    assert "low_margin:7" in alerts(
        facts=AccountFacts(7, "Acme", acv=100_000, cost_to_serve=75_000)
    )
    assert alerts(facts=AccountFacts(7, "Acme")) == {}  # unknown margin: no alert


# -- plan --------------------------------------------------------------------------------------


def objective(current: float, status: str = "active") -> ObjectiveFact:
    # 60 of 100 days gone: elapsed 60%
    start = AS_OF - timedelta(days=60)
    return ObjectiveFact(
        5,
        "adoption",
        baseline=0,
        target=100,
        current=current,
        start_date=start,
        due_date=start + timedelta(days=100),
        status=status,
    )


def test_objective_behind_schedule() -> None:
    a = alerts(objectives=(objective(39),))["objective_behind:5"]
    assert a.figures["progress_pct"] == 39.0 and a.figures["elapsed_pct"] == 60.0
    assert alerts(objectives=(objective(40),)) == {}  # exactly 20 points behind: not "well below"
    assert alerts(objectives=(objective(10, status="done"),)) == {}


def test_action_overdue() -> None:
    acts = (
        ActionFact(42, "send deck", AS_OF - timedelta(days=1), owner_name="Sam"),
        ActionFact(43, "due today", AS_OF),
        ActionFact(44, "done", AS_OF - timedelta(days=5), done=True),
        ActionFact(45, "no date"),
    )
    found = alerts(actions=acts)
    assert set(found) == {"action_overdue:42"}
    assert found["action_overdue:42"].figures["days_overdue"] == 1
    assert "Sam" in found["action_overdue:42"].message


# -- QBRs --------------------------------------------------------------------------------------


def test_tier1_without_qbr_in_100_days() -> None:
    sent = datetime(2026, 11, 3, 12, 0)
    found = alerts(
        tier=1, qbrs=(QbrFact(1, AS_OF - timedelta(days=30), True, summary_sent_at=sent),)
    )
    assert set(found) == {"qbr_missing:7"}
    assert found["qbr_missing:7"].figures["last_qbr"] == (AS_OF - timedelta(days=30)).isoformat()
    assert alerts(tier=1, qbrs=(QbrFact(2, AS_OF + timedelta(days=100)),)) == {}
    next_date = QbrFact(
        1, AS_OF - timedelta(days=30), True, next_qbr_date=AS_OF + timedelta(days=60)
    )
    assert "qbr_missing:7" not in alerts(tier=1, qbrs=(next_date,))
    assert alerts(tier=2) == {}
    assert set(alerts(tier=1, qbrs=(QbrFact(2, AS_OF + timedelta(days=101)),))) == {"qbr_missing:7"}


def test_qbr_summary_deadline() -> None:
    day = date(2026, 11, 30)
    assert qbr_summary_deadline(day, "14:00", 60, 24) == datetime(2026, 12, 1, 15, 0)
    assert qbr_summary_deadline(day, None, 60, 24) == datetime(2026, 12, 2, 0, 0)


def test_qbr_summary_not_sent_or_late() -> None:
    held = AS_OF - timedelta(days=10)
    sent_late = QbrFact(1, held, True, "10:00", 60, summary_sent_at=datetime(2026, 11, 24, 11, 1))
    sent_ok = QbrFact(2, held, True, "10:00", 60, summary_sent_at=datetime(2026, 11, 24, 11, 0))
    unsent = QbrFact(3, held, True)
    not_held = QbrFact(4, held, False)
    found = alerts(qbrs=(sent_late, sent_ok, unsent, not_held))
    assert set(found) == {"qbr_summary_late:1", "qbr_summary_late:3"}
    assert found["qbr_summary_late:3"].severity == "warning"
    assert found["qbr_summary_late:1"].severity == "info"


def test_qbr_summary_still_within_24h_is_quiet() -> None:
    # held yesterday, start unknown: due at the end of today
    assert alerts(qbrs=(QbrFact(3, AS_OF - timedelta(days=1), True),)) == {}
    assert set(alerts(qbrs=(QbrFact(3, AS_OF - timedelta(days=2), True),))) == {
        "qbr_summary_late:3"
    }


# -- general -----------------------------------------------------------------------------------


def test_churned_accounts_raise_nothing() -> None:
    assert (
        alerts(facts=AccountFacts(7, "Gone", status="churned", gross_margin_pct=5), stakeholders=())
        == {}
    )


def test_every_rule_can_fire_and_keys_are_stable() -> None:
    from kamtui.domain.models import Money

    kw = {
        "tier": 1,
        "h": health(30),
        "facts": AccountFacts(
            7,
            "All",
            gross_margin_pct=10,
            renewal_date=AS_OF + timedelta(days=30),
            capacity_limit=10,
            current_usage=9,
        ),
        "transactions": (Money(AS_OF - timedelta(days=3), 100),),
        "activities": (
            *logins(10, 100),
            ActivityFact(20, AS_OF - timedelta(days=5), "support_ticket", None, "critical", True),
        ),
        "kpis": (KpiFact("2026-10", "nps", 0), KpiFact("2026-11", "nps", 0)),
        "stakeholders": (StakeholderFact(1, "Solo", "user"),),
        "objectives": (objective(0),),
        "actions": (ActionFact(1, "late", AS_OF - timedelta(days=9)),),
        "qbrs": (QbrFact(1, AS_OF - timedelta(days=20), True),),
    }
    first = alerts(**kw)  # type: ignore[arg-type]
    assert {a.rule for a in first.values()} == set(RULES)
    assert alerts(**kw).keys() == first.keys()  # type: ignore[arg-type]
    for a in first.values():
        assert a.key.startswith(a.rule + ":") and a.message and a.next_step
        assert a.severity in ("info", "warning", "critical")


def test_tier_and_health_are_computed_when_not_given() -> None:
    inputs = AccountInputs(AccountFacts(7, "Acme", renewal_date=AS_OF + timedelta(days=5)))
    found = {a.key for a in evaluate_alerts(inputs, AS_OF)}
    # no data: health unknown (not green) → churn risk; tier 3 → no QBR alert, and an
    # unmapped tier-3 account is not flagged for coverage
    assert found == {"churn_risk:2026-12-08"}


def test_an_unmapped_account_is_a_coverage_gap_only_in_tiers_1_and_2() -> None:
    inputs = AccountInputs(AccountFacts(7, "Acme"))
    keys = {tier: {a.key for a in evaluate_alerts(inputs, AS_OF, tier=tier)} for tier in (1, 2, 3)}
    assert "coverage_gap:no_economic_buyer" in keys[1]
    assert "coverage_gap:no_economic_buyer" in keys[2]
    assert "coverage_gap:no_economic_buyer" not in keys[3]
