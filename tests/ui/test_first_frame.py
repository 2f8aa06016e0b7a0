"""The workbench as a user first meets it: the list, the breakdown that follows, quitting."""

from __future__ import annotations

from datetime import date

from kamtui.service import Workbench
from kamtui.ui.app import KamtuiApp
from kamtui.ui.panes.overview import OverviewPane
from kamtui.ui.widgets.account_table import AccountTable
from tests.ui.helpers import static_text


def _workspace(path) -> None:
    with Workbench.open(str(path)) as bench:
        top = bench.add_account("Acme Industrial").created_id
        for day, amount in (
            (date(2024, 6, 10), 20_000),
            (date(2024, 3, 1), 10_000),
            (date(2024, 1, 5), 10_000),
            (date(2023, 9, 1), 5_000),
        ):
            bench.add_transaction(top, day, amount)
        mid = bench.add_account("Borealis Foods").created_id
        bench.add_transaction(mid, date(2024, 5, 1), 12_000)
        bench.add_account("Cobalt Dormant")


async def test_list_is_ranked_and_breakdown_follows_the_cursor(db_path) -> None:
    _workspace(db_path)
    app = KamtuiApp(db=str(db_path), as_of=date(2024, 6, 30))
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one(AccountTable)
        assert [r.name for r in table.rows] == [
            "Acme Industrial",
            "Borealis Foods",
            "Cobalt Dormant",
        ]
        # Borealis: 60 days -> R4, one purchase -> F1, 12,000 -> M3: 8 -> tier 2
        assert [r.tier for r in table.rows] == [1, 2, 3]
        assert table.current.name == "Acme Industrial"
        overview = app.screen.query_one(OverviewPane).query_one("#overview-body")
        assert "R5 + F3 + M4 = 12" in static_text(overview)

        await pilot.press("down")
        await pilot.pause()
        assert table.current.name == "Borealis Foods"
        head = static_text(app.screen.query_one(OverviewPane).query_one("#overview-head"))
        assert "Borealis Foods" in head

        await pilot.press("q")
    assert app.return_code in (0, None)


async def test_the_as_of_date_given_to_the_tui_is_stored(db_path) -> None:
    _workspace(db_path)
    app = KamtuiApp(db=str(db_path), as_of=date(2025, 6, 30))
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen.sub_title.startswith("as of 2025-06-30")
    with Workbench.open(str(db_path)) as bench:
        assert bench.as_of() == date(2025, 6, 30)


async def test_an_empty_workspace_explains_how_to_start(db_path) -> None:
    app = KamtuiApp(db=str(db_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen.has_class("-empty")
        text = static_text(app.screen.query_one("#empty"))
        assert "kamtui import" in text and "kamtui demo" in text


async def test_a_tiny_terminal_says_so(db_path) -> None:
    _workspace(db_path)
    app = KamtuiApp(db=str(db_path))
    async with app.run_test(size=(20, 5)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen.has_class("-too-small")
        assert "too small" in static_text(app.screen.query_one("#too-small"))


async def test_a_broken_workspace_exits_with_one_line(tmp_path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_text("not sqlite at all\n" * 40)
    app = KamtuiApp(db=str(junk))
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        for _ in range(50):  # the worker's message may still be on its way to the screen
            await pilot.pause()
            if app.return_code is not None:
                break
    assert app.return_code == 1


async def test_n_on_an_empty_workspace_opens_the_new_account_form(db_path) -> None:
    from kamtui.ui.modals.forms import FormModal

    app = KamtuiApp(db=str(db_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, FormModal)
