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
    from kamtui.domain.models import check_day

    value = text.strip().lower()
    if value in {"today", "now"}:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError as exc:
        reason = "" if not value or "format" in str(exc) else f" ({exc})"
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date{reason}; use YYYY-MM-DD (e.g. 2017-03-15) or 'today'"
        ) from None
    try:
        return check_day(day)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


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
    score.add_argument(
        "--explain",
        metavar="ACCOUNT",
        help="print every score of one account (name, id or external id) with its breakdown",
    )
    score.set_defaults(handler=cmd_score)

    demo = sub.add_parser("demo", help="open (creating it if needed) the demo workspace")
    demo.add_argument("--reset", action="store_true", help="generate the demo workspace afresh")
    demo.add_argument(
        "--no-tui", action="store_true", help="create the demo workspace and print its path"
    )
    demo.set_defaults(handler=cmd_demo)

    alerts = sub.add_parser("alerts", help="list open alerts, most severe first")
    alerts.add_argument("--account", metavar="ACCOUNT", help="only this account's alerts")
    alerts.add_argument("--all", action="store_true", help="include acknowledged/snoozed/resolved")
    alerts.add_argument(
        "--severity",
        choices=("critical", "warning", "info"),
        help="only alerts of this severity or worse",
    )
    alerts.add_argument("--top", type=_positive_int, metavar="N", help="only the first N alerts")
    alerts.add_argument("--format", choices=("table", "json"), default="table")
    alerts.set_defaults(handler=cmd_alerts)

    portfolio = sub.add_parser("portfolio", help="print the portfolio KPIs")
    portfolio.add_argument("--format", choices=("table", "json"), default="table")
    portfolio.set_defaults(handler=cmd_portfolio)

    config = sub.add_parser("config", help="show or change settings")
    config_sub = config.add_subparsers(dest="config_command", metavar="ACTION", required=True)
    show = config_sub.add_parser("show", help="the effective settings and where each comes from")
    show.add_argument("--format", choices=("table", "toml"), default="table")
    show.set_defaults(handler=cmd_config_show)
    set_ = config_sub.add_parser(
        "set",
        help="override settings in this workspace, all at once "
        "(e.g. value.weights.revenue 40 value.weights.growth 10)",
    )
    set_.add_argument(
        "pairs",
        nargs="+",
        metavar="KEY VALUE",
        help="one or more setting names, each followed by its value ('default' removes it)",
    )
    set_.set_defaults(handler=cmd_config_set)

    from kamtui.interchange.commands import add_commands

    add_commands(sub)  # import, export, backup, restore
    return parser


# ---------------------------------------------------------------- helpers
# Commands that may create a workspace; the others refuse a missing one instead of leaving
# an empty file (and folders) behind a mistyped --db.
CREATING_COMMANDS = {"import", "restore"}


def open_workbench(args: argparse.Namespace) -> Workbench:
    from kamtui.service import Workbench

    create = getattr(args, "command", None) in CREATING_COMMANDS
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
    if args.explain is not None:
        return _explain(args)
    with open_workbench(args) as bench:
        bench.ensure_fresh_scores()
        as_of = bench.as_of()
        pinned = bench.as_of_pinned()
        latest = bench.latest_transaction_day()
        records = score_records(bench, args.top)
    if not pinned and latest is not None and (as_of - latest).days > 365:
        sys.stderr.write(
            f"note: the latest transaction is {latest.isoformat()}, more than a year before "
            f"today; for historical data try --as-of {latest.isoformat()}\n"
        )
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
    console = Console()
    # the numbers need ~62 columns; the name gets the rest (cut with … rather than drop columns)
    name_width = max(13, console.width - 64)
    table.add_column(
        "Account", min_width=13, max_width=name_width, overflow="ellipsis", no_wrap=True
    )
    for name in ("Tier", "R F M", "RFM", "Days", "Buys", "Spend 12m", "Value", "Health", "⚠"):
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
    if not records:
        console.print(
            "The workspace has no accounts yet. Try 'kamtui import FILE' or 'kamtui demo'."
        )
        return 0
    console.print(table)
    return 0


def _explain(args: argparse.Namespace) -> int:
    from rich.console import Console

    from kamtui.render import overview_renderable

    with open_workbench(args) as bench:
        bench.ensure_fresh_scores()
        account_id = bench.find_account(args.explain)
        detail = bench.explain(account_id)
        alerts = bench.alerts(account_id)
        as_of = bench.as_of()
    if args.format == "json":
        summary = detail["summary"]
        payload = {
            "account": summary.name,
            "as_of": as_of.isoformat(),
            "scores": {k: _jsonable(v) for k, v in vars(summary).items()},
            "breakdown": detail["breakdown"],
            "alerts": [_jsonable(vars(a)) for a in alerts],
        }
        json.dump(payload, sys.stdout, indent=2, default=str)
        sys.stdout.write("\n")
        return 0
    console = Console()
    console.print(f"[dim]as of {as_of.isoformat()}[/dim]")
    console.print(overview_renderable(detail["summary"], detail["breakdown"]))
    if alerts:
        console.print("[b]Open alerts[/b]")
        for alert in alerts:
            console.print(
                f"  [{_SEVERITY_STYLE[alert.severity]}]{alert.severity}[/] {alert.message}"
            )
            console.print(f"      next step: {alert.next_step}")
    return 0


_SEVERITY_STYLE = {"critical": "bold red", "warning": "yellow", "info": "cyan"}
_SEVERITIES = ("critical", "warning", "info")


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


