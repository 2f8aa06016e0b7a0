"""Issue 3 through the service: incremental rescoring, snapshots, portfolio figures, settings,
alerts stored with the scores. Expected values are worked out by hand in the comments."""

from __future__ import annotations

from datetime import date

import pytest

from kamtui.errors import SettingsError, ValidationError


def _book(bench) -> dict[str, int]:
    ids = {}
    for name, acv in (("A", 100_000), ("B", 50_000), ("C", 30_000), ("D", 15_000), ("E", 5_000)):
        ids[name] = bench.add_account(name, acv=float(acv)).created_id
    return ids


def test_editing_one_account_snapshots_only_it_and_moves_the_portfolio(bench) -> None:
    ids = _book(bench)
    before = bench.portfolio()
    # revenue 200k over 5 accounts; the top 20% is ceil(1.0) = 1 account, A: 100k / 200k
    assert before.revenue == 200_000 and before.revenue_12m == 0
    assert before.revenue_per_account == 40_000
    assert before.top_accounts == 1 and before.concentration_top20_pct == pytest.approx(50.0)
    assert bench.account_summary(ids["E"]).tier == 3

    snapshots = bench.snapshot_count()
    # E invoices 30,000 on 20 June: R5 F1 M4 = 10 -> tier 2. Its ACV stays its revenue basis,
    # so no other account's percentile moves.
    change = bench.add_transaction(ids["E"], date(2024, 6, 20), 30_000)

    assert change.recalc.changed == [ids["E"]]
    assert bench.snapshot_count() == snapshots + 1
    assert bench.snapshots(ids["E"])[-1].tier == 2
    e = bench.account_summary(ids["E"])
    # E: 5k is the lowest of five -> mid-rank percentile (0 + 0.5) / 5 = 10% -> revenue score
    # 1 -> 0 points; no ratings and no margin: revenue carries 100% -> value 0;
    # priority = (4 - 2) * 1000 + 0
    assert (e.tier, e.value_score, e.priority) == (2, 0.0, 2000.0)
    after = bench.portfolio()
    assert after.revenue == 200_000  # ACV-based revenue unchanged
    assert after.revenue_12m == 30_000  # the trailing-year revenue moved by the invoice


def test_an_acv_change_that_reorders_revenue_refreshes_every_value(bench) -> None:
    ids = _book(bench)
    # five ACVs -> mid-rank percentiles 10/30/50/70/90 -> revenue scores 1..5 -> values
    # 0/25/50/75/100 for E, D, C, B, A
    assert [bench.account_summary(ids[n]).value_score for n in "ABCDE"] == [100, 75, 50, 25, 0]
    snapshots = bench.snapshot_count()
    change = bench.update_account(ids["E"], acv=105_000.0)
    # E becomes the largest (90% -> 100); everyone else moves down one band
    values = [bench.account_summary(ids[n]).value_score for n in "ABCDE"]
    assert values == [75, 50, 25, 0, 100]
    assert sorted(change.recalc.changed) == sorted(ids.values())
    assert bench.snapshot_count() == snapshots + 5
    assert bench.snapshots(ids["A"])[-1].reason == "portfolio"
    assert bench.account_summary(ids["A"]).priority == 1075.0
    after = bench.portfolio()
    # revenue 300k, per account 60k, top account E: 105k / 300k = 35%
    assert after.revenue == 300_000 and after.revenue_per_account == 60_000
    assert after.concentration_top20_pct == pytest.approx(35.0)
    # the stored values equal a full rescore's
    full = {s.id: s.value_score for s in bench.account_summaries()}
    bench.rescore_all()
    assert {s.id: s.value_score for s in bench.account_summaries()} == full


def test_the_default_order_is_priority(bench) -> None:
    ids = _book(bench)
    bench.add_transaction(ids["D"], date(2024, 6, 20), 30_000)  # R5 F1 M4 = 10: tier 2
    names = [s.name for s in bench.account_summaries()]
    assert names[0] == "D"  # the only tier 2 outranks every tier 3 whatever its value
    assert names[1:] == ["A", "B", "C", "E"]  # then by value (revenue percentile)


