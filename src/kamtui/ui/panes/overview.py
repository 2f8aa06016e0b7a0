"""The overview of the selected account: key facts and every score with its breakdown."""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from kamtui.ui import formatting as fmt


def _criteria_table(title: str, criteria: list[dict[str, Any]]) -> Table:
    table = Table(title=title, title_justify="left", expand=True, show_edge=False, pad_edge=False)
    table.add_column("Criterion", no_wrap=True)
    table.add_column("Input", justify="right")
    table.add_column("Band")
    table.add_column("Pts", justify="right")
    table.add_column("Why", overflow="fold")
    for c in criteria:
        value = c.get("value")
        if isinstance(value, float):
            shown = f"{value:,.2f}"
        elif value is None:
            shown = "—"
        else:
            shown = str(value)
        points = c.get("points")
        pts = "" if points is None else f"{points:g}"
        table.add_row(str(c.get("name", "")), shown, str(c.get("band", "")), pts, c.get("note", ""))
    return table


def overview_renderable(summary: Any, breakdown: dict[str, Any]) -> RenderableType:
    """What the overview shows for one account."""
    head = Text.assemble(
        (summary.name, "bold"),
        "  ",
        fmt.tier(summary.tier),
        f"  RFM {summary.rfm or '—'}",
        "  health ",
        fmt.health(summary.health_score, summary.health_band),
    )
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="dim")
    facts.add_column()
    facts.add_column(style="dim")
    facts.add_column()
    facts.add_row("Owner", summary.owner or "—", "Industry", summary.industry or "—")
    facts.add_row("Region", summary.region or "—", "Status", summary.status)
    facts.add_row("ACV", fmt.money(summary.acv, 2), "Renewal", fmt.day(summary.renewal_date))
    facts.add_row(
        "Spend 12m", fmt.money(summary.monetary, 2), "Last purchase", fmt.day(summary.last_purchase)
    )
    parts: list[RenderableType] = [head, "", facts, ""]
    titles = {"rfm": "Why this tier (RFM)", "value": "Account value", "health": "Why this health"}
    for key, title in titles.items():
        criteria = breakdown.get(key)
        if criteria:
            parts.extend([_criteria_table(title, criteria), ""])
    return Group(*parts)


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
