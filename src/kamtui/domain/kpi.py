"""KPIs per account and per period (SPEC §3.4, guide: "7 KPIs for Account Health Monitoring").

Metric names (``KpiFact.metric`` and the keys of :func:`kpi_history`):

======================== ===================================================== ============
metric                   definition                                             healthy
======================== ===================================================== ============
nps                      %answers 9–10 − %answers 0–6 (−100..100)               > 50
revenue                  net revenue of the period (returns included)           —
revenue_growth           revenue vs the same span one year earlier, %           > 15
gross_margin_pct         (revenue − direct cost) / revenue, %                   ≥ 30
retention_rate           accounts renewed / accounts up for renewal, %          ≥ 85
revenue_per_account      portfolio revenue / active accounts                    not declining
clv                      annual revenue × average lifespan (years)              > acq. cost
support_resolution_hours mean hours to resolve                                  ≤ 48
logins, usage            counts of the period                                   —
feature_adoption         % of features in use                                   ≥ target (off)
======================== ===================================================== ============

Periods are "YYYY-MM" or "YYYY-Qn". A reading of a metric wins over the figure computed from
transactions or activities for the same period.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Literal

from kamtui.domain.health import (
    latest_reading,
    nps_of,
    resolved_ticket_hours,
    survey_answers,
)
from kamtui.domain.inputs import AccountInputs, net_revenue
from kamtui.domain.rfm import window_start
from kamtui.domain.value import gross_margin, revenue_basis

Granularity = Literal["month", "quarter"]

NPS = "nps"
REVENUE = "revenue"
REVENUE_GROWTH = "revenue_growth"
GROSS_MARGIN = "gross_margin_pct"
RETENTION = "retention_rate"
REVENUE_PER_ACCOUNT = "revenue_per_account"
CLV = "clv"
SUPPORT_HOURS = "support_resolution_hours"
LOGINS = "logins"
USAGE = "usage"
FEATURE_ADOPTION = "feature_adoption"

# readings of these metrics add up over a quarter; the others are averaged
SUM_METRICS = frozenset({REVENUE, LOGINS, USAGE})


@dataclass(frozen=True, slots=True)
class KpiTargets:
    """Healthy levels (guide: "7 KPIs for Account Health Monitoring")."""

    nps_min: float = 50.0  # healthy above
    revenue_growth_min_pct: float = 15.0  # per year, healthy above
    gross_margin_min_pct: float = 30.0  # healthy at or above
    retention_min_pct: float = 85.0  # healthy at or above
    support_max_hours: float = 48.0  # healthy at or below
    products_3plus_min_pct: float = 65.0  # share of accounts with 3+ products
    feature_adoption_min_pct: float | None = None  # None: no healthy level, no alert
    average_lifespan_years: float = 5.0  # CLV = annual revenue × this
    acquisition_cost: float | None = None  # CLV is healthy above this, when known

    def __post_init__(self) -> None:
        if self.average_lifespan_years <= 0:
            raise ValueError("average_lifespan_years must be positive")
        if self.support_max_hours <= 0:
            raise ValueError("support_max_hours must be positive")


DEFAULT_TARGETS = KpiTargets()


def is_healthy(
    metric: str, value: float | None, targets: KpiTargets = DEFAULT_TARGETS
) -> bool | None:
    """True/False against the healthy level; None when there is no value or no level."""
    if value is None:
        return None
    if metric == NPS:
        return value > targets.nps_min
    if metric == REVENUE_GROWTH:
        return value > targets.revenue_growth_min_pct
    if metric == GROSS_MARGIN:
        return value >= targets.gross_margin_min_pct
    if metric == RETENTION:
        return value >= targets.retention_min_pct
    if metric == SUPPORT_HOURS:
        return value <= targets.support_max_hours
    if metric == FEATURE_ADOPTION and targets.feature_adoption_min_pct is not None:
        return value >= targets.feature_adoption_min_pct
    if metric == CLV and targets.acquisition_cost is not None:
        return value > targets.acquisition_cost
    return None


@lru_cache(maxsize=256)
def healthy_text(metric: str, targets: KpiTargets = DEFAULT_TARGETS) -> str:
    return {
        NPS: f"> {targets.nps_min:g}",
        REVENUE_GROWTH: f"> {targets.revenue_growth_min_pct:g}% / year",
        GROSS_MARGIN: f"≥ {targets.gross_margin_min_pct:g}%",
        RETENTION: f"≥ {targets.retention_min_pct:g}%",
        SUPPORT_HOURS: f"≤ {targets.support_max_hours:g} h",
        REVENUE_PER_ACCOUNT: "not declining",
        FEATURE_ADOPTION: (
            f"≥ {targets.feature_adoption_min_pct:g}%"
            if targets.feature_adoption_min_pct is not None
            else ""
        ),
        CLV: (
            f"> {targets.acquisition_cost:,.0f} acquisition cost"
            if targets.acquisition_cost is not None
            else "> acquisition cost"
        ),
    }.get(metric, "")


# ---------------------------------------------------------------- periods


def granularity_of(period: str) -> Granularity:
    return "quarter" if "Q" in period.upper() else "month"


def period_of(day: date, granularity: Granularity = "month") -> str:
    if granularity == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return f"{day.year}-{day.month:02d}"


@lru_cache(maxsize=4096)
def _parse(period: str) -> tuple[int, int, Granularity]:
    """(year, index, granularity): index is the month 1–12 or the quarter 1–4."""
    text = period.strip().upper()
    try:
        year_text, rest = text.split("-", 1)
        year = int(year_text)
        if rest.startswith("Q"):
            q = int(rest[1:])
            if not 1 <= q <= 4:
                raise ValueError
            return year, q, "quarter"
        m = int(rest)
        if not 1 <= m <= 12:
            raise ValueError
        return year, m, "month"
    except ValueError:
        raise ValueError(f"not a period (YYYY-MM or YYYY-Qn): {period!r}") from None


@lru_cache(maxsize=4096)
def period_bounds(period: str) -> tuple[date, date]:
    """First and last day of a period, both inclusive."""
    year, index, gran = _parse(period)
    first_month = (index - 1) * 3 + 1 if gran == "quarter" else index
    months = 3 if gran == "quarter" else 1
    first = date(year, first_month, 1)
    end_month = first_month + months
    nxt = date(year + 1, 1, 1) if end_month > 12 else date(year, end_month, 1)
    return first, nxt - timedelta(days=1)


@lru_cache(maxsize=4096)
def shift_period(period: str, n: int) -> str:
    """The period ``n`` steps later (negative: earlier), same granularity."""
    year, index, gran = _parse(period)
    per_year = 4 if gran == "quarter" else 12
    k = year * per_year + (index - 1) + n
    y, i = divmod(k, per_year)
    return f"{y}-Q{i + 1}" if gran == "quarter" else f"{y}-{i + 1:02d}"


def last_periods(
    as_of: date, granularity: Granularity = "month", count: int = 12, complete_only: bool = False
) -> list[str]:
    """``count`` periods, oldest first, ending with the one holding the as-of date (or, with
    ``complete_only``, the last one that has ended by the as-of date)."""
    return list(_last_periods(as_of, granularity, count, complete_only))


@lru_cache(maxsize=1024)
def _last_periods(
    as_of: date, granularity: Granularity, count: int, complete_only: bool
) -> tuple[str, ...]:
    # pure and called for every account with the same arguments: computed once per as-of date
    current = period_of(as_of, granularity)
    if complete_only and period_bounds(current)[1] > as_of:
        current = shift_period(current, -1)
    return tuple(shift_period(current, -k) for k in range(count - 1, -1, -1))


def quarter_of_month(period: str) -> str:
    first, _ = period_bounds(period)
    return period_of(first, "quarter")


# ---------------------------------------------------------------- account KPIs


@dataclass(frozen=True, slots=True)
class KpiValue:
    metric: str
    value: float | None
    healthy: bool | None  # None: no value or no healthy level
    target: str  # the healthy level, as text
    source: str  # "computed", "reading <period>", "account" or "missing"
    note: str = ""


def revenue_12m(inputs: AccountInputs, as_of: date) -> float:
    """Net revenue of the trailing year (as RFM's window), floored at 0."""
    return max(net_revenue(inputs.transactions, window_start(as_of), as_of), 0.0)


def growth_pct(current: float, previous: float) -> float | None:
    """(current − previous) / previous × 100; None when previous is not positive."""
    if previous <= 0:
        return None
    return round((current - previous) / previous * 100.0, 2)


def mean_resolution_hours(inputs: AccountInputs, as_of: date, days: int = 180) -> float | None:
    hours = resolved_ticket_hours(inputs, as_of - timedelta(days=days), as_of)
    return round(sum(hours) / len(hours), 2) if hours else None


def _from_reading(inputs: AccountInputs, metric: str, as_of: date) -> tuple[float | None, str]:
    reading = latest_reading(inputs.readings(metric), as_of)
    if reading is None:
        return None, "missing"
    return reading.value, f"reading {reading.period}"


def account_kpis(
    inputs: AccountInputs, as_of: date, targets: KpiTargets = DEFAULT_TARGETS
) -> tuple[KpiValue, ...]:
    """The seven KPIs of one account as of a date, each with its source."""
    out: list[KpiValue] = []

    def add(metric: str, value: float | None, source: str, note: str = "") -> None:
        if value is None:
            source = "missing"
        out.append(
            KpiValue(
                metric,
                value,
                is_healthy(metric, value, targets),
                healthy_text(metric, targets),
                source,
                note,
            )
        )

    answers = survey_answers(inputs, as_of - timedelta(days=365), as_of)
    if answers:
        add(NPS, nps_of(answers), "computed", f"{len(answers)} answers in the last 365 days")
    else:
        add(NPS, *_from_reading(inputs, NPS, as_of))

    start = window_start(as_of)
    this_year = net_revenue(inputs.transactions, start, as_of)
    last_year = net_revenue(inputs.transactions, window_start(start), start)
    growth = growth_pct(this_year, last_year)
    if growth is not None:
        add(
            REVENUE_GROWTH,
            growth,
            "computed",
            f"trailing year {this_year:,.0f} vs {last_year:,.0f}",
        )
    else:
        add(REVENUE_GROWTH, *_from_reading(inputs, REVENUE_GROWTH, as_of))

    r12 = revenue_12m(inputs, as_of)
    basis, basis_source = revenue_basis(inputs.facts, r12)
    margin, how = gross_margin(inputs.facts, basis)
    if margin is not None:
        add(GROSS_MARGIN, margin, "account", how)
    else:
        add(GROSS_MARGIN, *_from_reading(inputs, GROSS_MARGIN, as_of))

    add(RETENTION, *_from_reading(inputs, RETENTION, as_of))
    add(REVENUE, r12, "computed", "net revenue of the trailing year")
    add(
        CLV,
        round(basis * targets.average_lifespan_years, 2),
        "computed",
        f"{'ACV' if basis_source == 'acv' else 'trailing-year revenue'} {basis:,.0f} × "
        f"{targets.average_lifespan_years:g} years",
    )
    hours = mean_resolution_hours(inputs, as_of)
    if hours is not None:
        add(SUPPORT_HOURS, hours, "computed", "tickets resolved in the last 180 days")
    else:
        add(SUPPORT_HOURS, *_from_reading(inputs, SUPPORT_HOURS, as_of))
    return tuple(out)


# ---------------------------------------------------------------- history


Series = tuple[tuple[str, float | None], ...]


def _computed_by_period(
    inputs: AccountInputs,
    granularity: Granularity,
    since: date = date.min,
    until: date = date.max,
) -> dict[str, dict[str, float]]:
    """metric → period → value, from the transactions and activities dated since..until."""
    revenue: dict[str, float] = defaultdict(float)
    for line in inputs.transactions:
        if since <= line.day <= until:
            revenue[period_of(line.day, granularity)] += line.amount
    logins: dict[str, float] = defaultdict(float)
    answers: dict[str, list[float]] = defaultdict(list)
    hours: dict[str, list[float]] = defaultdict(list)
    for a in inputs.activities:
        if not since <= a.day <= until:
            continue
        p = period_of(a.day, granularity)
        if a.kind == "login":
            logins[p] += 1.0 if a.value is None else float(a.value)
        elif a.kind == "survey_response" and a.value is not None:
            answers[p].append(float(a.value))
        elif a.kind == "support_ticket" and a.value is not None and not a.is_open:
            hours[p].append(float(a.value))
    out: dict[str, dict[str, float]] = {
        REVENUE: {p: round(v, 2) for p, v in revenue.items()},
        LOGINS: dict(logins),
        NPS: {p: v for p, a in answers.items() if (v := nps_of(a)) is not None},
        SUPPORT_HOURS: {p: round(sum(h) / len(h), 2) for p, h in hours.items()},
    }
    return out


def readings_by_period(
    inputs: AccountInputs, granularity: Granularity
) -> dict[str, dict[str, float]]:
    """metric → period → value from KPI readings. Quarters take native quarterly readings, or
    else add up (revenue, logins, usage) or average (the rest) the monthly ones."""
    native: dict[str, dict[str, float]] = defaultdict(dict)
    monthly: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for k in inputs.kpis:
        try:
            gran = granularity_of(k.period)
            period = period_of(period_bounds(k.period)[0], gran)  # normalise "2024-3"
        except ValueError:
            continue
        if gran == granularity:
            native[k.metric][period] = k.value
        elif granularity == "quarter":
            monthly[k.metric][quarter_of_month(period)].append(k.value)
    for metric, by_quarter in monthly.items():
        for quarter, values in by_quarter.items():
            if quarter in native[metric]:
                continue
            total = sum(values)
            native[metric][quarter] = total if metric in SUM_METRICS else total / len(values)
    return native


def kpi_history(
    inputs: AccountInputs,
    as_of: date,
    granularity: Granularity = "month",
    count: int = 12,
    complete_only: bool = False,
) -> dict[str, Series]:
    """An ordered series (oldest first) per metric over the last ``count`` periods.

    Every metric that has at least one value in the span gets a series; periods without a value
    hold None. ``revenue_growth`` is each period's revenue against the same period one year
    earlier. Readings win over computed figures for the same metric and period.
    """
    if count < 1:
        return {}
    periods = last_periods(as_of, granularity, count, complete_only)
    per_year = 4 if granularity == "quarter" else 12
    # one year before the first period too, for revenue growth
    since = period_bounds(shift_period(periods[0], -per_year))[0]
    until = period_bounds(periods[-1])[1]
    values = _computed_by_period(inputs, granularity, since, until)
    revenue = values[REVENUE]
    values[REVENUE_GROWTH] = {}
    for p in periods:
        prev = revenue.get(shift_period(p, -per_year))
        if prev is not None:
            g = growth_pct(revenue.get(p, 0.0), prev)
            if g is not None:
                values[REVENUE_GROWTH][p] = g
    for metric, by_period in readings_by_period(inputs, granularity).items():
        values.setdefault(metric, {}).update(by_period)
    out: dict[str, Series] = {}
    for metric in sorted(values):
        # a period without transactions had no revenue: 0, not unknown
        default = 0.0 if metric == REVENUE and inputs.transactions else None
        by_period = values[metric]
        if not by_period and default is None:
            continue  # all None: no series
        series = tuple((p, by_period.get(p, default)) for p in periods)
        if any(v is not None for _, v in series):
            out[metric] = series
    return out
