"""The bulk write path: apply an :class:`~kamtui.interchange.importer.ImportPlan`.

Runs inside the caller's transaction (``UnitOfWork.conn``) and writes with ``executemany`` on
the raw DB-API connection: no ORM object per row, so a million transaction lines take seconds.
Re-imports are idempotent: transaction lines are keyed by ``dedupe_key`` (source + external id,
or a content key), opportunities by external id, KPI readings by (account, period, metric),
stakeholders by external id or name within their account. Rows that exist are compared and
updated only when a value differs, so the counts (created / updated / unchanged) are exact.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.engine import Connection

from kamtui.interchange.importer import ImportPlan, ImportReport
from kamtui.store.repository import chunks, db_timestamp

# Account columns an import may set (the plan's account fields, minus the references).
ACCOUNT_FIELDS = (
    "industry",
    "region",
    "country",
    "owner",
    "products",
    "acv",
    "currency",
    "annual_budget",
    "capacity_limit",
    "current_usage",
    "renewal_date",
    "contract_start",
    "cost_to_serve",
    "gross_margin_pct",
    "rating_strategic_fit",
    "rating_growth",
    "rating_partnership",
    "status",
    "employees",
    "company_revenue",
    "year_established",
    "notes",
)
_TX_COLS = ("account_id", "day", "amount", "product", "quantity", "source", "external_id")
_OPP_COLS = (
    "account_id",
    "name",
    "product",
    "stage",
    "stage_label",
    "amount",
    "engage_date",
    "close_date",
    "owner",
)
_SH_COLS = (
    "name",
    "title",
    "email",
    "phone",
    "role",
    "influence",
    "attitude",
    "last_contact",
    "external_id",
    "notes",
)


CHUNK = 900  # keys per IN (...) query: below SQLite's bound-parameter limit
BULK_CACHE_KIB = -262_144  # 256 MiB of page cache while a large import writes


class _Acc:
    """An account as the import sees it: existing (id set) or about to be created."""

    __slots__ = ("changes", "ext", "fields", "id", "key", "name", "new", "parent_id")

    def __init__(
        self,
        id: int | None,
        name: str,
        ext: str | None,
        parent_id: int | None = None,
        *,
        new: bool = False,
    ) -> None:
        self.id = id
        self.name = name
        self.key = name.casefold()
        self.ext = ext
        self.parent_id = parent_id
        self.new = new
        self.fields: dict[str, Any] = {}
        self.changes: dict[str, Any] = {}  # for existing accounts: column → new value


class _Accounts:
    """Resolution of account records and references: by external id, then casefolded name."""

    def __init__(self, raw: Any, report: ImportReport) -> None:
        self.by_ext: dict[str, _Acc] = {}
        self.by_key: dict[str, _Acc] = {}
        self.report = report
        self.new: list[_Acc] = []
        cur = raw.cursor()
        cur.execute("SELECT id, name, external_id, parent_id FROM account")
        for id_, name, ext, parent_id in cur.fetchall():
            acc = _Acc(id_, name, ext, parent_id)
            self.by_key[acc.key] = acc
            if ext:
                self.by_ext[ext] = acc
        cur.close()

    def _create(self, name: str, ext: str | None) -> _Acc:
        base = name
        if name.casefold() in self.by_key:
            # Same name, another external id: a different account. Keep both, tell the user.
            name = f"{base} (ext {ext})" if ext else base
            n = 2
            while name.casefold() in self.by_key:
                name = f"{base} (ext {ext} #{n})"
                n += 1
            self.report.notes.append(
                f"two accounts are named {base!r}: the one with external id {ext} "
                f"is stored as {name!r}"
            )
        acc = _Acc(None, name, ext, new=True)
        self.by_key[acc.key] = acc
        if ext:
            self.by_ext[ext] = acc
        self.new.append(acc)
        return acc

    def resolve(self, ext: str | None, name: str | None) -> _Acc:
        if ext:
            found = self.by_ext.get(ext)
            if found is not None:
                return found
            # an account of that name (a file with only ids: the id is the name) that has no
            # external id yet is the same account and takes the file's id
            same = self.by_key.get((name or ext).casefold())
            if same is not None and same.ext is None:
                self._set_ext(same, ext)
                return same
            return self._create(name or ext, ext)
        assert name
        found = self.by_key.get(name.casefold())
        return found if found is not None else self._create(name, None)

    def _set_ext(self, acc: _Acc, ext: str) -> None:
        acc.ext = ext
        self.by_ext[ext] = acc
        if acc.new:
            return
        acc.changes["external_id"] = ext


def _param(conn: Connection):
    """A function adapting ``?`` placeholders to the driver's paramstyle."""
    if conn.dialect.paramstyle == "qmark":
        return lambda sql: sql
    return lambda sql: sql.replace("?", "%s")


