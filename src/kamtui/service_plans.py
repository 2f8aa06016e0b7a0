"""Workbench reads for the Stakeholders, Plan and QBR tabs: the account's people, its joint
plan (objectives with progress, and their actions) and its QBRs. Read-only for now; editing
them is a later issue. Mixed into :class:`kamtui.service.Workbench`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from kamtui.store.repository import parse_day

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.engine import Connection


@dataclass(frozen=True)
class StakeholderView:
    name: str
    title: str | None
    role: str | None
    influence: int | None  # 1–5
    attitude: int | None  # −2..+2
    last_contact: date | None
    reports_to: str | None


@dataclass(frozen=True)
class ActionView:
    text: str
    owner: str | None
    side: str
    due: date | None
    done: bool
    done_on: date | None


@dataclass(frozen=True)
class ObjectiveView:
    text: str
    metric: str | None
    baseline: float | None
    target: float | None
    current: float | None
    unit: str | None
    due: date | None
    owner: str | None
    status: str
    actions: list[ActionView] = field(default_factory=list)

    @property
    def progress(self) -> float | None:
        """Share of the way from baseline to target (0–1, may pass 1); None when unknown."""
        if self.target is None or self.current is None:
            return None
        start = self.baseline or 0.0
        if self.target == start:
            return 1.0 if self.current == self.target else 0.0
        return (self.current - start) / (self.target - start)


@dataclass(frozen=True)
class QbrView:
    day: date
    start_time: str | None
    minutes: int
    held: bool
    summary_sent: bool
    next_day: date | None
    agenda_items: int
    commitments: int


class PlansMixin:
    if TYPE_CHECKING:
        engine: Engine

    @staticmethod
    def _rows(conn: Connection, sql: str, params: tuple[Any, ...]) -> list[dict[str, Any]]:
        result = conn.exec_driver_sql(sql, params)
        names = list(result.keys())
        return [dict(zip(names, row, strict=True)) for row in result]

    def stakeholders(self, account_id: int) -> list[StakeholderView]:
        """The account's people, most influential first."""
        with self.engine.connect() as conn:
            rows = self._rows(
                conn,
                "SELECT s.name, s.title, s.role, s.influence, s.attitude, s.last_contact, "
                "b.name AS reports_to FROM stakeholder s "
                "LEFT JOIN stakeholder b ON b.id = s.reports_to_id "
                "WHERE s.account_id = ? "
                "ORDER BY s.influence IS NULL, s.influence DESC, s.name COLLATE NOCASE",
                (account_id,),
            )
        return [
            StakeholderView(
                name=r["name"],
                title=r["title"],
                role=r["role"],
                influence=r["influence"],
                attitude=r["attitude"],
                last_contact=parse_day(r["last_contact"]),
                reports_to=r["reports_to"],
            )
            for r in rows
        ]

    def plan(self, account_id: int) -> list[ObjectiveView]:
        """The account's objectives (active first, soonest due first) with their actions;
        actions tied to no objective come last under an objective named 'Other actions'."""
        with self.engine.connect() as conn:
            objectives = self._rows(
                conn,
                "SELECT * FROM objective WHERE account_id = ? "
                "ORDER BY status != 'active', due_date IS NULL, due_date, id",
                (account_id,),
            )
            actions = self._rows(
                conn,
                "SELECT * FROM plan_action WHERE account_id = ? "
                "ORDER BY done, due_date IS NULL, due_date, id",
                (account_id,),
            )
        by_objective: dict[int | None, list[ActionView]] = {}
        for a in actions:
            by_objective.setdefault(a["objective_id"], []).append(
                ActionView(
                    text=a["text"],
                    owner=a["owner_name"],
                    side=a["owner_side"],
                    due=parse_day(a["due_date"]),
                    done=bool(a["done"]),
                    done_on=parse_day(a["done_on"]),
                )
            )
        views = [
            ObjectiveView(
                text=o["text"],
                metric=o["metric"],
                baseline=o["baseline"],
                target=o["target"],
                current=o["current"],
                unit=o["unit"],
                due=parse_day(o["due_date"]),
                owner=o["owner_name"],
                status=o["status"],
                actions=by_objective.pop(o["id"], []),
            )
            for o in objectives
        ]
        loose = [a for group in by_objective.values() for a in group]
        if loose:
            views.append(
                ObjectiveView(
                    "Other actions", None, None, None, None, None, None, None, "active", loose
                )
            )
        return views

    def qbrs(self, account_id: int) -> list[QbrView]:
        """The account's QBRs, newest first, with how much of each is prepared."""
        with self.engine.connect() as conn:
            rows = self._rows(
                conn,
                "SELECT q.*, "
                "(SELECT COUNT(*) FROM agenda_item i WHERE i.qbr_id = q.id) AS items, "
                "(SELECT COUNT(*) FROM commitment c WHERE c.qbr_id = q.id) AS commitments "
                "FROM qbr q WHERE q.account_id = ? ORDER BY q.day DESC, q.id DESC",
                (account_id,),
            )
        return [
            QbrView(
                day=parse_day(r["day"]) or date.min,
                start_time=r["start_time"],
                minutes=int(r["length_minutes"] or 0),
                held=bool(r["held"]),
                summary_sent=r["summary_sent_at"] is not None,
                next_day=parse_day(r["next_qbr_date"]),
                agenda_items=int(r["items"]),
                commitments=int(r["commitments"]),
            )
            for r in rows
        ]
