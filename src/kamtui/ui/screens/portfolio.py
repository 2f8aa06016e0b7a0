"""PortfolioScreen: the whole book at a glance — tiers, revenue concentration, product
breadth, a region × industry revenue heatmap, and portfolio KPIs with sparklines.

The figures are read in a worker (portfolio KPIs load every account's inputs) and handed to
the widgets when they arrive; Escape goes back to the workbench.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any, ClassVar

from rich.console import Group, RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.color import Color
from textual.containers import Horizontal, HorizontalScroll, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, LoadingIndicator, Sparkline, Static

from kamtui.ui import formatting as fmt
from kamtui.ui.messages import WorkFinished

BAR = "█"
HEATMAP_MAX = 8
TREND_LABELS = {
    "revenue": "Revenue",
    "buyers": "Buying accounts",
    "arpa": "Revenue / buyer",
}  # regions / industries shown; the rest are grouped as "other"


def revenue_basis(row: Any) -> float:
    """What an account is worth a year: its ACV, else its trailing-12-month revenue."""
    if row.acv is not None:
        return float(row.acv)
    return float(row.revenue_12m if row.revenue_12m is not None else (row.monetary or 0.0))


def tier_counts(rows: Sequence[Any]) -> dict[int | None, int]:
    counts: dict[int | None, int] = defaultdict(int)
    for row in rows:
        counts[row.tier] += 1
    return dict(counts)


def tier_renderable(rows: Sequence[Any], width: int = 24) -> RenderableType:
    counts = tier_counts(rows)
    total = max(len(rows), 1)
    revenue: dict[int | None, float] = defaultdict(float)
    for row in rows:
        revenue[row.tier] += revenue_basis(row)
    all_revenue = sum(revenue.values()) or 1.0
    table = Table(box=None, show_header=True, pad_edge=False, header_style="bold")
    table.add_column("Tier", no_wrap=True)
    table.add_column("Accounts", justify="right")
    table.add_column("", no_wrap=True)
    table.add_column("Revenue", justify="right")
    for tier in sorted(counts, key=lambda t: (t is None, t or 0)):
        share = counts[tier] / total
        bar = BAR * max(1, round(share * width)) if counts[tier] else ""
        table.add_row(
            fmt.tier(tier),
            f"{counts[tier]:,} ({share:.0%})",
            Text(bar, style=fmt.TIER_STYLE.get(tier or 0, "")),
            f"{fmt.money(revenue[tier])} ({revenue[tier] / all_revenue:.0%})",
        )
    return Group(Text("Tiers", style="bold"), table)


def pareto_renderable(kpis: Any, width: int = 30) -> RenderableType:
    """The top 20%'s share of revenue as a bar, and the share of accounts with 3+ products."""
    lines: list[RenderableType] = [Text("Revenue concentration", style="bold")]
    share = getattr(kpis, "concentration_top20_pct", None)
    if share is None:
        lines.append(Text("no revenue yet", style="dim"))
    else:
        filled = round(share / 100 * width)
        lines.append(
            Text.assemble(
                (BAR * filled, "bold"),
                ("░" * (width - filled), "dim"),
                f"  {share:.0f}% of revenue from the top {kpis.top_accounts:,} accounts (20%)",
            )
        )
    products = getattr(kpis, "products_3plus_pct", None)
    lines.append(Text(""))
    lines.append(Text("Accounts with 3+ products", style="bold"))
    if products is None:
        lines.append(Text("no product data (fill Products on the accounts)", style="dim"))
    else:
        filled = round(products / 100 * width)
        mark = "green" if products >= 65 else "red"
        lines.append(
            Text.assemble(
                (BAR * filled, "bold"),
                ("░" * (width - filled), "dim"),
                f"  {products:.0f}%  target ≥ 65% ",
                ("●", fmt.BAND_STYLE[mark]),
            )
        )
    return Group(*lines)


def heatmap_cells(rows: Sequence[Any]) -> tuple[list[str], list[str], dict[tuple[str, str], float]]:
    """Regions, industries (largest first, the tail grouped) and revenue per cell."""
    by_region: dict[str, float] = defaultdict(float)
    by_industry: dict[str, float] = defaultdict(float)
    for row in rows:
        value = revenue_basis(row)
        by_region[row.region or "—"] += value
        by_industry[row.industry or "—"] += value

    def top(totals: dict[str, float]) -> list[str]:
        ordered = sorted(totals, key=lambda k: -totals[k])
        return ordered[:HEATMAP_MAX] + (["other"] if len(ordered) > HEATMAP_MAX else [])

    regions, industries = top(by_region), top(by_industry)
    cells: dict[tuple[str, str], float] = defaultdict(float)
    for row in rows:
        region = row.region or "—"
        industry = row.industry or "—"
        region = region if region in regions else "other"
        industry = industry if industry in industries else "other"
        cells[(region, industry)] += revenue_basis(row)
    return regions, industries, dict(cells)


