"""A second writer and a read-only file: one readable error, nothing changed, no traceback."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from kamtui.errors import ServiceError, StorageError, WorkspaceBusyError
from kamtui.service import Workbench


def test_a_writer_blocked_past_the_timeout_gets_a_busy_error(db_path, monkeypatch) -> None:
    from kamtui.store import db as store_db

    monkeypatch.setattr(store_db, "BUSY_TIMEOUT_MS", 300)
    bench = Workbench.open(str(db_path), today=lambda: date(2024, 6, 30))
    acct = bench.add_account("Acme").created_id
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    try:
        with pytest.raises(WorkspaceBusyError, match="busy") as err:
            bench.add_transaction(acct, date(2024, 6, 1), 100)
        assert isinstance(err.value, ServiceError)  # the faces catch it like any refusal
        assert "\n" not in str(err.value)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    bench.add_transaction(acct, date(2024, 6, 1), 100)  # works once the lock is gone
    assert bench.account_summary(acct).frequency == 1
    bench.close()


def test_a_read_only_workspace_refuses_writes_in_one_line(db_path) -> None:
    with Workbench.open(str(db_path)) as bench:
        bench.add_account("Acme")
    uri = f"sqlite:///file:{db_path}?mode=ro&uri=true"
    with Workbench.open(uri) as bench:
        assert bench.account_count() == 1
        with pytest.raises(StorageError, match="read-only"):
            bench.add_account("Beta")
    with Workbench.open(str(db_path)) as bench:
        assert bench.account_count() == 1
