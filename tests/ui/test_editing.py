"""Editing through modal forms: saving rescores at once, refusals keep the input, undo."""

from __future__ import annotations

from datetime import date

from textual.widgets import Input

from kamtui.ui.modals.forms import ConfirmModal, FormModal
from kamtui.ui.panes.overview import OverviewPane
from tests.ui.helpers import (
    current_name,
    make_app,
    names,
    ready,
    save,
    static_text,
    type_text,
)


async def _select(app, pilot, name: str) -> None:
    await pilot.press("slash")
    await type_text(pilot, f'"{name}"')
    await pilot.press("escape")
    await pilot.pause()
    assert current_name(app) == name


async def _clear_filter(app, pilot) -> None:
    await pilot.press("slash")
    await pilot.pause()
    await pilot.press("ctrl+u")
    await pilot.press("escape")
    await pilot.pause()


async def test_editing_acv_rescores_moves_the_row_and_adds_a_snapshot(workspace, bench_on) -> None:
    delta = bench_on.find_account("Delta Foods")
    app = make_app(workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        before = bench_on.account_summary(delta)
        snapshots = len(bench_on.snapshots(delta))
        position = names(app).index("Delta Foods")
        await _select(app, pilot, "Delta Foods")
        await _clear_filter(app, pilot)
        assert current_name(app) == "Delta Foods"
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormModal)
        for _ in range(5):  # name, owner, region, industry, products -> ACV
            await pilot.press("tab")
        await pilot.pause()
        assert app.focused.id == "field-acv"
        await type_text(pilot, "5m")
        await save(app, pilot)
        await ready(app, pilot)
        assert not isinstance(app.screen, FormModal)
        # the database changed and was rescored
        after = bench_on.account_summary(delta)
        assert after.acv == 5_000_000
        assert after.value_score > before.value_score
        assert after.priority > before.priority
        assert len(bench_on.snapshots(delta)) == snapshots + 1
        assert bench_on.snapshots(delta)[-1].reason == "edit"
        # the row moved up, the selection followed it, the row and overview show the change
        assert names(app).index("Delta Foods") < position
        assert current_name(app) == "Delta Foods"
        assert app.screen.query_one("#accounts").current.acv == 5_000_000
        head = static_text(app.screen.query_one(OverviewPane).query_one("#overview-head"))
        assert f"prio {after.priority:.0f}" in head


async def test_a_refused_form_keeps_what_was_typed(workspace, bench_on) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, FormModal)
        await type_text(pilot, "Beta Labs")  # a name that exists already
        for _ in range(5):
            await pilot.press("tab")
        await type_text(pilot, "lots")  # ACV: not an amount
        await pilot.press("tab")
        await type_text(pilot, "2024-02-30")  # renewal: not a date
        await save(app, pilot)
        form = app.screen
        assert isinstance(form, FormModal)
        assert "not an amount" in static_text(form.query_one("#error-acv"))
        assert "not a date" in static_text(form.query_one("#error-renewal_date"))
        assert form.query_one("#field-acv", Input).value == "lots"
        assert form.query_one("#field-renewal_date", Input).value == "2024-02-30"
        # fix the two fields: the service now refuses the duplicate name, inline
        form.query_one("#field-acv", Input).value = "120k"
        form.query_one("#field-renewal_date", Input).value = "2024-12-31"
        await save(app, pilot)
        assert app.screen is form
        assert "already exists" in static_text(form.query_one("#error-name"))
        assert form.query_one("#field-name", Input).value == "Beta Labs"
        assert form.query_one("#field-acv", Input).value == "120k"
        assert bench_on.account_count() == 5
        # a rating outside 1–5 is refused too
        form.query_one("#field-name", Input).value = "Zeta Works"
        form.query_one("#field-rating_growth", Input).value = "7"
        await save(app, pilot)
        assert "runs from 1 to 5" in static_text(form.query_one("#error-rating_growth"))
        form.query_one("#field-rating_growth", Input).value = "4"
        await save(app, pilot)
        await ready(app, pilot)
        assert not isinstance(app.screen, FormModal)
        assert current_name(app) == "Zeta Works"
    zeta = bench_on.account(bench_on.find_account("Zeta Works"))
    assert (zeta.acv, zeta.renewal_date, zeta.rating_growth) == (120_000, date(2024, 12, 31), 4)


