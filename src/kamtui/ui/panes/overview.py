"""The overview of the selected account: key facts, open alerts with their next step, KPI
sparklines, and why each score is what it is.

The screen hands everything in with ``show(...)``; the pane never calls the service.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Sparkline, Static

from kamtui.ui import formatting as fmt

NOTHING_SELECTED = "Select an account to see why it ranks where it does."
TREND_ARROW = {"up": "▲", "down": "▼", "flat": "▶"}
MARK_STYLE = {"green": "bold green", "amber": "bold yellow", "red": "bold red"}
SEVERITY_STYLE = {"critical": "bold red", "warning": "yellow", "info": "cyan"}
MONEY_METRICS = {"revenue", "clv", "revenue_per_account"}


ACRONYMS = {"nps": "NPS", "rfm": "RFM", "acv": "ACV", "clv": "CLV", "qbr": "QBR"}


def _label(name: str) -> str:
    return ACRONYMS.get(name.lower(), name.replace("_", " ").capitalize())


def _num(value: Any, places: int = 0) -> str:
    if value is None:
        return "—"
    if isinstance(value, float | int):
        return f"{value:,.{places}f}"
    return str(value)


def facts_renderable(summary: Any, as_of: date | None, products: str | None = None) -> Table:
    """Head line and key facts: owner, renewal (days to go), products, ACV, revenue."""
    renewal = fmt.day(summary.renewal_date)
    if summary.renewal_date and as_of:
        days = (summary.renewal_date - as_of).days
        renewal += f" ({days} d)" if days >= 0 else f" ({-days} d ago)"
    facts = Table.grid(padding=(0, 2), expand=True)
    facts.add_column(style="dim", no_wrap=True)
    facts.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
    facts.add_column(style="dim", no_wrap=True)
    facts.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
    facts.add_row("Owner", summary.owner or "—", "Renewal", renewal)
    facts.add_row("ACV", fmt.money(summary.acv, 0), "Revenue 12m", fmt.money(summary.monetary, 0))
    facts.add_row("Region", summary.region or "—", "Industry", summary.industry or "—")
    facts.add_row("Products", products or "—", "Last purchase", fmt.day(summary.last_purchase))
    return facts


def head_renderable(summary: Any) -> Text:
    return Text.assemble(
        (summary.name, "bold"),
        "  ",
        fmt.tier(summary.tier),
        f"  RFM {summary.rfm or '—'}",
        "  value ",
        (fmt.number(summary.value_score), "bold"),
        "  health ",
        fmt.health(summary.health_score, summary.health_band),
        "  prio ",
        (fmt.number(summary.priority), "bold"),
        ("" if summary.status == "active" else f"  [{summary.status}]", "italic"),
    )


def alerts_renderable(alerts: list[Any], selected: int = 0) -> RenderableType:
    """Open alerts, most severe first; the selected one is what a / z act on."""
    if not alerts:
        return Text("No open alerts.", style="dim")
    lines: list[RenderableType] = [
        Text.assemble(
            (f"Open alerts ({len(alerts)})", "bold"),
            ("   a acknowledge · z snooze 14 days · ] next", "dim"),
        )
    ]
    for n, alert in enumerate(alerts):
        marker = "▶ " if n == selected else "  "
        style = SEVERITY_STYLE.get(alert.severity, "")
        lines.append(
            Text.assemble(marker, (f"{alert.severity.upper():8}", style), " ", alert.message)
        )
        if alert.next_step:
            lines.append(Text(f"    → {alert.next_step}", style="italic dim"))
    return Group(*lines)


Row = tuple[str, str, str, str, str]  # name, shown, band, points, note


def _rows_renderable(rows: list[Row]) -> RenderableType:
    """Criteria as aligned lines, each with its explanation (dim, wrapped) below.

    The name, value and points columns are as wide as their longest entry in this section and
    never cut; the band wraps at word boundaries only when the pane is too narrow for it; the
    note flows with the pane width.
    """
    if not rows:
        return Text("")
    name_w = max(len(r[0]) for r in rows)
    shown_w = max(len(r[1]) for r in rows)
    band_w = max(len(r[2]) for r in rows)
    points_w = max(len(r[3]) for r in rows)
    lines: list[RenderableType] = []
    for name, shown, band, points, note in rows:
        grid = Table.grid(padding=(0, 1), pad_edge=False)
        grid.add_column(no_wrap=True, width=name_w + 2)
        grid.add_column(justify="right", style="bold", no_wrap=True, width=shown_w)
        grid.add_column(style="dim", width=band_w, overflow="fold")
        if points_w:
            grid.add_column(justify="right", style="bold", no_wrap=True, width=points_w)
            grid.add_row(f"  {name}", shown, band, points)
        else:
            grid.add_row(f"  {name}", shown, band)
        lines.append(grid)
        if note:
            lines.append(Padding(Text(note, style="dim italic"), (0, 0, 0, 6)))
    return Group(*lines)


def _tier_section(criteria: list[dict[str, Any]]) -> RenderableType:
    total = next((c for c in criteria if c.get("name") == "tier"), None)
    title = Text("Why this tier", style="bold")
    if total is not None:
        title.append(f"  {total.get('note', '')} → tier {total.get('points')}", style="")
        title.append(f"  ({total.get('band', '')})", style="dim")
    lines: list[RenderableType] = [title]
    rows: list[Row] = []
    for c in criteria:
        if c.get("name") == "tier":
            continue
        rows.append(
            (
                _label(str(c.get("name"))),
                _num(c.get("value"), 0),
                str(c.get("band", "")),
                f"{c.get('points', 0):g} pts",
                str(c.get("note", "")),
            )
        )
    lines.append(_rows_renderable(rows))
    return Group(*lines)


def _health_section(health: dict[str, Any]) -> RenderableType:
    score = health.get("score")
    band = health.get("band")
    title = Text("Why this health  ", style="bold")
    if score is None:
        title.append("no data yet", style="dim")
    else:
        title.append_text(fmt.health(score, band))
        title.append(f" {band}", style=fmt.BAND_STYLE.get(band or "", ""))
    lines: list[RenderableType] = [title]
    rows: list[Row] = []
    missing = []
    for c in health.get("components", []):
        points = c.get("points")
        if points is None:
            missing.append(str(c.get("name")))
            continue
        rows.append(
            (
                _label(str(c.get("name"))),
                f"{points:.0f}/100",
                f"weight {(c.get('effective_weight') or 0):.0f}%",
                "",
                str(c.get("note", "")),
            )
        )
    lines.append(_rows_renderable(rows))
    if missing:
        lines.append(Text("  No data yet: " + ", ".join(missing), style="dim italic"))
    return Group(*lines)


def _value_section(value: dict[str, Any]) -> RenderableType:
    title = Text.assemble(("Value  ", "bold"), (f"{_num(value.get('score'))} / 100", "bold"))
    lines: list[RenderableType] = [title]
    rows: list[Row] = []
    missing = []
    for c in value.get("criteria", []):
        if c.get("band") == "missing":
            missing.append(_label(str(c.get("name"))).lower())
            continue
        rows.append(
            (
                _label(str(c.get("name"))),
                f"{c.get('points', 0):g}/5",
                f"weight {(c.get('weight') or 0):g}%",
                "",
                str(c.get("note", "")),
            )
        )
    lines.append(_rows_renderable(rows))
    if missing:
        lines.append(
            Text(
                "  Not rated: " + ", ".join(missing) + " — press e to rate 1–5",
                style="dim italic",
            )
        )
    return Group(*lines)


def breakdown_renderable(breakdown: dict[str, Any]) -> RenderableType:
    """Why this tier, why this health, and the value score — each criterion with its points."""
    parts: list[RenderableType] = []
    rfm = breakdown.get("rfm")
    if isinstance(rfm, list) and rfm:
        parts += [_tier_section(rfm), ""]
    health = breakdown.get("health")
    if isinstance(health, dict) and health.get("components"):
        parts += [_health_section(health), ""]
    value = breakdown.get("value")
    if isinstance(value, dict) and value.get("criteria"):
        parts += [_value_section(value)]
    if not parts:
        return Text("Scores are being computed…", style="dim")
    return Group(*parts)


def kpi_label(series: Any) -> Text:
    """'NPS               55 ▼' for one KPI series: name, latest value, trend."""
    places = 0 if series.metric in MONEY_METRICS or abs(series.latest or 0) >= 100 else 1
    latest = (
        fmt.money(series.latest) if series.metric in MONEY_METRICS else _num(series.latest, places)
    )
    return Text.assemble(
        (f"{series.label:<14.14}", "bold"),
        (f"{latest:>8}", ""),
        " ",
        (TREND_ARROW.get(series.trend or "", " "), ""),
    )


def kpi_target(series: Any) -> Text:
    """'● > 50': the red/amber/green mark and the healthy level."""
    text = Text()
    if series.mark:
        text.append("● ", style=MARK_STYLE.get(series.mark, ""))
    if series.target:
        text.append(series.target, style="dim")
    return text


class KpiRow(Horizontal):
    """One KPI: name, latest value and trend; its sparkline; its mark and target."""

    def compose(self) -> ComposeResult:
        yield Static("", classes="kpi-label")
        yield Sparkline([], classes="kpi-spark")
        yield Static("", classes="kpi-target")

    def update(self, series: Any) -> None:
        self.query_one(".kpi-label", Static).update(kpi_label(series))
        self.query_one(".kpi-target", Static).update(kpi_target(series))
        values = [v for v in series.values if v is not None]
        self.query_one(Sparkline).data = values
        for mark in ("green", "amber", "red"):
            self.set_class(series.mark == mark, f"-{mark}")
        self.series = series


class OverviewPane(VerticalScroll):
    """Scrollable overview of the selected account."""

    def compose(self) -> ComposeResult:
        yield Static(NOTHING_SELECTED, id="overview-head")
        yield Static("", id="overview-facts")
        yield Static("", id="overview-alerts")
        with Vertical(id="overview-kpis"):
            yield Static("", id="kpi-title")
            yield Vertical(id="kpi-rows")
        yield Static("", id="overview-body")

    def show(
        self,
        summary: Any | None,
        breakdown: dict[str, Any] | None,
        *,
        alerts: list[Any] | None = None,
        selected_alert: int = 0,
        kpis: list[Any] | None = None,
        grain: str = "month",
        as_of: date | None = None,
        products: str | None = None,
    ) -> None:
        head = self.query_one("#overview-head", Static)
        self.set_class(summary is None, "-nothing")
        if summary is None:
            head.update(NOTHING_SELECTED)
            for part in ("#overview-facts", "#overview-alerts", "#overview-body", "#kpi-title"):
                self.query_one(part, Static).update("")
            self.query_one("#kpi-rows").remove_children()
            return
        head.update(head_renderable(summary))
        self.query_one("#overview-facts", Static).update(facts_renderable(summary, as_of, products))
        self.query_one("#overview-alerts", Static).update(
            alerts_renderable(alerts or [], selected_alert)
        )
        self._show_kpis(kpis or [], grain)
        self.show_breakdown(breakdown)

    def show_breakdown(self, breakdown: dict[str, Any] | None) -> None:
        """The scores' breakdown (None: still being worked out)."""
        body = self.query_one("#overview-body", Static)
        if breakdown is None:
            body.update(Text("Working out why…", style="dim italic"))
        else:
            body.update(breakdown_renderable(breakdown))

    def _show_kpis(self, kpis: list[Any], grain: str) -> None:
        span = "12 months" if grain == "month" else "8 quarters"
        other = "8 quarters" if grain == "month" else "12 months"
        title = Text.assemble(("KPIs", "bold"), f" over {span}", (f"   m: {other}", "dim"))
        if not kpis:
            title.append("\nNo KPI readings yet — press r to record one (NPS, usage, …).", "dim")
        self.query_one("#kpi-title", Static).update(title)
        rows_box = self.query_one("#kpi-rows", Vertical)
        rows = list(rows_box.query_children(KpiRow))
        if len(rows) != len(kpis):
            rows_box.remove_children()
            rows = [KpiRow() for _ in kpis]
            if rows:
                rows_box.mount_all(rows)
        for row, series in zip(rows, kpis, strict=True):
            if row.is_mounted and row.children:
                row.update(series)
            else:
                row.call_after_refresh(row.update, series)
