"""Helpers for UI tests: read what a widget shows as plain text, start the app, type text."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

from rich.console import Console
from textual.widgets import Static

AS_OF = date(2024, 6, 30)


def static_text(widget: Static, width: int = 120) -> str:
    """The plain text of a Static's content, rendered at ``width`` columns."""
    console = Console(width=width, file=io.StringIO(), record=True, color_system=None)
    content = widget.content
    console.print(content, markup=True)
    return console.export_text()


def make_app(workspace: Path) -> Any:
    from kamtui.ui.app import KamtuiApp

    return KamtuiApp(db=str(workspace), as_of=AS_OF)


async def ready(app: Any, pilot: Any) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


async def type_text(pilot: Any, text: str) -> None:
    keys = {" ": "space", "/": "slash", ":": "colon", "<": "less_than_sign",
            ">": "greater_than_sign", "-": "minus", ".": "full_stop", '"': "quotation_mark",
            "=": "equals_sign", ",": "comma"}  # fmt: skip
    for ch in text:
        await pilot.press(keys.get(ch, ch))
    await pilot.pause()


def names(app: Any) -> list[str]:
    from kamtui.ui.panes.account_list import AccountListPane

    return [row.name for row in app.screen.query_one(AccountListPane).visible_rows]


def current_name(app: Any) -> str | None:
    from kamtui.ui.panes.account_list import AccountListPane

    row = app.screen.query_one(AccountListPane).table.current
    return None if row is None else row.name


async def save(app: Any, pilot: Any) -> None:
    """Press ctrl+s in a form and wait for the form's saving worker and its answer."""
    await pilot.press("ctrl+s")
    await pilot.pause()
    saving = [w for w in app.workers if w.group == "form-save"]
    if saving:  # (an empty list would mean: wait for every worker)
        await app.workers.wait_for_complete(saving)
    await pilot.pause()
    await pilot.pause()
