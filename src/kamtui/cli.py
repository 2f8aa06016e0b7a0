"""Command line: ``kamtui`` opens the TUI; subcommands score, import, export, demo, ...

A thin face on the workbench service. User errors print one readable line on stderr and exit
non-zero; tracebacks are for bugs only.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, NoReturn

from kamtui import __version__

if TYPE_CHECKING:
    from kamtui.service import Workbench

EXIT_USER_ERROR = 1
EXIT_USAGE = 2


class UserError(Exception):
    """An error in what the user asked for; printed as one line."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def parse_day(text: str) -> date | None:
    """An ISO date for ``--as-of``; 'today' means: follow the calendar."""
    value = text.strip().lower()
    if value in {"today", "now", ""}:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date; use YYYY-MM-DD (e.g. 2017-03-15) or 'today'"
        ) from None


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive whole number")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="kamtui",
        description="A keyboard-driven terminal workbench for key account managers.",
        epilog="Run 'kamtui demo' to try it on a generated book of accounts.",
    )
    parser.add_argument("--version", action="version", version=f"kamtui {__version__}")
    parser.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        help="workspace database file or SQLAlchemy URL (default: $KAMTUI_DB or the "
        "workspace in your user data folder)",
    )
    parser.add_argument(
        "--as-of",
        type=parse_day,
        metavar="DATE",
        default=argparse.SUPPRESS,
        help="compute every score as of DATE (YYYY-MM-DD, stored in the workspace; "
        "'today' to follow the calendar)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    score = sub.add_parser("score", help="print every account's scores")
    score.add_argument("--as-of", type=parse_day, metavar="DATE", default=argparse.SUPPRESS)
    score.add_argument("--format", choices=("table", "csv", "json"), default="table")
    score.add_argument("--top", type=_positive_int, metavar="N", help="only the first N accounts")
    score.set_defaults(handler=cmd_score)

    demo = sub.add_parser("demo", help="open (creating it if needed) the demo workspace")
    demo.add_argument("--reset", action="store_true", help="generate the demo workspace afresh")
    demo.add_argument(
        "--no-tui", action="store_true", help="create the demo workspace and print its path"
    )
    demo.set_defaults(handler=cmd_demo)
    return parser


# ---------------------------------------------------------------- helpers
def open_workbench(args: argparse.Namespace, *, create: bool = True) -> Workbench:
    from kamtui.service import Workbench

    bench = Workbench.open(args.db, create=create)
    if hasattr(args, "as_of"):
        bench.set_as_of(args.as_of)
    return bench


def _money(value: float | None) -> str:
    return "" if value is None else f"{value:,.2f}"


def _fmt(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


SCORE_COLUMNS = ("account", "recency_days", "frequency", "monetary", "r", "f", "m", "rfm", "tier")
SCORE_EXTRA = ("value", "health", "health_band", "priority", "alerts", "last_purchase")


def score_records(bench: Workbench, top: int | None = None) -> list[dict[str, Any]]:
    rows = bench.account_summaries()
    if top is not None:
        rows = rows[:top]
    return [
        {
            "account": s.name,
            "recency_days": s.recency_days,
            "frequency": s.frequency,
            "monetary": s.monetary,
            "r": s.r,
            "f": s.f,
            "m": s.m,
            "rfm": s.rfm,
            "tier": s.tier,
            "value": s.value_score,
            "health": s.health_score,
            "health_band": s.health_band,
            "priority": s.priority,
            "alerts": s.alert_count,
            "last_purchase": s.last_purchase.isoformat() if s.last_purchase else None,
        }
        for s in rows
    ]


# ---------------------------------------------------------------- commands
def cmd_score(args: argparse.Namespace) -> int:
    with open_workbench(args) as bench:
        bench.ensure_fresh_scores()
        as_of = bench.as_of()
        records = score_records(bench, args.top)
    out = sys.stdout
    if args.format == "csv":
        writer = csv.DictWriter(out, fieldnames=[*SCORE_COLUMNS, *SCORE_EXTRA], lineterminator="\n")
        writer.writeheader()
        for rec in records:
            writer.writerow({k: _fmt(v) for k, v in rec.items()})
        return 0
    if args.format == "json":
        json.dump(records, out, indent=2)
        out.write("\n")
        return 0
    from rich import box
    from rich.console import Console
    from rich.table import Table

    table = Table(
        title=f"Account scores as of {as_of.isoformat()}",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        collapse_padding=True,
    )
    table.add_column("Account", min_width=13, overflow="ellipsis", no_wrap=True)
    for name in ("Tier", "R F M", "RFM", "Days", "Buys", "Spend 12m", "Value", "Health", "Alerts"):
        table.add_column(name, justify="right", no_wrap=True, min_width=len(name))
    for rec in records:
        table.add_row(
            rec["account"],
            str(rec["tier"] or ""),
            " ".join(str(rec[k] or "") for k in ("r", "f", "m")),
            str(rec["rfm"] or ""),
            "" if rec["recency_days"] is None else str(rec["recency_days"]),
            str(rec["frequency"] or 0),
            _money(rec["monetary"]),
            "" if rec["value"] is None else f"{rec['value']:.0f}",
            "" if rec["health"] is None else f"{rec['health']:.0f}",
            str(rec["alerts"] or ""),
        )
    console = Console()
    if not records:
        console.print(
            "The workspace has no accounts yet. Try 'kamtui import FILE' or 'kamtui demo'."
        )
        return 0
    console.print(table)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from kamtui.demo import ensure_demo
    from kamtui.paths import demo_db_path

    target = args.db or str(demo_db_path())
    path = ensure_demo(target, reset=args.reset)
    if args.no_tui:
        print(path)
        return 0
    args.db = target
    return run_tui(args)


def run_tui(args: argparse.Namespace) -> int:
    from kamtui.ui.app import KamtuiApp

    as_of = getattr(args, "as_of", ...)
    app = KamtuiApp(db=args.db, as_of=as_of)
    app.run()
    return app.return_code or 0


# ---------------------------------------------------------------- entry point
def _fail(message: str, code: int = EXIT_USER_ERROR) -> int:
    sys.stderr.write(f"kamtui: error: {message}\n")
    return code


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    from kamtui.errors import KamtuiError

    try:
        if handler is None:
            return run_tui(args)
        return handler(args)
    except (KamtuiError, UserError) as exc:
        return _fail(str(exc))
    except FileNotFoundError as exc:
        return _fail(f"no such file: {exc.filename}")
    except PermissionError as exc:
        return _fail(f"permission denied: {exc.filename}")
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        sys.stderr.close()
        return 0