def _fetch_in(
    raw: Any, q: Any, sql: str, values: Sequence[Any], extra: Sequence[Any] = ()
) -> list[tuple]:
    """Run ``sql`` (with one ``IN ({marks})``) over ``values`` in chunks."""
    out: list[tuple] = []
    cur = raw.cursor()
    for part in chunks(list(values)):
        marks = ",".join("?" * len(part))
        cur.execute(q(sql.format(marks=marks)), (*extra, *part))
        out.extend(cur.fetchall())
    cur.close()
    return out


def apply_plan(conn: Connection, plan: ImportPlan, *, now: datetime | None = None) -> ImportReport:
    """Write a validated plan in the caller's transaction; return exact counts.

    The plan must have no errors (``plan.ok``); the caller commits or rolls back.
    """
    if not plan.ok:
        raise ValueError("an import plan with errors cannot be applied")
    report = ImportReport(files=plan.files, warnings=list(plan.warnings))
    for kind, reasons in plan.skipped.items():
        report.counts[kind].skipped.update(reasons)
    stamp = db_timestamp(now or datetime.now(UTC))
    raw = conn.connection.driver_connection
    q = _param(conn)
    cur = raw.cursor()
    restore_cache = None
    if conn.dialect.name == "sqlite" and len(plan.transactions) > 50_000:
        # Random B-tree inserts into the indexes thrash SQLite's default 2 MiB page cache.
        restore_cache = cur.execute("PRAGMA cache_size").fetchone()[0]
        cur.execute(f"PRAGMA cache_size = {BULK_CACHE_KIB}")
    try:
        return _apply(conn, raw, q, cur, plan, report, stamp)
    finally:
        if restore_cache is not None:
            cur.execute(f"PRAGMA cache_size = {int(restore_cache)}")
        cur.close()


def _apply(
    conn: Connection, raw: Any, q: Any, cur: Any, plan: ImportPlan, report: ImportReport, stamp: str
) -> ImportReport:
    accounts = _Accounts(raw, report)
    touched: set[int] = set()

    # ---- account records (from account files)
    recs: list[tuple[_Acc, dict[str, Any]]] = []
    seen_records: set[int] = set()
    variants = 0
    for rec in plan.accounts:
        ext = rec.get("external_id")
        name = rec["name"]
        acc = accounts.resolve(ext, name)
        if not acc.new and acc.key != name.casefold():
            variants += 1
        recs.append((acc, rec))
        # New accounts are inserted with these; existing ones compare them with the stored row.
        acc.fields.update({k: rec[k] for k in ACCOUNT_FIELDS if k in rec})
        seen_records.add(id(acc))
    if variants:
        report.notes.append(
            f"{variants} account record(s) matched by external id under another name; "
            "the workspace keeps its name"
        )

    # ---- references (transactions, opportunities, stakeholders, KPIs, parents)
    ref_accs: list[_Acc] = [accounts.resolve(ext, name) for ext, name in plan.refs]
    by_reference = sum(1 for acc in accounts.new if id(acc) not in seen_records)

    # ---- compare record fields with the stored accounts
    existing = [acc for acc in {id(a): a for a, _ in recs}.values() if not acc.new]
    if existing:
        cols = ("id", *ACCOUNT_FIELDS)
        rows = _fetch_in(
            raw,
            q,
            f"SELECT {', '.join(cols)} FROM account WHERE id IN ({{marks}})",
            [a.id for a in existing],
        )
        stored = {row[0]: dict(zip(cols[1:], row[1:], strict=True)) for row in rows}
        for acc in existing:
            current = stored.get(acc.id, {})
            for k, v in acc.fields.items():
                if current.get(k) != v:
                    acc.changes[k] = v

    # ---- insert new accounts
    if accounts.new:
        cols = sorted({k for acc in accounts.new for k in acc.fields})
        all_cols = ("name", "name_key", "external_id", *cols, "created_at", "updated_at")
        defaults = {"currency": "USD", "status": "active"}
        for k in defaults:
            if k not in cols:
                all_cols = (*all_cols, k)
        rows_new = []
        for acc in accounts.new:
            row = [acc.name, acc.key, acc.ext, *(acc.fields.get(c) for c in cols), stamp, stamp]
            for k, v in defaults.items():
                if k not in cols:
                    row.append(v)
                elif acc.fields.get(k) is None:
                    row[all_cols.index(k)] = v
            rows_new.append(tuple(row))
        cur.executemany(
            q(
                f"INSERT INTO account ({', '.join(all_cols)}) "
                f"VALUES ({', '.join('?' * len(all_cols))})"
            ),
            rows_new,
        )
        for id_, key in _fetch_in(
            raw,
            q,
            "SELECT id, name_key FROM account WHERE name_key IN ({marks})",
            [a.key for a in accounts.new],
        ):
            accounts.by_key[key].id = id_
        touched.update(a.id for a in accounts.new if a.id is not None)
    report.counts["accounts"].created = len(accounts.new)
    if by_reference:
        report.notes.append(
            f"{by_reference:,} account(s) created because transactions or other records "
            "referred to them"
        )

    # ---- parents
    for acc, rec in recs:
        pref = rec.get("parent_ref")
        if pref is None:
            continue
        parent = ref_accs[pref]
        if parent is acc or parent.id is None:
            continue
        if acc.new:
            acc.parent_id = parent.id
            cur.execute(q("UPDATE account SET parent_id = ? WHERE id = ?"), (parent.id, acc.id))
        elif acc.parent_id != parent.id:
            acc.changes["parent_id"] = parent.id

    # ---- update existing accounts
    updated_accounts = 0
    for acc in {id(a): a for a in [*(a for a, _ in recs), *ref_accs]}.values():
        if acc.new or not acc.changes:
            continue
        sets = ", ".join(f"{k} = ?" for k in acc.changes)
        cur.execute(
            q(f"UPDATE account SET {sets}, updated_at = ? WHERE id = ?"),
            (*acc.changes.values(), stamp, acc.id),
        )
        updated_accounts += 1
        touched.add(acc.id)  # type: ignore[arg-type]
    record_accs = {id(a): a for a, _ in recs}
    report.counts["accounts"].updated = updated_accounts
    report.counts["accounts"].unchanged = sum(
        1 for a in record_accs.values() if not a.new and not a.changes
    )

    ids = [acc.id for acc in ref_accs]
    touched |= _apply_transactions(raw, q, plan, ids, report)
    touched |= _retract_won_lines(raw, q, plan, report)
    touched |= _apply_opportunities(raw, q, plan, ids, report)
    touched |= _apply_stakeholders(raw, q, plan, ids, report)
    touched |= _apply_kpis(raw, q, plan, ids, report)
    report.account_ids = {t for t in touched if t is not None}
    return report


