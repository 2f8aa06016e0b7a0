"""The two real data sets in ../shared/data (issue 2 and 4 acceptance)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from kamtui.interchange.export import workspace_json
from kamtui.service import Workbench

pytestmark = pytest.mark.realdata

SHARED_DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"


def data_file(*parts: str) -> Path:
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"real data set not available: {path} (the shared data folder is absent)")
    return path


@pytest.fixture
def wb(tmp_path: Path) -> Iterator[Workbench]:
    bench = Workbench.open(str(tmp_path / "w.db"), today=lambda: date(2017, 3, 15))
    try:
        yield bench
    finally:
        bench.close()


def count(wb: Workbench, sql: str) -> int:
    with wb.engine.connect() as conn:
        return conn.exec_driver_sql(sql).scalar_one()


def test_maven_crm_twice_is_the_same_as_once(wb: Workbench) -> None:
    files = [data_file("maven-crm", "accounts.csv"), data_file("maven-crm", "sales_pipeline.csv")]
    first = wb.import_files(files)
    assert first.counts["accounts"].created == 85
    assert first.counts["opportunities"].created == 8800 - 1425
    assert first.counts["opportunities"].skipped == {
        "no account (a lead not yet tied to an account)": 1425
    }
    assert first.counts["transactions"].created == 4238  # Won deals, all with a close date
    with wb.engine.connect() as conn:
        once = workspace_json(conn)
    again = wb.import_files(files)
    assert again.counts["accounts"].unchanged == 85
    assert (again.counts["transactions"].created, again.counts["opportunities"].created) == (0, 0)
    assert again.account_ids == set()
    with wb.engine.connect() as conn:
        assert workspace_json(conn) == once
    assert wb.account_count() == 85
    assert count(wb, "SELECT COUNT(*) FROM account WHERE parent_id IS NOT NULL") == 15
    # Lost deals keep their 0, open deals keep an empty value.
    assert count(wb, "SELECT COUNT(*) FROM opportunity WHERE stage = 'lost' AND amount = 0") > 0
    assert count(wb, "SELECT COUNT(*) FROM opportunity WHERE stage = 'open' AND amount = 0") == 0
    acme = wb.account(wb.find_account("Acme Corporation"))
    assert (acme.industry, acme.country, acme.employees) == ("technolgy", "United States", 2822)
    assert acme.company_revenue == pytest.approx(1_100_040_000)
    assert count(wb, "SELECT COUNT(*) FROM transaction_line WHERE source = 'crm-won'") == 4238


def test_maven_opportunity_ids_stay_strings(wb: Workbench) -> None:
    wb.import_files([data_file("maven-crm", "sales_pipeline.csv")])
    with wb.engine.connect() as conn:
        row = conn.exec_driver_sql(
            "SELECT external_id, stage, stage_label, amount FROM opportunity "
            "WHERE external_id = '1C1I7A6R'"
        ).one()
    assert tuple(row) == ("1C1I7A6R", "won", "Won", 1054.0)


def test_cdnow(wb: Workbench) -> None:
    path = data_file("cdnow", "CDNOW_master.txt")
    report = wb.import_files([path])
    assert report.files[0].profile == "cdnow"
    assert wb.account_count() == 23570
    assert count(wb, "SELECT COUNT(*) FROM transaction_line") == 69659
    assert count(wb, "SELECT COUNT(*) FROM account WHERE external_id = '00001'") == 1
    assert count(wb, "SELECT SUM(quantity) FROM transaction_line") > 69659
    # The 255 exact duplicate lines are separate purchases and are all kept.
    dups = count(
        wb,
        "SELECT COALESCE(SUM(n - 1), 0) FROM (SELECT COUNT(*) AS n FROM transaction_line "
        "GROUP BY account_id, day, amount, quantity HAVING n > 1)",
    )
    assert dups == 255
    again = wb.import_files([path])
    assert again.counts["transactions"].created == 0
    assert again.counts["transactions"].unchanged == 69659
    assert count(wb, "SELECT COUNT(*) FROM transaction_line") == 69659


def test_whole_maven_folder_imports(wb: Workbench) -> None:
    folder = data_file("maven-crm", "accounts.csv").parent
    report = wb.import_files(sorted(folder.glob("*.csv")))
    profiles = {f.name: f.profile for f in report.files}
    assert profiles == {
        "accounts.csv": "maven-accounts",
        "data_dictionary.csv": "maven-data-dictionary",
        "products.csv": "maven-products",
        "sales_pipeline.csv": "maven-pipeline",
        "sales_teams.csv": "maven-sales-teams",
    }
    assert len([w for w in report.warnings if "nothing in it maps" in w.message]) == 3
    assert wb.account_count() == 85
