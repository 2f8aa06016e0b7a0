"""A stray Escape never loses what the user typed into a form."""

from __future__ import annotations

from datetime import date

from textual.widgets import Input

from kamtui.service import Workbench
from kamtui.ui.app import KamtuiApp
from kamtui.ui.modals.forms import ConfirmModal, FormModal


async def test_escape_on_a_filled_form_asks_before_discarding(db_path) -> None:
    with Workbench.open(str(db_path)) as bench:
        bench.add_account("Acme")
    app = KamtuiApp(db=str(db_path), as_of=date(2024, 6, 30))
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, FormModal)
        await pilot.press(*"Nova Dynamics")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("n")  # keep editing
        await pilot.pause()
        assert isinstance(app.screen, FormModal)
        assert app.screen.query_one("#field-name", Input).value == "Nova Dynamics"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")  # discard
        await pilot.pause()
        assert not isinstance(app.screen, FormModal | ConfirmModal)
    with Workbench.open(str(db_path)) as bench:
        assert bench.account_count() == 1


async def test_escape_on_an_untouched_form_just_closes(db_path) -> None:
    with Workbench.open(str(db_path)) as bench:
        bench.add_account("Acme")
    app = KamtuiApp(db=str(db_path), as_of=date(2024, 6, 30))
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, FormModal)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, FormModal | ConfirmModal)
