"""Workbench methods for the records the TUI edits: alert status, KPI series, activities, KPI
readings, and restorable deletes. Mixed into :class:`kamtui.service.Workbench`, so callers
see one service; every write goes through ``self.unit_of_work`` and touches its account.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from kamtui.domain.models import ActivityKind
from kamtui.errors import NotFoundError, ValidationError

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from sqlalchemy import Engine
    from sqlalchemy.engine import Connection

SEVERITIES = ("critical", "high", "normal")
KPI_LABELS = {
    "revenue": "Revenue",
    "nps": "NPS",
    "revenue_growth": "Revenue growth %",
    "gross_margin_pct": "Gross margin %",
    "retention_rate": "Retention %",
    "support_resolution_hours": "Support hours",
    "logins": "Logins",
    "usage": "Usage",
    "feature_adoption": "Adoption %",
    "clv": "CLV",
}
# the account's own tables are found by their account_id column; these hang off a QBR
QBR_CHILD_KEY = "qbr_id"


@dataclass(frozen=True)
class KpiSeries:
    """One KPI's history over the chosen periods, with what the overview needs to judge it."""

    metric: str
    label: str
    periods: list[str]
    values: list[float | None]
    latest: float | None
    latest_period: str | None
    trend: str | None  # "up", "down", "flat", or None with fewer than two readings
    target: str  # the healthy level, e.g. "> 50"; "" when the metric has none
    healthy: bool | None
    mark: str | None  # "green", "amber", "red", or None without a healthy level
    source: str = "readings"  # "readings" or "transactions"


@dataclass
class AccountDump:
    """Everything a delete removed, to put it back with the same ids (``restore_account``)."""

    account_id: int
    name: str
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    children: list[int] = field(default_factory=list)  # accounts whose parent it was


def _trend(values: list[float | None]) -> str | None:
    known = [v for v in values if v is not None]
    if len(known) < 2:
        return None
    last, before = known[-1], known[-2]
    scale = max(abs(before), abs(last), 1e-9)
    if abs(last - before) / scale < 0.02:
        return "flat"
    return "up" if last > before else "down"


def kpi_mark(healthy: bool | None, trend: str | None, lower_is_better: bool = False) -> str | None:
    """Green when healthy; amber when not yet but moving the right way; red otherwise."""
    if healthy is None:
        return None
    if healthy:
        return "green"
    improving = trend == ("down" if lower_is_better else "up")
    return "amber" if improving else "red"


