"""The workbench service: the one door for reads and writes, for the CLI and the TUI alike.

Every write runs in one unit of work (one ``BEGIN IMMEDIATE`` transaction): it persists the
change, recalculates the scores of the accounts it touched, stores a snapshot for each account
whose scores moved, commits, and returns what changed.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, select

from kamtui.domain.models import AccountStatus, check_amount, check_day
from kamtui.domain.portfolio import PortfolioKpis, portfolio_kpis
from kamtui.errors import (
    KamtuiError,
    NotFoundError,
    ServiceError,
    SettingsError,
    StorageError,
    ValidationError,
    WorkspaceBusyError,
)
from kamtui.paths import resolve_db_url
from kamtui.recalc import RecalcResult, load_inputs, recalc, score_one
from kamtui.service_plans import PlansMixin
from kamtui.service_records import RecordsMixin
from kamtui.settings import (
    EffectiveSettings,
    Settings,
    effective_settings,
    flatten,
    load_settings,
    setting_keys,
)
from kamtui.store import repository as repo
from kamtui.store.db import BUSY_TIMEOUT_MS, open_workspace, writer
from kamtui.store.tables import AccountRow, ScoreRow, ScoreSnapshotRow, TransactionRow

_AMOUNT_FIELDS = {
    "acv", "annual_budget", "capacity_limit", "current_usage", "cost_to_serve", "company_revenue",
}  # fmt: skip
_RATING_FIELDS = {"rating_strategic_fit", "rating_growth", "rating_partnership"}
_STATUSES = tuple(AccountStatus)

UNSCORED_SETTINGS = {"theme"}  # settings no score depends on
AS_OF_KEY = "as_of"
SCORED_WITH_KEY = "_scored_with"  # fingerprint of the settings of the last full rescore

if TYPE_CHECKING:
    from kamtui.interchange.importer import ImportReport

__all__ = ["NotFoundError", "ServiceError", "ValidationError", "Workbench"]


@dataclass(frozen=True)
class AccountSummary:
    """One row of the account list: the account's key facts and its current scores."""

    id: int
    name: str
    tier: int | None
    r: int | None
    f: int | None
    m: int | None
    rfm: int | None
    recency_days: int | None
    frequency: int | None
    monetary: float | None
    last_purchase: date | None
    acv: float | None
    value_score: float | None
    health_score: float | None
    health_band: str | None
    priority: float | None
    alert_count: int
    renewal_date: date | None
    region: str | None
    industry: str | None
    owner: str | None
    status: str
    revenue_12m: float | None


@dataclass(frozen=True)
class AlertView:
    """One stored alert as the faces show it."""

    id: int
    account_id: int
    account: str
    rule: str
    severity: str
    message: str
    figures: dict[str, Any]
    next_step: str
    status: str
    snoozed_until: date | None


@dataclass
class Change:
    """What a write did: the accounts it touched and what the recalculation found."""

    account_ids: set[int] = field(default_factory=set)
    recalc: RecalcResult = field(default_factory=RecalcResult)
    created_id: int | None = None
    restore: Any = None  # delete_account: an AccountDump that restore_account puts back


class UnitOfWork:
    """A write transaction: a session plus the accounts whose scores must be recalculated."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.touched: set[int] = set()
        self.rescore_all = False
        self.result = RecalcResult()

    @property
    def conn(self) -> Connection:
        return self.session.connection()

    def touch(self, account_id: int | None) -> None:
        if account_id is not None:
            self.touched.add(account_id)


_SUMMARY_SQL = """
SELECT a.id, a.name, s.tier, s.r, s.f, s.m, s.rfm, s.recency_days, s.frequency, s.monetary,
       s.last_purchase, a.acv, s.value_score, s.health_score, s.health_band, s.priority,
       COALESCE(s.alert_count, 0), a.renewal_date, a.region, a.industry, a.owner, a.status,
       s.revenue_12m
