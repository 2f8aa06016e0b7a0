"""Import throughput at scale: a generated 1,000,000-row transactions CSV, and CDNOW.

    .venv/bin/python benchmarks/import_scale.py [--rows N] [--accounts N] [--keep DIR]

Prints, for each file: the time to read and validate it (no database), the time of the whole
``Workbench.import_files`` call (read + bulk write + rescoring, one transaction), and rows/s.
A re-import of the generated file (which must add nothing) is timed as well. Not a test: the
figures depend on the machine. Everything happens in a temporary folder (``KAMTUI_HOME`` too).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

CDNOW = (
    Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "cdnow" / "CDNOW_master.txt"
)


def generate(path: Path, rows: int, accounts: int, seed: int = 7) -> None:
    """account,date,amount,product,id — invented names, amounts with refunds, unique ids."""
    rng = random.Random(seed)
    names = [f"Account {i:05d} Ltd" for i in range(accounts)]
    products = ["Platform", "Support", "Training", "Add-on A", "Add-on B"]
    start = date(2022, 1, 1)
    days = [(start + timedelta(days=d)).isoformat() for d in range(900)]
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("account,date,amount,product,id\n")
        for i in range(rows):
            amount = (
                round(rng.uniform(-50, 5000), 2)
                if rng.random() < 0.03
                else round(rng.uniform(10, 5000), 2)
            )
            fh.write(
                f"{names[rng.randrange(accounts)]},{days[rng.randrange(900)]},{amount},"
                f"{products[rng.randrange(5)]},INV-{i:07d}\n"
            )


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(label: str, path: Path, db: Path, *, reimport: bool = False) -> None:
    from kamtui.interchange.importer import read_files
    from kamtui.service import Workbench

    t0 = time.perf_counter()
    plan = read_files([path])
    t_read = time.perf_counter() - t0
    if not plan.ok:
        print(f"{label}: cannot import: {plan.errors[0]}")
        return
    rows = plan.rows_read
    del plan
    wb = Workbench.open(str(db))
    try:
        t0 = time.perf_counter()
        report = wb.import_files([path])
        t_all = time.perf_counter() - t0
        tx = report.counts["transactions"]
        print(
            f"{label}: {rows:,} rows; read+validate {t_read:.2f} s ({rows / t_read:,.0f} rows/s); "
            f"import (read, write, rescore {report.rescored:,} accounts, commit) {t_all:.2f} s "
            f"({rows / t_all:,.0f} rows/s); {tx.created:,} lines, "
            f"{report.counts['accounts'].created:,} accounts created"
        )
        if reimport:
            t0 = time.perf_counter()
            again = wb.import_files([path])
            t_again = time.perf_counter() - t0
            print(
                f"{label} re-import: {t_again:.2f} s, "
                f"{again.counts['transactions'].created:,} created, "
                f"{again.counts['transactions'].unchanged:,} unchanged"
            )
    finally:
        wb.close()
    print(f"  peak RSS so far {_rss_mib():,.0f} MiB; database {db.stat().st_size / 2**20:,.0f} MiB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--accounts", type=int, default=5_000)
    parser.add_argument("--keep", metavar="DIR", help="work in DIR instead of a temporary folder")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kamtui-bench-") as tmp:
        work = Path(args.keep) if args.keep else Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        os.environ["KAMTUI_HOME"] = str(work / "home")
        os.environ.pop("KAMTUI_DB", None)
        print(f"python {sys.version.split()[0]}, work folder {work}")
        if CDNOW.exists():
            run("CDNOW_master.txt", CDNOW, work / "cdnow.db")
        else:
            print(f"CDNOW skipped: {CDNOW} not found")
        big = work / "transactions_1m.csv"
        t0 = time.perf_counter()
        generate(big, args.rows, args.accounts)
        print(
            f"generated {args.rows:,} rows ({big.stat().st_size / 2**20:,.0f} MiB) "
            f"in {time.perf_counter() - t0:.1f} s"
        )
        run(f"generated {args.rows:,}", big, work / "big.db", reimport=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
