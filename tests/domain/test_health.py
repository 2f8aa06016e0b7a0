"""Health score (SPEC §3.3), expected values worked out by hand."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from kamtui.domain.health import (
    HealthBands,
    HealthConfig,
    HealthWeights,
    engagement_points,
    nps_of,
    objective_progress,
    score_health,
    support_points,
)
from kamtui.domain.inputs import (
    AccountFacts,
    AccountInputs,
    ActionFact,
    ActivityFact,
    KpiFact,
    ObjectiveFact,
    StakeholderFact,
)

AS_OF = date(2026, 6, 30)
FACTS = AccountFacts(1, "Acme")


def act(i: int, days_ago: int, kind: str, value: float | None = None, **kw: object) -> ActivityFact:
    return ActivityFact(i, AS_OF - timedelta(days=days_ago), kind, value, **kw)  # type: ignore[arg-type]


def full_inputs() -> AccountInputs:
    return AccountInputs(
        FACTS,
        activities=(
            act(1, 10, "login", 50),
            act(2, 89, "login", 30),  # recent window: 80
            act(3, 90, "login", 60),  # day 90 belongs to the window before
            act(4, 179, "login", 40),  # prior window: 100
            act(5, 180, "login", 999),  # outside both windows
            act(6, 5, "survey_response", 10),
            act(7, 30, "survey_response", 9),
            act(8, 60, "survey_response", 9),
            act(9, 100, "survey_response", 7),  # NPS (3 − 0) / 4 = 75
            act(10, 20, "support_ticket", 24),
            act(11, 40, "support_ticket", 72),  # mean 48 h
            act(12, 2, "support_ticket", None, severity="critical", is_open=True),
        ),
        kpis=(
            KpiFact("2026-04", "feature_adoption", 40),
            KpiFact("2026-05", "feature_adoption", 60),
        ),
        stakeholders=(
            StakeholderFact(1, "Cleo CFO", "economic_buyer", last_contact=date(2026, 6, 1)),
            StakeholderFact(2, "Chad", "champion"),
            StakeholderFact(3, "Uma", "user"),
        ),
        objectives=(
            # started 90 days ago, due in 90 days: half the time gone, 30% done → 0.6 of pace
            ObjectiveFact(
                1,
                "adoption to 100",
                baseline=0,
                target=100,
                current=30,
                start_date=AS_OF - timedelta(days=90),
                due_date=AS_OF + timedelta(days=90),
            ),
        ),
        actions=(
            ActionFact(1, "deck", AS_OF - timedelta(days=3), done=True),
            ActionFact(2, "call", AS_OF - timedelta(days=1), done=False),
            ActionFact(3, "later", AS_OF + timedelta(days=10), done=False),  # not due yet
        ),
    )


def test_full_worked_example() -> None:
    h = score_health(full_inputs(), AS_OF)
    points = {c.name: c.points for c in h.components}
    # engagement: 80 vs 100 = −20% → 100 − 40 = 60
    # nps: 75 → (75 + 100) / 2 = 87.5
    # support: 48 h with target 48 → (96 − 48) / (96 − 24) = 66.67
    # adoption: latest reading 60
    # stakeholders: buyer 40 + in touch 15 + champion 15 + 3 people 30 = 100
    # plan: objectives 60, actions 1 of 2 → 50; mean 55
    assert points == pytest.approx(
        {
            "engagement": 60,
            "nps": 87.5,
            "support": 66.67,
            "adoption": 60,
            "stakeholders": 100,
            "plan": 55,
        },
        abs=0.01,
    )
    # 0.25×60 + 0.20×87.5 + 0.15×66.667 + 0.15×60 + 0.15×100 + 0.10×55
    # = 15 + 17.5 + 10 + 9 + 15 + 5.5 = 72.0
    assert h.score == 72.0
    assert h.band == "green"
    assert h.missing == ()
    eng = h.component("engagement")
    assert eng.figures == {"logins_recent": 80, "logins_prior": 100, "change_pct": -20.0}
    assert h.component("nps").figures == {"nps": 75.0, "answers": 4}
    assert h.component("plan").figures["actions_due"] == 2
    assert [c.name for c in h.criteria] == [
        "engagement",
        "nps",
        "support",
        "adoption",
        "stakeholders",
        "plan",
    ]


def test_no_data_at_all_is_none_not_zero() -> None:
    h = score_health(AccountInputs(FACTS), AS_OF)
    assert h.score is None and h.band is None
    assert h.missing == ("engagement", "nps", "support", "adoption", "stakeholders", "plan")
    assert all(c.effective_weight == 0 for c in h.components)


def test_missing_components_renormalise_the_others() -> None:
    inputs = AccountInputs(
        FACTS,
        activities=(
            act(1, 5, "survey_response", 10),
            act(2, 6, "survey_response", 9),
            act(3, 7, "survey_response", 9),
            act(4, 8, "survey_response", 7),
            act(5, 20, "support_ticket", 24),
            act(6, 40, "support_ticket", 72),
        ),
    )
    h = score_health(inputs, AS_OF)
    # (20 × 87.5 + 15 × 66.667) / 35 = (1750 + 1000) / 35 = 78.571
    assert h.score == 78.6
    assert h.band == "green"
    assert h.missing == ("engagement", "adoption", "stakeholders", "plan")
    assert h.component("nps").effective_weight == pytest.approx(57.14, abs=0.01)
    assert h.component("engagement").points is None
    assert "no logins" in h.component("engagement").note


@pytest.mark.parametrize(
    ("recent", "prior", "points"),
    [(80, 100, 60), (120, 100, 100), (100, 100, 100), (40, 100, 0), (75, 100, 50), (5, 0, 100)],
)
def test_engagement_points(recent: float, prior: float, points: float) -> None:
    assert engagement_points(recent, prior)[0] == pytest.approx(points)


def test_engagement_with_logins_only_before() -> None:
    inputs = AccountInputs(FACTS, activities=(act(1, 120, "login", 10),))
    h = score_health(inputs, AS_OF)
    assert h.component("engagement").points == 0  # −100%
    assert h.score == 0.0 and h.band == "red"


def test_login_without_value_counts_one() -> None:
    inputs = AccountInputs(FACTS, activities=(act(1, 1, "login"), act(2, 2, "login")))
    assert score_health(inputs, AS_OF).component("engagement").figures["logins_recent"] == 2


@pytest.mark.parametrize(
    ("answers", "nps"),
    [([10, 9, 8, 7, 6, 0], 0.0), ([10, 10, 9, 8], 75.0), ([0, 6, 3], -100.0), ([9], 100.0)],
)
def test_nps(answers: list[float], nps: float) -> None:
    assert nps_of(answers) == nps


def test_nps_without_answers_is_none() -> None:
    assert nps_of([]) is None


def test_nps_falls_back_to_latest_reading() -> None:
    inputs = AccountInputs(
        FACTS,
        kpis=(
            KpiFact("2026-Q1", "nps", 10),
            KpiFact("2026-05", "nps", 40),
            KpiFact("2026-07", "nps", 90),  # after the as-of date: ignored
        ),
    )
    c = score_health(inputs, AS_OF).component("nps")
    assert c.points == 70.0  # (40 + 100) / 2
    assert c.figures == {"nps": 40, "period": "2026-05"}


@pytest.mark.parametrize(
    ("hours", "points"), [(12, 100), (24, 100), (48, 66.667), (60, 50), (96, 0), (200, 0)]
)
def test_support_points(hours: float, points: float) -> None:
    assert support_points(hours, 48) == pytest.approx(points, abs=0.001)


def test_open_tickets_do_not_count_as_resolved() -> None:
    inputs = AccountInputs(FACTS, activities=(act(1, 3, "support_ticket", None, is_open=True),))
    assert score_health(inputs, AS_OF).component("support").points is None


def test_stakeholder_points() -> None:
    old = AS_OF - timedelta(days=100)
    one = AccountInputs(
        FACTS, stakeholders=(StakeholderFact(1, "Eve", "economic_buyer", last_contact=old),)
    )
    assert score_health(one, AS_OF).component("stakeholders").points == 40
    two = AccountInputs(
        FACTS, stakeholders=(StakeholderFact(1, "C", "champion"), StakeholderFact(2, "U", "user"))
    )
    assert score_health(two, AS_OF).component("stakeholders").points == 30  # 15 + 15
    assert score_health(AccountInputs(FACTS), AS_OF).component("stakeholders").points is None


def test_objective_progress_with_decreasing_target() -> None:
    # reduce tickets 100 → 60; now 80: half way
    start, due = date(2026, 1, 1), date(2026, 12, 31)
    assert objective_progress(100, 60, 80, start, due, AS_OF)[0] == 0.5  # type: ignore[index]
    assert objective_progress(None, 60, 80, start, due, AS_OF) is None
    assert objective_progress(60, 60, 80, start, due, AS_OF) is None  # target = baseline
    assert objective_progress(0, 10, 20, start, due, date(2027, 6, 1)) == (1.0, 1.0)


def test_objective_not_started_counts_on_pace() -> None:
    o = ObjectiveFact(
        1, "x", baseline=0, target=10, current=0, start_date=AS_OF, due_date=AS_OF + timedelta(30)
    )
    assert (
        score_health(AccountInputs(FACTS, objectives=(o,)), AS_OF).component("plan").points == 100
    )


@pytest.mark.parametrize(
    ("score", "band"),
    [(100, "green"), (70, "green"), (69.9, "amber"), (40, "amber"), (39.9, "red")],
)
def test_bands(score: float, band: str) -> None:
    assert HealthBands().band(score) == band
    assert HealthBands().band(None) is None


def test_custom_bands_and_weights_validate() -> None:
    with pytest.raises(ValueError, match="sum to 100"):
        HealthWeights(engagement=50)
    with pytest.raises(ValueError, match="amber < green"):
        HealthBands(green=40, amber=60)
    cfg = HealthConfig(bands=HealthBands(green=80, amber=50))
    assert score_health(full_inputs(), AS_OF, cfg).band == "amber"


def test_malformed_reading_periods_are_ignored() -> None:
    inputs = AccountInputs(
        FACTS, kpis=(KpiFact("Q1 2026", "nps", 90), KpiFact("2026-13", "feature_adoption", 90))
    )
    h = score_health(inputs, AS_OF)
    assert h.score is None and h.missing[:4] == ("engagement", "nps", "support", "adoption")


def test_a_newer_nps_reading_supersedes_older_survey_answers() -> None:
    from datetime import date

    from kamtui.domain.health import score_health
    from kamtui.domain.inputs import AccountFacts, AccountInputs, ActivityFact, KpiFact

    as_of = date(2024, 6, 30)
    answer = ActivityFact(1, date(2024, 5, 10), "survey_response", 3.0)  # a detractor: NPS -100
    only_answer = AccountInputs(AccountFacts(1, "A"), activities=(answer,))
    nps = score_health(only_answer, as_of).component("nps")
    assert nps.points == 0.0 and "1 answer in" in nps.note  # (-100 + 100) / 2
    newer = AccountInputs(
        AccountFacts(1, "A"), activities=(answer,), kpis=(KpiFact("2024-06", "nps", 60.0),)
    )
    nps = score_health(newer, as_of).component("nps")
    assert nps.points == 80.0 and nps.figures["period"] == "2024-06"  # (60 + 100) / 2
    older = AccountInputs(
        AccountFacts(1, "A"), activities=(answer,), kpis=(KpiFact("2024-04", "nps", 60.0),)
    )
    assert score_health(older, as_of).component("nps").points == 0.0  # the answer is newer