def test_a_settings_change_rescores_everything(bench) -> None:
    ids = _book(bench)
    bench.add_transaction(ids["A"], date(2024, 6, 20), 30_000)
    assert bench.account_summary(ids["A"]).tier == 2  # RFM 5 + 1 + 4 = 10
    change = bench.set_workspace_setting("rfm.tier2_min", 11)
    assert change.recalc.scored == 5
    assert bench.account_summary(ids["A"]).tier == 3
    assert bench.effective_settings().sources["rfm.tier2_min"] == "workspace"


def test_weights_that_do_not_sum_to_100_are_refused_and_change_nothing(bench) -> None:
    _book(bench)
    count = bench.snapshot_count()
    with pytest.raises(SettingsError, match="100"):
        bench.set_workspace_setting("value.weights.revenue", 55)
    assert bench.snapshot_count() == count
    assert bench.effective_settings().sources["value.weights.revenue"] == "default"
    with pytest.raises(ValidationError, match="unknown setting"):
        bench.set_workspace_setting("value.weights.charisma", 10)


def test_alerts_are_stored_with_the_scores_and_resolve_when_the_cause_goes(bench) -> None:
    acct = bench.add_account("Lowmargin", acv=50_000.0, gross_margin_pct=22.0).created_id
    rules = {a.rule for a in bench.alerts(acct)}
    assert "low_margin" in rules
    assert "coverage_gap" not in rules  # tier 3 and nobody mapped yet: not flagged
    assert bench.account_summary(acct).alert_count == len(bench.alerts(acct))
    bench.update_account(acct, gross_margin_pct=41.0)
    assert "low_margin" not in {a.rule for a in bench.alerts(acct)}
    closed = [a for a in bench.alerts(acct, include_closed=True) if a.rule == "low_margin"]
    assert [a.status for a in closed] == ["resolved"]


def test_a_user_settings_file_is_applied_and_a_broken_one_is_one_line(bench, kamtui_home) -> None:
    from kamtui.paths import config_dir

    ids = _book(bench)
    bench.add_transaction(ids["A"], date(2024, 6, 20), 30_000)
    path = config_dir(ensure=True) / "settings.toml"
    path.write_text("[rfm]\ntier2_min = 11\n")
    assert bench.scores_stale()  # the settings changed since the last full rescore
    bench.ensure_fresh_scores()
    assert bench.account_summary(ids["A"]).tier == 3
    path.write_text("[rfm\ntier2_min = 11\n")
    with pytest.raises(SettingsError) as err:
        bench.settings()
    assert "settings.toml" in str(err.value) and "\n" not in str(err.value)


def test_stored_revenue_population_matches_the_computed_one(tmp_path) -> None:
    from kamtui.demo import ensure_demo
    from kamtui.recalc import revenue_population, stored_revenue_population
    from kamtui.service import Workbench

    path = ensure_demo(str(tmp_path / "demo.db"))
    with Workbench.open(path) as bench:
        as_of = bench.as_of()
        with bench.engine.connect() as conn:
            computed = revenue_population(conn, as_of)
            stored = stored_revenue_population(conn, as_of)
        assert stored == pytest.approx(computed)
        assert len(computed) == sum(1 for s in bench.account_summaries() if s.status == "active")
        # a breakdown computed on demand agrees with the stored scores of every account
        for summary in bench.account_summaries():
            detail = bench.breakdown(summary.id)
            assert detail["value"]["score"] == pytest.approx(summary.value_score, abs=0.01)
            assert detail["priority"] == pytest.approx(summary.priority, abs=0.01)


def test_products_bought_in_the_trailing_year_count_as_held(bench) -> None:
    a = bench.add_account("A", products="Core").created_id
    b = bench.add_account("B").created_id
    for product, day in (("Analytics", date(2024, 5, 1)), ("core", date(2024, 5, 2))):
        bench.add_transaction(a, day, 100, product=product)
    bench.add_transaction(a, date(2022, 1, 1), 100, product="Legacy")  # outside the year
    for product in ("X", "Y", "Z"):
        bench.add_transaction(b, date(2024, 6, 1), 100, product=product)
    assert bench.products_held(a) == ("Core", "Analytics")
    assert bench.products_held(b) == ("X", "Y", "Z")
    # B holds three products, A two: half the active accounts hold 3+
    assert bench.portfolio().products_3plus_pct == pytest.approx(50.0)
