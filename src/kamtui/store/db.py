"""Engine factory and workspace opening: WAL, foreign keys, busy timeout, migrations.

No engine exists until :func:`open_workspace` (or :func:`make_engine`) is called.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection

from kamtui.errors import WorkspaceError
from kamtui.paths import sqlite_path
from kamtui.store.migrations import SCHEMA_HEAD

DB_SUFFIXES = {".db", ".sqlite", ".sqlite3", ".kamtui"}
BUSY_TIMEOUT_MS = 30_000  # a writer waits this long for another (a CDNOW import: ~7 s)
WRITE_OPTION = "kamtui_write"


def make_engine(url: str) -> Engine:
    """An engine for a workspace URL. SQLite gets WAL, foreign keys and a busy timeout.

    SQLite transactions begin explicitly; a connection run with the execution option
    ``kamtui_write=True`` begins with ``BEGIN IMMEDIATE`` so that two writers queue up on the
    busy timeout instead of failing half-way through a unit of work.
    """
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
        )

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
            cur = dbapi_conn.cursor()
            cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            cur.execute("PRAGMA foreign_keys = ON")
            if sqlite_path(url) is not None:
                cur.execute("PRAGMA journal_mode = WAL")
                cur.execute("PRAGMA synchronous = NORMAL")
            cur.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Connection) -> None:
            immediate = conn.get_execution_options().get(WRITE_OPTION, False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine
    return create_engine(url, pool_pre_ping=True)


def writer(engine: Engine) -> Engine:
    """The same engine, beginning its transactions as a writer (``BEGIN IMMEDIATE``)."""
    return engine.execution_options(**{WRITE_OPTION: True})


def _sqlite_state(path: Path) -> tuple[str | None, bool]:
    """(alembic revision or None, whether the file has any table) without SQLAlchemy."""
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        raise WorkspaceError(f"cannot open {path}: {exc}") from None
    try:
        names = {row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        revision = None
        if "alembic_version" in names:
            row = con.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
        return revision, bool(names - {"alembic_version"})
    except sqlite3.DatabaseError as exc:
        raise WorkspaceError(f"{path} is not a kamtui workspace ({exc})") from None
    finally:
        con.close()


def backup_sqlite(source: Path, target: Path) -> Path:
    """Copy a SQLite database safely, even while another connection writes it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(str(source), timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        dst = sqlite3.connect(str(target))
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    return target


def _upgrade(engine: Engine) -> None:
    from kamtui.store.migrations.runner import upgrade_to_head

    upgrade_to_head(engine)


def open_workspace(url: str, *, create: bool = True) -> Engine:
    """Open (and create or upgrade) a workspace database and return its engine.

    Before an existing file is upgraded it is copied aside as ``NAME.REV-TIMESTAMP.bak``.
    """
    path = sqlite_path(url)
    if path is not None:
        if path.is_dir():
            raise WorkspaceError(f"{path} is a folder, not a database file")
        if path.exists() and path.stat().st_size == 0 and path.suffix.lower() not in DB_SUFFIXES:
            raise WorkspaceError(
                f"{path} is an empty {path.suffix or 'extensionless'} file, not a workspace; "
                "give a new file name ending in .db"
            )
        if path.exists():
            revision, has_tables = _sqlite_state(path)
            if revision == SCHEMA_HEAD:
                return make_engine(url)
            if revision is None and has_tables:
                raise WorkspaceError(f"{path} is a SQLite file but not a kamtui workspace")
            if revision is not None:
                from kamtui.store.migrations.runner import known_revisions

                if revision not in known_revisions():
                    raise WorkspaceError(
                        f"{path} was written by a newer kamtui (schema {revision}); upgrade kamtui"
                    )
                stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
                backup_sqlite(path, path.with_name(f"{path.name}.{revision}-{stamp}.bak"))
        elif not create:
            raise WorkspaceError(
                f"no workspace at {path} yet: 'kamtui import FILE' creates it, "
                "'kamtui demo' opens a demo"
            )
        else:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise WorkspaceError(f"cannot create {path.parent}: {exc.strerror}") from None
    try:
        engine = make_engine(url)
    except ModuleNotFoundError as exc:
        raise WorkspaceError(
            f"cannot open {url.split('://', 1)[0]} databases: the driver {exc.name!r} is not "
            f"installed (pip install it into kamtui's environment)"
        ) from None
    except Exception as exc:  # a malformed URL
        raise WorkspaceError(f"cannot open {url!r}: {exc}") from None
    try:
        _upgrade(engine)
    except Exception as exc:
        engine.dispose()
        raise WorkspaceError(f"cannot prepare the workspace {path or url}: {exc}") from exc
    return engine
