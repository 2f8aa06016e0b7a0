"""The CLI's data-in/out subcommands: ``import``, ``export``, ``backup``, ``restore``.

Registered by ``kamtui.cli.build_parser``; each handler calls the workbench service and prints
its report. Light at import time (argparse only): the service loads when a command runs.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

CSV_CHOICES = (
    "accounts",
    "transactions",
    "opportunities",
    "stakeholders",
    "activities",
    "kpis",
    "objectives",
    "actions",
    "qbrs",
    "alerts",
    "snapshots",
)


def add_commands(sub: Any) -> None:
    """Add the subcommands to ``build_parser``'s subparsers."""
    imp = sub.add_parser(
        "import",
        help="import CRM/billing exports (CSV, TSV, whitespace text)",
        description="Import files in one transaction: all or nothing. The kind of each file "
        "is recognised by its headers (see docs/import.md).",
    )
    imp.add_argument("files", nargs="+", metavar="FILE")
    imp.add_argument(
        "--dry-run", action="store_true", help="show what would change, change nothing"
    )
    order = imp.add_mutually_exclusive_group()
    order.add_argument(
        "--dayfirst", action="store_true", help="slashed dates are D/M/YYYY (e.g. 03/04 = 3 April)"
    )
    order.add_argument(
        "--monthfirst", action="store_true", help="slashed dates are M/D/YYYY (03/04 = 4 March)"
    )
    imp.add_argument(
        "--map", metavar="MAPPING", help="a mapping .toml file (or a saved mapping's name)"
    )
    imp.add_argument(
        "--save-map", metavar="NAME", help="save --map's mapping under NAME for later --map NAME"
    )
    imp.set_defaults(handler=cmd_import)

    exp = sub.add_parser("export", help="export JSON, CSV, Markdown or iCalendar")
    kinds = exp.add_subparsers(dest="export_format", metavar="FORMAT", required=True)
    js = kinds.add_parser("json", help="the whole workspace (restore with 'kamtui restore')")
    js.add_argument("-o", "--output", metavar="PATH", default="kamtui-workspace.json")
    js.set_defaults(handler=cmd_export_json)
    cs = kinds.add_parser("csv", help="one table as spreadsheet-safe CSV")
    cs.add_argument("--what", choices=CSV_CHOICES, default="accounts")
    cs.add_argument("-o", "--output", metavar="PATH", help="file, or '-' for stdout")
    cs.set_defaults(handler=cmd_export_csv)
    md = kinds.add_parser("markdown", help="an account one-pager")
    md.add_argument("--account", required=True, metavar="ACCOUNT", help="name, id or external id")
    md.add_argument("-o", "--output", metavar="PATH", help="file, or '-' for stdout")
    md.set_defaults(handler=cmd_export_markdown)
    ics = kinds.add_parser("ics", help="QBR dates and plan checkpoints as iCalendar")
    ics.add_argument("--account", metavar="ACCOUNT", help="only this account")
    ics.add_argument("-o", "--output", metavar="PATH", default="kamtui.ics")
    ics.set_defaults(handler=cmd_export_ics)

    backup = sub.add_parser("backup", help="copy the workspace safely, even while it is open")
    backup.add_argument("path", nargs="?", metavar="PATH", help="target file or folder")
    backup.set_defaults(handler=cmd_backup)

    restore = sub.add_parser("restore", help="load a JSON export into an empty workspace")
    restore.add_argument("file", metavar="FILE")
    restore.set_defaults(handler=cmd_restore)


def _bench(args: argparse.Namespace) -> Any:
    from kamtui.cli import open_workbench

    return open_workbench(args)


def _console(stderr: bool = False) -> Any:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=True)


# --------------------------------------------------------------------------- import
def print_report(report: Any, console: Any) -> None:
    """The import summary: files, then created/updated/unchanged/skipped per record kind."""
    from rich import box
    from rich.table import Table

    from kamtui.interchange.importer import describe_file

    for f in report.files:
        console.print(describe_file(f))
    verb = "would be " if report.dry_run else ""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("Records")
    deleted = any(c.deleted for c in report.counts.values())
    names = [f"{verb}created", f"{verb}updated", "unchanged", "skipped"]
    if deleted:
        names.append(f"{verb}deleted")
    for name in names:
        table.add_column(name, justify="right")
    reasons: list[str] = []
    for kind, c in report.counts.items():
        if not (c.created or c.updated or c.unchanged or c.skipped or c.deleted):
            continue
        cells = [f"{c.created:,}", f"{c.updated:,}", f"{c.unchanged:,}", f"{c.total_skipped:,}"]
        if deleted:
            cells.append(f"{c.deleted:,}")
        table.add_row(kind, *cells)
        reasons.extend(f"  {kind} skipped {n:,}: {r}" for r, n in sorted(c.skipped.items()))
    if table.row_count:
        console.print(table)
    for line in reasons:
        console.print(line)
    for note in report.notes:
        console.print(f"note: {note}")
    for warning in report.warnings:
        console.print(f"warning: {warning}")
    if report.dry_run:
        console.print("Dry run: nothing was written.")
    elif report.applied:
        noun = "account" if report.rescored == 1 else "accounts"
        console.print(f"Imported; {report.rescored:,} {noun} rescored.")