class RecordsMixin:
    """Methods that need ``engine``, ``unit_of_work`` and ``_as_of`` from the Workbench."""

    engine: Engine

    if TYPE_CHECKING:

        def unit_of_work(self, reason: str) -> AbstractContextManager[Any]: ...
        def _as_of(self, conn: Connection) -> date: ...
        def as_of(self) -> date: ...

    # ----------------------------------------------------------------- alerts
    def _alert_account(self, conn: Connection, alert_id: int) -> int:
        row = conn.exec_driver_sql("SELECT account_id FROM alert WHERE id = ?", (alert_id,)).first()
        if row is None:
            raise NotFoundError(f"no alert with id {alert_id}")
        return int(row[0])

    def acknowledge_alert(self, alert_id: int) -> Any:
        """Mark an alert as seen and handled; it leaves the open list and the alert count."""
        from kamtui.service import Change

        with self.unit_of_work("alert") as uow:
            account_id = self._alert_account(uow.conn, alert_id)
            uow.conn.exec_driver_sql(
                "UPDATE alert SET status = 'acknowledged', snoozed_until = NULL WHERE id = ?",
                (alert_id,),
            )
            uow.touch(account_id)
        return Change({account_id}, uow.result)

    def snooze_alert(self, alert_id: int, until: date) -> Any:
        """Hide an alert until ``until`` (after the as-of date); it comes back then."""
        from kamtui.service import Change

        if not isinstance(until, date):
            raise ValidationError("snooze needs a date", field="until")
        with self.unit_of_work("alert") as uow:
            if until <= self._as_of(uow.conn):
                raise ValidationError("snooze until a day after the as-of date", field="until")
            account_id = self._alert_account(uow.conn, alert_id)
            uow.conn.exec_driver_sql(
                "UPDATE alert SET status = 'snoozed', snoozed_until = ? WHERE id = ?",
                (until.isoformat(), alert_id),
            )
            uow.touch(account_id)
        return Change({account_id}, uow.result)

    # ----------------------------------------------------------------- KPI series
    def kpi_series(
        self, account_id: int, grain: str = "month", periods: int | None = None
    ) -> list[KpiSeries]:
        """Each KPI of the account over the last ``periods`` complete months (12) or quarters
        (8), oldest first, from its KPI readings; monthly readings add up (revenue, logins,
        usage) or average into quarters. Revenue comes from transactions when no reading
        gives it."""
        from kamtui.domain import kpi

        if grain not in ("month", "quarter"):
            raise ValidationError("grain is 'month' or 'quarter'", field="grain")
        count = periods or (12 if grain == "month" else 8)
        with self.engine.connect() as conn:
            as_of = self._as_of(conn)
            readings = conn.exec_driver_sql(
                "SELECT period, metric, value FROM kpi_reading WHERE account_id = ?",
                (account_id,),
            ).all()
            # complete periods only: a month that has just begun is not a drop in revenue
            wanted = list(
                kpi.last_periods(as_of, grain, count, complete_only=True)  # type: ignore[arg-type]
            )
            start, _ = kpi.period_bounds(wanted[0])
            money = conn.exec_driver_sql(
                "SELECT day, amount FROM transaction_line WHERE account_id = ? "
                "AND day >= ? AND day <= ?",
                (account_id, start.isoformat(), as_of.isoformat()),
            ).all()
        direct: dict[str, dict[str, float]] = {}
        months: dict[str, dict[str, list[float]]] = {}
        for period, metric, value in readings:
            if kpi.granularity_of(period) == grain:
                direct.setdefault(metric, {})[period.upper()] = float(value)
            elif grain == "quarter":
                months.setdefault(metric, {}).setdefault(kpi.quarter_of_month(period), []).append(
                    float(value)
                )
        for metric, by_quarter in months.items():
            for quarter, values in by_quarter.items():
                combined = sum(values) if metric in kpi.SUM_METRICS else sum(values) / len(values)
                direct.setdefault(metric, {}).setdefault(quarter, combined)
        series = []
        sources = {m: "readings" for m in direct}
        if kpi.REVENUE not in direct and money:
            revenue: dict[str, float] = {}
            for day, amount in money:
                key = kpi.period_of(date.fromisoformat(str(day)[:10]), grain)  # type: ignore[arg-type]
                revenue[key] = revenue.get(key, 0.0) + float(amount)
            direct[kpi.REVENUE] = revenue
            sources[kpi.REVENUE] = "transactions"
        order = list(KPI_LABELS)
        for metric in sorted(direct, key=lambda m: (order.index(m) if m in order else 99, m)):
            by_period = direct[metric]
            if metric == kpi.REVENUE and sources[metric] == "transactions":
                values: list[float | None] = [by_period.get(p, 0.0) for p in wanted]
            else:
                values = [by_period.get(p) for p in wanted]
            if all(v is None for v in values):
                continue
            latest_index = max(i for i, v in enumerate(values) if v is not None)
            latest = values[latest_index]
            trend = _trend(values)
            healthy = kpi.is_healthy(metric, latest)
            series.append(
                KpiSeries(
                    metric=metric,
                    label=KPI_LABELS.get(metric, metric.replace("_", " ").capitalize()),
                    periods=wanted,
                    values=values,
                    latest=latest,
                    latest_period=wanted[latest_index],
                    trend=trend,
                    target=kpi.healthy_text(metric),
                    healthy=healthy,
                    mark=kpi_mark(healthy, trend, metric == kpi.SUPPORT_HOURS),
                    source=sources[metric],
                )
            )
        return series

    def portfolio_series(self, grain: str = "month", periods: int | None = None) -> dict[str, Any]:
        """Portfolio revenue, buying accounts and revenue per buying account per period
        (oldest first) over the last 12 complete months or 8 complete quarters: ``{"periods": [...],
        "revenue": [...], "buyers": [...], "arpa": [...]}``."""
        from kamtui.domain import kpi

        if grain not in ("month", "quarter"):
            raise ValidationError("grain is 'month' or 'quarter'", field="grain")
        count = periods or (12 if grain == "month" else 8)
        with self.engine.connect() as conn:
            as_of = self._as_of(conn)
            wanted = list(
                kpi.last_periods(as_of, grain, count, complete_only=True)  # type: ignore[arg-type]
            )
            start, _ = kpi.period_bounds(wanted[0])
            rows = conn.exec_driver_sql(
                "SELECT substr(day, 1, 7) AS month, account_id, SUM(amount) "
                "FROM transaction_line WHERE day >= ? AND day <= ? GROUP BY month, account_id",
                (start.isoformat(), as_of.isoformat()),
            ).all()
        revenue = dict.fromkeys(wanted, 0.0)
        buyers: dict[str, set[int]] = {p: set() for p in wanted}
        for month, account_id, amount in rows:
            key = month if grain == "month" else kpi.quarter_of_month(month)
            if key in revenue:
                revenue[key] += float(amount)
                if amount > 0:
                    buyers[key].add(account_id)
        return {
            "periods": wanted,
            "revenue": [revenue[p] for p in wanted],
            "buyers": [len(buyers[p]) for p in wanted],
            "arpa": [revenue[p] / len(buyers[p]) if buyers[p] else 0.0 for p in wanted],
        }

    # ----------------------------------------------------------------- activities, KPIs
    def add_activity(
        self,
        account_id: int,
        day: date,
        kind: str,
        *,
        value: float | None = None,
        severity: str | None = None,
        is_open: bool = False,
        notes: str | None = None,
    ) -> Any:
        """Record an engagement (meeting, call, login, survey answer 0–10, ticket, ...)."""
        from kamtui.service import Change
        from kamtui.store.tables import AccountRow, ActivityRow

        kind = (kind or "").strip().lower()
        if not kind:
            raise ValidationError("an activity needs a kind", field="kind")
        if kind not in set(ActivityKind):
            known = ", ".join(k.value for k in ActivityKind)
            raise ValidationError(f"an activity kind is one of {known}", field="kind")
        if not isinstance(day, date):
            raise ValidationError("an activity needs a date", field="day")
        if value is not None and (not isinstance(value, int | float) or math.isnan(value)):
            raise ValidationError("the value must be a number", field="value")
        if kind == "survey_response" and (value is None or not 0 <= value <= 10):
            raise ValidationError("a survey answer (NPS) is a number from 0 to 10", field="value")
        if severity is not None and severity not in SEVERITIES:
            raise ValidationError(f"severity is one of {', '.join(SEVERITIES)}", field="severity")
        with self.unit_of_work("edit") as uow:
            if uow.session.get(AccountRow, account_id) is None:
                raise NotFoundError(f"no account with id {account_id}")
            row = ActivityRow(
                account_id=account_id,
                day=day,
                kind=kind,
                value=value,
                severity=severity,
                is_open=is_open,
                notes=notes or None,
            )
            uow.session.add(row)
            uow.session.flush()
            uow.touch(account_id)
        return Change({account_id}, uow.result, created_id=row.id)

    def add_kpi_reading(self, account_id: int, period: str, metric: str, value: float) -> Any:
        """Record (or replace) one KPI reading for a month "YYYY-MM" or quarter "YYYY-Qn"."""
        from kamtui.domain import kpi
        from kamtui.service import Change
        from kamtui.store.tables import AccountRow

        period = (period or "").strip().upper()
        try:
            kpi.period_bounds(period)
        except ValueError:
            raise ValidationError(
                "a period is a month (2024-03) or a quarter (2024-Q1)", field="period"
            ) from None
        metric = (metric or "").strip().lower().replace(" ", "_")
        if not metric:
            raise ValidationError("a KPI reading needs a metric", field="metric")
        if not isinstance(value, int | float) or math.isnan(value) or math.isinf(value):
            raise ValidationError("the value must be a number", field="value")
        if metric == kpi.NPS and not -100 <= value <= 100:
            raise ValidationError("NPS runs from -100 to 100", field="value")
        with self.unit_of_work("edit") as uow:
            if uow.session.get(AccountRow, account_id) is None:
                raise NotFoundError(f"no account with id {account_id}")
            uow.conn.exec_driver_sql(
                "INSERT INTO kpi_reading (account_id, period, metric, value) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(account_id, period, metric) DO UPDATE SET value = excluded.value",
                (account_id, period, metric, float(value)),
            )
            uow.touch(account_id)
        return Change({account_id}, uow.result)

    # ----------------------------------------------------------------- delete and restore
    def _dump_account(self, conn: Connection, account_id: int) -> AccountDump:
        """Read every row that deleting the account removes (cascades included)."""
        from sqlmodel import SQLModel

        import kamtui.store.tables  # noqa: F401 - registers the tables

        def rows(sql: str, params: tuple[Any, ...]) -> list[dict[str, Any]]:
            result = conn.exec_driver_sql(sql, params)
            names = list(result.keys())
            return [dict(zip(names, row, strict=True)) for row in result]

        account = rows("SELECT * FROM account WHERE id = ?", (account_id,))
        if not account:
            raise NotFoundError(f"no account with id {account_id}")
        dump = AccountDump(account_id, account[0]["name"], {"account": account})
        qbr_ids: list[int] = []
        for table in SQLModel.metadata.sorted_tables:
            if table.name == "account":
                continue
            columns = set(table.columns.keys())
            if "account_id" in columns:
                found = rows(f"SELECT * FROM {table.name} WHERE account_id = ?", (account_id,))
                if table.name == "qbr":
                    qbr_ids = [r["id"] for r in found]
            elif QBR_CHILD_KEY in columns and qbr_ids:
                marks = ",".join("?" * len(qbr_ids))
                found = rows(
                    f"SELECT * FROM {table.name} WHERE {QBR_CHILD_KEY} IN ({marks})",
                    tuple(qbr_ids),
                )
            else:
                continue
            if found:
                dump.tables[table.name] = found
        dump.children = [
            r[0]
            for r in conn.exec_driver_sql(
                "SELECT id FROM account WHERE parent_id = ?", (account_id,)
            )
        ]
        return dump

    def restore_account(self, dump: AccountDump) -> Any:
        """Put a deleted account back with the same ids and every child row (undo)."""
        from sqlmodel import SQLModel

        from kamtui.service import Change

        with self.unit_of_work("restore") as uow:
            conn = uow.conn
            if conn.exec_driver_sql(
                "SELECT 1 FROM account WHERE id = ?", (dump.account_id,)
            ).first():
                raise ValidationError(f"{dump.name!r} is already there", field="name")
            key = dump.tables["account"][0].get("name_key")
            if conn.exec_driver_sql("SELECT 1 FROM account WHERE name_key = ?", (key,)).first():
                raise ValidationError(
                    f"another account is now named {dump.name!r}; rename it first", field="name"
                )
            conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
            order = [t.name for t in SQLModel.metadata.sorted_tables]
            for name in sorted(dump.tables, key=lambda n: order.index(n) if n in order else 99):
                table_rows = dump.tables[name]
                columns = list(table_rows[0])
                sql = (
                    f"INSERT INTO {name} ({', '.join(columns)}) "
                    f"VALUES ({', '.join('?' * len(columns))})"
                )
                for row in table_rows:
                    conn.exec_driver_sql(sql, tuple(row[c] for c in columns))
            for child in dump.children:
                conn.exec_driver_sql(
                    "UPDATE account SET parent_id = ? WHERE id = ?", (dump.account_id, child)
                )
            uow.touch(dump.account_id)
        return Change({dump.account_id}, uow.result)
