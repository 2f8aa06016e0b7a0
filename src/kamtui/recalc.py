"""Recalculation: load the inputs of some accounts, score them with the pure rules in
``kamtui.domain``, and write the current scores plus a snapshot for every account whose
scores changed. Runs inside the caller's unit of work (one transaction).
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy.engine import Connection

from kamtui.domain.rfm import DEFAULT_THRESHOLDS, RfmScore, RfmThresholds, score_rfm
from kamtui.store import repository as repo

# The score columns that make up "the account's scores": a change in any of them is a new
# snapshot. Order matters: it is the column order of the SQL below.
SCORE_FIELDS = (
    "recency_days",
    "frequency",
    "monetary",
    "r",
    "f",
    "m",
    "rfm",
    "tier",
    "value_score",
    "health_score",
    "health_band",
    "priority",
    "alert_count",
)


@dataclass(frozen=True)
class AccountScores:
    account_id: int
    as_of: date
    recency_days: int | None
    frequency: int
    monetary: float
    r: int
    f: int
    m: int
    rfm: int
    tier: int
    last_purchase: date | None
    value_score: float | None = None
    health_score: float | None = None
    health_band: str | None = None
    priority: float | None = None
    alert_count: int = 0
    revenue_12m: float | None = None
    breakdown: dict = field(default_factory=dict)

    def key(self) -> tuple:
        return tuple(getattr(self, name) for name in SCORE_FIELDS)


@dataclass
class RecalcResult:
    scored: int = 0
    changed: list[int] = field(default_factory=list)
    snapshots: int = 0


def _criteria_json(score: RfmScore) -> list[dict]:
    return [asdict(c) for c in score.criteria]


def score_accounts(
    conn: Connection,
    account_ids: Collection[int] | None,
    as_of: date,
    thresholds: RfmThresholds = DEFAULT_THRESHOLDS,
) -> list[AccountScores]:
    """Compute (without writing) the scores of the given accounts, or of all of them."""
    ids = repo.all_account_ids(conn) if account_ids is None else sorted(set(account_ids))
    money = repo.daily_money(conn, None if account_ids is None else ids, as_of)
    results = []
    for account_id in ids:
        lines = money.get(account_id, [])
        rfm = score_rfm(lines, as_of, thresholds)
        results.append(
            AccountScores(
                account_id=account_id,
                as_of=as_of,
                recency_days=rfm.recency_days,
                frequency=rfm.frequency,
                monetary=rfm.monetary,
                r=rfm.r,
                f=rfm.f,
                m=rfm.m,
                rfm=rfm.rfm,
                tier=rfm.tier,
                last_purchase=rfm.inputs.last_purchase,
                revenue_12m=rfm.monetary,
                breakdown={"rfm": _criteria_json(rfm)},
            )
        )
    return results


def _current_keys(conn: Connection, ids: list[int]) -> dict[int, tuple]:
    cols = ", ".join(SCORE_FIELDS)
    found: dict[int, tuple] = {}
    for part in repo.chunks(ids):
        marks = ",".join("?" * len(part))
        for row in conn.exec_driver_sql(
            f"SELECT account_id, {cols} FROM score WHERE account_id IN ({marks})", tuple(part)
        ):
            found[row[0]] = tuple(row[1:])
    return found


def write_scores(
    conn: Connection, scores: list[AccountScores], *, reason: str, now: datetime | None = None
) -> RecalcResult:
    """Upsert the current scores; add a snapshot for each account whose scores changed."""
    now = now or datetime.now(UTC)
    stamp = repo.db_timestamp(now)
    current = _current_keys(conn, [s.account_id for s in scores])
    changed = [s for s in scores if current.get(s.account_id) != s.key()]
    cols = ("account_id", "as_of", *SCORE_FIELDS, "last_purchase", "revenue_12m", "breakdown")
    upsert = (
        f"INSERT INTO score ({', '.join(cols)}, computed_at) "
        f"VALUES ({', '.join('?' * len(cols))}, ?) "
        "ON CONFLICT(account_id) DO UPDATE SET "
        + ", ".join(f"{c} = excluded.{c}" for c in (*cols[1:], "computed_at"))
    )

    def score_params(s: AccountScores) -> tuple:
        return (
            s.account_id,
            s.as_of.isoformat(),
            *s.key(),
            s.last_purchase.isoformat() if s.last_purchase else None,
            s.revenue_12m,
            json.dumps(s.breakdown, default=str),
            stamp,
        )

    raw = conn.connection.driver_connection
    raw.executemany(upsert, [score_params(s) for s in scores])
    snap_cols = ("account_id", "as_of", "taken_at", *SCORE_FIELDS, "reason")
    raw.executemany(
        f"INSERT INTO score_snapshot ({', '.join(snap_cols)}) "
        f"VALUES ({', '.join('?' * len(snap_cols))})",
        [(s.account_id, s.as_of.isoformat(), stamp, *s.key(), reason) for s in changed],
    )
    return RecalcResult(
        scored=len(scores), changed=[s.account_id for s in changed], snapshots=len(changed)
    )


def recalc(
    conn: Connection,
    account_ids: Collection[int] | None,
    *,
    as_of: date,
    reason: str,
    thresholds: RfmThresholds = DEFAULT_THRESHOLDS,
    now: datetime | None = None,
) -> RecalcResult:
    """Rescore the given accounts (all when None) and persist the results."""
    if account_ids is not None and not account_ids:
        return RecalcResult()
    scores = score_accounts(conn, account_ids, as_of, thresholds)
    return write_scores(conn, scores, reason=reason, now=now)
