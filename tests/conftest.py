"""Shared fixtures: every test runs with KAMTUI_HOME in its own temporary folder."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = PROJECT_ROOT.parent / "shared" / "data"


@pytest.fixture(autouse=True)
def kamtui_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "kamtui-home"
    monkeypatch.setenv("KAMTUI_HOME", str(home))
    monkeypatch.delenv("KAMTUI_DB", raising=False)
    return home


def shared_file(*parts: str) -> Path:
    """A file from ../shared/data, or skip the test saying what is missing."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"real data set not available: {path} (present in CI and the dev workplace)")
    return path


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "workspace.db"


@pytest.fixture
def bench(db_path: Path) -> Iterator[object]:
    """A workbench on an empty temporary workspace whose 'today' is 2024-06-30."""
    from kamtui.service import Workbench

    wb = Workbench.open(str(db_path), today=lambda: date(2024, 6, 30))
    try:
        yield wb
    finally:
        wb.close()
