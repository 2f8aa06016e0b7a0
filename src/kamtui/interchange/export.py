"""Exports: the whole workspace as JSON (and back), formula-safe CSV, a Markdown account
one-pager and an iCalendar file of QBRs and plan checkpoints.

Functions take a SQLAlchemy ``Connection`` and return text; :func:`write_text` writes a file
atomically. The JSON export is deterministic (sorted keys, rows in primary-key order, no
export timestamp) so that export → restore → export gives byte-identical files.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Connection

from kamtui.errors import ServiceError

# table names as a user reads them (restore's "not empty" message)
_TABLE_WORDS = {
    "account": "accounts", "transaction_line": "transaction lines", "opportunity": "opportunities",
    "stakeholder": "stakeholders", "activity": "activities", "kpi_reading": "KPI readings",
    "plan_priority": "plan priorities", "objective": "objectives", "plan_action": "plan actions",
    "qbr": "QBRs", "agenda_item": "agenda items", "commitment": "commitments",
    "score": "scores", "score_snapshot": "score snapshots", "alert": "alerts",
}  # fmt: skip

JSON_FORMAT = "kamtui-workspace"
JSON_VERSION = 1
# Tables that hold no user data of their own and may exist in an "empty" workspace.
_BOOKKEEPING = {"alembic_version", "setting"}


# --------------------------------------------------------------------------- files
def output_path(path: str | Path) -> Path:
    """Check where an export may go; raises ServiceError with one readable line.

    A symlink is followed to its file; a folder, or a folder that does not exist, is refused
    (nothing is created on the way).
    """
    target = Path(path).expanduser()
    if target.is_symlink():
        target = target.resolve()
    if target.is_dir():
        raise ServiceError(f"{target} is a folder; give a file name to write to")
    if not target.parent.is_dir():
        raise ServiceError(f"cannot write {target}: the folder {target.parent} does not exist")
    return target


def write_text(path: str | Path, text: str, *, newline: str | None = None) -> Path:
    """Write ``text`` to ``path``.

    A regular file (new or existing) is written atomically: a temporary file beside it, then a
    rename, with the permissions a new file gets from the umask. Anything else that exists
    (``/dev/null``, a named pipe, a terminal) is written to in place, never replaced.
    """
    target = output_path(path)
    line_end = newline if newline is not None else "\n"
    try:
        if target.exists() and not target.is_file():
            with target.open("w", encoding="utf-8", newline=line_end) as fh:
                fh.write(text)
            return target
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    except OSError as exc:
        raise ServiceError(f"cannot write {target}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline=line_end) as fh:
            fh.write(text)
        mode = target.stat().st_mode & 0o777 if target.exists() else 0o666 & ~_umask()
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise ServiceError(f"cannot write {target}: {exc.strerror or exc}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


# --------------------------------------------------------------------------- JSON
def _tables() -> list[Any]:
    from sqlmodel import SQLModel

    import kamtui.store.tables  # noqa: F401  (registers the tables)

    return list(SQLModel.metadata.sorted_tables)


def _existing_tables(conn: Connection) -> set[str]:
    from sqlalchemy import inspect

    return set(inspect(conn).get_table_names())


def workspace_json(conn: Connection) -> str:
    """Every table's rows (raw stored values, primary-key order) as stable JSON."""
    from kamtui.store.migrations import SCHEMA_HEAD

    present = _existing_tables(conn)
    tables: dict[str, Any] = {}
    for table in _tables():
        if table.name not in present:
            continue
        cols = [c.name for c in table.columns]
        order = ", ".join(c.name for c in table.primary_key.columns) or cols[0]
        rows = conn.exec_driver_sql(f"SELECT {', '.join(cols)} FROM {table.name} ORDER BY {order}")
        tables[table.name] = {"columns": cols, "rows": [list(r) for r in rows]}
    doc = {"format": JSON_FORMAT, "version": JSON_VERSION, "schema": SCHEMA_HEAD, "tables": tables}
    return json.dumps(doc, sort_keys=True, indent=1, ensure_ascii=False, allow_nan=False) + "\n"


