"""End to end: the installed ``kamtui`` command in a real terminal (tmux), read back with
capture-pane, at 80×24 and 200×50."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from datetime import date
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

KAMTUI = Path(sys.executable).with_name("kamtui")


def _need_tmux() -> None:
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed (the CI script installs it)")
    if not KAMTUI.exists():
        pytest.skip(f"the kamtui command is not installed beside {sys.executable}")


class Tmux:
    def __init__(self, command: list[str], size: tuple[int, int], env: dict[str, str]) -> None:
        self.name = f"kamtui-e2e-{uuid.uuid4().hex[:8]}"
        cols, rows = size
        shell = " ".join(f"'{part}'" for part in command)
        env_args = [f"{k}={v}" for k, v in env.items()]
        subprocess.run(
            ["tmux", "new-session", "-d", "-s", self.name, "-x", str(cols), "-y", str(rows),
             "env", *env_args, "sh", "-c", f"{shell}; echo EXITED=$?; sleep 30"],
            check=True,
        )  # fmt: skip

    def keys(self, *keys: str) -> None:
        for key in keys:
            subprocess.run(["tmux", "send-keys", "-t", self.name, key], check=True)
            time.sleep(0.15)

    def screen(self) -> str:
        out = subprocess.run(
            ["tmux", "capture-pane", "-p", "-t", self.name], capture_output=True, text=True
        )
        return out.stdout

    def wait_for(self, text: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{text!r} did not appear; the screen shows:\n{screen}")

    def close(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)


def _workspace(path: Path) -> list[str]:
    """30 accounts with a spread of tiers; returns the names in ranked order."""
    from kamtui.service import Workbench

    with Workbench.open(str(path)) as bench:
        for n in range(30):
            acct = bench.add_account(f"Account {n:02d} Limited").created_id
            for k in range(n % 7):
                bench.add_transaction(acct, date(2024, 6, 28 - k * 3), 1_000.0 * (n + 1))
        bench.set_as_of(date(2024, 6, 30))
        return [s.name for s in bench.account_summaries()]


@pytest.mark.parametrize("size", [(80, 24), (200, 50)])
def test_navigate_and_quit_in_a_real_terminal(tmp_path, size, kamtui_home) -> None:
    _need_tmux()
    db = tmp_path / "e2e.db"
    ranked = _workspace(db)
    env = {"KAMTUI_HOME": str(kamtui_home), "TERM": "xterm-256color", "PATH": os.environ["PATH"]}
    term = Tmux([str(KAMTUI), "--db", str(db)], size, env)
    try:
        screen = term.wait_for("Accounts (30)")
        assert "as of 2024-06-30" in screen
        assert f"{ranked[0]}  T1" in screen  # the overview shows the top account
        term.keys("Down", "Down")
        term.wait_for(f"{ranked[2]}  T")  # ... and follows the cursor
        term.keys("q")
        done = term.wait_for("EXITED=", timeout=10)
        assert "EXITED=0" in done and "Traceback" not in done
    finally:
        term.close()


def test_crm_export_workspace_navigate_filter_and_quit(tmp_path, kamtui_home) -> None:
    """Import the Maven CRM export with the installed command, then use the TUI on it."""
    _need_tmux()
    from tests.conftest import shared_file

    accounts = shared_file("maven-crm", "accounts.csv")
    pipeline = shared_file("maven-crm", "sales_pipeline.csv")
    db = tmp_path / "crm.db"
    env = {"KAMTUI_HOME": str(kamtui_home), "TERM": "xterm-256color", "PATH": os.environ["PATH"]}
    subprocess.run(
        [str(KAMTUI), "--db", str(db), "import", str(accounts), str(pipeline)],
        check=True,
        capture_output=True,
        env={**os.environ, **env},
    )
    term = Tmux([str(KAMTUI), "--db", str(db), "--as-of", "2017-03-15"], (120, 40), env)
    try:
        screen = term.wait_for("Accounts (85)")
        assert "as of 2017-03-15" in screen
        term.keys("Down", "Down", "End", "Home")
        term.keys("/")
        subprocess.run(["tmux", "send-keys", "-t", term.name, "-l", "tier:1"], check=True)
        term.keys("Enter")
        filtered = term.wait_for(" of 85)")
        rows = [line.strip() for line in filtered.splitlines() if line.strip().startswith("│T")]
        lines = [row for row in rows if not row.startswith("│Tier")]
        assert lines and all(line.strip().startswith("│T1") for line in lines), filtered
        term.keys("Escape", "q")
        done = term.wait_for("EXITED=", timeout=10)
        assert "EXITED=0" in done and "Traceback" not in done
    finally:
        term.close()
