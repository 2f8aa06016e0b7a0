"""The workspace database: pragmas, migrations, refusal of foreign files, backups."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from datetime import date

import pytest
from sqlalchemy import text

from kamtui.errors import WorkspaceError
from kamtui.paths import sqlite_url
from kamtui.store.db import open_workspace
from kamtui.store.migrations import SCHEMA_HEAD


def test_schema_head_constant_matches_the_alembic_scripts() -> None:
    from kamtui.store.migrations.runner import head_revision

    assert head_revision() == SCHEMA_HEAD


def test_new_workspace_has_wal_foreign_keys_and_busy_timeout(db_path) -> None:
    engine = open_workspace(sqlite_url(db_path))
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0001"
    engine.dispose()


def test_a_file_that_is_not_a_workspace_is_refused_untouched(tmp_path) -> None:
    other = tmp_path / "other.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE recipes(id INTEGER)")
    con.commit()
    con.close()
    before = other.read_bytes()
    with pytest.raises(WorkspaceError, match="not a kamtui workspace"):
        open_workspace(sqlite_url(other))
    assert other.read_bytes() == before
    junk = tmp_path / "junk.db"
    junk.write_text("hello, I am a text file\n" * 100)
    with pytest.raises(WorkspaceError, match="not a kamtui workspace"):
        open_workspace(sqlite_url(junk))


def test_a_newer_schema_is_refused(db_path) -> None:
    open_workspace(sqlite_url(db_path)).dispose()
    con = sqlite3.connect(db_path)
    con.execute("UPDATE alembic_version SET version_num = '9999'")
    con.commit()
    con.close()
    with pytest.raises(WorkspaceError, match="newer kamtui"):
        open_workspace(sqlite_url(db_path))


def test_an_older_schema_is_backed_up_before_the_upgrade(db_path, monkeypatch) -> None:
    from kamtui.service import Workbench
    from kamtui.store import db as store_db

    with Workbench.open(str(db_path)) as bench:
        bench.add_account("Acme")
    # pretend this kamtui knows a newer head: the file at 0001 is then out of date
    monkeypatch.setattr(store_db, "SCHEMA_HEAD", "0002")
    open_workspace(sqlite_url(db_path)).dispose()
    backups = list(db_path.parent.glob("workspace.db.0001-*.bak"))
    assert len(backups) == 1
    con = sqlite3.connect(backups[0])
    assert con.execute("SELECT name FROM account").fetchall() == [("Acme",)]
    con.close()


def test_no_engine_or_directory_is_created_at_import(tmp_path, kamtui_home) -> None:
    code = (
        "import kamtui, kamtui.cli, kamtui.service, kamtui.paths, kamtui.store.db, sys;"
        "import pathlib, os; print(pathlib.Path(os.environ['KAMTUI_HOME']).exists())"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_two_writers_queue_instead_of_failing(db_path) -> None:
    from kamtui.service import Workbench

    a = Workbench.open(str(db_path), today=lambda: date(2024, 6, 30))
    b = Workbench.open(str(db_path), today=lambda: date(2024, 6, 30))
    acct = a.add_account("Acme").created_id
    errors: list[BaseException] = []

    def write(bench, start: int) -> None:
        try:
            for i in range(15):
                bench.add_transaction(acct, date(2024, 1, 1 + (start + i) % 28), 100.0)
        except BaseException as exc:  # pragma: no cover - the assertion shows it
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(w, n)) for n, w in ((0, a), (15, b))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with a.engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM transaction_line")).scalar() == 30
    a.close()
    b.close()
