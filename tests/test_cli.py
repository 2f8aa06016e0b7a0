"""The command line as a user meets it: exit codes, one-line errors, machine-readable output."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import date

import pytest

from kamtui.cli import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _seed(db: str) -> None:
    from kamtui.service import Workbench

    with Workbench.open(db) as bench:
        acme = bench.add_account("Acme Industrial").created_id
        for day, amount in ((date(2024, 6, 10), 20_000), (date(2024, 3, 1), 10_000)):
            bench.add_transaction(acme, day, amount)
        bench.add_transaction(acme, date(2024, 1, 5), 10_000)
        bench.add_transaction(acme, date(2023, 9, 1), 5_000)
        bench.add_account("Dormant Ltd")


def test_version(capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.startswith("kamtui 0.")


def test_score_csv_has_the_documented_columns(capsys, db_path) -> None:
    _seed(str(db_path))
    code, out, _ = run(
        capsys, "--db", str(db_path), "score", "--as-of", "2024-06-30", "--format", "csv"
    )
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0])[:9] == [
        "account",
        "recency_days",
        "frequency",
        "monetary",
        "r",
        "f",
        "m",
        "rfm",
        "tier",
    ]
    acme = rows[0]
    assert (acme["account"], acme["recency_days"], acme["frequency"], acme["monetary"]) == (
        "Acme Industrial",
        "20",
        "4",
        "45000.00",
    )
    assert (acme["r"], acme["f"], acme["m"], acme["rfm"], acme["tier"]) == (
        "5",
        "3",
        "4",
        "12",
        "1",
    )
    assert rows[1]["account"] == "Dormant Ltd" and rows[1]["recency_days"] == ""
    assert rows[1]["tier"] == "3"


def test_score_json_and_top(capsys, db_path) -> None:
    _seed(str(db_path))
    code, out, _ = run(
        capsys,
        "--db",
        str(db_path),
        "score",
        "--format",
        "json",
        "--top",
        "1",
        "--as-of",
        "2024-06-30",
    )
    assert code == 0
    data = json.loads(out)
    assert len(data) == 1 and data[0]["rfm"] == 12


def test_as_of_is_remembered_by_the_workspace(capsys, db_path) -> None:
    _seed(str(db_path))
    run(capsys, "--db", str(db_path), "score", "--as-of", "2024-06-30", "--format", "json")
    _, out, _ = run(capsys, "--db", str(db_path), "score", "--format", "json")
    assert json.loads(out)[0]["recency_days"] == 20


def test_score_table(capsys, db_path) -> None:
    _seed(str(db_path))
    code, out, _ = run(capsys, "--db", str(db_path), "score", "--as-of", "2024-06-30")
    assert code == 0 and "Acme Industrial" in out and "as of 2024-06-30" in out


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["score", "--as-of", "2024-02-30"], "is not a date"),
        (["score", "--top", "zero"], "not a positive whole number"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_usage_errors_are_one_line(capsys, argv, needle) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert needle in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("db", ["/nonexistent-dir/\0x", "/proc/forbidden/w.db"])
def test_an_unusable_database_path_is_one_line(capsys, db) -> None:
    code, _, err = run(capsys, "--db", db, "score")
    assert code == 1 and err.startswith("kamtui: error:") and len(err.strip().splitlines()) == 1


def test_a_non_workspace_file_is_one_line_and_non_zero(tmp_path) -> None:
    junk = tmp_path / "notes.txt"
    junk.write_text("not a database\n" * 50)
    proc = subprocess.run(
        [sys.executable, "-m", "kamtui", "--db", str(junk), "score"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1
    assert proc.stderr.startswith("kamtui: error:") and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", ""])
def test_as_of_dates_out_of_range_are_usage_errors(capsys, day) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["score", "--as-of", day])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "--as-of" in err and len(err.strip().splitlines()) == 1


def test_service_refuses_an_as_of_out_of_range(bench) -> None:
    from kamtui.errors import ValidationError

    with pytest.raises(ValidationError, match="typo"):
        bench.set_as_of(date(1, 1, 1))


def test_read_commands_never_create_a_workspace(capsys, tmp_path) -> None:
    missing = tmp_path / "typo" / "book.db"
    for argv in (["score"], ["alerts"], ["portfolio"], ["config", "show"], ["backup"]):
        code, _, err = run(capsys, "--db", str(missing), *argv)
        assert code == 1 and "no workspace at" in err
    assert not missing.parent.exists()


def test_an_empty_non_database_file_is_not_turned_into_a_workspace(capsys, tmp_path) -> None:
    zero = tmp_path / "notes.csv"
    zero.touch()
    code, _, err = run(capsys, "--db", str(zero), "import", str(zero))
    assert code == 1 and "empty .csv file" in err
    assert zero.stat().st_size == 0


def test_a_database_url_without_its_driver_is_one_line(capsys) -> None:
    code, _, err = run(capsys, "--db", "postgresql://u:p@localhost/x", "score")
    assert code == 1 and "driver" in err and len(err.strip().splitlines()) == 1


def test_config_set_moves_weights_together_and_refuses_a_lone_one(capsys, db_path) -> None:
    _seed(str(db_path))
    code, _, err = run(capsys, "--db", str(db_path), "config", "set", "value.weights.revenue", "40")
    assert code == 1 and "sum to 100" in err and "several weights in one command" in err
    code, out, _ = run(
        capsys, "--db", str(db_path), "config", "set",
        "value.weights.revenue", "40", "value.weights.growth", "10",
    )  # fmt: skip
    assert code == 0 and "value.weights.growth set to 10" in out
    code, out, _ = run(capsys, "--db", str(db_path), "config", "show", "--format", "toml")
    assert "revenue = 40" in out and "growth = 10" in out
    code, _, err = run(capsys, "--db", str(db_path), "config", "set", "rfm.mode")
    assert code == 1 and "needs a value" in err
