"""Small text formatters shared by the panes (numbers, dates, bands)."""

from __future__ import annotations

from datetime import date

from rich.text import Text

BAND_STYLE = {"green": "bold green", "amber": "bold yellow", "red": "bold red"}
TIER_STYLE = {1: "bold yellow", 2: "cyan", 3: "dim"}


def money(value: float | None, places: int = 0) -> str:
    if value is None:
        return "—"
    sign = "-" if value < 0 else ""
    value = abs(value)
    if places == 0 and value >= 1_000_000:
        return f"{sign}{value / 1_000_000:.1f}M"
    if places == 0 and value >= 10_000:
        return f"{sign}{value / 1_000:.0f}k"
    return f"{sign}{value:,.{places}f}"


def day(value: date | None) -> str:
    return value.isoformat() if value else "—"


def number(value: float | None, places: int = 0) -> str:
    return "—" if value is None else f"{value:.{places}f}"


def tier(value: int | None) -> Text:
    if value is None:
        return Text("—")
    return Text(f"T{value}", style=TIER_STYLE.get(value, ""))


def health(score: float | None, band: str | None) -> Text:
    if score is None:
        return Text("—", style="dim")
    return Text(f"{score:.0f} ●", style=BAND_STYLE.get(band or "", ""))