def read_workspace_json(path: str | Path) -> dict[str, Any]:
    """A JSON export, checked for shape; ServiceError (one line) when it is not one."""
    p = Path(path).expanduser()
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ServiceError(f"no such file: {p}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ServiceError(f"cannot read {p}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise ServiceError(f"{p.name}, line {exc.lineno}: not valid JSON ({exc.msg})") from None
    if not isinstance(data, dict) or data.get("format") != JSON_FORMAT:
        raise ServiceError(f"{p.name} is not a kamtui workspace export")
    if data.get("version") != JSON_VERSION:
        raise ServiceError(
            f"{p.name} has export version {data.get('version')}; this kamtui reads 1"
        )
    if not isinstance(data.get("tables"), dict):
        raise ServiceError(f"{p.name} has no tables")
    return data


def restore_workspace(conn: Connection, data: dict[str, Any]) -> dict[str, int]:
    """Insert an export's rows, ids and all, into an empty workspace. Rows per table."""
    from kamtui.store.migrations import SCHEMA_HEAD

    if data.get("schema") != SCHEMA_HEAD:
        raise ServiceError(
            f"the export has schema {data.get('schema')}, this workspace {SCHEMA_HEAD}; "
            "restore it with the kamtui version that wrote it"
        )
    present = _existing_tables(conn)
    filled = []
    for name in sorted(present - _BOOKKEEPING):
        count = conn.exec_driver_sql(f"SELECT COUNT(*) FROM {name}").scalar_one()
        if count:
            filled.append(f"{count:,} {_TABLE_WORDS.get(name, name.replace('_', ' '))}")
    if filled:
        raise ServiceError(
            f"the workspace is not empty ({', '.join(filled[:3])}); restore into a new one, "
            "e.g. 'kamtui --db restored.db restore FILE'"
        )
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
    raw = conn.connection.driver_connection
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    counts: dict[str, int] = {}
    known = {t.name: t for t in _tables()}
    for name in data["tables"]:
        if name not in known or name not in present:
            raise ServiceError(f"the export has a table {name!r} this workspace does not know")
    for table in _tables():
        block = data["tables"].get(table.name)
        if not block or table.name not in present:
            continue
        cols = block["columns"]
        unknown = set(cols) - {c.name for c in table.columns}
        if unknown:
            raise ServiceError(f"{table.name}: unknown columns {', '.join(sorted(unknown))}")
        if table.name == "setting":
            conn.exec_driver_sql("DELETE FROM setting")
        rows = [tuple(r) for r in block["rows"]]
        cur = raw.cursor()
        cur.executemany(
            f"INSERT INTO {table.name} ({', '.join(cols)}) "
            f"VALUES ({', '.join([mark] * len(cols))})",
            rows,
        )
        cur.close()
        counts[table.name] = len(rows)
        if conn.dialect.name == "postgresql" and rows and "id" in cols:
            # Explicit ids leave the serial sequence behind; move it past the restored rows.
            conn.exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"(SELECT MAX(id) FROM {table.name}))"
            )
    return counts


# --------------------------------------------------------------------------- CSV
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

