"""Health score 0–100 (SPEC §3.3, guide: "automated health scoring").

Six components, each 0–100 points with a weight (defaults in percent):

=================  ==  =====================================================================
engagement         25  login count, last 90 days vs the 90 before: flat or up → 100,
                       each 1% down costs 2 points (−50% or worse → 0)
nps                20  NPS of survey answers in the last 365 days (else the latest ``nps``
                       reading): points = (NPS + 100) / 2
support            15  mean hours to resolve tickets closed in the last 180 days (else the
                       latest ``support_resolution_hours`` reading): ≤ target/2 → 100,
                       ≥ 2 × target → 0, linear between (target 48 h → 66.7)
adoption           15  latest ``feature_adoption`` reading (% of features in use), as points
stakeholders       15  economic buyer mapped 40 + contacted in 90 days 15 + champion 15 +
                       breadth (1 person 0, 2 people 15, 3+ people 30)
plan               10  mean of: objectives' progress / elapsed time (capped at 1) and the
                       share of actions due by the as-of date that are done
=================  ==  =====================================================================

A component without data is *missing*: it is reported as such and the weights of the others
are renormalised. All six missing → health None (no band), never 0.
Bands: green ≥ 70, amber ≥ 40, red below.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from kamtui.domain.inputs import AccountInputs, KpiFact
from kamtui.domain.models import Criterion, check_weights

COMPONENTS = ("engagement", "nps", "support", "adoption", "stakeholders", "plan")


@dataclass(frozen=True, slots=True)
class HealthWeights:
    """Component weights in percent; they must sum to 100."""

    engagement: float = 25.0
    nps: float = 20.0
    support: float = 15.0
    adoption: float = 15.0
    stakeholders: float = 15.0
    plan: float = 10.0

    def __post_init__(self) -> None:
        check_weights("health", {name: getattr(self, name) for name in COMPONENTS})

    def of(self, name: str) -> float:
        return float(getattr(self, name))


@dataclass(frozen=True, slots=True)
class HealthBands:
    green: float = 70.0  # at least
    amber: float = 40.0  # at least; below is red

    def __post_init__(self) -> None:
        if not 0 <= self.amber < self.green <= 100:
            raise ValueError("health bands must satisfy 0 <= amber < green <= 100")

    def band(self, score: float | None) -> str | None:
        if score is None:
            return None
        if score >= self.green:
            return "green"
        if score >= self.amber:
            return "amber"
        return "red"


@dataclass(frozen=True, slots=True)
class HealthConfig:
    weights: HealthWeights = field(default_factory=HealthWeights)
    bands: HealthBands = field(default_factory=HealthBands)
    engagement_days: int = 90  # each of the two windows compared
    nps_days: int = 365  # survey answers counted
    support_days: int = 180  # resolved tickets counted
    support_target_hours: float = 48.0
    contact_days: int = 90  # economic buyer counts as "in touch"

    def __post_init__(self) -> None:
        for name in ("engagement_days", "nps_days", "support_days", "contact_days"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive")
        if self.support_target_hours <= 0:
            raise ValueError("support_target_hours must be positive")


DEFAULT_HEALTH_CONFIG = HealthConfig()


@dataclass(frozen=True, slots=True)
class HealthComponent:
    name: str
    points: float | None  # 0–100, None = missing
    weight: float  # configured, percent
    effective_weight: float  # after renormalising over the present components (0 if missing)
    figures: dict[str, object] = field(default_factory=dict)  # the inputs it used
    note: str = ""

    @property
    def missing(self) -> bool:
        return self.points is None


@dataclass(frozen=True, slots=True)
class HealthScore:
    score: float | None
    band: str | None
    components: tuple[HealthComponent, ...]

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.components if c.missing)

    def component(self, name: str) -> HealthComponent:
        return next(c for c in self.components if c.name == name)

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        out = []
        for c in self.components:
            band = "missing" if c.points is None else f"{c.points:.1f} / 100"
            out.append(
                Criterion(c.name, c.figures, band, c.points or 0.0, c.effective_weight, c.note)
            )
        return tuple(out)


def _clamp(x: float, lo: float = 0.0, hi: float = 100.0) -> float:
    return max(lo, min(hi, x))


def latest_reading(readings: tuple[KpiFact, ...], as_of: date) -> KpiFact | None:
    """The reading of the latest period that has started on or before the as-of date."""
    from kamtui.domain.kpi import period_bounds  # local: kpi imports this module

    usable: list[tuple[date, KpiFact]] = []
    for r in readings:
        try:
            start = period_bounds(r.period)[0]
        except ValueError:
            continue  # a malformed period is ignored, never fatal
        if start <= as_of:
            usable.append((start, r))
    if not usable:
        return None
    return max(usable, key=lambda pair: pair[0])[1]


def login_windows(inputs: AccountInputs, as_of: date, days: int) -> tuple[int, float, float]:
    """(rows seen, logins in the last ``days``, logins in the ``days`` before that)."""
    recent_start = as_of - timedelta(days=days)
    prior_start = recent_start - timedelta(days=days)
    rows = recent = prior = 0.0
    for a in inputs.activities:
        if a.kind != "login" or not prior_start < a.day <= as_of:
            continue
        n = 1.0 if a.value is None else float(a.value)
        rows += 1
        if a.day > recent_start:
            recent += n
        else:
            prior += n
    return int(rows), recent, prior


def engagement_points(recent: float, prior: float) -> tuple[float, float | None]:
    """(points, change) — change is the fraction recent/prior − 1, None without a prior."""
    if prior <= 0:
        return (100.0 if recent > 0 else 0.0), None
    change = (recent - prior) / prior
    return _clamp(100.0 + 200.0 * min(change, 0.0)), change


def _engagement(inputs: AccountInputs, as_of: date, cfg: HealthConfig) -> tuple:
    rows, recent, prior = login_windows(inputs, as_of, cfg.engagement_days)
    if rows == 0:
        return None, {}, f"no logins in the last {2 * cfg.engagement_days} days"
    points, change = engagement_points(recent, prior)
    figures: dict[str, object] = {"logins_recent": recent, "logins_prior": prior}
    if change is None:
        note = f"{recent:g} logins in the last {cfg.engagement_days} days, none before"
    else:
        figures["change_pct"] = round(change * 100, 1)
        note = (
            f"{recent:g} logins in the last {cfg.engagement_days} days vs {prior:g} before "
            f"({change * 100:+.1f}%)"
        )
    return points, figures, note


def nps_of(answers: list[float]) -> float | None:
    """%promoters (9–10) − %detractors (0–6), −100..100; None without answers."""
    if not answers:
        return None
    promoters = sum(1 for a in answers if a >= 9)
    detractors = sum(1 for a in answers if a <= 6)
    return round((promoters - detractors) / len(answers) * 100.0, 1)


def survey_answers(inputs: AccountInputs, after: date, until: date) -> list[float]:
    return [
        float(a.value)
        for a in inputs.activities
        if a.kind == "survey_response" and a.value is not None and after < a.day <= until
    ]


def _nps(inputs: AccountInputs, as_of: date, cfg: HealthConfig) -> tuple:
    """Survey answers of the last ``nps_days``, unless an NPS reading is newer than the
    latest answer (a recorded quarterly NPS supersedes older single answers)."""
    from kamtui.domain.kpi import period_bounds  # local: kpi imports this module

    after = as_of - timedelta(days=cfg.nps_days)
    answered = [
        a
        for a in inputs.activities
        if a.kind == "survey_response" and a.value is not None and after < a.day <= as_of
    ]
    reading = latest_reading(inputs.readings("nps"), as_of)
    last_answer = max((a.day for a in answered), default=None)
    newer_reading = reading is not None and (
        last_answer is None or period_bounds(reading.period)[0] > last_answer
    )
    if answered and not newer_reading:
        score = nps_of([float(a.value) for a in answered if a.value is not None])
        assert score is not None
        count = len(answered)
        figures = {"nps": score, "answers": count}
        note = (
            f"NPS {score:g} from {count} answer{'' if count == 1 else 's'} in {cfg.nps_days} days"
        )
    elif reading is not None:
        score = reading.value
        figures = {"nps": score, "period": reading.period}
        note = f"NPS reading {score:g} for {reading.period}"
    else:
        return None, {}, "no survey answers and no NPS reading"
    return _clamp((score + 100.0) / 2.0), figures, note


def resolved_ticket_hours(inputs: AccountInputs, after: date, until: date) -> list[float]:
    return [
        float(a.value)
        for a in inputs.activities
        if a.kind == "support_ticket"
        and not a.is_open
        and a.value is not None
        and after < a.day <= until
    ]


def support_points(hours: float, target: float) -> float:
    lo, hi = target / 2.0, target * 2.0
    if hours <= lo:
        return 100.0
    if hours >= hi:
        return 0.0
    return (hi - hours) / (hi - lo) * 100.0


def _support(inputs: AccountInputs, as_of: date, cfg: HealthConfig) -> tuple:
    hours = resolved_ticket_hours(inputs, as_of - timedelta(days=cfg.support_days), as_of)
    if hours:
        mean = sum(hours) / len(hours)
        figures: dict[str, object] = {"mean_hours": round(mean, 2), "tickets": len(hours)}
        note = f"mean {mean:.1f} h over {len(hours)} tickets resolved in {cfg.support_days} days"
    else:
        reading = latest_reading(inputs.readings("support_resolution_hours"), as_of)
        if reading is None:
            return None, {}, "no resolved tickets and no resolution-time reading"
        mean = reading.value
        figures = {"mean_hours": mean, "period": reading.period}
        note = f"resolution-time reading {mean:g} h for {reading.period}"
    return support_points(mean, cfg.support_target_hours), figures, note


def _adoption(inputs: AccountInputs, as_of: date, cfg: HealthConfig) -> tuple:
    reading = latest_reading(inputs.readings("feature_adoption"), as_of)
    if reading is None:
        return None, {}, "no feature_adoption reading"
    figures = {"feature_adoption_pct": reading.value, "period": reading.period}
    return (
        _clamp(reading.value),
        figures,
        f"{reading.value:g}% of features in use ({reading.period})",
    )


def _stakeholders(inputs: AccountInputs, as_of: date, cfg: HealthConfig) -> tuple:
    people = inputs.stakeholders
    if not people:
        return None, {}, "no stakeholders mapped"
    buyers = [s for s in people if s.role == "economic_buyer"]
    recent = as_of - timedelta(days=cfg.contact_days)
    buyer_in_touch = any(s.last_contact is not None and s.last_contact >= recent for s in buyers)
    champion = any(s.role == "champion" for s in people)
    breadth = {1: 0.0, 2: 15.0}.get(len(people), 30.0)
    points = 40.0 * bool(buyers) + 15.0 * buyer_in_touch + 15.0 * champion + breadth
    figures = {
        "stakeholders": len(people),
        "economic_buyer": bool(buyers),
        "economic_buyer_contacted": buyer_in_touch,
        "champion": champion,
    }
    note = (
        f"economic buyer {'yes' if buyers else 'no'} (40), in touch within {cfg.contact_days} "
        f"days {'yes' if buyer_in_touch else 'no'} (15), champion {'yes' if champion else 'no'} "
        f"(15), {len(people)} people ({breadth:g} of 30)"
    )
    return points, figures, note


def objective_progress(
    baseline: float | None,
    target: float | None,
    current: float | None,
    start: date | None,
    due: date | None,
    as_of: date,
) -> tuple[float, float] | None:
    """(progress, elapsed), both fractions 0–1, or None when the objective can't be measured.

    progress = (current − baseline) / (target − baseline); elapsed = (as-of − start) /
    (due − start). Works for targets below the baseline (reduce tickets by 40%) too.
    """
    if None in (baseline, target, current, start, due):
        return None
    assert baseline is not None and target is not None and current is not None
    assert start is not None and due is not None
    if target == baseline or due <= start:
        return None
    progress = max(0.0, min(1.0, (current - baseline) / (target - baseline)))
    elapsed = max(0.0, min(1.0, (as_of - start).days / (due - start).days))
    return progress, elapsed


def _plan(inputs: AccountInputs, as_of: date, cfg: HealthConfig) -> tuple:
    ratios = []
    for o in inputs.objectives:
        if o.status != "active":
            continue
        measured = objective_progress(
            o.baseline, o.target, o.current, o.start_date, o.due_date, as_of
        )
        if measured is None:
            continue
        progress, elapsed = measured
        ratios.append(1.0 if elapsed == 0 else min(1.0, progress / elapsed))
    due = [a for a in inputs.actions if a.due_date is not None and a.due_date <= as_of]
    parts = []
    figures: dict[str, object] = {}
    notes = []
    if ratios:
        obj = sum(ratios) / len(ratios) * 100.0
        parts.append(obj)
        figures["objectives_on_pace_pct"] = round(obj, 1)
        figures["objectives"] = len(ratios)
        noun = "objective" if len(ratios) == 1 else "objectives"
        notes.append(f"{len(ratios)} {noun} {obj:.0f}% on pace (progress vs time elapsed)")
    if due:
        done = sum(1 for a in due if a.done)
        share = done / len(due) * 100.0
        parts.append(share)
        figures["actions_due"] = len(due)
        figures["actions_done"] = done
        notes.append(f"{done} of {len(due)} actions due are done")
    if not parts:
        return None, {}, "no measurable objectives and no actions due"
    return sum(parts) / len(parts), figures, "; ".join(notes)


_RULES = {
    "engagement": _engagement,
    "nps": _nps,
    "support": _support,
    "adoption": _adoption,
    "stakeholders": _stakeholders,
    "plan": _plan,
}


def score_health(
    inputs: AccountInputs, as_of: date, config: HealthConfig = DEFAULT_HEALTH_CONFIG
) -> HealthScore:
    """Health 0–100 with its band and every component's inputs, as of a date."""
    measured = {name: _RULES[name](inputs, as_of, config) for name in COMPONENTS}
    present = [n for n in COMPONENTS if measured[n][0] is not None]
    total = sum(config.weights.of(n) for n in present)
    components = []
    acc = 0.0
    for name in COMPONENTS:
        points, figures, note = measured[name]
        weight = config.weights.of(name)
        if points is None or total <= 0:
            components.append(HealthComponent(name, None, weight, 0.0, figures, note))
            continue
        eff = weight / total * 100.0
        acc += points * eff / 100.0
        components.append(
            HealthComponent(name, round(points, 2), weight, round(eff, 2), figures, note)
        )
    if not present or total <= 0:
        return HealthScore(None, None, tuple(components))
    score = round(acc, 1)
    return HealthScore(score, config.bands.band(score), tuple(components))
