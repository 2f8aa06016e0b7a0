"""Portfolio KPIs and the one-stop scoring of accounts (SPEC §3.2–3.5).

The service calls :func:`score_portfolio` for a full recalculation, or
:func:`portfolio_context` once and :func:`score_account` for each account an edit touched.

Portfolio KPIs, over the *active* accounts unless said otherwise:

* revenue = Σ revenue basis (ACV, else trailing-12-month net revenue); revenue per account =
  revenue / active accounts; CLV = revenue per account × average lifespan (years).
* revenue concentration = share of revenue from the top ⌈20% × accounts⌉ accounts (Pareto).
* share of accounts holding 3+ products (target 65%).
* ARPA growth QoQ: ARPA of a quarter = net revenue of all accounts in the quarter / accounts
  with positive net revenue in it; growth of the last complete quarter over the one before.
* retention rate = active / (active + churned) — logo retention; prospects don't count.
* NPS pooled over every active account's answers of the last 365 days; support resolution
  time = mean over every ticket resolved in the last 180 days; gross margin weighted by revenue.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import date, timedelta

from kamtui.domain import kpi
from kamtui.domain.alerts import DEFAULT_ALERT_THRESHOLDS, Alert, AlertThresholds, evaluate_alerts
from kamtui.domain.health import (
    DEFAULT_HEALTH_CONFIG,
    HealthConfig,
    HealthScore,
    nps_of,
    resolved_ticket_hours,
    score_health,
    survey_answers,
)
from kamtui.domain.inputs import AccountInputs
from kamtui.domain.rfm import (
    DEFAULT_THRESHOLDS,
    RFM_MODES,
    RfmScore,
    RfmThresholds,
    measure,
    score_inputs,
    score_quintiles,
)
from kamtui.domain.value import (
    DEFAULT_VALUE_CONFIG,
    ValueConfig,
    ValueScore,
    gross_margin,
    priority,
    revenue_basis,
    score_value,
)


@dataclass(frozen=True, slots=True)
class ScoringConfig:
    """Everything the scores can be tuned with (``Settings.scoring()`` builds one)."""

    rfm_mode: str = "fixed"
    rfm: RfmThresholds = field(default_factory=RfmThresholds)
    value: ValueConfig = field(default_factory=ValueConfig)
    health: HealthConfig = field(default_factory=HealthConfig)
    kpi: kpi.KpiTargets = field(default_factory=kpi.KpiTargets)
    alerts: AlertThresholds = field(default_factory=AlertThresholds)

    def __post_init__(self) -> None:
        if self.rfm_mode not in RFM_MODES:
            raise ValueError(
                f"rfm mode must be one of {', '.join(RFM_MODES)} (got {self.rfm_mode!r})"
            )


DEFAULT_SCORING = ScoringConfig(
    rfm=DEFAULT_THRESHOLDS,
    value=DEFAULT_VALUE_CONFIG,
    health=DEFAULT_HEALTH_CONFIG,
    alerts=DEFAULT_ALERT_THRESHOLDS,
)


def account_revenue_basis(inputs: AccountInputs, as_of: date) -> float:
    """The revenue that sizes the account for percentiles and portfolio sums."""
    return revenue_basis(inputs.facts, kpi.revenue_12m(inputs, as_of))[0]


@dataclass(frozen=True, slots=True)
class PortfolioContext:
    """What scoring one account needs to know about the others.

    ``revenues``: ascending revenue bases of the active accounts (the value percentile's
    population). ``rfm``: in quintile mode, every account's RFM by id (ranks depend on all).
    """

    revenues: tuple[float, ...] = ()
    rfm: Mapping[int, RfmScore] = field(default_factory=dict)

    @classmethod
    def from_revenues(cls, revenues: Sequence[float]) -> PortfolioContext:
        return cls(revenues=tuple(sorted(revenues)))


def portfolio_context(
    accounts: Sequence[AccountInputs], as_of: date, config: ScoringConfig = DEFAULT_SCORING
) -> PortfolioContext:
    revenues = sorted(
        account_revenue_basis(a, as_of) for a in accounts if a.facts.status == "active"
    )
    rfm: dict[int, RfmScore] = {}
    if config.rfm_mode == "quintile":
        measured = {a.account_id: measure(a.transactions, as_of) for a in accounts}
        rfm = score_quintiles(measured, config.rfm)
    return PortfolioContext(tuple(revenues), rfm)


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _jsonable(value: object) -> object:
    """JSON-ready data from dataclasses, dates and containers (no deep copies: this runs for
    every account on every full rescore)."""
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if is_dataclass(value) and not isinstance(value, type):
        names = _FIELD_NAMES.get(type(value))
        if names is None:
            names = _FIELD_NAMES.setdefault(type(value), tuple(f.name for f in fields(value)))
        return {name: _jsonable(getattr(value, name)) for name in names}
    return value


@dataclass(frozen=True, slots=True)
class AccountScores:
    account_id: int
    as_of: date
    rfm: RfmScore
    value: ValueScore
    health: HealthScore
    priority: float
    alerts: tuple[Alert, ...]
    kpis: tuple[kpi.KpiValue, ...]
    revenue_12m: float

    @property
    def tier(self) -> int:
        return self.rfm.tier

    @property
    def alert_count(self) -> int:
        return len(self.alerts)

    def breakdown(self) -> dict[str, object]:
        """Every score's criteria as JSON-ready data (for ``ScoreRow.breakdown``)."""
        data = {
            "as_of": self.as_of,
            "rfm": list(self.rfm.criteria),
            "value": {
                "score": self.value.score,
                "missing": list(self.value.missing),
                "criteria": list(self.value.criteria),
            },
            "health": {
                "score": self.health.score,
                "band": self.health.band,
                "components": list(self.health.components),
            },
            "priority": self.priority,
            "kpis": list(self.kpis),
            "alerts": [a.key for a in self.alerts],
        }
        return _jsonable(data)  # type: ignore[return-value]