def _apply_transactions(
    raw: Any, q: Any, plan: ImportPlan, ids: list[int | None], report: ImportReport
) -> set[int]:
    counts = report.counts["transactions"]
    if not plan.transactions:
        return set()
    cur = raw.cursor()
    cur.execute("SELECT 1 FROM transaction_line LIMIT 1")
    if cur.fetchone() is None:
        # First import: nothing to compare with; repeated keys fall to ON CONFLICT DO NOTHING.
        before = raw.total_changes if hasattr(raw, "total_changes") else None
        cols = (*_TX_COLS, "dedupe_key")
        cur.executemany(
            q(
                f"INSERT INTO transaction_line ({', '.join(cols)}) "
                f"VALUES ({', '.join('?' * len(cols))}) ON CONFLICT(dedupe_key) DO NOTHING"
            ),
            ((ids[t[0]], *t[1:]) for t in plan.transactions),
        )
        inserted = raw.total_changes - before if before is not None else cur.rowcount
        cur.close()
        counts.created += inserted
        if len(plan.transactions) > inserted:
            counts.skipped["the same line twice in this import (first kept)"] += (
                len(plan.transactions) - inserted
            )
        return {i for i in (ids[t[0]] for t in plan.transactions) if i is not None}
    # Re-import: compare with the stored lines, a chunk of keys at a time.
    select = (
        f"SELECT dedupe_key, {', '.join(_TX_COLS)} FROM transaction_line "
        "WHERE dedupe_key IN ({marks})"
    )
    seen: set[str] = set()
    inserts: list[tuple] = []
    updates: list[tuple] = []
    touched: set[int] = set()
    batch: list[tuple[str, tuple]] = []

    def compare(batch: list[tuple[str, tuple]]) -> None:
        marks = ",".join("?" * len(batch))
        cur.execute(q(select.format(marks=marks)), [key for key, _ in batch])
        stored = {row[0]: tuple(row[1:]) for row in cur.fetchall()}
        for key, values in batch:
            old = stored.get(key)
            if old is None:
                inserts.append((*values, key))
                touched.add(values[0])
            elif old != values:
                updates.append((*values, key))
                touched.add(values[0])
                touched.add(old[0])

    for ref, day, amount, product, quantity, source, ext, key in plan.transactions:
        if key in seen:
            counts.skipped["the same line twice in this import (first kept)"] += 1
            continue
        seen.add(key)
        batch.append((key, (ids[ref], day, amount, product, quantity, source, ext)))
        if len(batch) >= CHUNK:
            compare(batch)
            batch = []
    if batch:
        compare(batch)
    cur.close()
    _write_rows(
        raw, q, "transaction_line", _TX_COLS, "dedupe_key", inserts, updates,
        conflict=" ON CONFLICT(dedupe_key) DO NOTHING",
    )  # fmt: skip
    counts.created += len(inserts)
    counts.updated += len(updates)
    counts.unchanged += len(seen) - len(inserts) - len(updates)
    return touched


