"""XLSX exports (HubSpot's default, Salesforce formatted reports), read with the stdlib."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import pytest

from kamtui.interchange.importer import ImportRefusedError
from kamtui.interchange.xlsx import read_xlsx
from kamtui.service import Workbench

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def make_xlsx(path: Path, rows: list[list[object]]) -> Path:
    """A minimal workbook: strings shared, date objects styled as dates (style 1)."""
    shared: list[str] = []
    xml_rows = []
    for r, row in enumerate(rows, 1):
        cells = []
        for c, value in enumerate(row):
            ref = f"{chr(65 + c)}{r}"
            if value is None:
                continue
            if isinstance(value, date):
                serial = (value - date(1899, 12, 30)).days
                cells.append(f'<c r="{ref}" s="1"><v>{serial}</v></c>')
            elif isinstance(value, (int, float)):
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
            else:
                shared.append(str(value))
                cells.append(f'<c r="{ref}" t="s"><v>{len(shared) - 1}</v></c>')
        xml_rows.append(f'<row r="{r}">{"".join(cells)}</row>')
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>'
            '<sheet name="Export" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>",
        )
        z.writestr(
            "xl/styles.xml",
            f'<styleSheet xmlns="{_MAIN}"><cellXfs count="2"><xf numFmtId="0"/>'
            '<xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>',
        )
        sst = "".join(f"<si><t>{s}</t></si>" for s in shared)
        z.writestr("xl/sharedStrings.xml", f'<sst xmlns="{_MAIN}">{sst}</sst>')
        z.writestr(
            "xl/worksheets/sheet1.xml",
            f'<worksheet xmlns="{_MAIN}"><sheetData>{"".join(xml_rows)}</sheetData></worksheet>',
        )
    return path


def test_read_xlsx_cells(tmp_path: Path) -> None:
    f = make_xlsx(
        tmp_path / "x.xlsx",
        [["account", "date", "amount"], ["Nu Co", date(2024, 3, 15), 1200.5], ["Nu Co", None, 7]],
    )
    assert read_xlsx(f.read_bytes()) == [
        (1, ["account", "date", "amount"]),
        (2, ["Nu Co", "2024-03-15", "1200.5"]),
        (3, ["Nu Co", "", "7"]),
    ]


def test_hubspot_deals_xlsx(tmp_path: Path) -> None:
    f = make_xlsx(
        tmp_path / "hubspot-crm-exports-all-deals.xlsx",
        [
            ["Record ID", "Deal Name", "Deal Stage", "Amount", "Close Date", "Associated Company"],
            [501, "Renewal", "Closed Won", 9000, date(2024, 5, 2), "Xi Systems"],
            [502, "Upsell", "Contract Sent", None, None, "Xi Systems"],
        ],
    )
    with Workbench.open(str(tmp_path / "w.db"), today=lambda: date(2024, 6, 30)) as wb:
        report = wb.import_files([f])
        assert (report.files[0].profile, report.files[0].encoding) == ("hubspot-deals", "xlsx")
        s = wb.account_summary(wb.find_account("Xi Systems"))
        assert (s.frequency, s.monetary) == (1, 9000.0)


def test_bad_xlsx_row_names_the_sheet_row(tmp_path: Path) -> None:
    f = make_xlsx(
        tmp_path / "t.xlsx",
        [["account", "date", "amount"], ["Nu Co", date(2024, 3, 15), "N/A"]],
    )
    with (
        Workbench.open(str(tmp_path / "w.db")) as wb,
        pytest.raises(ImportRefusedError, match=r"t\.xlsx, line 2: amount is 'N/A'"),
    ):
        wb.import_files([f])


def test_a_zip_that_is_not_xlsx(tmp_path: Path) -> None:
    f = tmp_path / "data.csv"
    with zipfile.ZipFile(f, "w") as z:
        z.writestr("a.txt", "x")
    with (
        Workbench.open(str(tmp_path / "w.db")) as wb,
        pytest.raises(ImportRefusedError, match="zip archive"),
    ):
        wb.import_files([f])