def compact_money(value: float) -> str:
    """At most five characters: 950, 9.5k, 515k, 1.2M."""
    size = abs(value)
    if size >= 999_500:
        return f"{value / 1_000_000:.1f}M"
    if size >= 9_950:
        return f"{value / 1_000:.0f}k"
    if size >= 1_000:
        return f"{value / 1_000:.1f}k"
    return f"{value:.0f}"


def heatmap_renderable(rows: Sequence[Any], low: Color, high: Color) -> RenderableType:
    """Revenue per region × industry. The longer list goes down the side, so the grid stays
    narrow (a handful of columns) and no name or number is ever cut; it scrolls sideways
    when a book has many of both."""
    regions, industries, cells = heatmap_cells(rows)
    if not cells or (len(regions) == 1 and regions[0] == "—" and len(industries) == 1):
        title = Text("Revenue by region × industry", style="bold")
        return Group(title, Text("Fill Region and Industry on the accounts to see this.", "dim"))
    by_industry = len(industries) >= len(regions)  # industries as rows
    side, across = (industries, regions) if by_industry else (regions, industries)
    title = Text.assemble(
        ("Revenue by " + ("industry × region" if by_industry else "region × industry"), "bold"),
        ("  ACV, else the last 12 months' revenue", "dim"),
    )
    peak = max(cells.values()) or 1.0
    table = Table(box=None, pad_edge=False, header_style="bold", show_lines=False)
    table.add_column("", no_wrap=True)
    for name in across:
        table.add_column(name.capitalize() if name.islower() else name, justify="right",
                         no_wrap=True, min_width=6)  # fmt: skip
    for name in side:
        cells_row: list[Any] = [Text(name.capitalize() if name.islower() else name)]
        for other in across:
            key = (other, name) if by_industry else (name, other)
            value = cells.get(key, 0.0)
            share = value / peak if peak else 0.0
            background = low.blend(high, 0.15 + 0.85 * share) if value else low
            foreground = background.get_contrast_text(1.0)
            cells_row.append(
                Text(
                    f" {compact_money(value) if value else '·':>5} ",
                    style=Style(bgcolor=background.rich_color, color=foreground.rich_color),
                )
            )
        table.add_row(*cells_row)
    return Group(title, table)


def _mark(healthy: bool | None) -> Text:
    if healthy is None:
        return Text("")
    return Text("●", style=fmt.BAND_STYLE["green" if healthy else "red"])


def status_note(rows: Sequence[Any]) -> str:
    """'38 active · 1 prospect · 1 churned': what the account count is made of."""
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        counts[row.status or "no status"] += 1
    order = sorted(counts, key=lambda k: (k != "active", -counts[k], k))
    return " · ".join(f"{counts[k]:,} {k}" for k in order)


def kpi_table(kpis: Any, rows: Sequence[Any] = ()) -> RenderableType:
    """Portfolio KPIs with their healthy levels and a green/red mark against them."""
    from kamtui.domain import kpi

    table = Table(box=None, show_header=False, pad_edge=False)
    table.add_column(style="dim", no_wrap=True)
    table.add_column(justify="right", style="bold", no_wrap=True)
    table.add_column(no_wrap=True)
    table.add_column(style="dim")

    def pct(value: float | None) -> str:
        return "—" if value is None else f"{value:.1f}%"

    def judged(metric: str, value: float | None) -> Text:
        return _mark(kpi.is_healthy(metric, value))

    table.add_row(
        "Accounts",
        f"{kpis.accounts:,}",
        "",
        status_note(rows) if rows else f"{kpis.active_accounts:,} active",
    )
    table.add_row("Revenue (ACV or 12m)", fmt.money(kpis.revenue), "", "")
    table.add_row("Revenue, last 12 months", fmt.money(kpis.revenue_12m), "", "")
    table.add_row("Revenue per account", fmt.money(kpis.revenue_per_account), "", "")
    table.add_row("CLV", fmt.money(kpis.clv), "", "revenue/account × lifespan")
    quarters = " → ".join(kpis.arpa_quarters) if kpis.arpa_quarters else ""
    table.add_row("ARPA growth QoQ", pct(kpis.arpa_growth_qoq_pct), "", quarters)
    table.add_row(
        "Retention",
        pct(kpis.retention_rate_pct),
        judged(kpi.RETENTION, kpis.retention_rate_pct),
        kpi.healthy_text(kpi.RETENTION),
    )
    nps = "—" if kpis.nps is None else f"{kpis.nps:.0f}"
    table.add_row(
        "NPS",
        nps,
        judged(kpi.NPS, kpis.nps),
        f"{kpi.healthy_text(kpi.NPS)} · {kpis.nps_answers:,} answers",
    )
    hours = kpis.support_resolution_hours
    table.add_row(
        "Support resolution",
        "—" if hours is None else f"{hours:.0f} h",
        judged(kpi.SUPPORT_HOURS, hours),
        kpi.healthy_text(kpi.SUPPORT_HOURS),
    )
    table.add_row(
        "Gross margin",
        pct(kpis.gross_margin_pct),
        judged(kpi.GROSS_MARGIN, kpis.gross_margin_pct),
        kpi.healthy_text(kpi.GROSS_MARGIN),
    )
    return Group(Text("Portfolio KPIs", style="bold"), table)


