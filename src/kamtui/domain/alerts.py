"""Alerts (SPEC §3.5): each names the rule that fired, the figures behind it and a next step.

``Alert.key`` is the rule plus its subject (``action_overdue:42``,
``coverage_gap:no_economic_buyer``, ``kpi_below_target:nps``) and stays the same across
recalculations, so an acknowledged or snoozed alert stays so while the condition lasts.
Churned accounts raise no alerts.

Rules (thresholds are :class:`AlertThresholds`, defaults from the guide):

* ``kpi_below_target``: a KPI below its healthy level in each of the last two *complete*
  periods (months; metrics without two monthly values are checked by quarter; revenue growth,
  year over year, always by quarter).
* ``usage_drop``: logins of the last 90 days ≥ 20% below the 90 days before; or a ``usage`` /
  ``logins`` reading ≥ 20% below the previous complete period.
* ``churn_risk``: renewal within 90 days and health not green (red → critical; amber or
  unknown → warning).
* ``upsell``: usage ≥ 80% of plan capacity; trailing-12-month spend ≥ 20% of the known budget.
* ``coverage_gap``: no economic buyer; a single stakeholder; an economic buyer not contacted in
  90 days (or never).
* ``critical_ticket_open``: a critical ticket open more than 48 h (as-of − opening day, in
  whole days × 24).
* ``low_margin``: gross margin below 30% → renegotiate.
* ``objective_behind``: an active objective whose progress is more than 20 points below the
  share of its time elapsed (e.g. 30% done with 60% of the time gone).
* ``action_overdue``: an action not done after its due date.
* ``qbr_missing``: a Tier 1 account with no QBR (or next-QBR date) in the next 100 days.
* ``qbr_summary_late``: a QBR held in the last 90 days whose summary was not sent within
  24 h of the meeting's end (start time + length; unknown start time: end of the day).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from kamtui.domain import kpi
from kamtui.domain.health import (
    DEFAULT_HEALTH_CONFIG,
    HealthConfig,
    HealthScore,
    login_windows,
    objective_progress,
    score_health,
)
from kamtui.domain.inputs import AccountInputs
from kamtui.domain.rfm import DEFAULT_THRESHOLDS, RfmThresholds, score_rfm
from kamtui.domain.value import gross_margin, revenue_basis

SEVERITIES = ("info", "warning", "critical")

RULES = (
    "kpi_below_target",
    "usage_drop",
    "churn_risk",
    "upsell",
    "coverage_gap",
    "critical_ticket_open",
    "low_margin",
    "objective_behind",
    "action_overdue",
    "qbr_missing",
    "qbr_summary_late",
)


@dataclass(frozen=True, slots=True)
class AlertThresholds:
    kpi_consecutive_periods: int = 2
    usage_drop_pct: float = 20.0  # guide: "a 20% drop in product usage"
    usage_window_days: int = 90
    renewal_days: int = 90
    capacity_pct: float = 80.0
    budget_pct: float = 20.0  # guide: "20%+ budget utilization"
    economic_buyer_contact_days: int = 90
    critical_ticket_hours: float = 48.0
    margin_min_pct: float = 30.0
    objective_lag_points: float = 20.0  # progress this many % points below elapsed time
    qbr_horizon_days: int = 100
    qbr_summary_hours: float = 24.0
    # accounts with no stakeholders mapped at all raise a coverage gap only in these tiers
    # (else every account of a fresh CRM import would: CDNOW's 23,570 customers)
    unmapped_alert_max_tier: int = 2
    qbr_summary_lookback_days: int = 90

    def __post_init__(self) -> None:
        if self.kpi_consecutive_periods < 1:
            raise ValueError("kpi_consecutive_periods must be at least 1")
        for name in ("usage_drop_pct", "capacity_pct", "budget_pct"):
            if not 0 < getattr(self, name) <= 100:
                raise ValueError(f"{name} must be between 0 and 100")
        for name in (
            "usage_window_days",
            "renewal_days",
            "economic_buyer_contact_days",
            "qbr_horizon_days",
            "qbr_summary_lookback_days",
        ):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive")


DEFAULT_ALERT_THRESHOLDS = AlertThresholds()


@dataclass(frozen=True, slots=True)
class Alert:
    key: str
    rule: str
    severity: str  # info / warning / critical
    message: str
    figures: dict[str, object] = field(default_factory=dict)
    next_step: str = ""
    subject: str = ""


@dataclass(frozen=True, slots=True)
class _Context:
    inputs: AccountInputs
    as_of: date
    t: AlertThresholds
    targets: kpi.KpiTargets
    tier: int
    health: HealthScore


def _alert(
    rule: str, subject: object, severity: str, message: str, figures: dict, step: str
) -> Alert:
    return Alert(f"{rule}:{subject}", rule, severity, message, figures, step, str(subject))


_KPI_LABELS = {
    kpi.NPS: "NPS",
    kpi.REVENUE_GROWTH: "revenue growth",
    kpi.GROSS_MARGIN: "gross margin",
    kpi.RETENTION: "retention rate",
    kpi.SUPPORT_HOURS: "support resolution time",
    kpi.FEATURE_ADOPTION: "feature adoption",
    kpi.CLV: "customer lifetime value",
}


_KPI_UNITS = {
    kpi.REVENUE_GROWTH: "%",
    kpi.GROSS_MARGIN: "%",
    kpi.RETENTION: "%",
    kpi.FEATURE_ADOPTION: "%",
    kpi.SUPPORT_HOURS: " h",
}


def _kpi_below(c: _Context) -> list[Alert]:
    n = c.t.kpi_consecutive_periods
    monthly = kpi.kpi_history(c.inputs, c.as_of, "month", n, complete_only=True)
    quarterly = kpi.kpi_history(c.inputs, c.as_of, "quarter", n, complete_only=True)
    out = []
    for metric, label in _KPI_LABELS.items():
        # monthly revenue is lumpy (quarterly billing): growth is judged by quarter only
        candidates = (
            (quarterly.get(metric),)
            if metric == kpi.REVENUE_GROWTH
            else (monthly.get(metric), quarterly.get(metric))
        )
        for series in candidates:
            if not series or any(v is None for _, v in series):
                continue
            verdicts = [kpi.is_healthy(metric, v, c.targets) for _, v in series]
            if all(v is False for v in verdicts):
                figures = {p: v for p, v in series}
                unit = _KPI_UNITS.get(metric, "")
                shown = ", ".join(f"{p}: {v:.4g}{unit}" for p, v in series)
                out.append(
                    _alert(
                        "kpi_below_target",
                        metric,
                        "warning",
                        f"{label} outside healthy ({kpi.healthy_text(metric, c.targets)}) for "
                        f"{n} consecutive periods ({shown})",
                        {
                            "metric": metric,
                            "healthy": kpi.healthy_text(metric, c.targets),
                            **figures,
                        },
                        "Run a root-cause analysis and present the client 2–3 adjusted approaches.",
                    )
                )
            break  # the monthly series, when complete, decides; quarters only as a fallback
    return out


def _usage_drop(c: _Context) -> list[Alert]:
    out = []
    limit = c.t.usage_drop_pct
    rows, recent, prior = login_windows(c.inputs, c.as_of, c.t.usage_window_days)
    if rows and prior > 0:
        change = (recent - prior) / prior * 100.0
        if change <= -limit + 1e-9:
            out.append(
                _alert(
                    "usage_drop",
                    "logins",
                    "warning",
                    f"logins down {-change:.0f}% ({recent:g} in the last {c.t.usage_window_days}"
                    f" days vs {prior:g} before)",
                    {"recent": recent, "prior": prior, "change_pct": round(change, 1)},
                    "Book a diagnostic call with the champion to find out why usage fell.",
                )
            )
    history = kpi.readings_by_period(c.inputs, "month")
    periods = kpi.last_periods(c.as_of, "month", 2, complete_only=True)
    for metric in (kpi.USAGE, kpi.LOGINS):
        if metric == kpi.LOGINS and rows:
            continue  # login activities already decide
        by_period = history.get(metric, {})
        before, last = (by_period.get(p) for p in periods)
        if before is None or last is None or before <= 0:
            continue
        change = (last - before) / before * 100.0
        if change <= -limit + 1e-9:
            out.append(
                _alert(
                    "usage_drop",
                    metric,
                    "warning",
                    f"{metric} down {-change:.0f}% ({periods[1]}: {last:g} vs {periods[0]}: "
                    f"{before:g})",
                    {periods[0]: before, periods[1]: last, "change_pct": round(change, 1)},
                    "Book a diagnostic call with the champion to find out why usage fell.",
                )
            )
    return out


def _churn_risk(c: _Context) -> list[Alert]:
    renewal = c.inputs.facts.renewal_date
    if renewal is None or c.health.band == "green":
        return []
    days = (renewal - c.as_of).days
    if not 0 <= days <= c.t.renewal_days:
        return []
    band = c.health.band or "unknown"
    health = "unknown" if c.health.score is None else f"{c.health.score:g} ({band})"
    return [
        _alert(
            "churn_risk",
            renewal.isoformat(),
            "critical" if band == "red" else "warning",
            f"renewal in {days} days ({renewal.isoformat()}) and health {health}",
            {"days_to_renewal": days, "health": c.health.score, "band": band},
            "Churn risk: meet the economic buyer, review value delivered and fix open issues "
            "before the renewal talk.",
        )
    ]


def _upsell(c: _Context) -> list[Alert]:
    f = c.inputs.facts
    out = []
    if f.capacity_limit and f.capacity_limit > 0 and f.current_usage is not None:
        share = f.current_usage / f.capacity_limit * 100.0
        if share >= c.t.capacity_pct - 1e-9:
            out.append(
                _alert(
                    "upsell",
                    "capacity",
                    "info",
                    f"usage at {share:.0f}% of plan capacity ({f.current_usage:g} of "
                    f"{f.capacity_limit:g})",
                    {
                        "usage": f.current_usage,
                        "capacity": f.capacity_limit,
                        "share_pct": round(share, 1),
                    },
                    "Upsell trigger: propose the next plan or extra capacity before the limit.",
                )
            )
    if f.annual_budget and f.annual_budget > 0:
        spend = kpi.revenue_12m(c.inputs, c.as_of)
        share = spend / f.annual_budget * 100.0
        if share >= c.t.budget_pct - 1e-9:
            out.append(
                _alert(
                    "upsell",
                    "budget",
                    "info",
                    f"trailing-year spend {spend:,.0f} is {share:.0f}% of the client's known "
                    f"budget ({f.annual_budget:,.0f})",
                    {"spend_12m": spend, "budget": f.annual_budget, "share_pct": round(share, 1)},
                    "Upsell trigger: review the budget with the economic buyer and propose an "
                    "expansion.",
                )
            )
    return out


def _coverage(c: _Context) -> list[Alert]:
    people = c.inputs.stakeholders
    buyers = [s for s in people if s.role == "economic_buyer"]
    out = []
    if not people and c.tier > c.t.unmapped_alert_max_tier:
        return out  # a lower-tier account nobody has mapped yet is not a key account's gap
    if not buyers:
        out.append(
            _alert(
                "coverage_gap",
                "no_economic_buyer",
                "warning",
                "no economic buyer mapped" + ("" if people else " (no stakeholders at all)"),
                {"stakeholders": len(people)},
                "Identify the economic buyer (final decision-maker) and add them to the map.",
            )
        )
    if len(people) == 1:
        out.append(
            _alert(
                "coverage_gap",
                "single_threaded",
                "warning",
                f"single-threaded: {people[0].name} is the only stakeholder",
                {"stakeholders": 1},
                "Multi-thread: ask for introductions to other decision-makers and influencers.",
            )
        )
    horizon = c.as_of - timedelta(days=c.t.economic_buyer_contact_days)
    for s in buyers:
        if s.last_contact is None or s.last_contact < horizon:
            since = (
                "never contacted"
                if s.last_contact is None
                else f"last contact {s.last_contact.isoformat()} "
                f"({(c.as_of - s.last_contact).days} days ago)"
            )
            out.append(
                _alert(
                    "coverage_gap",
                    f"economic_buyer_stale:{s.id}",
                    "warning",
                    f"economic buyer {s.name}: {since}",
                    {
                        "stakeholder_id": s.id,
                        "days_since_contact": (
                            None if s.last_contact is None else (c.as_of - s.last_contact).days
                        ),
                    },
                    f"Book time with {s.name} (economic buyer) this month.",
                )
            )
    return out


def _critical_tickets(c: _Context) -> list[Alert]:
    out = []
    for a in c.inputs.activities:
        if a.kind != "support_ticket" or not a.is_open or (a.severity or "").lower() != "critical":
            continue
        hours = (c.as_of - a.day).days * 24
        if hours > c.t.critical_ticket_hours:
            out.append(
                _alert(
                    "critical_ticket_open",
                    a.id,
                    "critical",
                    f"critical ticket opened {a.day.isoformat()} still open after {hours} h",
                    {"ticket_id": a.id, "opened": a.day.isoformat(), "hours_open": hours},
                    "Escalate the ticket and call the client's contact with a resolution plan.",
                )
            )
    return out


def _low_margin(c: _Context) -> list[Alert]:
    basis, _ = revenue_basis(c.inputs.facts, kpi.revenue_12m(c.inputs, c.as_of))
    margin, how = gross_margin(c.inputs.facts, basis)
    if margin is None or margin >= c.t.margin_min_pct:
        return []
    return [
        _alert(
            "low_margin",
            c.inputs.facts.id,
            "warning",
            f"gross margin {margin:g}% is below {c.t.margin_min_pct:g}%",
            {"gross_margin_pct": margin, "how": how},
            "Renegotiate pricing or streamline delivery to lower the cost to serve.",
        )
    ]


def _objectives(c: _Context) -> list[Alert]:
    out = []
    for o in c.inputs.objectives:
        if o.status != "active":
            continue
        measured = objective_progress(
            o.baseline, o.target, o.current, o.start_date, o.due_date, c.as_of
        )
        if measured is None:
            continue
        progress, elapsed = measured
        lag = (elapsed - progress) * 100.0
        if lag > c.t.objective_lag_points + 1e-9:
            out.append(
                _alert(
                    "objective_behind",
                    o.id,
                    "warning",
                    f"objective “{o.text}” is {progress * 100:.0f}% done with {elapsed * 100:.0f}%"
                    f" of its time gone",
                    {
                        "objective_id": o.id,
                        "progress_pct": round(progress * 100, 1),
                        "elapsed_pct": round(elapsed * 100, 1),
                        "current": o.current,
                        "target": o.target,
                    },
                    "Review the objective at the next checkpoint: adjust actions, owners or the "
                    "target with the client.",
                )
            )
    return out


def _actions(c: _Context) -> list[Alert]:
    out = []
    for a in c.inputs.actions:
        if a.done or a.due_date is None or a.due_date >= c.as_of:
            continue
        days = (c.as_of - a.due_date).days
        owner = f" ({a.owner_name})" if a.owner_name else ""
        out.append(
            _alert(
                "action_overdue",
                a.id,
                "warning",
                f"action “{a.text}”{owner} overdue by {days} days",
                {"action_id": a.id, "due": a.due_date.isoformat(), "days_overdue": days},
                "Chase the owner for a new date, or close the action if it is done.",
            )
        )
    return out


def _qbr_missing(c: _Context) -> list[Alert]:
    if c.tier != 1:
        return []
    end = c.as_of + timedelta(days=c.t.qbr_horizon_days)
    dates = [q.day for q in c.inputs.qbrs] + [
        q.next_qbr_date for q in c.inputs.qbrs if q.next_qbr_date is not None
    ]
    if any(c.as_of <= d <= end for d in dates):
        return []
    past = [d for d in dates if d < c.as_of]
    last = max(past).isoformat() if past else "never"
    return [
        _alert(
            "qbr_missing",
            c.inputs.facts.id,
            "warning",
            f"Tier 1 account with no QBR in the next {c.t.qbr_horizon_days} days (last: {last})",
            {"tier": 1, "horizon_days": c.t.qbr_horizon_days, "last_qbr": last},
            "Schedule the next QBR now and send the invitation.",
        )
    ]


def qbr_summary_deadline(
    day: date, start_time: str | None, length_minutes: int, hours: float
) -> datetime:
    """When the follow-up summary is due: the meeting's end + ``hours``; an unknown start
    time counts the meeting as ending at the end of its day."""
    end: datetime
    try:
        hh, mm = (int(x) for x in (start_time or "").split(":", 1))
        end = datetime.combine(day, time(hh, mm)) + timedelta(minutes=length_minutes)
    except ValueError:
        end = datetime.combine(day + timedelta(days=1), time(0, 0))
    return end + timedelta(hours=hours)


def _qbr_summary(c: _Context) -> list[Alert]:
    out = []
    lookback = c.as_of - timedelta(days=c.t.qbr_summary_lookback_days)
    for q in c.inputs.qbrs:
        if not q.held or not lookback <= q.day <= c.as_of:
            continue
        deadline = qbr_summary_deadline(
            q.day, q.start_time, q.length_minutes, c.t.qbr_summary_hours
        )
        sent = q.summary_sent_at
        if sent is not None:
            sent = sent.replace(tzinfo=None)
            if sent <= deadline:
                continue
            late = sent - deadline
            message = (
                f"QBR of {q.day.isoformat()}: summary sent {late.total_seconds() / 3600:.0f} h late"
            )
            severity = "info"
        else:
            # the as-of date counts from its start: a deadline at or before it has passed
            if datetime.combine(c.as_of, time(0, 0)) < deadline:
                continue
            message = f"QBR of {q.day.isoformat()}: follow-up summary not sent"
            severity = "warning"
        out.append(
            _alert(
                "qbr_summary_late",
                q.id,
                severity,
                message,
                {
                    "qbr_id": q.id,
                    "held": q.day.isoformat(),
                    "deadline": deadline.isoformat(timespec="minutes"),
                    "sent": None if sent is None else sent.isoformat(timespec="minutes"),
                },
                "Send the summary: agreed actions, deadlines and owners."
                if sent is None
                else "Send future summaries within 24 h of the QBR.",
            )
        )
    return out


_EVALUATORS: tuple[Callable[[_Context], list[Alert]], ...] = (
    _kpi_below,
    _usage_drop,
    _churn_risk,
    _upsell,
    _coverage,
    _critical_tickets,
    _low_margin,
    _objectives,
    _actions,
    _qbr_missing,
    _qbr_summary,
)


def evaluate_alerts(
    inputs: AccountInputs,
    as_of: date,
    thresholds: AlertThresholds = DEFAULT_ALERT_THRESHOLDS,
    *,
    targets: kpi.KpiTargets = kpi.DEFAULT_TARGETS,
    tier: int | None = None,
    health: HealthScore | None = None,
    health_config: HealthConfig = DEFAULT_HEALTH_CONFIG,
    rfm_thresholds: RfmThresholds = DEFAULT_THRESHOLDS,
) -> list[Alert]:
    """Every alert of one account as of a date, in rule order then subject.

    Pass ``tier`` and ``health`` when they are already computed (the service does); otherwise
    they are computed here with the given configuration (fixed-threshold RFM).
    """
    if inputs.facts.status == "churned":
        return []
    if tier is None:
        tier = score_rfm(inputs.transactions, as_of, rfm_thresholds).tier
    if health is None:
        health = score_health(inputs, as_of, health_config)
    ctx = _Context(inputs, as_of, thresholds, targets, tier, health)
    alerts: list[Alert] = []
    for evaluate in _EVALUATORS:
        alerts.extend(evaluate(ctx))
    return alerts
