"""Exports: lossless JSON round trip, formula-safe CSV, Markdown one-pager, iCalendar, backup."""

from __future__ import annotations

import csv
import io
import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from kamtui.errors import ServiceError
from kamtui.interchange.export import ics_escape, ics_fold, safe_cell
from kamtui.service import Workbench


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def seeded(tmp_path: Path) -> Iterator[Workbench]:
    """A small workspace with accounts, lines, people, KPIs, a plan, a QBR and an alert."""
    wb = Workbench.open(str(tmp_path / "seeded.db"), today=lambda: date(2024, 6, 30))
    wb.import_files(
        [
            _write(
                tmp_path / "accounts.csv",
                "name,external id,industry,acv,renewal date,strategic fit\n"
                "Gamma Works,G-1,Logistics,120000,2024-09-30,4\n"
                '"=HYPERLINK(""http://x"")",G-2,+Retail,,,\n',
            ),
            _write(
                tmp_path / "lines.csv",
                "account,date,amount,product\n"
                "Gamma Works,2024-06-01,45000.5,Platform\n"
                "Gamma Works,2024-06-02,-1200.25,@refund\n",
            ),
            _write(
                tmp_path / "people.csv",
                "account,name,title,role,influence,attitude\n"
                "Gamma Works,Ivy Stone,CFO,economic buyer,5,1\n"
                "Gamma Works,Jon Reed,Ops | Lead,champion,3,2\n",
            ),
            _write(
                tmp_path / "kpis.csv",
                "account,period,metric,value\n"
                "Gamma Works,2024-Q1,nps,55\nGamma Works,2024-Q2,nps,61\n",
            ),
        ]
    )
    gamma = wb.find_account("Gamma Works")
    with wb.unit_of_work("edit") as uow:
        c = uow.conn
        c.exec_driver_sql(
            "INSERT INTO plan_priority (account_id, title, position) "
            "VALUES (?, 'Cut freight cost', 0)",
            (gamma,),
        )
        c.exec_driver_sql(
            "INSERT INTO objective (account_id, text, metric, baseline, target, unit, start_date, "
            "due_date, owner_side, status) VALUES (?, 'Reduce cost per parcel, by Q4', 'cost', "
            "4.1, 3.5, 'EUR', '2024-04-01', '2024-12-31', 'joint', 'active')",
            (gamma,),
        )
        c.exec_driver_sql(
            "INSERT INTO plan_action (account_id, text, owner_name, owner_side, due_date, done) "
            "VALUES (?, 'Share lane data; weekly', 'Ivy Stone', 'client', '2024-07-15', 0)",
            (gamma,),
        )
        c.exec_driver_sql(
            "INSERT INTO qbr (account_id, day, start_time, length_minutes, held, next_qbr_date) "
            "VALUES (?, '2024-07-14', '14:00', 60, 0, '2024-10-14')",
            (gamma,),
        )
        c.exec_driver_sql(
            "INSERT INTO alert (account_id, key, rule, severity, message, next_step, status) "
            "VALUES (?, 'renewal', 'renewal_risk', 'critical', 'Renewal in 92 days', "
            "'Book a call', 'open')",
            (gamma,),
        )
        uow.touch(gamma)
    try:
        yield wb
    finally:
        wb.close()


def test_json_round_trip_is_identical(seeded: Workbench, tmp_path: Path) -> None:
    first = seeded.export_json(tmp_path / "one.json")
    with Workbench.open(str(tmp_path / "empty.db"), today=seeded._today) as fresh:
        counts = fresh.restore_json(first)
        assert counts["account"] == 2
        assert counts["transaction_line"] == 2
        second = fresh.export_json(tmp_path / "two.json")
        assert fresh.breakdown(fresh.find_account("Gamma Works")) == seeded.breakdown(
            seeded.find_account("Gamma Works")
        )
    assert first.read_bytes() == second.read_bytes()
    again = seeded.export_json(tmp_path / "three.json")
    assert again.read_bytes() == first.read_bytes()  # no timestamps of the export itself


def test_restore_refuses_a_non_empty_workspace(seeded: Workbench, tmp_path: Path) -> None:
    dump = seeded.export_json(tmp_path / "one.json")
    with pytest.raises(ServiceError, match="not empty"):
        seeded.restore_json(dump)


def test_restore_refuses_other_files(seeded: Workbench, tmp_path: Path) -> None:
    with Workbench.open(str(tmp_path / "empty.db"), today=seeded._today) as fresh:
        with pytest.raises(ServiceError, match="not valid JSON"):
            fresh.restore_json(_write(tmp_path / "x.json", "{oops"))
        with pytest.raises(ServiceError, match="not a kamtui workspace export"):
            fresh.restore_json(_write(tmp_path / "y.json", "{}"))
        assert fresh.account_count() == 0


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+Retail", "'+Retail"),
        ("-x", "'-x"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("plain", "plain"),
        (-1200.25, -1200.25),
        (7, 7),
    ],
)
def test_safe_cell(value: object, expected: object) -> None:
    assert safe_cell(value) == expected


