"""Account value (SPEC §3.2, guide: "5 Criteria for Evaluating Account Value") and priority.

Each criterion is scored 1–5, a score *s* is worth (s − 1) / 4 × 100 points, and the value
score is the weighted mean of those points over the criteria that have data (0–100). A manual
rating that was never given is *missing*: its weight is shared by the others (renormalised),
exactly as the health score does — never counted as zero.

* Revenue contribution: the account's revenue basis (ACV, or trailing-12-month net revenue when
  ACV is missing) as a mid-rank percentile within the portfolio → 1–5 (cut-offs 80/60/40/20).
* Strategic fit, growth capacity, partnership potential: the manager's 1–5 ratings.
* Profitability: gross margin % (given, or derived from cost to serve) → 1–5 (60/45/30/15).

Priority = (4 − tier) × 1000 + value, so every Tier 1 account outranks every Tier 2 account
and value orders accounts within a tier.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field

from kamtui.domain.inputs import AccountFacts
from kamtui.domain.models import Criterion, check_weights, ordinal

CRITERIA = ("revenue", "strategic_fit", "growth", "profitability", "partnership")


@dataclass(frozen=True, slots=True)
class ValueWeights:
    """Criterion weights in percent; they must sum to 100."""

    revenue: float = 30.0
    strategic_fit: float = 20.0
    growth: float = 20.0
    profitability: float = 15.0
    partnership: float = 15.0

    def __post_init__(self) -> None:
        check_weights("value", {name: getattr(self, name) for name in CRITERIA})

    def of(self, name: str) -> float:
        return float(getattr(self, name))


@dataclass(frozen=True, slots=True)
class ValueConfig:
    weights: ValueWeights = field(default_factory=ValueWeights)
    # percentile of the revenue basis (0–100) needed for scores 5, 4, 3, 2 (at least)
    revenue_percentiles: tuple[float, float, float, float] = (80.0, 60.0, 40.0, 20.0)
    # gross margin % needed for scores 5, 4, 3, 2 (at least)
    margin_bands: tuple[float, float, float, float] = (60.0, 45.0, 30.0, 15.0)

    def __post_init__(self) -> None:
        for name in ("revenue_percentiles", "margin_bands"):
            bounds = list(getattr(self, name))
            if len(bounds) != 4:
                raise ValueError(f"{name} needs four bounds (for scores 5, 4, 3, 2)")
            if bounds != sorted(bounds, reverse=True):
                raise ValueError(f"{name} must decrease (bounds for scores 5, 4, 3, 2)")


DEFAULT_VALUE_CONFIG = ValueConfig()


@dataclass(frozen=True, slots=True)
class ValueScore:
    score: float  # 0–100
    criteria: tuple[Criterion, ...]
    missing: tuple[str, ...] = ()
    revenue_basis: float = 0.0
    revenue_source: str = "revenue_12m"  # "acv" or "revenue_12m"
    percentile: float = 50.0


def revenue_basis(facts: AccountFacts, revenue_12m: float) -> tuple[float, str]:
    """The revenue that sizes an account: ACV when known, else trailing-12-month net revenue."""
    if facts.acv is not None:
        return float(facts.acv), "acv"
    return max(float(revenue_12m), 0.0), "revenue_12m"


def percentile_rank(value: float, sorted_values: Sequence[float]) -> float:
    """Mid-rank percentile (0–100) of ``value`` in an ascending sequence.

    (accounts below + half the accounts equal) / accounts × 100. Equal values get equal
    percentiles; one account alone sits at 50. An empty sequence counts the value alone.
    """
    if not sorted_values:
        return 50.0
    below = bisect_left(sorted_values, value)
    equal = bisect_right(sorted_values, value) - below
    return (below + 0.5 * equal) / len(sorted_values) * 100.0


def _score_at_least(value: float, bounds: Sequence[float]) -> int:
    for score, bound in zip((5, 4, 3, 2), bounds, strict=True):
        if value >= bound - 1e-9:
            return score
    return 1


def revenue_score(percentile: float, config: ValueConfig = DEFAULT_VALUE_CONFIG) -> int:
    return _score_at_least(percentile, config.revenue_percentiles)


def margin_score(margin_pct: float, config: ValueConfig = DEFAULT_VALUE_CONFIG) -> int:
    return _score_at_least(margin_pct, config.margin_bands)


def gross_margin(facts: AccountFacts, revenue: float) -> tuple[float | None, str]:
    """Gross margin % and where it came from: the account's own figure, or
    (revenue − cost to serve) / revenue with the revenue basis; None when neither is possible."""
    if facts.gross_margin_pct is not None:
        return float(facts.gross_margin_pct), "gross margin % on the account"
    if facts.cost_to_serve is not None and revenue > 0:
        margin = (revenue - facts.cost_to_serve) / revenue * 100.0
        return round(
            margin, 2
        ), f"(revenue {revenue:,.0f} − cost {facts.cost_to_serve:,.0f}) / revenue"
    return None, "no gross margin and no cost to serve"


def points_of(score: int) -> float:
    """A 1–5 score as 0–100 points: 1 → 0, 2 → 25, 3 → 50, 4 → 75, 5 → 100."""
    return (score - 1) / 4.0 * 100.0


def _band(lo_bounds: Sequence[float], score: int, unit: str) -> str:
    if score == 1:
        return f"< {lo_bounds[-1]:g}{unit}"
    return f"≥ {lo_bounds[5 - score]:g}{unit}"


def score_value(
    facts: AccountFacts,
    revenue_12m: float,
    portfolio_revenues: Sequence[float],
    config: ValueConfig = DEFAULT_VALUE_CONFIG,
) -> ValueScore:
    """Value score 0–100 of one account.

    ``portfolio_revenues``: the ascending revenue bases (see :func:`revenue_basis`) of the
    accounts the percentile is taken over, this account included.
    """
    basis, source = revenue_basis(facts, revenue_12m)
    pct = percentile_rank(basis, portfolio_revenues)
    scored: dict[str, tuple[int | None, object, str, str]] = {}
    rs = revenue_score(pct, config)
    scored["revenue"] = (
        rs,
        basis,
        _band(config.revenue_percentiles, rs, "th percentile"),
        f"{'ACV' if source == 'acv' else 'trailing-12-month revenue'} {basis:,.0f} is at the "
        f"{ordinal(pct)} percentile of {max(len(portfolio_revenues), 1)} accounts",
    )
    for name, rating in (
        ("strategic_fit", facts.rating_strategic_fit),
        ("growth", facts.rating_growth),
        ("partnership", facts.rating_partnership),
    ):
        if rating is None:
            scored[name] = (None, None, "missing", "not rated")
        elif not 1 <= rating <= 5:
            scored[name] = (None, rating, "missing", f"rating {rating} is outside 1–5, ignored")
        else:
            scored[name] = (int(rating), rating, f"rating {rating}", "manager's rating")
    margin, how = gross_margin(facts, basis)
    if margin is None:
        scored["profitability"] = (None, None, "missing", how)
    else:
        ms = margin_score(margin, config)
        scored["profitability"] = (ms, margin, _band(config.margin_bands, ms, "%"), how)

    present = [n for n in CRITERIA if scored[n][0] is not None]
    total_weight = sum(config.weights.of(n) for n in present)
    criteria: list[Criterion] = []
    acc = 0.0
    for name in CRITERIA:
        s, value, band, note = scored[name]
        configured = config.weights.of(name)
        if s is None:
            criteria.append(
                Criterion(name, value, band, 0.0, 0.0, f"{note}; its {configured:g}% is shared")
            )
            continue
        eff = configured / total_weight * 100.0 if total_weight > 0 else 0.0
        contribution = points_of(s) * eff / 100.0
        acc += contribution
        criteria.append(
            Criterion(
                name,
                value,
                band,
                float(s),
                round(eff, 2),
                f"{note}; score {s} = {points_of(s):g} pts × {eff:.4g}% = {contribution:.2f}",
            )
        )
    missing = tuple(n for n in CRITERIA if scored[n][0] is None)
    return ValueScore(
        score=round(acc, 1),
        criteria=tuple(criteria),
        missing=missing,
        revenue_basis=basis,
        revenue_source=source,
        percentile=round(pct, 2),
    )


def priority(tier: int, value: float | None) -> float:
    """One sortable number (higher first): (4 − tier) × 1000 + value (value 0–100, None → 0).

    Tier 1 lies in 3000–3100, Tier 2 in 2000–2100, Tier 3 in 1000–1100.
    """
    return round((4 - tier) * 1000 + (value or 0.0), 1)