class PortfolioScreen(Screen[None]):
    """The portfolio at a glance. Escape or p goes back."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,p", "app.pop_screen", "Back", id="close-portfolio"),
        Binding("q", "app.quit", "Quit", id="quit"),
    ]

    def __init__(self, bench: Any, rows: Sequence[Any]) -> None:
        super().__init__()
        self.bench = bench
        self.rows = list(rows)
        self.kpis: Any = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="portfolio"):
            yield LoadingIndicator(id="portfolio-loading")
            with Horizontal(id="portfolio-top"):
                yield Static("", id="portfolio-tiers")
                yield Static("", id="portfolio-pareto")
            with Horizontal(id="portfolio-middle"):
                yield Static("", id="portfolio-kpis")
                with Vertical(id="portfolio-trends"):
                    yield Static("", id="trend-title")
                    for key, label in TREND_LABELS.items():
                        with Horizontal(classes="trend-row"):
                            yield Static(label, id=f"trend-label-{key}", classes="trend-label")
                            yield Sparkline([], id=f"trend-{key}", classes="trend-spark")
            with HorizontalScroll(id="portfolio-heatmap-scroll"):
                yield Static("", id="portfolio-heatmap")
        yield Footer()

    NARROW_WIDTH = 120  # below this the panels stack, so each gets the full width

    def on_resize(self, event: Any) -> None:
        self.set_class(event.size.width < self.NARROW_WIDTH, "-narrow")

    def on_mount(self) -> None:
        self.set_class(self.app.size.width < self.NARROW_WIDTH, "-narrow")
        self.title = "kamtui — portfolio"
        self.query_one("#portfolio-tiers", Static).update(tier_renderable(self.rows))
        self._heatmap()
        self.watch(self.app, "theme", lambda _: self._heatmap(), init=False)
        self.load_figures()

    def _heatmap(self) -> None:
        theme = self.app.current_theme
        low = Color.parse(theme.surface or theme.background or "#202020")
        high = Color.parse(theme.primary)
        self.query_one("#portfolio-heatmap", Static).update(
            heatmap_renderable(self.rows, low, high)
        )

    @work(thread=True, exclusive=True, exit_on_error=False, group="portfolio")
    def load_figures(self) -> None:
        from kamtui.errors import KamtuiError

        try:
            kpis = self.bench.portfolio()
            series = self.bench.portfolio_series("month")
        except KamtuiError as exc:
            self.post_message(WorkFinished("portfolio", error=str(exc)))
            return
        self.post_message(WorkFinished("portfolio", (kpis, series)))

    @on(WorkFinished)
    def _figures(self, message: WorkFinished) -> None:
        if message.kind != "portfolio":
            return
        message.stop()
        self.query_one("#portfolio-loading").display = False
        if message.error:
            self.notify(message.error, severity="error")
            return
        kpis, series = message.result
        self.kpis = kpis
        self.query_one("#portfolio-pareto", Static).update(pareto_renderable(kpis))
        self.query_one("#portfolio-kpis", Static).update(kpi_table(kpis, self.rows))
        periods = series["periods"]
        span = f"{periods[0]} … {periods[-1]}" if periods else ""
        self.query_one("#trend-title", Static).update(
            Text.assemble(("Trends by month", "bold"), f"  {span}")
        )
        for key in ("revenue", "buyers", "arpa"):
            values = series[key]
            self.query_one(f"#trend-{key}", Sparkline).data = values
            latest = values[-1] if values else None
            shown = (
                f"{latest:,.0f}" if key == "buyers" and latest is not None else fmt.money(latest)
            )
            label = {"revenue": "Revenue", "buyers": "Buying accounts", "arpa": "Revenue / buyer"}
            self.query_one(f"#trend-label-{key}", Static).update(f"{label[key]:<16} {shown:>8}")
