"""Queries that return plain values or domain objects, and the bulk paths.

Functions take a SQLAlchemy ``Connection`` so that they run inside the caller's unit of work.
Hot paths use SQL directly: ORM objects are for single-record work only.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.engine import Connection

from kamtui.domain.models import Money

_CHUNK = 900  # stay below SQLite's bound-parameter limit


def parse_day(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def db_timestamp(moment: datetime) -> str:
    """A UTC timestamp as SQLAlchemy stores it in SQLite."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def chunks(ids: Sequence[int], size: int = _CHUNK) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def daily_money(
    conn: Connection, account_ids: Collection[int] | None, as_of: date
) -> dict[int, list[Money]]:
    """Each account's net amount per day up to the as-of date (one ``Money`` per day)."""
    result: dict[int, list[Money]] = defaultdict(list)
    sql = (
        "SELECT account_id, day, SUM(amount) FROM transaction_line "
        "WHERE day <= ? {where} GROUP BY account_id, day"
    )
    if account_ids is None:
        rows = conn.exec_driver_sql(sql.format(where=""), (as_of.isoformat(),))
        for account_id, day, amount in rows:
            result[account_id].append(Money(date.fromisoformat(day), amount))
        return result
    ids = sorted(account_ids)
    for part in chunks(ids):
        marks = ",".join("?" * len(part))
        rows = conn.exec_driver_sql(
            sql.format(where=f"AND account_id IN ({marks})"), (as_of.isoformat(), *part)
        )
        for account_id, day, amount in rows:
            result[account_id].append(Money(date.fromisoformat(day), amount))
    return result


def get_setting(conn: Connection, key: str) -> Any:
    row = conn.exec_driver_sql("SELECT value FROM setting WHERE key = ?", (key,)).first()
    return json.loads(row[0]) if row else None


def set_setting(conn: Connection, key: str, value: Any) -> None:
    if value is None:
        conn.exec_driver_sql("DELETE FROM setting WHERE key = ?", (key,))
    else:
        conn.exec_driver_sql(
            "INSERT INTO setting(key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, json.dumps(value)),
        )


def all_settings(conn: Connection) -> dict[str, Any]:
    return {k: json.loads(v) for k, v in conn.exec_driver_sql("SELECT key, value FROM setting")}
