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

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from kamtui.domain.models import Criterion, Money


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
