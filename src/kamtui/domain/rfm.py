"""RFM scoring (SPEC §3.1, guide: "Segmenting Accounts Using RFM").

Definitions, as the tests and every reference check use them:

* Only transactions dated on or before the as-of date count.
* A *purchase day* is a calendar day on which the account's net amount is positive; several
  lines on one day are one purchase and returns net against that day.
* The *window* is the trailing year: dates after (as-of − 1 calendar year), up to the as-of date.
* Recency = days from the last purchase day to the as-of date (any time before the as-of date).
* Frequency = purchase days in the window.
* Monetary = net amount of all transactions in the window, floored at 0.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from kamtui.domain.models import Criterion, Money, ordinal


@dataclass(frozen=True, slots=True)
class RfmThresholds:
    """Fixed thresholds. Each tuple lists the bound for score 5, 4, 3, 2 in that order."""

    recency_days: tuple[int, int, int, int] = (30, 90, 180, 365)  # at most
    frequency: tuple[int, int, int, int] = (12, 6, 4, 2)  # at least
    monetary: tuple[float, float, float, float] = (100_000, 25_000, 10_000, 1_000)  # at least
    tier1_min: int = 12
    tier2_min: int = 8

    def __post_init__(self) -> None:
        for name in ("recency_days", "frequency", "monetary"):
            bounds = getattr(self, name)
            if len(bounds) != 4:
                raise ValueError(f"rfm.{name} needs four bounds (for scores 5, 4, 3, 2)")
        if list(self.recency_days) != sorted(self.recency_days):
            raise ValueError("rfm.recency_days must increase (bounds for scores 5, 4, 3, 2)")
        for name in ("frequency", "monetary"):
            bounds = list(getattr(self, name))
            if bounds != sorted(bounds, reverse=True):
                raise ValueError(f"rfm.{name} must decrease (bounds for scores 5, 4, 3, 2)")
        if not 3 <= self.tier2_min < self.tier1_min <= 15:
            raise ValueError("rfm tier bounds must satisfy 3 <= tier2_min < tier1_min <= 15")


DEFAULT_THRESHOLDS = RfmThresholds()


@dataclass(frozen=True, slots=True)
class RfmInputs:
    """The three measured figures, before they are turned into 1–5 scores."""

    recency_days: int | None  # None: never purchased on or before the as-of date
    frequency: int
    monetary: float
    last_purchase: date | None


@dataclass(frozen=True, slots=True)
class RfmScore:
    inputs: RfmInputs
    r: int
    f: int
    m: int
    tier: int
    criteria: tuple[Criterion, ...] = field(default_factory=tuple)

    @property
    def rfm(self) -> int:
        return self.r + self.f + self.m

    # convenient flat access
    @property
    def recency_days(self) -> int | None:
        return self.inputs.recency_days

    @property
    def frequency(self) -> int:
        return self.inputs.frequency

    @property
    def monetary(self) -> float:
        return self.inputs.monetary


def window_start(as_of: date) -> date:
    """The exclusive lower bound of the trailing year: as-of minus one calendar year.

    29 February falls back to 28 February in a common year.
    """
    try:
        return as_of.replace(year=as_of.year - 1)
    except ValueError:
        return as_of.replace(year=as_of.year - 1, day=28)


def daily_net(lines: Iterable[Money], as_of: date) -> dict[date, float]:
    """Net amount per calendar day, for days on or before the as-of date."""
    days: dict[date, float] = defaultdict(float)
    for line in lines:
        if line.day <= as_of:
            days[line.day] += line.amount
    return dict(days)


def measure(lines: Iterable[Money], as_of: date) -> RfmInputs:
    """Recency, frequency and monetary figures as SPEC §3.1 defines them."""
    days = daily_net(lines, as_of)
    start = window_start(as_of)
    purchase_days = [d for d, net in days.items() if net > 1e-9]
    last = max(purchase_days) if purchase_days else None
    frequency = sum(1 for d in purchase_days if d > start)
    monetary = sum(net for d, net in days.items() if d > start)
    monetary = round(max(monetary, 0.0), 2)
    return RfmInputs(
        recency_days=(as_of - last).days if last else None,
        frequency=frequency,
        monetary=monetary,
        last_purchase=last,
    )


def recency_score(days: int | None, t: RfmThresholds = DEFAULT_THRESHOLDS) -> int:
    if days is None:
        return 1
    for score, bound in zip((5, 4, 3, 2), t.recency_days, strict=True):
        if days <= bound:
            return score
    return 1


def frequency_score(count: int, t: RfmThresholds = DEFAULT_THRESHOLDS) -> int:
    for score, bound in zip((5, 4, 3, 2), t.frequency, strict=True):
        if count >= bound:
            return score
    return 1


def monetary_score(amount: float, t: RfmThresholds = DEFAULT_THRESHOLDS) -> int:
    for score, bound in zip((5, 4, 3, 2), t.monetary, strict=True):
        if amount >= bound:
            return score
    return 1


def tier_for(total: int, t: RfmThresholds = DEFAULT_THRESHOLDS) -> int:
    if total >= t.tier1_min:
        return 1
    if total >= t.tier2_min:
        return 2
    return 3


def _recency_band(days: int | None, t: RfmThresholds) -> str:
    if days is None:
        return "never purchased"
    lo = 0
    for bound in t.recency_days:
        if days <= bound:
            return f"{lo}–{bound} days"
        lo = bound + 1
    return f"> {t.recency_days[-1]} days"


def _at_least_band(value: float, bounds: Sequence[float], unit: str) -> str:
    for bound in bounds:
        if value >= bound:
            return f"≥ {bound:,.0f}{unit}"
    return f"< {bounds[-1]:,.0f}{unit}"


def score_inputs(inputs: RfmInputs, t: RfmThresholds = DEFAULT_THRESHOLDS) -> RfmScore:
    """Turn measured figures into R, F, M, the total and the tier, with a breakdown."""
    r = recency_score(inputs.recency_days, t)
    f = frequency_score(inputs.frequency, t)
    m = monetary_score(inputs.monetary, t)
    total = r + f + m
    tier = tier_for(total, t)
    last = inputs.last_purchase.isoformat() if inputs.last_purchase else "never"
    criteria = (
        Criterion(
            "recency",
            inputs.recency_days,
            _recency_band(inputs.recency_days, t),
            r,
            note=f"last purchase {last}",
        ),
        Criterion(
            "frequency",
            inputs.frequency,
            _at_least_band(inputs.frequency, t.frequency, " purchase days"),
            f,
            note="purchase days in the trailing year",
        ),
        Criterion(
            "monetary",
            inputs.monetary,
            _at_least_band(inputs.monetary, t.monetary, ""),
            m,
            note="net spend in the trailing year",
        ),
        Criterion(
            "tier",
            total,
            f"tier 1 ≥ {t.tier1_min}, tier 2 ≥ {t.tier2_min}",
            tier,
            note=f"R{r} + F{f} + M{m} = {total}",
        ),
    )
    return RfmScore(inputs=inputs, r=r, f=f, m=m, tier=tier, criteria=criteria)


def score_rfm(
    lines: Iterable[Money], as_of: date, t: RfmThresholds = DEFAULT_THRESHOLDS
) -> RfmScore:
    """RFM of one account from its transaction lines, as of a date."""
    return score_inputs(measure(lines, as_of), t)


# ---------------------------------------------------------------- quintile mode

RFM_MODES = ("fixed", "quintile")

K = TypeVar("K")


def quintile_score(value: float, sorted_values: Sequence[float]) -> tuple[int, float]:
    """(1–5 score, mid-rank percentile) of ``value`` among ascending ``sorted_values``.

    percentile = (values below + half the values equal) / count; score = 1 + ⌊5 × percentile⌋
    capped at 5. Equal values get equal scores whatever their order; one value alone, or all
    values equal, sit at the 50th percentile → 3. An empty sequence counts the value alone.
    """
    from bisect import bisect_left, bisect_right

    if not sorted_values:
        return 3, 0.5
    below = bisect_left(sorted_values, value)
    equal = bisect_right(sorted_values, value) - below
    pct = (below + 0.5 * equal) / len(sorted_values)
    return min(5, 1 + int(pct * 5 + 1e-9)), pct


def score_quintiles(
    measured: Mapping[K, RfmInputs], t: RfmThresholds = DEFAULT_THRESHOLDS
) -> dict[K, RfmScore]:
    """RFM by rank within the given accounts (quintile mode).

    Each of R, F, M is 1 + ⌊5 × mid-rank percentile⌋ among the accounts: fewer days since the
    last purchase rank higher for R. Never purchased → R 1, no purchase day → F 1, no net
    spend → M 1, whatever the ranks. Tiers use the same bounds as fixed mode. The result does
    not depend on the order of the input.
    """
    # recency ranks on "−days" so that higher is better; never purchased ranks lowest
    recency = sorted(-i.recency_days for i in measured.values() if i.recency_days is not None)
    frequency = sorted(float(i.frequency) for i in measured.values())
    monetary = sorted(i.monetary for i in measured.values())
    n = len(measured)
    out: dict[K, RfmScore] = {}
    for key, inputs in measured.items():
        if inputs.recency_days is None:
            r, r_pct = 1, 0.0
        else:
            # accounts that never purchased count below everyone who did
            r, r_pct = quintile_score(
                -inputs.recency_days, [-math.inf] * (n - len(recency)) + recency
            )
        f, f_pct = quintile_score(float(inputs.frequency), frequency)
        m, m_pct = quintile_score(inputs.monetary, monetary)
        if inputs.frequency == 0:
            f = 1
        if inputs.monetary <= 0:
            m = 1
        total = r + f + m
        tier = tier_for(total, t)
        last = inputs.last_purchase.isoformat() if inputs.last_purchase else "never"
        criteria = (
            Criterion(
                "recency",
                inputs.recency_days,
                "never purchased" if inputs.recency_days is None else _pct_band(r_pct, n),
                r,
                note=f"last purchase {last}; quintile mode",
            ),
            Criterion(
                "frequency",
                inputs.frequency,
                "no purchase day" if inputs.frequency == 0 else _pct_band(f_pct, n),
                f,
                note="purchase days in the trailing year; quintile mode",
            ),
            Criterion(
                "monetary",
                inputs.monetary,
                "no net spend" if inputs.monetary <= 0 else _pct_band(m_pct, n),
                m,
                note="net spend in the trailing year; quintile mode",
            ),
            Criterion(
                "tier",
                total,
                f"tier 1 ≥ {t.tier1_min}, tier 2 ≥ {t.tier2_min}",
                tier,
                note=f"R{r} + F{f} + M{m} = {total}",
            ),
        )
        out[key] = RfmScore(inputs=inputs, r=r, f=f, m=m, tier=tier, criteria=criteria)
    return out


def _pct_band(pct: float, n: int) -> str:
    return f"{ordinal(pct * 100)} percentile of {n}"


def score_rfm_portfolio(
    lines_by_account: Mapping[K, Iterable[Money]],
    as_of: date,
    t: RfmThresholds = DEFAULT_THRESHOLDS,
    mode: str = "fixed",
) -> dict[K, RfmScore]:
    """RFM of every account, in fixed-threshold or quintile mode."""
    if mode not in RFM_MODES:
        raise ValueError(f"rfm mode must be one of {', '.join(RFM_MODES)} (got {mode!r})")
    measured = {key: measure(lines, as_of) for key, lines in lines_by_account.items()}
    if mode == "fixed":
        return {key: score_inputs(m, t) for key, m in measured.items()}
    return score_quintiles(measured, t)
