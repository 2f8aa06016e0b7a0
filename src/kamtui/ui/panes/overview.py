"""The overview of the selected account: key facts and every score with its breakdown."""

from __future__ import annotations

from typing import Any

from textual.containers import VerticalScroll
from textual.widgets import Static

from kamtui.render import overview_renderable


class OverviewPane(VerticalScroll):
    """Scrollable overview of the selected account."""

    def compose(self):  # type: ignore[no-untyped-def]
        yield Static("Select an account to see why it ranks where it does.", id="overview-body")

    def show(self, summary: Any | None, breakdown: dict[str, Any]) -> None:
        body = self.query_one("#overview-body", Static)
        if summary is None:
            body.update("Select an account to see why it ranks where it does.")
        else:
            body.update(overview_renderable(summary, breakdown))