CSV_EXPORTS: dict[str, str] = {
    "accounts": """
        SELECT a.id, a.name, a.external_id, a.industry, a.region, a.country, a.owner, a.status,
               a.acv, a.currency, a.renewal_date, a.contract_start, a.gross_margin_pct,
               p.name AS parent, s.tier, s.rfm, s.r, s.f, s.m, s.recency_days, s.frequency,
               s.monetary, s.value_score, s.health_score, s.health_band, s.priority,
               s.alert_count, s.as_of
        FROM account a LEFT JOIN score s ON s.account_id = a.id
        LEFT JOIN account p ON p.id = a.parent_id
        ORDER BY a.name_key""",
    "transactions": """
        SELECT t.id, a.name AS account, a.external_id AS account_external_id, t.day, t.amount,
               t.product, t.quantity, t.source, t.external_id
        FROM transaction_line t JOIN account a ON a.id = t.account_id
        ORDER BY t.day, t.id""",
    "opportunities": """
        SELECT o.id, a.name AS account, o.external_id, o.name, o.product, o.stage,
               o.stage_label, o.amount, o.engage_date, o.close_date, o.owner
        FROM opportunity o JOIN account a ON a.id = o.account_id
        ORDER BY o.id""",
    "stakeholders": """
        SELECT s.id, a.name AS account, s.name, s.title, s.email, s.phone, s.role,
               s.influence, s.attitude, r.name AS reports_to, s.last_contact, s.notes
        FROM stakeholder s JOIN account a ON a.id = s.account_id
        LEFT JOIN stakeholder r ON r.id = s.reports_to_id
        ORDER BY a.name_key, s.id""",
    "activities": """
        SELECT v.id, a.name AS account, v.day, v.kind, v.value, v.severity, v.is_open,
               v.external_id, v.notes
        FROM activity v JOIN account a ON a.id = v.account_id
        ORDER BY v.day, v.id""",
    "kpis": """
        SELECT a.name AS account, k.period, k.metric, k.value
        FROM kpi_reading k JOIN account a ON a.id = k.account_id
        ORDER BY a.name_key, k.metric, k.period""",
    "objectives": """
        SELECT o.id, a.name AS account, o.text, o.metric, o.baseline, o.target, o.current,
               o.unit, o.start_date, o.due_date, o.owner_side, o.owner_name, o.status
        FROM objective o JOIN account a ON a.id = o.account_id
        ORDER BY a.name_key, o.id""",
    "actions": """
        SELECT x.id, a.name AS account, x.text, x.owner_name, x.owner_side, x.due_date,
               x.done, x.done_on
        FROM plan_action x JOIN account a ON a.id = x.account_id
        ORDER BY a.name_key, x.id""",
    "qbrs": """
        SELECT q.id, a.name AS account, q.day, q.start_time, q.length_minutes, q.held,
               q.summary_sent_at, q.next_qbr_date
        FROM qbr q JOIN account a ON a.id = q.account_id
        ORDER BY q.day, q.id""",
    "alerts": """
        SELECT l.id, a.name AS account, l.rule, l.severity, l.message, l.next_step, l.status,
               l.first_seen, l.last_seen
        FROM alert l JOIN account a ON a.id = l.account_id
        ORDER BY a.name_key, l.id""",
    "snapshots": """
        SELECT n.account_id, a.name AS account, n.as_of, n.taken_at, n.recency_days,
               n.frequency, n.monetary, n.r, n.f, n.m, n.rfm, n.tier, n.value_score,
               n.health_score, n.priority, n.alert_count, n.reason
        FROM score_snapshot n JOIN account a ON a.id = n.account_id
        ORDER BY n.id""",
}


def safe_cell(value: Any) -> Any:
    """A value a spreadsheet will not run as a formula. Text starting with ``= + - @``,
    tab or carriage return gets a leading apostrophe; numbers stay numbers (a real -12.5
    is a number, not a formula)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> tuple[str, int]:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in header])
    count = 0
    for row in rows:
        writer.writerow(["" if v is None else safe_cell(v) for v in row])
        count += 1
    return out.getvalue(), count


def csv_export(conn: Connection, what: str) -> tuple[str, int]:
    """(CSV text, row count) for one of :data:`CSV_EXPORTS`."""
    sql = CSV_EXPORTS.get(what)
    if sql is None:
        raise ServiceError(f"cannot export {what!r}; choose one of {', '.join(CSV_EXPORTS)}")
    result = conn.exec_driver_sql(sql)
    return csv_text(list(result.keys()), result)


# --------------------------------------------------------------------------- Markdown
def _md(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() else f"{value:,.2f}"
    return str(value).replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def _md_table(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines.extend("| " + " | ".join(_md(v) for v in row) + " |" for row in rows)
    return lines


def _cell(value: Any) -> str:
    """A breakdown value as table-cell text: nested figures flattened, booleans as yes/no."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        return ", ".join(f"{k.replace('_', ' ')} {_cell(v)}" for k, v in value.items()) or "—"
    if isinstance(value, list):
        return ", ".join(_cell(v) for v in value) or "—"
    return _md(value)