async def test_delete_asks_and_ctrl_z_restores(workspace, bench_on) -> None:
    acme = bench_on.find_account("Acme Corp")
    tx_count = len(bench_on.kpi_series(acme)[0].values)
    app = make_app(workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await _select(app, pilot, "Acme Corp")
        await _clear_filter(app, pilot)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("n")  # changed my mind
        await pilot.pause()
        assert bench_on.account_count() == 5
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await ready(app, pilot)
        assert bench_on.account_count() == 4
        assert "Acme Corp" not in names(app)
        await pilot.press("ctrl+z")
        await ready(app, pilot)
        assert bench_on.account_count() == 5
        assert current_name(app) == "Acme Corp"
    assert bench_on.find_account("Acme Corp") == acme
    assert bench_on.account_summary(acme).monetary > 0
    assert len(bench_on.kpi_series(acme)[0].values) == tx_count


async def test_transaction_activity_and_kpi_forms_save_through_the_service(
    workspace, bench_on
) -> None:
    beta = bench_on.find_account("Beta Labs")
    app = make_app(workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await _select(app, pilot, "Beta Labs")
        # a KPI reading
        await pilot.press("r")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormModal)
        form.query_one("#field-value", Input).value = "150"
        await save(app, pilot)
        assert "NPS runs from" in static_text(form.query_one("#error-value"))
        form.query_one("#field-value", Input).value = "42"
        await save(app, pilot)
        await ready(app, pilot)
        series = {s.metric: s for s in bench_on.kpi_series(beta)}
        assert series["nps"].latest == 42
        assert "NPS" in str([r.series.label for r in app.screen.query("KpiRow")])
        # an activity: a survey answer must be 0–10
        await pilot.press("v")
        await pilot.pause()
        form = app.screen
        form.query_one("#field-kind").value = "survey_response"
        form.query_one("#field-value", Input).value = "11"
        await save(app, pilot)
        assert "0 to 10" in static_text(form.query_one("#error-value"))
        form.query_one("#field-value", Input).value = "9"
        await save(app, pilot)
        await ready(app, pilot)
        # a transaction
        before = bench_on.account_summary(beta).monetary
        await pilot.press("t")
        await pilot.pause()
        form = app.screen
        form.query_one("#field-amount", Input).value = "1,500"
        await save(app, pilot)
        await ready(app, pilot)
        assert bench_on.account_summary(beta).monetary == before + 1500
        assert current_name(app) == "Beta Labs"


async def test_acknowledge_an_alert_with_a(workspace, bench_on) -> None:
    app = make_app(workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        row = app.screen.query_one("#accounts").current
        open_before = bench_on.alerts(row.id)
        assert open_before
        await pilot.press("a")
        await ready(app, pilot)
        assert [a.id for a in bench_on.alerts(row.id)] == [a.id for a in open_before[1:]]
        assert app.screen.query_one("#accounts").current.alert_count == len(open_before) - 1
        if len(open_before) > 1:
            await pilot.press("z")
            await ready(app, pilot)
            assert len(bench_on.alerts(row.id)) == len(open_before) - 2


async def test_ctrl_z_removes_a_mistyped_transaction(workspace, bench_on) -> None:
    beta = bench_on.find_account("Beta Labs")
    before = bench_on.account_summary(beta)
    app = make_app(workspace)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await _select(app, pilot, "Beta Labs")
        await pilot.press("t")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormModal)
        form.query_one("#field-amount", Input).value = "-1000000"  # a slip of the finger
        await save(app, pilot)
        await ready(app, pilot)
        assert bench_on.account_summary(beta).monetary == 0  # net spend floored at 0
        await pilot.press("ctrl+z")
        await ready(app, pilot)
        assert bench_on.account_summary(beta).monetary == before.monetary
        assert current_name(app) == "Beta Labs"
