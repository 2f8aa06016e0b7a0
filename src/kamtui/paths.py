"""Where kamtui keeps its files. The only module that calls platformdirs.

``KAMTUI_HOME`` relocates everything (data, config, backups) under one folder; tests and
users who want a portable setup use it. ``KAMTUI_DB`` or ``--db`` pick another database.
Nothing here creates a directory until a caller asks for it with ``ensure=True``.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "kamtui"
DEFAULT_DB_NAME = "workspace.db"
DEMO_DB_NAME = "demo.db"


def _home() -> Path | None:
    home = os.environ.get("KAMTUI_HOME")
    return Path(home).expanduser() if home else None


def data_dir(ensure: bool = False) -> Path:
    """The folder for workspaces and backups."""
    home = _home()
    if home is not None:
        path = home / "data"
    else:
        import platformdirs

        path = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    if ensure:
        path.mkdir(parents=True, exist_ok=True)
    return path


def config_dir(ensure: bool = False) -> Path:
    """The folder for settings.toml, user themes and saved import mappings."""
    home = _home()
    if home is not None:
        path = home / "config"
    else:
        import platformdirs

        path = Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))
    if ensure:
        path.mkdir(parents=True, exist_ok=True)
    return path


def default_db_path() -> Path:
    return data_dir() / DEFAULT_DB_NAME


def demo_db_path() -> Path:
    return data_dir() / DEMO_DB_NAME


def resolve_db_url(db: str | None = None) -> str:
    """Turn ``--db`` / ``KAMTUI_DB`` / the default into a SQLAlchemy URL.

    A value containing ``://`` is taken as a URL as it is; anything else is a file path.
    """
    if db is not None and not db.strip():
        from kamtui.errors import WorkspaceError

        raise WorkspaceError("--db needs a file path or a database URL")
    value = db or os.environ.get("KAMTUI_DB") or str(default_db_path())
    if "://" in value:
        return value
    return sqlite_url(Path(value))


def sqlite_url(path: Path) -> str:
    from kamtui.errors import WorkspaceError

    try:
        return f"sqlite:///{Path(path).expanduser().resolve()}"
    except (ValueError, OSError, RuntimeError) as exc:
        raise WorkspaceError(f"{str(path)!r} is not a usable file path ({exc})") from None


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for other databases and in-memory ones."""
    prefix = "sqlite:///"
    if not url.startswith(prefix):
        return None
    rest = url[len(prefix) :].split("?", 1)[0]
    if rest.startswith("file:"):  # a SQLite URI filename (…?mode=ro&uri=true)
        rest = rest[len("file:") :]
    if not rest or rest == ":memory:":
        return None
    return Path(rest)