def _write_rows(
    raw: Any,
    q: Any,
    table: str,
    cols: Sequence[str],
    key_col: str,
    inserts: list[tuple],
    updates: list[tuple],
    *,
    conflict: str = "",
) -> None:
    """Insert new rows (``cols`` then the key) and update changed ones by their key."""
    cur = raw.cursor()
    all_cols = (*cols, key_col)
    if inserts:
        marks = ", ".join("?" * len(all_cols))
        cur.executemany(
            q(f"INSERT INTO {table} ({', '.join(all_cols)}) VALUES ({marks}){conflict}"), inserts
        )
    if updates:
        sets = ", ".join(f"{c} = ?" for c in cols)
        cur.executemany(q(f"UPDATE {table} SET {sets} WHERE {key_col} = ?"), updates)
    cur.close()


def _retract_won_lines(raw: Any, q: Any, plan: ImportPlan, report: ImportReport) -> set[int]:
    """Delete the won-deal lines of opportunities that are no longer won."""
    if not plan.retracted:
        return set()
    found = _fetch_in(
        raw,
        q,
        "SELECT id, account_id FROM transaction_line WHERE dedupe_key IN ({marks})",
        plan.retracted,
    )
    if not found:
        return set()
    cur = raw.cursor()
    cur.executemany(q("DELETE FROM transaction_line WHERE id = ?"), [(r[0],) for r in found])
    cur.close()
    report.counts["transactions"].deleted += len(found)
    report.notes.append(
        f"{len(found):,} won-deal transaction(s) removed: their opportunity is no longer won"
    )
    return {r[1] for r in found}


def _apply_opportunities(
    raw: Any, q: Any, plan: ImportPlan, ids: list[int | None], report: ImportReport
) -> set[int]:
    if not plan.opportunities:
        return set()
    counts = report.counts["opportunities"]
    rows: dict[str, tuple] = {}
    for opp in plan.opportunities:
        values = (ids[opp["ref"]], *(opp[c] for c in _OPP_COLS[1:]))
        rows[opp["external_id"]] = values
    stored = {
        row[0]: tuple(row[1:])
        for row in _fetch_in(
            raw,
            q,
            f"SELECT external_id, {', '.join(_OPP_COLS)} FROM opportunity "
            "WHERE external_id IN ({marks})",
            list(rows),
        )
    }
    return _upsert(
        raw, q, "opportunity", _OPP_COLS, "external_id", rows, stored, counts, account_pos=0
    )


def _upsert(
    raw: Any,
    q: Any,
    table: str,
    cols: Sequence[str],
    key_col: str,
    rows: dict[Any, tuple],
    stored: dict[Any, tuple],
    counts: Any,
    *,
    account_pos: int,
) -> set[int]:
    inserts, updates = [], []
    touched: set[int] = set()
    for key, values in rows.items():
        old = stored.get(key)
        if old is None:
            inserts.append((*values, key))
            touched.add(values[account_pos])
        elif old != values:
            updates.append((*values, key))
            touched.add(values[account_pos])
            touched.add(old[account_pos])
    _write_rows(raw, q, table, cols, key_col, inserts, updates)
    counts.created += len(inserts)
    counts.updated += len(updates)
    counts.unchanged += len(rows) - len(inserts) - len(updates)
    return touched


