"""SQLModel tables, one per entity of SPEC §2. Class names end in ``Row``.

Dates are stored as ISO text (SQLite's natural ordering), money as REAL in the account's
currency. Every change to this file needs an Alembic revision in ``store/migrations/versions``.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, ForeignKey, Index, Integer, UniqueConstraint
from sqlmodel import Field, SQLModel


def _fk(target: str, *, nullable: bool = True, ondelete: str = "CASCADE") -> Column:
    return Column(Integer, ForeignKey(target, ondelete=ondelete), nullable=nullable, index=True)


class AccountRow(SQLModel, table=True):
    __tablename__ = "account"

    id: int | None = Field(default=None, primary_key=True)
    name: str
    name_key: str = Field(unique=True)  # casefolded name: names are unique, case-insensitive
    external_id: str | None = Field(default=None, unique=True)
    industry: str | None = None
    region: str | None = None
    country: str | None = None
    owner: str | None = None
    products: str | None = None  # comma-separated product names held
    acv: float | None = None
    currency: str = "USD"
    annual_budget: float | None = None
    capacity_limit: float | None = None
    current_usage: float | None = None
    renewal_date: date | None = None
    contract_start: date | None = None
    cost_to_serve: float | None = None
    gross_margin_pct: float | None = None
    rating_strategic_fit: int | None = None
    rating_growth: int | None = None
    rating_partnership: int | None = None
    status: str = "active"
    employees: int | None = None
    company_revenue: float | None = None  # the client's own annual revenue
    year_established: int | None = None
    parent_id: int | None = Field(default=None, sa_column=_fk("account.id", ondelete="SET NULL"))
    notes: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


class TransactionRow(SQLModel, table=True):
    __tablename__ = "transaction_line"
    __table_args__ = (Index("ix_transaction_account_day", "account_id", "day"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(sa_column=_fk("account.id", nullable=False))
    day: date
    amount: float
    product: str | None = None
    quantity: float | None = None
    source: str = "manual"  # billing / crm-won / manual / import
    external_id: str | None = None
    dedupe_key: str | None = Field(default=None, unique=True)


class OpportunityRow(SQLModel, table=True):
    __tablename__ = "opportunity"

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(sa_column=_fk("account.id", nullable=False))
    external_id: str | None = Field(default=None, unique=True)
    name: str | None = None
    product: str | None = None
    stage: str = "open"  # open / won / lost
    stage_label: str | None = None  # the CRM's own label
    amount: float | None = None
    engage_date: date | None = None
    close_date: date | None = None
    owner: str | None = None


class StakeholderRow(SQLModel, table=True):
    __tablename__ = "stakeholder"

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(sa_column=_fk("account.id", nullable=False))
    name: str
    title: str | None = None
    email: str | None = None
    phone: str | None = None
    role: str | None = None
    influence: int | None = None  # 1–5
    attitude: int | None = None  # −2..+2
    reports_to_id: int | None = Field(
        default=None, sa_column=_fk("stakeholder.id", ondelete="SET NULL")
    )
    last_contact: date | None = None
    external_id: str | None = None
    notes: str | None = None


class ActivityRow(SQLModel, table=True):
    __tablename__ = "activity"
    __table_args__ = (Index("ix_activity_account_day", "account_id", "day"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(sa_column=_fk("account.id", nullable=False))
    day: date
    kind: str
    value: float | None = None
    severity: str | None = None  # support tickets: critical / high / normal
    is_open: bool = False  # support tickets still open
    stakeholder_id: int | None = Field(
        default=None, sa_column=_fk("stakeholder.id", ondelete="SET NULL")
    )
    external_id: str | None = None
    notes: str | None = None


class KpiReadingRow(SQLModel, table=True):
    __tablename__ = "kpi_reading"
    __table_args__ = (UniqueConstraint("account_id", "period", "metric"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(sa_column=_fk("account.id", nullable=False))
    period: str  # "2024-03" (month) or "2024-Q1" (quarter)
    metric: str
    value: float


class PlanPriorityRow(SQLModel, table=True):
    __tablename__ = "plan_priority"

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(sa_column=_fk("account.id", nullable=False))
    title: str
    position: int = 0


class ObjectiveRow(SQLModel, table=True):
    __tablename__ = "objective"

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(sa_column=_fk("account.id", nullable=False))
    priority_id: int | None = Field(
        default=None, sa_column=_fk("plan_priority.id", ondelete="SET NULL")
    )
    text: str
    metric: str | None = None
    baseline: float | None = None
    target: float | None = None
    current: float | None = None
    unit: str | None = None
    start_date: date | None = None
    due_date: date | None = None
    owner_side: str = "joint"
    owner_name: str | None = None
    status: str = "active"  # active / done / dropped


class ActionRow(SQLModel, table=True):
    __tablename__ = "plan_action"

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(sa_column=_fk("account.id", nullable=False))
    objective_id: int | None = Field(
        default=None, sa_column=_fk("objective.id", ondelete="SET NULL")
    )
    text: str
    owner_name: str | None = None
    owner_side: str = "us"
    due_date: date | None = None
    done: bool = False
    done_on: date | None = None


class QbrRow(SQLModel, table=True):
    __tablename__ = "qbr"

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(sa_column=_fk("account.id", nullable=False))
    day: date
    start_time: str | None = None  # "14:00"
    length_minutes: int = 60
    held: bool = False
    summary_sent_at: datetime | None = None
    next_qbr_date: date | None = None
    notes: str | None = None


class AgendaItemRow(SQLModel, table=True):
    __tablename__ = "agenda_item"

    id: int | None = Field(default=None, primary_key=True)
    qbr_id: int = Field(sa_column=_fk("qbr.id", nullable=False))
    section: str  # review / initiatives / opportunities / next_steps
    title: str
    minutes: int = 0
    source: str = "manual"  # kpi / plan / alert / opportunity / manual
    position: int = 0


class CommitmentRow(SQLModel, table=True):
    __tablename__ = "commitment"

    id: int | None = Field(default=None, primary_key=True)
    qbr_id: int = Field(sa_column=_fk("qbr.id", nullable=False))
    text: str
    owner: str | None = None
    deadline: date | None = None
    done: bool = False


class ScoreRow(SQLModel, table=True):
    """The current scores of one account (what the account list reads)."""

    __tablename__ = "score"

    account_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("account.id", ondelete="CASCADE"), primary_key=True),
    )
    as_of: date
    recency_days: int | None = None
    frequency: int = 0
    monetary: float = 0.0
    r: int = 1
    f: int = 1
    m: int = 1
    rfm: int = 3
    tier: int = 3
    last_purchase: date | None = None
    value_score: float | None = None
    health_score: float | None = None
    health_band: str | None = None
    priority: float | None = None
    alert_count: int = 0
    revenue_12m: float | None = None
    breakdown: str | None = None  # JSON: every score's criteria
    computed_at: datetime | None = None


class ScoreSnapshotRow(SQLModel, table=True):
    """A row of score history: written whenever an account's scores change."""

    __tablename__ = "score_snapshot"
    __table_args__ = (Index("ix_snapshot_account_taken", "account_id", "taken_at"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(
        sa_column=Column(Integer, ForeignKey("account.id", ondelete="CASCADE"), nullable=False)
    )
    as_of: date
    taken_at: datetime
    recency_days: int | None = None
    frequency: int = 0
    monetary: float = 0.0
    r: int = 1
    f: int = 1
    m: int = 1
    rfm: int = 3
    tier: int = 3
    value_score: float | None = None
    health_score: float | None = None
    health_band: str | None = None
    priority: float | None = None
    alert_count: int = 0
    reason: str | None = None  # what triggered it: import / edit / settings / as-of


class AlertRow(SQLModel, table=True):
    __tablename__ = "alert"
    __table_args__ = (UniqueConstraint("account_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(sa_column=_fk("account.id", nullable=False))
    key: str  # rule plus subject, stable across recalculations
    rule: str
    severity: str = "warning"  # info / warning / critical
    message: str
    figures: str | None = None  # JSON
    next_step: str | None = None
    status: str = "open"  # open / acknowledged / snoozed / resolved
    snoozed_until: date | None = None
    first_seen: datetime | None = None
    last_seen: datetime | None = None


class SettingRow(SQLModel, table=True):
    """Per-workspace settings (as-of date, overrides of the user's settings.toml)."""

    __tablename__ = "setting"

    key: str = Field(primary_key=True)
    value: str  # JSON
