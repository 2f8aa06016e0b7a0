"""Rich renderables shared by the CLI and the TUI (no Textual here): an account's scores
with the breakdown of each."""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from kamtui.ui import formatting as fmt


def _shown(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}"
    if value is None:
        return "—"
    if isinstance(value, dict):
        return ", ".join(f"{k} {_shown(v)}" for k, v in value.items() if v is not None) or "—"
    return str(value)


def _criteria_table(title: str, rows: list[tuple[str, str, str, str, str]]) -> Table:
    table = Table(title=title, title_justify="left", expand=True, show_edge=False, pad_edge=False)
    table.add_column("Criterion", no_wrap=True)
    table.add_column("Input", overflow="fold")
    table.add_column("Band", overflow="fold")
    table.add_column("Pts", justify="right", no_wrap=True)
    table.add_column("Why", overflow="fold")
    for row in rows:
        table.add_row(*row)
    return table


def _rfm_rows(criteria: list[dict[str, Any]]) -> list[tuple[str, str, str, str, str]]:
    return [
        (
            c["name"],
            _shown(c.get("value")),
            str(c.get("band", "")),
            f"{c['points']:g}",
            c.get("note", ""),
        )
        for c in criteria
    ]


def _value_rows(value: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    rows = []
    for c in value.get("criteria", []):
        weight = c.get("weight")
        pts = f"{c['points']:g}" + (f" ×{weight:g}%" if weight else "")
        rows.append(
            (c["name"], _shown(c.get("value")), str(c.get("band", "")), pts, c.get("note", ""))
        )
    return rows


def _health_rows(health: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    rows = []
    for c in health.get("components", []):
        points = c.get("points")
        band = "missing" if points is None else f"{points:.0f}/100"
        weight = c.get("effective_weight") or 0
        rows.append(
            (c["name"], _shown(c.get("figures")), band, f"{weight:.0f}%", c.get("note", ""))
        )
    return rows


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
    if breakdown.get("rfm"):
        parts += [_criteria_table("Why this tier (RFM)", _rfm_rows(breakdown["rfm"])), ""]
    value = breakdown.get("value")
    if isinstance(value, dict) and value.get("criteria"):
        title = f"Account value {_shown(value.get('score'))} / 100"
        parts += [_criteria_table(title, _value_rows(value)), ""]
    health = breakdown.get("health")
    if isinstance(health, dict) and health.get("components"):
        score = health.get("score")
        title = "Why this health: " + (
            "no data yet" if score is None else f"{score:.0f} ({health.get('band')})"
        )
        parts += [_criteria_table(title, _health_rows(health)), ""]
    return Group(*parts)