def score_account(
    inputs: AccountInputs,
    as_of: date,
    context: PortfolioContext,
    config: ScoringConfig = DEFAULT_SCORING,
) -> AccountScores:
    """Every score of one account: RFM, value, health, priority, KPIs and alerts."""
    if config.rfm_mode == "quintile" and inputs.account_id in context.rfm:
        rfm = context.rfm[inputs.account_id]
    else:
        rfm = score_inputs(measure(inputs.transactions, as_of), config.rfm)
    r12 = kpi.revenue_12m(inputs, as_of)
    revenues = context.revenues or (revenue_basis(inputs.facts, r12)[0],)
    value = score_value(inputs.facts, r12, revenues, config.value)
    health = score_health(inputs, as_of, config.health)
    alerts = evaluate_alerts(
        inputs,
        as_of,
        config.alerts,
        targets=config.kpi,
        tier=rfm.tier,
        health=health,
    )
    return AccountScores(
        account_id=inputs.account_id,
        as_of=as_of,
        rfm=rfm,
        value=value,
        health=health,
        priority=priority(rfm.tier, value.score),
        alerts=tuple(alerts),
        kpis=kpi.account_kpis(inputs, as_of, config.kpi),
        revenue_12m=r12,
    )


# ---------------------------------------------------------------- portfolio KPIs


@dataclass(frozen=True, slots=True)
class PortfolioKpis:
    as_of: date
    accounts: int
    active_accounts: int
    revenue: float  # Σ revenue basis of active accounts
    revenue_12m: float  # Σ trailing-12-month net revenue of active accounts
    revenue_per_account: float | None
    clv: float | None
    concentration_top20_pct: float | None
    top_accounts: int  # ⌈20% × active accounts⌉
    products_3plus_pct: float | None
    arpa_previous: float | None
    arpa_last: float | None
    arpa_quarters: tuple[str, str]
    arpa_growth_qoq_pct: float | None
    retention_rate_pct: float | None
    nps: float | None
    nps_answers: int
    support_resolution_hours: float | None
    gross_margin_pct: float | None
    kpis: tuple[kpi.KpiValue, ...] = ()


