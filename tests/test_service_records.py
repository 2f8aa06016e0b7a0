"""Service methods for the TUI's records: alerts, KPI series, activities, undoable deletes."""

from __future__ import annotations

from datetime import date

import pytest

from kamtui.errors import ValidationError


def test_delete_returns_a_dump_that_restores_every_row_with_its_ids(bench) -> None:
    bench.set_as_of(date(2024, 6, 30))
    acme = bench.add_account("Acme", acv=1000.0).created_id
    child = bench.add_account("Acme Child", parent_id=acme).created_id
    tx = bench.add_transaction(acme, date(2024, 6, 1), 500.0).created_id
    bench.add_kpi_reading(acme, "2024-05", "nps", 40)
    bench.add_activity(acme, date(2024, 6, 2), "meeting")
    snapshots = len(bench.snapshots(acme))

    change = bench.delete_account(acme)
    assert bench.account_count() == 1
    assert bench.account(child).parent_id is None

    bench.restore_account(change.restore)
    assert bench.account(acme).name == "Acme"
    assert bench.account(child).parent_id == acme
    with bench.engine.connect() as conn:
        assert conn.exec_driver_sql(
            "SELECT id, amount FROM transaction_line WHERE account_id = ?", (acme,)
        ).all() == [(tx, 500.0)]
        assert (
            conn.exec_driver_sql(
                "SELECT count(*) FROM kpi_reading WHERE account_id = ?", (acme,)
            ).scalar_one()
            == 1
        )
    assert len(bench.snapshots(acme)) >= snapshots
    assert bench.account_summary(acme).monetary == 500.0


def test_restore_refuses_when_the_name_was_taken_meanwhile(bench) -> None:
    acme = bench.add_account("Acme").created_id
    dump = bench.delete_account(acme).restore
    bench.add_account("ACME")
    with pytest.raises(ValidationError) as caught:
        bench.restore_account(dump)
    assert caught.value.field == "name"


def test_kpi_series_by_month_and_quarter(bench) -> None:
    bench.set_as_of(date(2024, 6, 30))
    acme = bench.add_account("Acme").created_id
    for period, value in (("2024-01", 30), ("2024-02", 40), ("2024-05", 60), ("2024-06", 70)):
        bench.add_kpi_reading(acme, period, "nps", value)
    bench.add_kpi_reading(acme, "2024-06", "nps", 55)  # replaces the June reading
    bench.add_transaction(acme, date(2024, 6, 3), 100.0)
    bench.add_transaction(acme, date(2024, 4, 3), 50.0)

    monthly = {s.metric: s for s in bench.kpi_series(acme)}
    nps = monthly["nps"]
    assert len(nps.periods) == 12 and nps.periods[-1] == "2024-06"
    assert nps.values[-6:] == [30, 40, None, None, 60, 55]
    assert (nps.latest, nps.trend, nps.healthy, nps.mark) == (55, "down", True, "green")
    assert nps.target == "> 50"
    revenue = monthly["revenue"]
    assert revenue.source == "transactions" and revenue.values[-3:] == [50.0, 0.0, 100.0]

    quarterly = {s.metric: s for s in bench.kpi_series(acme, grain="quarter")}
    assert quarterly["nps"].periods[-2:] == ["2024-Q1", "2024-Q2"]
    assert quarterly["nps"].values[-2:] == [35.0, 57.5]  # NPS averages
    assert quarterly["revenue"].values[-1] == 150.0  # revenue adds up


def test_kpi_reading_and_activity_validation(bench) -> None:
    acme = bench.add_account("Acme").created_id
    with pytest.raises(ValidationError) as caught:
        bench.add_kpi_reading(acme, "2024-13", "nps", 10)
    assert caught.value.field == "period"
    with pytest.raises(ValidationError) as caught:
        bench.add_activity(acme, date(2024, 1, 1), "survey_response", value=11)
    assert caught.value.field == "value"
    bench.add_activity(acme, date(2024, 1, 1), "survey_response", value=9)


def test_acknowledge_and_snooze_alerts(bench) -> None:
    bench.set_as_of(date(2024, 6, 30))
    # renewal in 15 days with unknown health, and usage near capacity: two alerts fire
    acme = bench.add_account(
        "Acme", acv=1000.0, renewal_date=date(2024, 7, 15), capacity_limit=100, current_usage=95
    ).created_id
    fired = [a.id for a in bench.alerts(acme)]
    assert len(fired) >= 2, bench.alerts(acme)
    first, second = fired[:2]
    count = bench.account_summary(acme).alert_count
    bench.acknowledge_alert(first)
    assert first not in [a.id for a in bench.alerts(acme)]
    assert bench.account_summary(acme).alert_count == count - 1
    with pytest.raises(ValidationError):
        bench.snooze_alert(second, date(2024, 6, 30))
    bench.snooze_alert(second, date(2024, 7, 7))
    assert second not in [a.id for a in bench.alerts(acme)]
    bench.set_as_of(date(2024, 7, 8))
    assert second in [a.id for a in bench.alerts(acme)]  # the snooze has ended
    assert first not in [a.id for a in bench.alerts(acme)]  # acknowledged stays so


def test_an_unknown_activity_kind_is_refused(tmp_path) -> None:
    from kamtui.service import Workbench

    with Workbench.open(str(tmp_path / "w.db")) as bench:
        acme = bench.add_account("Acme").created_id
        with pytest.raises(ValidationError, match="kind is one of") as err:
            bench.add_activity(acme, date(2024, 6, 1), "telepathy")
        assert err.value.field == "kind"
        bench.add_activity(acme, date(2024, 6, 1), "Meeting")  # case-insensitive, accepted
