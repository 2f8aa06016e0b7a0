"""A small XLSX reader (standard library only): the first worksheet as rows of text.

Enough for CRM report exports (Salesforce "formatted" reports, HubSpot's default export):
shared and inline strings, numbers, booleans, errors, and cells with a date number format,
which become ISO dates (``2024-03-15``, or ``2024-03-15 14:30`` with a time of day). Numbers
are written back without a spurious ``.0``. The row numbers of the sheet are the "line
numbers" that problems report.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime, timedelta
from xml.etree import ElementTree as ET

_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
_M = "{" + _NS["m"] + "}"
_BUILTIN_DATE_FORMATS = {*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)}
_REF_RE = re.compile(r"([A-Z]+)(\d+)")


class XlsxError(ValueError):
    """The workbook cannot be read; the message says why."""


def is_xlsx(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04"


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def _text(el: ET.Element | None) -> str:
    if el is None:
        return ""
    return "".join(t.text or "" for t in el.iter(f"{_M}t"))


def _is_date_code(code: str) -> bool:
    code = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", code).lower()
    return bool(re.search(r"[dy]", code)) or ("m" in code and ("h" in code or "s" in code))


def _date_styles(z: zipfile.ZipFile) -> set[int]:
    try:
        root = ET.fromstring(z.read("xl/styles.xml"))
    except KeyError:
        return set()
    custom = {
        int(f.get("numFmtId", "0")): f.get("formatCode", "") for f in root.iter(f"{_M}numFmt")
    }
    xfs = root.find(f"{_M}cellXfs")
    out: set[int] = set()
    if xfs is None:
        return out
    for i, xf in enumerate(xfs.findall(f"{_M}xf")):
        fmt = int(xf.get("numFmtId", "0"))
        if fmt in _BUILTIN_DATE_FORMATS or (fmt in custom and _is_date_code(custom[fmt])):
            out.add(i)
    return out


def _first_sheet(z: zipfile.ZipFile) -> tuple[str, bool]:
    """(path of the first worksheet, whether the workbook uses the 1904 date system)."""
    wb = ET.fromstring(z.read("xl/workbook.xml"))
    pr = wb.find(f"{_M}workbookPr")
    date1904 = pr is not None and pr.get("date1904") in ("1", "true")
    sheet = wb.find(f"{_M}sheets/{_M}sheet")
    if sheet is None:
        raise XlsxError("the workbook has no worksheet")
    rid = sheet.get("{" + _NS["r"] + "}id")
    try:
        rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        for rel in rels:
            if rel.get("Id") == rid:
                target = rel.get("Target", "")
                target = target.lstrip("/")
                return (target if target.startswith("xl/") else f"xl/{target}"), date1904
    except KeyError:
        pass
    return "xl/worksheets/sheet1.xml", date1904


def _number(v: str) -> str:
    value = float(v)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def _serial_date(v: str, date1904: bool) -> str:
    serial = float(v)
    base = datetime(1904, 1, 1) if date1904 else datetime(1899, 12, 30)
    moment = base + timedelta(days=serial)
    moment = moment.replace(microsecond=0) + timedelta(seconds=round(moment.microsecond / 1e6))
    if moment.hour == moment.minute == moment.second == 0:
        return moment.date().isoformat()
    return moment.strftime("%Y-%m-%d %H:%M")


def read_xlsx(data: bytes) -> list[tuple[int, list[str]]]:
    """The first worksheet's rows as ``(row number, cells)``; cells are text."""
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise XlsxError("not a readable .xlsx workbook (damaged zip)") from None
    with z:
        try:
            shared = [
                _text(si) for si in ET.fromstring(z.read("xl/sharedStrings.xml")).iter(f"{_M}si")
            ]
        except KeyError:
            shared = []
        try:
            sheet_path, date1904 = _first_sheet(z)
            sheet = z.read(sheet_path)
        except KeyError as exc:
            raise XlsxError(f"not an .xlsx workbook ({exc.args[0]} missing)") from None
        except ET.ParseError as exc:
            raise XlsxError(f"damaged workbook ({exc})") from None
        dates = _date_styles(z)
    rows: list[tuple[int, list[str]]] = []
    try:
        root = ET.fromstring(sheet)
    except ET.ParseError as exc:
        raise XlsxError(f"damaged worksheet ({exc})") from None
    for n, row in enumerate(root.iter(f"{_M}row"), 1):
        number = int(row.get("r", n))
        cells: list[str] = []
        for c in row.findall(f"{_M}c"):
            ref = _REF_RE.match(c.get("r", ""))
            col = _col_index(ref.group(1)) if ref else len(cells)
            kind = c.get("t", "n")
            v_el = c.find(f"{_M}v")
            v = v_el.text if v_el is not None and v_el.text is not None else ""
            if kind == "s":
                value = shared[int(v)] if v else ""
            elif kind == "inlineStr":
                value = _text(c.find(f"{_M}is"))
            elif kind == "b":
                value = "TRUE" if v == "1" else "FALSE"
            elif kind in ("str", "e"):
                value = v
            elif v == "":
                value = ""
            elif int(c.get("s", "0")) in dates:
                value = _serial_date(v, date1904)
            else:
                value = _number(v)
            while len(cells) < col:
                cells.append("")
            cells.append(value)
        rows.append((number, cells))
    return rows
