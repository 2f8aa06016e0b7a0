"""End to end on the Maven CRM export: the installed ``kamtui`` in tmux — navigate, filter with
a query, open the help, quit — reading the screen back with capture-pane."""

from __future__ import annotations

import os
from datetime import date

import pytest

from tests.conftest import shared_file
from tests.e2e.test_tmux import KAMTUI, Tmux, _need_tmux

pytestmark = [pytest.mark.e2e, pytest.mark.realdata]


def _crm_workspace(path) -> list[str]:
    from kamtui.service import Workbench

    accounts = shared_file("maven-crm", "accounts.csv")
    pipeline = shared_file("maven-crm", "sales_pipeline.csv")
    with Workbench.open(str(path)) as bench:
        bench.set_as_of(date(2017, 12, 31))
        bench.import_files([accounts, pipeline])
        return [s.name for s in bench.account_summaries()]


def test_crm_workspace_navigate_filter_and_quit(tmp_path, kamtui_home) -> None:
    _need_tmux()
    db = tmp_path / "crm.db"
    ranked = _crm_workspace(db)
    total = len(ranked)
    env = {"KAMTUI_HOME": str(kamtui_home), "TERM": "xterm-256color", "PATH": os.environ["PATH"]}
    term = Tmux([str(KAMTUI), "--db", str(db)], (120, 40), env)
    try:
        screen = term.wait_for(f"Accounts ({total})")
        assert "as of 2017-12-31" in screen
        term.keys("Down")
        term.wait_for(f"{ranked[1]}  T")  # the overview follows the cursor
        term.keys("/")
        for char in "industry:retail":
            term.keys(char)
        screen = term.wait_for(f" of {total})")
        assert "industry:retail" in screen
        term.keys("Escape", "?")
        term.wait_for("Keys — the account list")
        term.keys("Escape", "q")
        done = term.wait_for("EXITED=", timeout=10)
        assert "EXITED=0" in done and "Traceback" not in done
    finally:
        term.close()
