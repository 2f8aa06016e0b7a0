"""Everything the scores of one account need, as plain domain values.

The service (``recalc.py``) fills these from the database — one query per table, grouped by
account — and hands them to the pure scoring functions. Nothing here knows about SQL.

Field names follow ``store/tables.py`` so that a loader can copy row attributes across.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from kamtui.domain.models import Money


@dataclass(frozen=True, slots=True)
class AccountFacts:
    """The account record itself (one ``account`` row)."""

    id: int
    name: str
    status: str = "active"  # active / churned / prospect
    acv: float | None = None
    gross_margin_pct: float | None = None  # 0–100; wins over cost_to_serve when both are set
    cost_to_serve: float | None = None  # direct annual cost, same currency as acv
    rating_strategic_fit: int | None = None  # 1–5, None = not rated
    rating_growth: int | None = None
    rating_partnership: int | None = None
    annual_budget: float | None = None
    capacity_limit: float | None = None
    current_usage: float | None = None
    renewal_date: date | None = None
    contract_start: date | None = None
    products: tuple[str, ...] = ()

    @staticmethod
    def split_products(text: str | None) -> tuple[str, ...]:
        """Turn the table's comma-separated ``products`` text into a tuple of names."""
        if not text:
            return ()
        seen: dict[str, str] = {}
        for part in text.split(","):
            name = part.strip()
            if name and name.casefold() not in seen:
                seen[name.casefold()] = name
        return tuple(seen.values())


@dataclass(frozen=True, slots=True)
class ActivityFact:
    """One engagement record.

    ``value`` by kind: login → count (None counts as 1); survey_response → the 0–10 answer;
    support_ticket → hours to resolve (None while open); meeting/email/call → count or hours.
    """

    id: int
    day: date
    kind: str
    value: float | None = None
    severity: str | None = None  # support tickets: critical / high / normal
    is_open: bool = False
    stakeholder_id: int | None = None


@dataclass(frozen=True, slots=True)
class KpiFact:
    """One KPI reading: period "YYYY-MM" (month) or "YYYY-Qn" (quarter)."""

    period: str
    metric: str
    value: float


@dataclass(frozen=True, slots=True)
class StakeholderFact:
    id: int
    name: str
    role: str | None = None  # see models.StakeholderRole
    influence: int | None = None  # 1–5
    attitude: int | None = None  # −2..+2
    last_contact: date | None = None


@dataclass(frozen=True, slots=True)
class ObjectiveFact:
    id: int
    text: str
    metric: str | None = None
    baseline: float | None = None
    target: float | None = None
    current: float | None = None
    start_date: date | None = None
    due_date: date | None = None
    status: str = "active"  # active / done / dropped


@dataclass(frozen=True, slots=True)
class ActionFact:
    id: int
    text: str
    due_date: date | None = None
    done: bool = False
    owner_name: str | None = None


@dataclass(frozen=True, slots=True)
class QbrFact:
    id: int
    day: date
    held: bool = False
    start_time: str | None = None  # "14:00"
    length_minutes: int = 60
    summary_sent_at: datetime | None = None
    next_qbr_date: date | None = None


@dataclass(frozen=True, slots=True)
class AccountInputs:
    """One account and every record its scores read."""

    facts: AccountFacts
    transactions: tuple[Money, ...] = ()
    activities: tuple[ActivityFact, ...] = ()
    kpis: tuple[KpiFact, ...] = ()
    stakeholders: tuple[StakeholderFact, ...] = ()
    objectives: tuple[ObjectiveFact, ...] = ()
    actions: tuple[ActionFact, ...] = ()
    qbrs: tuple[QbrFact, ...] = field(default_factory=tuple)

    @property
    def account_id(self) -> int:
        return self.facts.id

    def readings(self, metric: str) -> tuple[KpiFact, ...]:
        return tuple(k for k in self.kpis if k.metric == metric)


def net_revenue(lines: Iterable[Money], after: date, until: date) -> float:
    """Net amount of the lines dated after ``after`` and up to ``until`` (returns included)."""
    return round(sum(m.amount for m in lines if after < m.day <= until), 2)