def cmd_import(args: argparse.Namespace) -> int:
    from kamtui.cli import UserError
    from kamtui.interchange.importer import ImportRefusedError

    if args.save_map and not args.map:
        raise UserError("--save-map NAME saves the mapping given with --map; add --map FILE")
    dayfirst = True if args.dayfirst else False if args.monthfirst else None
    with _bench(args) as bench:
        try:
            report = bench.import_files(
                args.files, dry_run=args.dry_run, dayfirst=dayfirst, mapping=args.map
            )
        except ImportRefusedError as exc:
            errors = exc.report.errors
            if len(errors) > 1:
                err = _console(stderr=True)
                for problem in errors:
                    err.print(f"  {problem}", markup=False)
            raise
    if args.save_map:
        import tomllib

        from kamtui.interchange.profiles import save_mapping

        path = save_mapping(
            tomllib.loads(Path(args.map).read_text(encoding="utf-8")), args.save_map
        )
        report.notes.append(
            f"mapping saved as {args.save_map!r} ({path}); reuse: --map {args.save_map}"
        )
    print_report(report, _console())
    return 0


# --------------------------------------------------------------------------- export
def _to_output(target: str | None, default: str, write: Any) -> Path | None:
    """Call ``write(path)``; with ``-`` write to a temporary file and copy it to stdout."""
    if target == "-":
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / default
            write(path)
            sys.stdout.write(path.read_text(encoding="utf-8"))
        return None
    path = Path(target or default)
    write(path)
    return path


def cmd_export_json(args: argparse.Namespace) -> int:
    with _bench(args) as bench:
        path = _to_output(args.output, "kamtui-workspace.json", bench.export_json)
    if path:
        _console().print(f"Exported the workspace to {path}")
    return 0


def cmd_export_csv(args: argparse.Namespace) -> int:
    counts: list[int] = []
    with _bench(args) as bench:
        path = _to_output(
            args.output, f"{args.what}.csv", lambda p: counts.append(bench.export_csv(args.what, p))
        )
    if path:
        _console().print(f"Exported {counts[0]:,} {args.what} to {path}")
    return 0


def cmd_export_markdown(args: argparse.Namespace) -> int:
    import re

    with _bench(args) as bench:
        account_id = bench.find_account(args.account)
        name = bench.account(account_id).name
        slug = re.sub(r"[^\w.-]+", "-", name).strip("-").lower() or f"account-{account_id}"
        path = _to_output(
            args.output,
            f"{slug}.md",
            lambda p: bench.export_markdown_account(account_id, p),
        )
    if path:
        _console().print(f"Wrote the one-pager of {name} to {path}")
    return 0


def cmd_export_ics(args: argparse.Namespace) -> int:
    counts: list[int] = []
    with _bench(args) as bench:
        account_id = bench.find_account(args.account) if args.account else None
        path = _to_output(
            args.output, "kamtui.ics", lambda p: counts.append(bench.export_ics(p, account_id))
        )
    if path:
        _console().print(f"Exported {counts[0]:,} calendar events to {path}")
    return 0


# --------------------------------------------------------------------------- backup/restore
def cmd_backup(args: argparse.Namespace) -> int:
    with _bench(args) as bench:
        path = bench.backup(args.path)
    _console().print(f"Backed up the workspace to {path}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from kamtui.paths import resolve_db_url, sqlite_path

    target = sqlite_path(resolve_db_url(args.db))
    created = target is not None and not target.exists()
    try:
        with _bench(args) as bench:
            counts = bench.restore_json(args.file)
    except BaseException:
        if created and target is not None:  # leave no empty workspace behind a failed restore
            for leftover in (
                target,
                *(target.with_name(target.name + s) for s in ("-wal", "-shm")),
            ):
                leftover.unlink(missing_ok=True)
        raise
    total = sum(counts.values())
    accounts = counts.get("account", 0)
    _console().print(f"Restored {total:,} records ({accounts:,} accounts) from {args.file}")
    return 0