def test_csv_export_is_formula_safe(seeded: Workbench, tmp_path: Path) -> None:
    n = seeded.export_csv("accounts", tmp_path / "accounts.csv")
    assert n == 2
    table = list(csv.DictReader(io.StringIO((tmp_path / "accounts.csv").read_text("utf-8"))))
    names = {r["name"] for r in table}
    assert names == {"Gamma Works", '\'=HYPERLINK("http://x")'}
    assert {r["industry"] for r in table} == {"Logistics", "'+Retail"}
    seeded.export_csv("transactions", tmp_path / "lines.csv")
    lines = list(csv.DictReader(io.StringIO((tmp_path / "lines.csv").read_text("utf-8"))))
    assert [r["amount"] for r in lines] == ["45000.5", "-1200.25"]  # numbers stay numbers
    assert lines[1]["product"] == "'@refund"
    with pytest.raises(ServiceError, match="choose one of"):
        seeded.export_csv("nonsense", tmp_path / "x.csv")


def test_markdown_one_pager(seeded: Workbench, tmp_path: Path) -> None:
    gamma = seeded.find_account("Gamma Works")
    text = seeded.export_markdown_account(gamma, tmp_path / "gamma.md").read_text("utf-8")
    assert text.startswith("# Gamma Works\n")
    for part in (
        "## Scores",
        "### Breakdown",
        "| recency |",
        "## Stakeholders",
        "| Ivy Stone | CFO | economic buyer | 5 | 1 |",
        "Ops \\| Lead",
        "## Joint business plan",
        "1. Cut freight cost",
        "Reduce cost per parcel, by Q4",
        "- [ ] Share lane data; weekly — Ivy Stone (client), due 2024-07-15",
        "## Open alerts",
    ):
        assert part in text, part
    with seeded.engine.connect() as conn:
        open_alerts = conn.exec_driver_sql(
            "SELECT severity, message FROM alert WHERE account_id = ? AND status = 'open'",
            (gamma,),
        ).all()
    assert open_alerts  # the scoring rules raise some for this account
    for severity, message in open_alerts:
        assert f"- **{severity}**: {message}" in text


def test_ics_export(seeded: Workbench, tmp_path: Path) -> None:
    n = seeded.export_ics(tmp_path / "cal.ics")
    data = (tmp_path / "cal.ics").read_bytes()
    assert n == 5  # QBR, next QBR, objective due, action due, fortnightly checkpoints
    assert data.startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert data.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
    text = data.decode("utf-8")
    assert "DTSTART:20240714T140000\r\nDTEND:20240714T150000" in text
    assert "UID:qbr-1@kamtui" in text
    assert "DESCRIPTION:Share lane data\\; weekly (Ivy Stone)" in text
    assert "RRULE:FREQ=WEEKLY;INTERVAL=2;UNTIL=20241231" in text
    assert text.count("DTSTAMP:") == n


def test_ics_folding_and_escaping() -> None:
    line = "SUMMARY:" + "é" * 60
    folded = ics_fold(line)
    parts = folded.encode("utf-8").split(b"\r\n")
    assert all(len(p) <= 75 for p in parts)
    assert all(p.startswith(b" ") for p in parts[1:])
    assert "".join(p[1:] if i else p for i, p in enumerate(folded.split("\r\n"))) == line
    assert ics_escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


def test_backup_copies_a_workspace_in_use(seeded: Workbench, tmp_path: Path) -> None:
    default = seeded.backup()
    assert default.parent.name == "backups"
    target = seeded.backup(tmp_path / "copy.db")
    con = sqlite3.connect(target)
    try:
        assert con.execute("SELECT COUNT(*) FROM account").fetchone() == (2,)
    finally:
        con.close()
    with pytest.raises(ServiceError, match="cannot overwrite"):
        seeded.backup(tmp_path / "seeded.db")


def test_dtstamp_is_utc() -> None:
    from kamtui.interchange.export import calendar_ics

    class _Rows(list):
        def all(self) -> list:
            return list(self)

    class _Conn:  # no events: only the calendar frame
        def exec_driver_sql(self, *_a: object) -> _Rows:
            return _Rows()

    text, n = calendar_ics(_Conn(), now=datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC))  # type: ignore[arg-type]
    assert n == 0
    assert text.startswith("BEGIN:VCALENDAR\r\n")


def test_breakdown_rendering_handles_every_shape() -> None:
    from kamtui.interchange.export import _breakdown_lines

    lines = _breakdown_lines(
        {
            "as_of": "2024-06-30",
            "rfm": [{"name": "recency", "value": 5, "band": "0–30 days", "points": 5}],
            "health": {
                "score": 81.5,
                "band": "green",
                "missing": ["nps"],
                "components": [
                    {"name": "engagement", "points": 100.0, "figures": {"logins": 8288.0}}
                ],
            },
            "alerts": ["renewal:risk"],
        }
    )
    text = "\n".join(lines)
    assert "- **as of:** 2024-06-30" in text
    assert "- **alerts:** renewal:risk" in text
    assert "| recency | 5 | 0–30 days | 5 |" in text
    assert "**health** — 81.50 (green)" in text
    assert "- missing: nps" in text
    assert "| engagement | 100 | logins 8,288 |" in text


def test_next_qbr_placeholder_only_until_it_is_scheduled(seeded: Workbench, tmp_path: Path) -> None:
    gamma = seeded.find_account("Gamma Works")
    with seeded.unit_of_work("edit") as uow:
        uow.conn.exec_driver_sql(
            "INSERT INTO qbr (account_id, day, length_minutes, held) "
            "VALUES (?, '2024-10-14', 60, 0)",
            (gamma,),
        )
    seeded.export_ics(tmp_path / "cal.ics")
    text = (tmp_path / "cal.ics").read_text("utf-8")
    assert "Next QBR" not in text
    assert "DTSTART;VALUE=DATE:20241014" in text
