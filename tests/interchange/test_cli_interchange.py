"""``kamtui import/export/backup/restore`` through ``kamtui.cli.main``."""

from __future__ import annotations

from pathlib import Path

import pytest

from kamtui.cli import main


def _file(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_import_prints_a_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "w.db")
    f = _file(tmp_path, "t.csv", "account,date,amount\nIota Co,2024-01-02,10\n\n")
    assert main(["--db", db, "import", str(f)]) == 0
    out = capsys.readouterr().out
    assert "t.csv: generic-transactions, 1 row read (1 blank row skipped)" in out
    assert "transactions" in out and "Imported" in out
    assert main(["--db", db, "import", "--dry-run", str(f)]) == 0
    assert "Dry run: nothing was written." in capsys.readouterr().out


def test_bad_file_is_one_line_and_non_zero(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "w.db")
    f = _file(tmp_path, "bad.csv", "account,date,amount\nIota Co,2024-01-02,10\nIota Co,x,1\n")
    assert main(["--db", db, "import", str(f)]) == 1
    err = capsys.readouterr().err
    assert err == ("kamtui: error: nothing imported: bad.csv, line 3: date: 'x' is not a date\n")
    assert "Traceback" not in err


def test_ambiguous_dates_ask_for_a_flag(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "w.db")
    f = _file(tmp_path, "amb.csv", "account,date,amount\nIota Co,01/02/2024,10\n")
    assert main(["--db", db, "import", str(f)]) == 1
    assert "--dayfirst or --monthfirst" in capsys.readouterr().err
    assert main(["--db", db, "import", "--monthfirst", str(f)]) == 0


def test_save_and_reuse_a_mapping(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "w.db")
    m = _file(
        tmp_path,
        "m.toml",
        'kind = "transactions"\n[columns]\naccount = "Client"\ndate = "When"\namount = "Sum"\n',
    )
    f = _file(tmp_path, "odd.csv", "Client,When,Sum\nKappa Co,2024-01-02,3\n")
    assert main(["--db", db, "import", "--map", str(m), "--save-map", "odd", str(f)]) == 0
    assert "mapping saved as 'odd'" in capsys.readouterr().out
    assert main(["--db", db, "import", "--map", "odd", str(f)]) == 0


def test_export_backup_restore(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "w.db")
    f = _file(tmp_path, "t.csv", "account,date,amount\n=cmd,2024-01-02,-10\n")
    assert main(["--db", db, "import", str(f)]) == 0
    dump = tmp_path / "dump.json"
    assert main(["--db", db, "export", "json", "-o", str(dump)]) == 0
    capsys.readouterr()
    assert main(["--db", db, "export", "csv", "--what", "transactions", "-o", "-"]) == 0
    out = capsys.readouterr().out
    assert "'=cmd" in out and ",-10.0," in out
    assert main(["--db", db, "export", "markdown", "--account", "=cmd", "-o", "-"]) == 0
    assert capsys.readouterr().out.startswith("# =cmd")
    assert main(["--db", db, "export", "ics", "-o", str(tmp_path / "c.ics")]) == 0
    assert main(["--db", db, "backup", str(tmp_path / "b.db")]) == 0
    assert (tmp_path / "b.db").exists()
    assert main(["--db", db, "restore", str(dump)]) == 1
    assert "not empty" in capsys.readouterr().err
    assert main(["--db", str(tmp_path / "new.db"), "restore", str(dump)]) == 0
    assert "1 accounts" in capsys.readouterr().out


def test_a_failed_restore_leaves_no_new_workspace_behind(tmp_path, capsys) -> None:
    from kamtui.cli import main

    corrupt = tmp_path / "corrupt.json"
    corrupt.write_text("{not json")
    target = tmp_path / "new.db"
    assert main(["--db", str(target), "restore", str(corrupt)]) == 1
    assert "not valid JSON" in capsys.readouterr().err
    assert not target.exists() and not list(tmp_path.glob("new.db*"))