def revenue_concentration(
    revenues: Sequence[float], top_share: float = 0.2
) -> tuple[float | None, int]:
    """(% of revenue from the top ⌈top_share × n⌉ accounts, that count); None when no revenue."""
    n = len(revenues)
    if n == 0:
        return None, 0
    top = math.ceil(top_share * n - 1e-9)
    ordered = sorted((max(r, 0.0) for r in revenues), reverse=True)
    total = sum(ordered)
    if total <= 0:
        return None, top
    return round(sum(ordered[:top]) / total * 100.0, 2), top


def arpa_by_quarter(
    accounts: Sequence[AccountInputs], quarters: Sequence[str]
) -> dict[str, float | None]:
    """ARPA per quarter: net revenue of all accounts / accounts with positive net revenue."""
    wanted = set(quarters)
    by_account: dict[tuple[int, str], float] = defaultdict(float)
    for a in accounts:
        for line in a.transactions:
            q = kpi.period_of(line.day, "quarter")
            if q in wanted:
                by_account[(a.account_id, q)] += line.amount
    out: dict[str, float | None] = {}
    for q in quarters:
        nets = [v for (_, qq), v in by_account.items() if qq == q]
        billed = sum(1 for v in nets if v > 1e-9)
        out[q] = round(sum(nets) / billed, 2) if billed else None
    return out


def portfolio_kpis(
    accounts: Sequence[AccountInputs],
    as_of: date,
    targets: kpi.KpiTargets = kpi.DEFAULT_TARGETS,
) -> PortfolioKpis:
    active = [a for a in accounts if a.facts.status == "active"]
    churned = sum(1 for a in accounts if a.facts.status == "churned")
    bases = [account_revenue_basis(a, as_of) for a in active]
    revenue = round(sum(bases), 2)
    r12 = round(sum(kpi.revenue_12m(a, as_of) for a in active), 2)
    rpa = round(revenue / len(active), 2) if active else None
    clv = round(rpa * targets.average_lifespan_years, 2) if rpa is not None else None
    concentration, top = revenue_concentration(bases)
    products = (
        round(sum(1 for a in active if len(a.facts.products) >= 3) / len(active) * 100.0, 2)
        if active
        else None
    )
    q_prev, q_last = kpi.last_periods(as_of, "quarter", 2, complete_only=True)
    arpa = arpa_by_quarter(accounts, (q_prev, q_last))
    a_prev, a_last = arpa[q_prev], arpa[q_last]
    arpa_growth = kpi.growth_pct(a_last, a_prev) if a_prev and a_last is not None else None
    retention = (
        round(len(active) / (len(active) + churned) * 100.0, 2) if active or churned else None
    )
    answers: list[float] = []
    hours: list[float] = []
    margin_num = margin_den = 0.0
    for a, basis in zip(active, bases, strict=True):
        answers += survey_answers(a, as_of - timedelta(days=365), as_of)
        hours += resolved_ticket_hours(a, as_of - timedelta(days=180), as_of)
        margin, _ = gross_margin(a.facts, basis)
        if margin is not None and basis > 0:
            margin_num += margin * basis
            margin_den += basis
    nps = nps_of(answers)
    support = round(sum(hours) / len(hours), 2) if hours else None
    margin_pct = round(margin_num / margin_den, 2) if margin_den > 0 else None

    def kv(
        metric: str, value: float | None, note: str, healthy: bool | None = None
    ) -> kpi.KpiValue:
        if healthy is None:
            healthy = kpi.is_healthy(metric, value, targets)
        return kpi.KpiValue(
            metric,
            value,
            healthy,
            kpi.healthy_text(metric, targets),
            "missing" if value is None else "computed",
            note,
        )

    values = (
        kv(kpi.NPS, nps, f"{len(answers)} answers in the last 365 days"),
        kv(kpi.GROSS_MARGIN, margin_pct, "revenue-weighted over accounts with a margin"),
        kv(kpi.RETENTION, retention, f"{len(active)} active, {churned} churned"),
        kv(
            kpi.REVENUE_PER_ACCOUNT,
            rpa,
            f"revenue {revenue:,.0f} / {len(active)} active accounts",
            None if arpa_growth is None else arpa_growth >= 0,
        ),
        kv(kpi.CLV, clv, f"revenue per account × {targets.average_lifespan_years:g} years"),
        kv(kpi.SUPPORT_HOURS, support, f"{len(hours)} tickets resolved in the last 180 days"),
        kpi.KpiValue(
            "revenue_concentration",
            concentration,
            None,
            "",
            "missing" if concentration is None else "computed",
            f"share of revenue from the top {top} of {len(active)} accounts",
        ),
        kpi.KpiValue(
            "products_3plus",
            products,
            None if products is None else products >= targets.products_3plus_min_pct,
            f"≥ {targets.products_3plus_min_pct:g}%",
            "missing" if products is None else "computed",
            "share of active accounts holding 3+ products",
        ),
        kpi.KpiValue(
            "arpa_growth_qoq",
            arpa_growth,
            None if arpa_growth is None else arpa_growth >= 0,
            "not declining",
            "missing" if arpa_growth is None else "computed",
            f"ARPA {q_last} {a_last} vs {q_prev} {a_prev}",
        ),
    )
    return PortfolioKpis(
        as_of=as_of,
        accounts=len(accounts),
        active_accounts=len(active),
        revenue=revenue,
        revenue_12m=r12,
        revenue_per_account=rpa,
        clv=clv,
        concentration_top20_pct=concentration,
        top_accounts=top,
        products_3plus_pct=products,
        arpa_previous=a_prev,
        arpa_last=a_last,
        arpa_quarters=(q_prev, q_last),
        arpa_growth_qoq_pct=arpa_growth,
        retention_rate_pct=retention,
        nps=nps,
        nps_answers=len(answers),
        support_resolution_hours=support,
        gross_margin_pct=margin_pct,
        kpis=values,
    )


