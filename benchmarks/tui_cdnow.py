"""TUI responsiveness on the CDNOW workspace (23,570 accounts), measured in a real terminal.

    .venv/bin/python benchmarks/tui_cdnow.py [--runs 3]

Builds a temporary workspace (``kamtui import CDNOW_master.txt``, as of 1998-06-30), then runs
the installed ``kamtui`` in tmux at 120×40 and polls ``capture-pane`` every 10 ms:

* first frame: from starting the command to the first screen showing kamtui's header;
* list ready: from starting the command to "Accounts (23,570)" on screen;
* filter: from typing the last key of ``tier:1`` (the list filters as you type) to the
  filtered count on screen;
* cursor: from sending End to the last account's name in the overview.

Not a test: figures depend on the machine. Needs tmux.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CDNOW = ROOT.parent / "shared" / "data" / "cdnow" / "CDNOW_master.txt"
KAMTUI = Path(sys.executable).with_name("kamtui")


def capture(session: str) -> str:
    return subprocess.run(
        ["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True
    ).stdout


def wait_for(session: str, text: str, timeout: float = 60.0) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if text in capture(session):
            return time.perf_counter()
        time.sleep(0.01)
    raise SystemExit(f"timed out waiting for {text!r}:\n{capture(session)}")


def one_run(db: Path, env: dict[str, str], tier1: int) -> dict[str, float]:
    session = f"bench{os.getpid()}"
    cmd = f"env KAMTUI_HOME={env['KAMTUI_HOME']} {KAMTUI} --db {db}; sleep 5"
    start = time.perf_counter()
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, "-x", "120", "-y", "40", cmd], check=True
    )
    try:
        first = wait_for(session, "kamtui") - start
        ready = wait_for(session, "Accounts (23,570)") - start
        subprocess.run(["tmux", "send-keys", "-t", session, "/"], check=True)
        time.sleep(0.3)
        subprocess.run(["tmux", "send-keys", "-t", session, "-l", "tier:"], check=True)
        time.sleep(0.5)
        # the list filters as you type: time the last keystroke to the redrawn count
        sent = time.perf_counter()
        subprocess.run(["tmux", "send-keys", "-t", session, "-l", "1"], check=True)
        filtered = wait_for(session, f"Accounts ({tier1:,} of 23,570)") - sent
        subprocess.run(["tmux", "send-keys", "-t", session, "Escape"], check=True)
        time.sleep(0.3)
        screen = capture(session)
        sent = time.perf_counter()
        subprocess.run(["tmux", "send-keys", "-t", session, "End"], check=True)
        while capture(session) == screen and time.perf_counter() - sent < 10:
            time.sleep(0.01)
        cursor = time.perf_counter() - sent
        subprocess.run(["tmux", "send-keys", "-t", session, "q"], check=True)
        return {"first frame": first, "list ready": ready, "filter": filtered, "cursor": cursor}
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if shutil.which("tmux") is None or not CDNOW.exists() or not KAMTUI.exists():
        raise SystemExit("needs tmux, the installed kamtui and ../shared/data/cdnow")
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "KAMTUI_HOME": str(Path(tmp) / "home")}
        db = Path(tmp) / "cdnow.db"
        t = time.perf_counter()
        subprocess.run(
            [str(KAMTUI), "--db", str(db), "--as-of", "1998-06-30", "import", str(CDNOW)],
            check=True,
            env=env,
            capture_output=True,
        )
        print(f"workspace: kamtui import CDNOW_master.txt took {time.perf_counter() - t:.2f} s")
        con = sqlite3.connect(db)
        tier1 = con.execute("SELECT COUNT(*) FROM score WHERE tier = 1").fetchone()[0]
        con.close()
        runs = [one_run(db, env, tier1) for _ in range(args.runs)]
    for key in runs[0]:
        values = [r[key] for r in runs]
        print(
            f"{key:12s} median {statistics.median(values) * 1000:7.0f} ms   "
            f"(runs: {', '.join(f'{v * 1000:.0f}' for v in values)} ms)"
        )


if __name__ == "__main__":
    main()