def _is_table(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _table_of(rows: list[dict[str, Any]]) -> list[str]:
    keys: list[str] = []
    for row in rows:
        keys.extend(k for k in row if k not in keys)
    lines = ["| " + " | ".join(k.replace("_", " ") for k in keys) + " |"]
    lines.append("|" + "|".join("---" for _ in keys) + "|")
    lines.extend("| " + " | ".join(_cell(row.get(k)) for k in keys) + " |" for row in rows)
    return lines


def _breakdown_lines(breakdown: dict[str, Any]) -> list[str]:
    """Every stored score breakdown: scalars as a list, criteria/components as tables."""
    lines: list[str] = []
    facts = [(k, v) for k, v in breakdown.items() if not isinstance(v, (dict, list))]
    facts += [(k, v) for k, v in breakdown.items() if isinstance(v, list) and not _is_table(v)]
    lines.extend(f"- **{k.replace('_', ' ')}:** {_cell(v)}" for k, v in facts)
    if facts:
        lines.append("")
    for name, part in breakdown.items():
        if _is_table(part):
            lines += [f"**{name.replace('_', ' ')}**", "", *_table_of(part), ""]
        elif isinstance(part, dict):
            title = f"**{name.replace('_', ' ')}**"
            if part.get("score") is not None:
                title += f" — {_md(part['score'])}"
            if part.get("band"):
                title += f" ({part['band']})"
            lines += [title, ""]
            small = [
                (k, v)
                for k, v in part.items()
                if k not in ("score", "band") and not _is_table(v) and v not in (None, [], {})
            ]
            lines.extend(f"- {k.replace('_', ' ')}: {_cell(v)}" for k, v in small)
            if small:
                lines.append("")
            for value in part.values():
                if _is_table(value):
                    lines += [*_table_of(value), ""]
    return lines


def account_markdown(
    conn: Connection,
    account_id: int,
    breakdown: dict[str, Any] | None = None,
    *,
    today: date | None = None,
) -> str:
    """An account one-pager in Markdown; ``breakdown`` is the service's score breakdown."""
    acc = (
        conn.exec_driver_sql("SELECT * FROM account WHERE id = ?", (account_id,)).mappings().first()
    )
    if acc is None:
        raise ServiceError(f"no account with id {account_id}")
    score = (
        conn.exec_driver_sql("SELECT * FROM score WHERE account_id = ?", (account_id,))
        .mappings()
        .first()
    )
    out = [f"# {acc['name']}", ""]
    facts = [
        ("External id", acc["external_id"]),
        ("Status", acc["status"]),
        ("Industry", acc["industry"]),
        ("Region / country", " / ".join(x for x in (acc["region"], acc["country"]) if x) or None),
        ("Owner", acc["owner"]),
        ("ACV", f"{_md(acc['acv'])} {acc['currency']}" if acc["acv"] is not None else None),
        ("Renewal", acc["renewal_date"]),
        ("Contract start", acc["contract_start"]),
        ("Gross margin %", acc["gross_margin_pct"]),
    ]
    out.extend(f"- **{k}:** {_md(v)}" for k, v in facts if v not in (None, ""))
    out.append("")
    out += ["## Scores", ""]
    if score is None:
        out += ["Not scored yet.", ""]
    else:
        out.append(f"As of {score['as_of']}.")
        out.append("")
        out.extend(
            _md_table(
                ["Tier", "R", "F", "M", "RFM", "Value", "Health", "Priority", "Alerts"],
                [
                    [
                        score["tier"],
                        score["r"],
                        score["f"],
                        score["m"],
                        score["rfm"],
                        score["value_score"],
                        " ".join(
                            x for x in (_md(score["health_score"]), score["health_band"] or "") if x
                        ),
                        score["priority"],
                        score["alert_count"],
                    ]
                ],
            )
        )
        out.append("")
        if breakdown:
            out += ["### Breakdown", ""]
            out += _breakdown_lines(breakdown)
    people = conn.exec_driver_sql(
        "SELECT s.name, s.title, s.role, s.influence, s.attitude, r.name, s.last_contact "
        "FROM stakeholder s LEFT JOIN stakeholder r ON r.id = s.reports_to_id "
        "WHERE s.account_id = ? ORDER BY s.influence IS NULL, s.influence DESC, s.name",
        (account_id,),
    ).all()
    out += ["## Stakeholders", ""]
    if people:
        out += _md_table(
            ["Name", "Title", "Role", "Influence", "Attitude", "Reports to", "Last contact"],
            [[*(p[:2]), (p[2] or "").replace("_", " ") or None, *p[3:]] for p in people],
        )
    else:
        out.append("None mapped yet.")
    out.append("")
    out += ["## Joint business plan", ""]
    priorities = conn.exec_driver_sql(
        "SELECT title FROM plan_priority WHERE account_id = ? ORDER BY position, id", (account_id,)
    ).all()
    if priorities:
        out.append("Priorities:")
        out.extend(f"{n}. {_md(p[0])}" for n, p in enumerate(priorities, 1))
        out.append("")
    objectives = conn.exec_driver_sql(
        "SELECT text, metric, baseline, current, target, unit, due_date, owner_side, status "
        "FROM objective WHERE account_id = ? ORDER BY due_date IS NULL, due_date, id",
        (account_id,),
    ).all()
    if objectives:
        out += _md_table(
            [
                "Objective",
                "Metric",
                "Baseline",
                "Current",
                "Target",
                "Unit",
                "Due",
                "Owner",
                "Status",
            ],
            objectives,
        )
        out.append("")
    actions = conn.exec_driver_sql(
        "SELECT text, owner_name, owner_side, due_date, done FROM plan_action "
        "WHERE account_id = ? ORDER BY done, due_date IS NULL, due_date, id",
        (account_id,),
    ).all()
    if actions:
        out.append("Actions:")
        out.extend(
            f"- [{'x' if a[4] else ' '}] {_md(a[0])} — {_md(a[1])} ({_md(a[2])}), due {_md(a[3])}"
            for a in actions
        )
        out.append("")
    if not (priorities or objectives or actions):
        out += ["No plan yet.", ""]
    opps = conn.exec_driver_sql(
        "SELECT COALESCE(name, external_id), product, stage_label, amount, close_date "
        "FROM opportunity "
        "WHERE account_id = ? AND stage = 'open' ORDER BY close_date IS NULL, close_date, id",
        (account_id,),
    ).all()
    if opps:
        out += ["## Open opportunities", ""]
        out += _md_table(["Name", "Product", "Stage", "Amount", "Close"], opps)
        out.append("")
    alerts = conn.exec_driver_sql(
        "SELECT severity, message, next_step FROM alert WHERE account_id = ? AND status = 'open' "
        "ORDER BY CASE severity WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, id",
        (account_id,),
    ).all()
    out += ["## Open alerts", ""]
    if alerts:
        out.extend(
            f"- **{a[0]}**: {_md(a[1])}" + (f" → {_md(a[2])}" if a[2] else "") for a in alerts
        )
    else:
        out.append("None.")
    out.append("")
    qbr = conn.exec_driver_sql(
        "SELECT day, start_time, length_minutes FROM qbr WHERE account_id = ? AND day >= ? "
        "ORDER BY day LIMIT 1",
        (account_id, (today or date.today()).isoformat()),
    ).first()
    if qbr:
        when = f"{qbr[0]} {qbr[1] or ''}".strip()
        out += ["## Next QBR", "", f"{when}, {qbr[2]} minutes.", ""]
    return "\n".join(out)


# --------------------------------------------------------------------------- iCalendar
def ics_escape(text: str) -> str:
    """RFC 5545 TEXT escaping."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def ics_fold(line: str) -> str:
    """Fold a content line at 75 octets (continuations start with one space), never
    splitting a UTF-8 character."""
    out: list[str] = []
    current = ""
    size = 0
    limit = 75
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > limit:
            out.append(current)
            current, size, limit = " ", 1, 75
        current += ch
        size += n
    out.append(current)
    return "\r\n".join(out)


def _dt(day: str, time_text: str | None) -> tuple[str, str] | None:
    """(DTSTART value with params, DTEND-able datetime) helpers; None if no time."""
    if not time_text:
        return None
    try:
        hh, mm = (int(x) for x in time_text.split(":")[:2])
        return day.replace("-", ""), f"{hh:02d}{mm:02d}00"
    except ValueError:
        return None


def calendar_ics(
    conn: Connection, account_id: int | None = None, *, now: datetime | None = None
) -> tuple[str, int]:
    """(iCalendar text, event count): QBRs (timed when a start time is known), planned next
    QBRs, objective due dates, open actions' due dates and fortnightly plan checkpoints."""
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    where = "" if account_id is None else " AND a.id = ?"
    args: tuple = () if account_id is None else (account_id,)
    events: list[list[str]] = []

    def event(uid: str, summary: str, start: list[str], end: list[str], desc: str = "", extra=()):
        lines = ["BEGIN:VEVENT", f"UID:{uid}", f"DTSTAMP:{stamp}", *start, *end]
        lines.append(f"SUMMARY:{ics_escape(summary)}")
        if desc:
            lines.append(f"DESCRIPTION:{ics_escape(desc)}")
        lines.extend(extra)
        lines.append("END:VEVENT")
        events.append(lines)

    def all_day(day: str) -> tuple[list[str], list[str]]:
        d = date.fromisoformat(day[:10])
        return (
            [f"DTSTART;VALUE=DATE:{d:%Y%m%d}"],
            [f"DTEND;VALUE=DATE:{d + timedelta(days=1):%Y%m%d}"],
        )

    qbrs = conn.exec_driver_sql(
        "SELECT q.id, a.id, a.name, q.day, q.start_time, q.length_minutes, q.next_qbr_date "
        f"FROM qbr q JOIN account a ON a.id = q.account_id WHERE 1=1{where} ORDER BY q.day, q.id",
        args,
    ).all()
    last_qbr: dict[int, str] = {}
    for row in qbrs:
        last_qbr[row[1]] = max(last_qbr.get(row[1], ""), str(row[3]))
    for qid, aid, name, day, start_time, minutes, next_day in qbrs:
        timed = _dt(day, start_time)
        if timed:
            d = datetime.strptime(timed[0] + timed[1], "%Y%m%d%H%M%S")
            end = d + timedelta(minutes=minutes or 60)
            start_l, end_l = [f"DTSTART:{d:%Y%m%dT%H%M%S}"], [f"DTEND:{end:%Y%m%dT%H%M%S}"]
        else:
            start_l, end_l = all_day(day)
        event(f"qbr-{qid}@kamtui", f"QBR: {name}", start_l, end_l, f"{minutes} minutes")
        if next_day and str(day) >= last_qbr[aid]:  # not yet scheduled as a QBR of its own
            s, e = all_day(next_day)
            event(f"qbr-{qid}-next@kamtui", f"Next QBR (to schedule): {name}", s, e)
    for oid, name, text, _start, due in conn.exec_driver_sql(
        "SELECT o.id, a.name, o.text, o.start_date, o.due_date FROM objective o "
        f"JOIN account a ON a.id = o.account_id WHERE o.due_date IS NOT NULL "
        f"AND o.status = 'active'{where} ORDER BY o.due_date, o.id",
        args,
    ):
        s, e = all_day(due)
        event(f"objective-{oid}-due@kamtui", f"Objective due: {name}", s, e, text)
    for xid, name, text, due, owner in conn.exec_driver_sql(
        "SELECT x.id, a.name, x.text, x.due_date, x.owner_name FROM plan_action x "
        f"JOIN account a ON a.id = x.account_id WHERE x.due_date IS NOT NULL AND NOT x.done"
        f"{where} ORDER BY x.due_date, x.id",
        args,
    ):
        s, e = all_day(due)
        event(f"action-{xid}-due@kamtui", f"Action due: {name}", s, e, f"{text} ({owner or '?'})")
    # Fortnightly plan checkpoints: from the first objective's start to the last due date.
    for aid, name, first, last in conn.exec_driver_sql(
        "SELECT a.id, a.name, MIN(COALESCE(o.start_date, o.due_date)), MAX(o.due_date) "
        f"FROM objective o JOIN account a ON a.id = o.account_id WHERE o.status = 'active'{where} "
        "GROUP BY a.id, a.name HAVING MAX(o.due_date) IS NOT NULL ORDER BY a.id",
        args,
    ):
        s, e = all_day(first or last)
        until = date.fromisoformat(last[:10])
        event(
            f"plan-{aid}-checkpoints@kamtui",
            f"Plan checkpoint: {name}",
            s,
            e,
            "Joint business plan checkpoint (every two weeks)",
            [f"RRULE:FREQ=WEEKLY;INTERVAL=2;UNTIL={until:%Y%m%d}"],
        )
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//kamtui//kamtui//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
    for ev in events:
        lines.extend(ev)
    lines.append("END:VCALENDAR")
    return "".join(ics_fold(line) + "\r\n" for line in lines), len(events)
