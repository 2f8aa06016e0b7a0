"""The workbench service: writes persist, rescore the touched account and snapshot it."""

from __future__ import annotations

from datetime import date

import pytest

from kamtui.errors import NotFoundError, ValidationError


def test_adding_a_transaction_rescores_and_snapshots_in_the_same_call(bench) -> None:
    # both have an ACV, so transactions move no revenue percentile (see the value refresh test)
    acme = bench.add_account("Acme Industrial", acv=50_000.0).created_id
    other = bench.add_account("Borealis Foods", acv=10_000.0).created_id
    before = bench.snapshot_count()
    assert bench.account_summary(acme).tier == 3

    bench.add_transaction(acme, date(2024, 6, 10), 20_000)
    bench.add_transaction(acme, date(2024, 3, 1), 10_000)
    bench.add_transaction(acme, date(2024, 1, 5), 10_000)
    change = bench.add_transaction(acme, date(2023, 9, 1), 5_000)

    # the fourth line moves F from 2 to 3 and M from 4 to 4: RFM 11 -> 12, tier 2 -> 1
    assert change.recalc.changed == [acme]
    s = bench.account_summary(acme)
    assert (s.r, s.f, s.m, s.rfm, s.tier) == (5, 3, 4, 12, 1)
    assert s.monetary == 45_000 and s.recency_days == 20
    # one snapshot per call that changed the scores, none for the untouched account
    assert bench.snapshot_count() == before + 4
    assert [snap.rfm for snap in bench.snapshots(acme)][-2:] == [11, 12]
    assert len(bench.snapshots(other)) == 1  # only its creation


def test_a_write_that_changes_no_score_adds_no_snapshot(bench) -> None:
    acme = bench.add_account("Acme").created_id
    bench.add_transaction(acme, date(2024, 6, 1), 500)
    count = bench.snapshot_count()
    change = bench.update_account(acme, notes="met the CFO")
    assert change.recalc.changed == [] and bench.snapshot_count() == count


def test_account_names_are_unique_case_insensitively(bench) -> None:
    bench.add_account("Acme Corp")
    with pytest.raises(ValidationError) as err:
        bench.add_account("  ACME   corp ")
    assert err.value.field == "name"
    with pytest.raises(ValidationError):
        bench.add_account("   ")
    assert bench.account_count() == 1


def test_failed_write_changes_nothing(bench) -> None:
    with pytest.raises(NotFoundError):
        bench.add_transaction(999, date(2024, 1, 1), 10)
    assert bench.snapshot_count() == 0


def test_as_of_is_pinned_in_the_workspace_and_rescores(bench, db_path) -> None:
    from kamtui.service import Workbench

    acme = bench.add_account("Acme").created_id
    bench.add_transaction(acme, date(2024, 6, 10), 2_000)
    assert bench.account_summary(acme).r == 5
    bench.set_as_of(date(2025, 6, 30))
    assert bench.account_summary(acme).r == 1  # 385 days
    with Workbench.open(str(db_path)) as again:  # a later session sees the pinned date
        assert again.as_of() == date(2025, 6, 30)
        assert not again.scores_stale()
    bench.set_as_of(None)
    assert bench.as_of() == date(2024, 6, 30)


def test_find_account(bench) -> None:
    a = bench.add_account("Acme Corp", external_id="SF-001").created_id
    b = bench.add_account("Acme Labs").created_id
    assert bench.find_account("acme corp") == a
    assert bench.find_account("SF-001") == a
    assert bench.find_account("acme l") == b
    assert bench.find_account(str(b)) == b
    with pytest.raises(NotFoundError, match="several"):
        bench.find_account("acme")
    with pytest.raises(NotFoundError, match="no account"):
        bench.find_account("zeta")


def test_delete_cascades(bench) -> None:
    acme = bench.add_account("Acme").created_id
    bench.add_transaction(acme, date(2024, 6, 1), 500)
    bench.delete_account(acme)
    assert bench.account_count() == 0
    assert bench.snapshot_count() == 0


@pytest.mark.parametrize(
    ("fields", "needle"),
    [
        ({"acv": float("inf")}, "not a number"),
        ({"acv": 1e308}, "check the units"),
        ({"acv": -5.0}, "cannot be negative"),
        ({"rating_growth": 9}, "1 to 5"),
        ({"gross_margin_pct": 250.0}, "percentage"),
        ({"status": "zombie"}, "status"),
    ],
)
def test_impossible_account_values_are_refused(bench, fields, needle) -> None:
    acme = bench.add_account("Acme", acv=10_000.0).created_id
    with pytest.raises(ValidationError, match=needle):
        bench.update_account(acme, **fields)
    with pytest.raises(ValidationError, match=needle):
        bench.add_account("Beta", **fields)
    assert bench.account(acme).acv == 10_000.0 and bench.account_count() == 1


def test_non_finite_transaction_amounts_are_refused(bench) -> None:
    acme = bench.add_account("Acme").created_id
    for bad in (float("nan"), float("inf"), 1e300):
        with pytest.raises(ValidationError, match="amount"):
            bench.add_transaction(acme, date(2024, 6, 1), bad)
    assert bench.account_summary(acme).monetary == 0


def test_deleting_a_transaction_rescores_its_account(bench) -> None:
    acme = bench.add_account("Acme").created_id
    keep = bench.add_transaction(acme, date(2024, 6, 10), 20_000)
    slip = bench.add_transaction(acme, date(2024, 6, 11), -1_000_000)
    assert bench.account_summary(acme).monetary == 0
    change = bench.delete_transaction(slip.created_id)
    assert change.recalc.changed == [acme]
    assert bench.account_summary(acme).monetary == 20_000
    with pytest.raises(NotFoundError):
        bench.delete_transaction(slip.created_id)
    assert keep.created_id is not None