def _apply_stakeholders(
    raw: Any, q: Any, plan: ImportPlan, ids: list[int | None], report: ImportReport
) -> set[int]:
    if not plan.stakeholders:
        return set()
    counts = report.counts["stakeholders"]
    account_ids = sorted({ids[s["ref"]] for s in plan.stakeholders if ids[s["ref"]]})
    stored_rows = _fetch_in(
        raw,
        q,
        f"SELECT id, account_id, {', '.join(_SH_COLS)}, reports_to_id FROM stakeholder "
        "WHERE account_id IN ({marks})",
        account_ids,
    )
    by_ext: dict[tuple[int, str], tuple] = {}
    by_name: dict[tuple[int, str], tuple] = {}
    for row in stored_rows:
        values = dict(zip(_SH_COLS, row[2:-1], strict=True))
        if values["external_id"]:
            by_ext[(row[1], values["external_id"])] = row
        by_name.setdefault((row[1], values["name"].casefold()), row)
    touched: set[int] = set()
    cur = raw.cursor()
    reports_to: list[tuple[int, str, str]] = []  # (account id, stakeholder name, manager name)
    seen: set[int] = set()
    for s in plan.stakeholders:
        aid = ids[s["ref"]]
        assert aid is not None
        values = {c: s.get(c) for c in _SH_COLS}
        values["external_id"] = s.get("id")
        old = None
        if values["external_id"]:
            old = by_ext.get((aid, values["external_id"]))
        if old is None:
            old = by_name.get((aid, values["name"].casefold()))
        if s.get("reports_to"):
            reports_to.append((aid, values["name"], s["reports_to"]))
        if old is None:
            cols = ("account_id", *_SH_COLS)
            cur.execute(
                q(
                    f"INSERT INTO stakeholder ({', '.join(cols)}) "
                    f"VALUES ({', '.join('?' * len(cols))}) RETURNING id"
                ),
                (aid, *values.values()),
            )
            new_id = cur.fetchone()[0]
            counts.created += 1
            touched.add(aid)
            new_row = (new_id, aid, *values.values(), None)
            by_name[(aid, values["name"].casefold())] = new_row
            continue
        if old[0] in seen:
            counts.skipped["the same stakeholder twice in this import (first kept)"] += 1
            continue
        seen.add(old[0])
        current = dict(zip(_SH_COLS, old[2:-1], strict=True))
        changes = {k: v for k, v in values.items() if v is not None and current.get(k) != v}
        if changes:
            sets = ", ".join(f"{k} = ?" for k in changes)
            cur.execute(
                q(f"UPDATE stakeholder SET {sets} WHERE id = ?"), (*changes.values(), old[0])
            )
            counts.updated += 1
            touched.add(aid)
        else:
            counts.unchanged += 1
    for aid, name, manager in reports_to:
        me = by_name.get((aid, name.casefold()))
        boss = by_name.get((aid, " ".join(manager.split()).casefold()))
        if me is None or boss is None or me[0] == boss[0]:
            if boss is None:
                report.warnings.append(
                    _problem(f"{name}: reports-to {manager!r} is not a stakeholder of the account")
                )
            continue
        if me[-1] != boss[0]:
            cur.execute(
                q("UPDATE stakeholder SET reports_to_id = ? WHERE id = ?"), (boss[0], me[0])
            )
            touched.add(aid)
    cur.close()
    return touched


def _problem(message: str) -> Any:
    from kamtui.interchange.importer import Problem

    return Problem("stakeholders", None, message)


def _apply_kpis(
    raw: Any, q: Any, plan: ImportPlan, ids: list[int | None], report: ImportReport
) -> set[int]:
    if not plan.kpis:
        return set()
    counts = report.counts["kpis"]
    rows: dict[tuple, tuple] = {}
    for k in plan.kpis:
        key = (ids[k["ref"]], k["period"], k["metric"])
        if key in rows:
            counts.skipped["the same reading twice in this import (last kept)"] += 1
        rows[key] = (k["value"],)
    account_ids = sorted({key[0] for key in rows if key[0] is not None})
    stored = {
        (row[0], row[1], row[2]): (row[3],)
        for row in _fetch_in(
            raw,
            q,
            "SELECT account_id, period, metric, value FROM kpi_reading "
            "WHERE account_id IN ({marks})",
            account_ids,
        )
    }
    inserts, updates = [], []
    touched: set[int] = set()
    for key, (value,) in rows.items():
        old = stored.get(key)
        if old is None:
            inserts.append((*key, value))
            touched.add(key[0])
        elif old[0] != value:
            updates.append((value, *key))
            touched.add(key[0])
    cur = raw.cursor()
    if inserts:
        cur.executemany(
            q(
                "INSERT INTO kpi_reading (account_id, period, metric, value) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(account_id, period, metric) DO UPDATE SET value = excluded.value"
            ),
            inserts,
        )
    if updates:
        cur.executemany(
            q(
                "UPDATE kpi_reading SET value = ? "
                "WHERE account_id = ? AND period = ? AND metric = ?"
            ),
            updates,
        )
    cur.close()
    counts.created += len(inserts)
    counts.updated += len(updates)
    counts.unchanged += len(rows) - len(inserts) - len(updates)
    return touched


__all__ = ["ACCOUNT_FIELDS", "apply_plan"]