def cmd_alerts(args: argparse.Namespace) -> int:
    with open_workbench(args) as bench:
        bench.ensure_fresh_scores()
        account_id = bench.find_account(args.account) if args.account else None
        alerts = bench.alerts(account_id, include_closed=args.all)
        as_of = bench.as_of()
    if args.severity:
        worst = ("critical", "warning", "info").index(args.severity)
        alerts = [a for a in alerts if _SEVERITIES.index(a.severity) <= worst]
    total = len(alerts)
    if args.top:
        alerts = alerts[: args.top]
    if args.format == "json":
        json.dump([_jsonable(vars(a)) for a in alerts], sys.stdout, indent=2, default=str)
        sys.stdout.write("\n")
        return 0
    from rich import box
    from rich.console import Console
    from rich.table import Table

    console = Console()
    if not alerts:
        console.print(f"No open alerts as of {as_of.isoformat()}.")
        return 0
    shown = f"{len(alerts)} of {total}" if len(alerts) < total else f"{total}"
    table = Table(
        title=f"{shown} alerts as of {as_of.isoformat()}",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
    table.add_column(
        "Account", no_wrap=True, max_width=max(22, console.width // 4), overflow="ellipsis"
    )
    table.add_column("Severity", no_wrap=True)
    table.add_column("Alert", ratio=3)
    table.add_column("Next step", ratio=2)
    if args.all:
        table.add_column("Status", no_wrap=True)
    for a in alerts:
        cells = [
            a.account,
            f"[{_SEVERITY_STYLE[a.severity]}]{a.severity}[/]",
            a.message,
            a.next_step,
        ]
        if args.all:
            cells.append(a.status)
        table.add_row(*cells)
    console.print(table)
    return 0


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%"


def cmd_portfolio(args: argparse.Namespace) -> int:
    with open_workbench(args) as bench:
        k = bench.portfolio()
    if args.format == "json":
        from dataclasses import asdict

        json.dump(_jsonable(asdict(k)), sys.stdout, indent=2, default=str)
        sys.stdout.write("\n")
        return 0
    from rich import box
    from rich.console import Console
    from rich.table import Table

    table = Table(
        title=f"Portfolio as of {k.as_of.isoformat()}",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
    table.add_column("KPI")
    table.add_column("Value", justify="right")
    table.add_column("Healthy", style="dim")
    rows = [
        ("Accounts (active)", f"{k.accounts:,} ({k.active_accounts:,})", ""),
        ("Revenue (ACV or trailing 12 months)", _money(k.revenue), ""),
        ("Revenue per account", _money(k.revenue_per_account), "not declining"),
        ("Customer lifetime value", _money(k.clv), "> acquisition cost"),
        (
            f"Revenue from the top 20% ({k.top_accounts} accounts)",
            _pct(k.concentration_top20_pct),
            "Pareto: ~80%",
        ),
        ("Accounts with 3+ products", _pct(k.products_3plus_pct), "≥ 65%"),
        (
            f"ARPA growth {k.arpa_quarters[0]} → {k.arpa_quarters[1]}",
            _pct(k.arpa_growth_qoq_pct),
            "> 0%",
        ),
        ("Retention rate", _pct(k.retention_rate_pct), "≥ 85%"),
        (f"NPS ({k.nps_answers} answers)", "—" if k.nps is None else f"{k.nps:.0f}", "> 50"),
        (
            "Support resolution time",
            "—" if k.support_resolution_hours is None else f"{k.support_resolution_hours:.1f} h",
            "≤ 48 h",
        ),
        ("Gross margin", _pct(k.gross_margin_pct), "≥ 30%"),
    ]
    for row in rows:
        table.add_row(*row)
    Console().print(table)
    return 0


def cmd_config_show(args: argparse.Namespace) -> int:
    from kamtui.settings import to_toml

    with open_workbench(args) as bench:
        effective = bench.effective_settings()
    if args.format == "toml":
        sys.stdout.write(to_toml(effective.values))
        return 0
    from rich import box
    from rich.console import Console
    from rich.table import Table

    table = Table(
        box=box.SIMPLE_HEAD, pad_edge=False, title="Effective settings", title_justify="left"
    )
    table.add_column("Setting", no_wrap=True)
    table.add_column("Value")
    table.add_column("Source", style="dim")
    for key, value, source in effective.rows():
        shown = (
            ", ".join(f"{v:g}" if isinstance(v, float) else str(v) for v in value)
            if isinstance(value, tuple)
            else ("" if value is None else str(value))
        )
        table.add_row(key, shown, source)
    Console().print(table)
    return 0


def _setting_value(raw: str) -> Any:
    """A value typed on the command line: TOML (numbers, true, dates, [lists]), 30,90 lists,
    or a bare word as text; 'default' is None (remove the override)."""
    import tomllib

    raw = raw.strip()
    if raw.lower() == "default":
        return None
    if "," in raw and not raw.startswith(("[", '"', "'")):
        raw = f"[{raw}]"  # 30, 90, 180, 365 as `config show` prints it
    try:
        return tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        return raw


def cmd_config_set(args: argparse.Namespace) -> int:
    pairs = args.pairs
    if len(pairs) % 2:
        raise UserError(f"{pairs[-1]!r} needs a value after it (KEY VALUE [KEY VALUE ...])")
    changes = {key: _setting_value(raw) for key, raw in zip(pairs[::2], pairs[1::2], strict=True)}
    with open_workbench(args) as bench:
        change = bench.set_workspace_settings(changes)
    for key, value in changes.items():
        print(f"{key} {'removed' if value is None else 'set to ' + str(value)}")
    if change.recalc.scored:
        print(f"{change.recalc.scored} accounts rescored.")
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