FROM account a LEFT JOIN score s ON s.account_id = a.id
"""


def _storage_error(exc: BaseException, url: str) -> KamtuiError | None:
    """A database error a user can cause (busy, read-only, full disk) as one readable line."""
    text = str(getattr(exc, "orig", None) or exc).lower()
    where = url.rsplit("/", 1)[-1].split("?", 1)[0] or url
    if "locked" in text or "busy" in text:
        return WorkspaceBusyError(
            f"the workspace {where} is busy: another kamtui kept it locked for "
            f"{BUSY_TIMEOUT_MS // 1000} s; nothing was changed, try again"
        )
    if "readonly" in text or "read-only" in text:
        return StorageError(f"the workspace {where} is read-only; nothing was changed")
    if "disk is full" in text or "database or disk is full" in text:
        return StorageError(f"the disk holding {where} is full; nothing was changed")
    return None


def _fingerprint(settings: Settings) -> str:
    """A short digest of every scoring setting (the as-of date excluded)."""
    import hashlib

    values = {k: v for k, v in flatten(settings).items() if k not in {"as_of", "theme"}}
    text = json.dumps(values, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _summary(row: Any) -> AccountSummary:
    values = list(row)
    values[10] = repo.parse_day(values[10])
    values[17] = repo.parse_day(values[17])
    return AccountSummary(*values)


class Workbench(RecordsMixin, PlansMixin):
    """The unit-of-work facade over one workspace database."""

    def __init__(self, engine: Engine, url: str, *, today: Callable[[], date] = date.today):
        self.engine = engine
        self.url = url
        self._writer = writer(engine)
        self._today = today
        self._watch: Any = None  # a kept DB-API connection for data_version()
        self._watch_lock = threading.Lock()

    # ----------------------------------------------------------------- lifecycle
    @classmethod
    def open(
        cls, db: str | None = None, *, create: bool = True, today: Callable[[], date] = date.today
    ) -> Workbench:
        """Open the workspace named by ``db`` (path or URL), ``KAMTUI_DB`` or the default."""
        url = resolve_db_url(db)
        return cls(open_workspace(url, create=create), url, today=today)

    def close(self) -> None:
        with self._watch_lock:
            if self._watch is not None:
                self._watch.close()
                self._watch = None
        self.engine.dispose()

    def data_version(self) -> int | None:
        """A number that changes when any connection (another kamtui, the CLI, an import in
        another shell, or this service) commits to the workspace; cheap enough to poll.

        SQLite's ``PRAGMA data_version`` on one connection kept open for the purpose; None
        for databases that have no such counter (the caller then never sees a change).
        """
        if self.engine.dialect.name != "sqlite":
            return None
        with self._watch_lock:
            try:
                if self._watch is None:
                    self._watch = self.engine.raw_connection()
                cursor = self._watch.cursor()
                try:
                    cursor.execute("PRAGMA data_version")
                    return int(cursor.fetchone()[0])
                finally:
                    cursor.close()
            except (sqlite3.Error, DBAPIError):
                if self._watch is not None:
                    self._watch.invalidate()
                    self._watch = None
                return None

    def __enter__(self) -> Workbench:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def unit_of_work(self, reason: str) -> Iterator[UnitOfWork]:
        """One write transaction that ends by rescoring what it touched."""
        with Session(self._writer, expire_on_commit=False) as session:
            uow = UnitOfWork(session)
            try:
                yield uow
                session.flush()
                uow.result = self._recalc(
                    uow.conn, None if uow.rescore_all else uow.touched, reason
                )
                session.commit()
            except (sqlite3.OperationalError, DBAPIError) as exc:
                session.rollback()
                friendly = _storage_error(exc, self.url)
                if friendly is None:
                    raise
                raise friendly from None
            except BaseException:
                session.rollback()
                raise

    def _recalc(self, conn: Connection, ids: set[int] | None, reason: str) -> RecalcResult:
        settings = self._settings(conn)
        as_of = settings.as_of or self._today()
        if ids is None:
            repo.set_setting(conn, SCORED_WITH_KEY, _fingerprint(settings))
        return recalc(conn, ids, as_of=as_of, reason=reason, config=settings.scoring())

    # ----------------------------------------------------------------- settings
    def _settings(self, conn: Connection) -> Settings:
        """Defaults, then the user's settings.toml, then this workspace's overrides."""
        return load_settings(repo.all_settings(conn))

    def settings(self) -> Settings:
        with self.engine.connect() as conn:
            return self._settings(conn)

    def effective_settings(self) -> EffectiveSettings:
        """The settings with the source of each value (``kamtui config show``)."""
        with self.engine.connect() as conn:
            return effective_settings(repo.all_settings(conn))

    def set_workspace_setting(self, key: str, value: Any) -> Change:
        """Override one setting in this workspace (None removes the override)."""
        return self.set_workspace_settings({key: value})

    def set_workspace_settings(self, changes: dict[str, Any]) -> Change:
        """Override several settings at once (so weights can move together and still sum to
        100); None removes an override. All or nothing; rescores everything unless only
        settings no score depends on (the theme) changed."""
        known = setting_keys()
        for key in changes:
            if key not in known:
                raise ValidationError(f"unknown setting {key!r}", field=key)
        with self.unit_of_work("settings") as uow:
            for key, value in changes.items():
                stored = value.isoformat() if isinstance(value, date) else value
                repo.set_setting(uow.conn, key, stored)
            try:
                self._settings(uow.conn)  # refuse (roll back) overrides that break a rule
            except SettingsError as exc:
                hint = ""
                if "weights must sum to 100" in str(exc) and len(changes) == 1:
                    hint = " (change several weights in one command: KEY VALUE KEY VALUE ...)"
                raise SettingsError(f"{exc}{hint}") from None
            uow.rescore_all = not set(changes) <= UNSCORED_SETTINGS
        return Change(recalc=uow.result)

    # ----------------------------------------------------------------- as-of date
    def _as_of(self, conn: Connection) -> date:
        return self._settings(conn).as_of or self._today()

    def as_of(self) -> date:
        """The date every score is computed as of: the pinned date, or today."""
        with self.engine.connect() as conn:
            return self._as_of(conn)

    def as_of_pinned(self) -> bool:
        return self.settings().as_of is not None

    def set_as_of(self, day: date | None) -> Change:
        """Pin the as-of date (None: follow today) and rescore every account."""
        if day is not None:
            try:
                check_day(day)
            except ValueError as exc:
                raise ValidationError(str(exc), field="as_of") from None
        with self.unit_of_work("as-of") as uow:
            repo.set_setting(uow.conn, AS_OF_KEY, day.isoformat() if day else None)
            uow.rescore_all = True
        return Change(recalc=uow.result)

    def scores_stale(self) -> bool:
        """True when stored scores are missing, or were computed for another as-of date or
        with other settings (the user's settings.toml may have changed in between)."""
        with self.engine.connect() as conn:
            settings = self._settings(conn)
            if repo.get_setting(conn, SCORED_WITH_KEY) != _fingerprint(settings):
                return True
            as_of = (settings.as_of or self._today()).isoformat()
            stale = conn.exec_driver_sql(
                "SELECT COUNT(*) FROM account a LEFT JOIN score s ON s.account_id = a.id "
                "WHERE s.account_id IS NULL OR s.as_of != ?",
                (as_of,),
            ).scalar_one()
        return bool(stale)

    def rescore_all(self, reason: str = "rescore") -> Change:
        with self.unit_of_work(reason) as uow:
            uow.rescore_all = True
        return Change(recalc=uow.result)

    def ensure_fresh_scores(self) -> Change | None:
        """Rescore everything when the stored scores are for another as-of date."""
        return self.rescore_all("as-of") if self.scores_stale() else None

    # ----------------------------------------------------------------- reads
    def account_count(self) -> int:
        with self.engine.connect() as conn:
            return conn.exec_driver_sql("SELECT COUNT(*) FROM account").scalar_one()

    def products_held(self, account_id: int) -> tuple[str, ...]:
        """The account's listed products plus those it bought in the trailing year."""
        from kamtui.domain.inputs import AccountFacts
        from kamtui.recalc import merge_products, purchased_products

        listed = AccountFacts.split_products(self.account(account_id).products)
        with self.engine.connect() as conn:
            bought = purchased_products(conn, [account_id], self._as_of(conn))
        return merge_products(listed, bought.get(account_id, []))

    def latest_transaction_day(self) -> date | None:
        """The date of the newest transaction line in the workspace (None: there is none)."""
        with self.engine.connect() as conn:
            day = conn.exec_driver_sql("SELECT MAX(day) FROM transaction_line").scalar_one()
        return repo.parse_day(day)

    def account_summaries(self) -> list[AccountSummary]:
        """Every account with its current scores, in default order (priority, tier, RFM)."""
        order = (
            " ORDER BY s.priority IS NULL, s.priority DESC, s.tier IS NULL, s.tier, "
            "s.rfm DESC, s.monetary DESC, a.name COLLATE NOCASE"
        )
        with self.engine.connect() as conn:
            return [_summary(row) for row in conn.exec_driver_sql(_SUMMARY_SQL + order)]

    def account_summary(self, account_id: int) -> AccountSummary:
        with self.engine.connect() as conn:
            row = conn.exec_driver_sql(_SUMMARY_SQL + " WHERE a.id = ?", (account_id,)).first()
        if row is None:
            raise NotFoundError(f"no account with id {account_id}")
        return _summary(row)

    def find_account(self, ref: str) -> int:
        """An account id from an id, an external id, a name (any case) or a unique prefix."""
        text = ref.strip()
        if not text:
            raise NotFoundError("no account named ''")
        with self.engine.connect() as conn:
            if text.isdigit():
                row = conn.exec_driver_sql("SELECT id FROM account WHERE id = ?", (int(text),))
                if (found := row.first()) is not None:
                    return found[0]
            for sql, arg in (
                ("SELECT id FROM account WHERE external_id = ?", text),
                ("SELECT id FROM account WHERE name_key = ?", text.casefold()),
            ):
                if (found := conn.exec_driver_sql(sql, (arg,)).first()) is not None:
                    return found[0]
            like = text.casefold().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            rows = conn.exec_driver_sql(
                "SELECT id, name FROM account WHERE name_key LIKE ? ESCAPE '\\' "
                "ORDER BY name_key LIMIT 6",
                (like + "%",),
            ).all()
        if len(rows) == 1:
            return rows[0][0]
        if not rows:
            raise NotFoundError(f"no account matches {ref!r}")
        names = ", ".join(r[1] for r in rows[:5])
        raise NotFoundError(f"{ref!r} matches several accounts ({names}…); be more specific")

    def account(self, account_id: int) -> AccountRow:
        with Session(self.engine, expire_on_commit=False) as session:
            row = session.get(AccountRow, account_id)
            if row is None:
                raise NotFoundError(f"no account with id {account_id}")
            session.expunge(row)
            return row

    def breakdown(self, account_id: int) -> dict[str, Any]:
        """Every score of one account with its criteria, computed now from its records.

        Computed on demand rather than stored: the same rules and inputs as the stored scores
        (every write rescores), without ~3 KB of JSON per account in the database.
        """
        with self.engine.connect() as conn:
            settings = self._settings(conn)
            scores = score_one(
                conn, account_id, as_of=settings.as_of or self._today(), config=settings.scoring()
            )
        return scores.breakdown() if scores is not None else {}

    def snapshots(self, account_id: int) -> list[ScoreSnapshotRow]:
        with Session(self.engine) as session:
            rows = session.exec(
                select(ScoreSnapshotRow)
                .where(ScoreSnapshotRow.account_id == account_id)
                .order_by(ScoreSnapshotRow.id)  # type: ignore[arg-type]
            ).all()
            return list(rows)

    def snapshot_count(self) -> int:
        with self.engine.connect() as conn:
            return conn.exec_driver_sql("SELECT COUNT(*) FROM score_snapshot").scalar_one()

    def scores(self, account_id: int) -> ScoreRow | None:
        with Session(self.engine) as session:
            return session.get(ScoreRow, account_id)

    def explain(self, account_id: int) -> dict[str, Any]:
        """The account, its scores and their full breakdown, freshly computed."""
        summary = self.account_summary(account_id)
        return {"summary": summary, "breakdown": self.breakdown(account_id)}

    def alerts(
        self, account_id: int | None = None, *, include_closed: bool = False
    ) -> list[AlertView]:
        """Alerts, most severe first, then by the account's priority; by default the open ones."""
        sql = (
            "SELECT al.id, al.account_id, a.name, al.rule, al.severity, al.message, al.figures, "
            "al.next_step, al.status, al.snoozed_until, al.first_seen FROM alert al "
            "JOIN account a ON a.id = al.account_id "
            "LEFT JOIN score sc ON sc.account_id = al.account_id WHERE 1 = 1"
        )
        params: list[Any] = []
        if account_id is not None:
            sql += " AND al.account_id = ?"
            params.append(account_id)
        if not include_closed:
            sql += " AND al.status = 'open'"
        sql += (
            " ORDER BY CASE al.severity WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END,"
            " sc.priority IS NULL, sc.priority DESC, a.name COLLATE NOCASE, al.rule, al.key"
        )
        with self.engine.connect() as conn:
            rows = conn.exec_driver_sql(sql, tuple(params)).all()
        return [
            AlertView(
                id=r[0],
                account_id=r[1],
                account=r[2],
                rule=r[3],
                severity=r[4],
                message=r[5],
                figures=json.loads(r[6]) if r[6] else {},
                next_step=r[7] or "",
                status=r[8],
                snoozed_until=repo.parse_day(r[9]),
            )
            for r in rows
        ]

    def portfolio(self) -> PortfolioKpis:
        """Portfolio KPIs (SPEC §3.4) as of the workspace's date, from every account."""
        with self.engine.connect() as conn:
            settings = self._settings(conn)
            as_of = settings.as_of or self._today()
            inputs = load_inputs(conn, None, as_of)
        return portfolio_kpis(inputs, as_of, settings.kpi)

    # ----------------------------------------------------------------- writes
    def _check_name(self, session: Session, name: str, account_id: int | None = None) -> str:
        name = " ".join((name or "").split())
        if not name:
            raise ValidationError("an account needs a name", field="name")
        clash = session.exec(
            select(AccountRow.id).where(AccountRow.name_key == name.casefold())
        ).first()
        if clash is not None and clash != account_id:
            raise ValidationError(f"an account named {name!r} already exists", field="name")
        return name

    @staticmethod
    def _check_fields(fields: dict[str, Any]) -> None:
        """Refuse values no account can have (the forms check too; this is the last guard)."""
        for key in _AMOUNT_FIELDS & fields.keys():
            value = fields[key]
            if value is None:
                continue
            try:
                check_amount(float(value))
            except (TypeError, ValueError) as exc:
                raise ValidationError(f"{key.replace('_', ' ')}: {exc}", field=key) from None
            if key != "cost_to_serve" and float(value) < 0:
                raise ValidationError(f"{key.replace('_', ' ')} cannot be negative", field=key)
        for key in _RATING_FIELDS & fields.keys():
            value = fields[key]
            if value is not None and (not isinstance(value, int) or not 1 <= value <= 5):
                raise ValidationError(f"{key.replace('_', ' ')} is a rating from 1 to 5", field=key)
        margin = fields.get("gross_margin_pct")
        if margin is not None and not -100 <= float(margin) <= 100:
            raise ValidationError(
                "gross margin is a percentage (-100 to 100)", field="gross_margin_pct"
            )
        status = fields.get("status")
        if status is not None and status not in _STATUSES:
            raise ValidationError(f"status is one of {', '.join(_STATUSES)}", field="status")

    def add_account(self, name: str, **fields: Any) -> Change:
        now = datetime.now(UTC)
        self._check_fields(fields)
        with self.unit_of_work("edit") as uow:
            clean = self._check_name(uow.session, name)
            row = AccountRow(
                name=clean, name_key=clean.casefold(), created_at=now, updated_at=now, **fields
            )
            uow.session.add(row)
            uow.session.flush()
            uow.touch(row.id)
        return Change({row.id or 0}, uow.result, created_id=row.id)

    def update_account(self, account_id: int, **fields: Any) -> Change:
        self._check_fields(fields)
        with self.unit_of_work("edit") as uow:
            row = uow.session.get(AccountRow, account_id)
            if row is None:
                raise NotFoundError(f"no account with id {account_id}")
            if "name" in fields:
                fields["name"] = self._check_name(uow.session, fields["name"], account_id)
                fields["name_key"] = fields["name"].casefold()
            for key, value in fields.items():
                if not hasattr(row, key):
                    raise ValidationError(f"accounts have no field {key!r}", field=key)
                setattr(row, key, value)
            row.updated_at = datetime.now(UTC)
            uow.session.add(row)
            uow.touch(account_id)
        return Change({account_id}, uow.result)

    def delete_account(self, account_id: int) -> Change:
        """Delete an account and its records; ``Change.restore`` undoes it (restore_account)."""
        with self.unit_of_work("delete") as uow:
            row = uow.session.get(AccountRow, account_id)
            if row is None:
                raise NotFoundError(f"no account with id {account_id}")
            dump = self._dump_account(uow.conn, account_id)
            uow.session.delete(row)
        return Change({account_id}, uow.result, restore=dump)

    def delete_transaction(self, transaction_id: int) -> Change:
        """Remove one transaction line (e.g. a mistyped one) and rescore its account."""
        with self.unit_of_work("edit") as uow:
            row = uow.session.get(TransactionRow, transaction_id)
            if row is None:
                raise NotFoundError(f"no transaction with id {transaction_id}")
            account_id = row.account_id
            uow.session.delete(row)
            uow.touch(account_id)
        return Change({account_id}, uow.result)

    def add_transaction(
        self,
        account_id: int,
        day: date,
        amount: float,
        *,
        product: str | None = None,
        source: str = "manual",
        external_id: str | None = None,
    ) -> Change:
        """Record a transaction line (a refund is negative) and rescore its account."""
        try:
            amount = check_amount(float(amount))
        except (TypeError, ValueError) as exc:
            raise ValidationError(f"amount: {exc}", field="amount") from None
        with self.unit_of_work("edit") as uow:
            if uow.session.get(AccountRow, account_id) is None:
                raise NotFoundError(f"no account with id {account_id}")
            row = TransactionRow(
                account_id=account_id,
                day=day,
                amount=float(amount),
                product=product,
                source=source,
                external_id=external_id,
                dedupe_key=f"{source}:{external_id}" if external_id else None,
            )
            uow.session.add(row)
            uow.session.flush()
            uow.touch(account_id)
        return Change({account_id}, uow.result, created_id=row.id)

    # ----------------------------------------------------------------- data in and out
    def import_files(
        self,
        paths: Sequence[str | Path],
        *,
        dry_run: bool = False,
        dayfirst: bool | None = None,
        mapping: str | Path | None = None,
    ) -> ImportReport:
        """Import files in one transaction: all or nothing. A plan with problems changes
        nothing and raises ``ImportRefusedError`` (its ``report`` lists every problem).
        ``dry_run`` applies the plan, counts, and rolls back."""
        from kamtui.interchange.importer import (
            ImportOptions,
            ImportRefusedError,
            ImportReport,
            read_files,
        )
        from kamtui.store.bulk import apply_plan

        plan = read_files(paths, ImportOptions(dayfirst=dayfirst, mapping=mapping))
        if not plan.ok:
            raise ImportRefusedError(
                ImportReport(
                    files=plan.files, warnings=plan.warnings, errors=plan.errors, dry_run=dry_run
                )
            )
        try:
            with self.unit_of_work("import") as uow:
                report = apply_plan(uow.conn, plan)
                if dry_run:
                    raise _DryRunDone
                if len(report.account_ids) > RESCORE_ALL_ABOVE:
                    uow.rescore_all = True
                for account_id in report.account_ids:
                    uow.touch(account_id)
        except _DryRunDone:
            report.dry_run = True
            return report
        report.applied = True
        report.rescored = uow.result.scored
        return report

    def export_json(self, path: str | Path) -> Path:
        """The whole workspace as JSON: stable, sorted, lossless (see ``restore_json``)."""
        from kamtui.interchange import export

        with self.engine.connect() as conn:
            return export.write_text(path, export.workspace_json(conn))

    def restore_json(self, path: str | Path) -> dict[str, int]:
        """Load a JSON export into this workspace, which must be empty. Rows per table."""
        from kamtui.interchange import export

        data = export.read_workspace_json(path)
        with self.unit_of_work("restore") as uow:
            return export.restore_workspace(uow.conn, data)

    def backup(self, path: str | Path | None = None) -> Path:
        """A consistent copy of the SQLite workspace, safe while it is in use."""
        from kamtui.paths import data_dir, sqlite_path
        from kamtui.store.db import backup_sqlite

        source = sqlite_path(self.url)
        if source is None:
            raise ServiceError("backup copies SQLite workspaces; use your database's own tools")
        if path is None:
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            target = data_dir() / "backups" / f"{source.stem}-{stamp}.db"
        else:
            target = Path(path).expanduser()
            if target.is_dir():
                target = target / f"{source.stem}-{datetime.now():%Y%m%d-%H%M%S}.db"
        if target.resolve() == source.resolve():
            raise ServiceError("the backup cannot overwrite the workspace itself")
        if path is not None:
            if target.exists() or target.is_symlink():
                raise ServiceError(f"{target} already exists; choose another name")
            if not target.parent.is_dir():
                raise ServiceError(f"cannot back up to {target}: no folder {target.parent}")
        try:
            return backup_sqlite(source, target)
        except (sqlite3.Error, OSError) as exc:
            target.unlink(missing_ok=True)
            raise ServiceError(f"cannot back up to {target}: {exc}") from None

    def export_csv(self, what: str, path: str | Path) -> int:
        """One table as formula-safe CSV (``export.CSV_EXPORTS`` names them). Rows written."""
        from kamtui.interchange import export

        with self.engine.connect() as conn:
            text, count = export.csv_export(conn, what)
        export.write_text(path, text)
        return count

    def export_markdown_account(self, account_id: int, path: str | Path) -> Path:
        """An account one-pager: facts, scores with breakdown, stakeholders, plan, alerts."""
        from kamtui.interchange import export

        self.account(account_id)  # NotFoundError for a bad id
        with self.engine.connect() as conn:
            text = export.account_markdown(conn, account_id, self.breakdown(account_id))
        return export.write_text(path, text)

    def export_ics(self, path: str | Path, account_id: int | None = None) -> int:
        """QBR dates and plan checkpoints as an iCalendar file. Events written."""
        from kamtui.interchange import export

        with self.engine.connect() as conn:
            text, count = export.calendar_ics(conn, account_id)
        export.write_text(path, text, newline="")
        return count


RESCORE_ALL_ABOVE = 500  # an import touching more accounts rescores the whole portfolio


class _DryRunDone(Exception):
    """Raised inside a dry run's unit of work so that it rolls back."""