def portfolio_history(
    accounts: Sequence[AccountInputs],
    as_of: date,
    granularity: kpi.Granularity = "quarter",
    count: int = 8,
) -> dict[str, kpi.Series]:
    """Ordered portfolio series (oldest first): revenue, ARPA and pooled NPS per period."""
    periods = kpi.last_periods(as_of, granularity, count)
    wanted = set(periods)
    nets: dict[tuple[int, str], float] = defaultdict(float)
    answers: dict[str, list[float]] = defaultdict(list)
    for a in accounts:
        for line in a.transactions:
            p = kpi.period_of(line.day, granularity)
            if p in wanted:
                nets[(a.account_id, p)] += line.amount
        for act in a.activities:
            if act.kind == "survey_response" and act.value is not None:
                p = kpi.period_of(act.day, granularity)
                if p in wanted:
                    answers[p].append(float(act.value))
    revenue: list[tuple[str, float | None]] = []
    arpa: list[tuple[str, float | None]] = []
    nps: list[tuple[str, float | None]] = []
    for p in periods:
        values = [v for (_, pp), v in nets.items() if pp == p]
        billed = sum(1 for v in values if v > 1e-9)
        revenue.append((p, round(sum(values), 2)))
        arpa.append((p, round(sum(values) / billed, 2) if billed else None))
        nps.append((p, nps_of(answers[p])))
    return {"revenue": tuple(revenue), "arpa": tuple(arpa), kpi.NPS: tuple(nps)}


@dataclass(frozen=True, slots=True)
class PortfolioScores:
    accounts: dict[int, AccountScores]
    kpis: PortfolioKpis
    context: PortfolioContext

    def ranked(self) -> list[AccountScores]:
        """Accounts by priority, highest first (ties: account id)."""
        return sorted(self.accounts.values(), key=lambda s: (-s.priority, s.account_id))


def score_portfolio(
    accounts: Sequence[AccountInputs],
    as_of: date,
    config: ScoringConfig = DEFAULT_SCORING,
) -> PortfolioScores:
    """Score every account and the portfolio KPIs in one pass."""
    context = portfolio_context(accounts, as_of, config)
    scores = {a.account_id: score_account(a, as_of, context, config) for a in accounts}
    return PortfolioScores(scores, portfolio_kpis(accounts, as_of, config.kpi), context)


__all__ = [
    "AccountScores",
    "HealthScore",
    "PortfolioContext",
    "PortfolioKpis",
    "PortfolioScores",
    "ScoringConfig",
    "arpa_by_quarter",
    "portfolio_context",
    "portfolio_history",
    "portfolio_kpis",
    "revenue_concentration",
    "score_account",
    "score_portfolio",
]
