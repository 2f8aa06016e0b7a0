"""Sniffing: encoding and BOM, delimiter, number and date formats.

Everything here is pure (bytes and strings in, values out) so that it is cheap to test.
Values that cannot be read raise :class:`ValueError` with a message fit for a user.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from kamtui.domain.models import check_amount, check_day

DELIMITERS = (",", ";", "\t", "|")
WHITESPACE = "whitespace"  # CDNOW-style: columns separated by runs of spaces

MISSING_MARKERS = frozenset({"n/a", "na", "#n/a", "null", "none", "-", "--", "nan"})


# --------------------------------------------------------------------------- encoding
def decode(data: bytes) -> tuple[str, str]:
    """Decode file bytes; return ``(text, encoding name)``.

    UTF-8 with or without BOM, UTF-16 with a BOM (Excel "Unicode text"), UTF-16 without a BOM
    when every other byte is NUL, and otherwise Windows-1252 (which keeps ’ “ – intact where
    Latin-1 would turn them into C1 control characters). Bytes undefined in cp1252 fall back
    to Latin-1 so that decoding never fails.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    head = data[:4000]
    if len(head) >= 4 and head.count(b"\x00") * 3 > len(head):
        # UTF-16 without a BOM: the NULs sit in the high bytes of ASCII characters.
        le = head[1::2].count(0) > head[0::2].count(0)
        enc = "utf-16-le" if le else "utf-16-be"
        return data.decode(enc), enc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; map those (only) through Latin-1.
        out = []
        for b in data:
            try:
                out.append(bytes([b]).decode("cp1252"))
            except UnicodeDecodeError:
                out.append(chr(b))
        return "".join(out), "cp1252"


# --------------------------------------------------------------------------- delimiter
def _first_lines(text: str, n: int = 20) -> list[str]:
    lines = []
    for line in io.StringIO(text):
        if line.strip():
            lines.append(line.rstrip("\r\n"))
        if len(lines) >= n:
            break
    return lines


def sniff_delimiter(text: str) -> str:
    """The delimiter of a delimited text file: one of ``, ; TAB |`` or :data:`WHITESPACE`.

    The header decides among the candidates it contains: the one that splits the header and
    the following rows into the same number of fields (counted with proper quote handling)
    most consistently wins.
    """
    lines = _first_lines(text)
    if not lines:
        return ","
    header = lines[0]
    sample = "\n".join(lines)
    best: tuple[float, str] | None = None
    for cand in DELIMITERS:
        if cand not in header:
            continue
        rows = list(csv.reader(io.StringIO(sample), delimiter=cand))
        width = len(rows[0])
        if width < 2:
            continue
        consistent = sum(1 for r in rows[1:] if len(r) == width)
        score = width + 10 * consistent
        if best is None or score > best[0]:
            best = (score, cand)
    if best is not None:
        return best[1]
    if len(header.split()) >= 2:
        return WHITESPACE
    return ","


# --------------------------------------------------------------------------- values
def is_missing(text: str) -> bool:
    """Empty, blank or a missing-value marker such as ``N/A``."""
    t = text.strip()
    return not t or t.casefold() in MISSING_MARKERS


_CURRENCY_RE = re.compile(
    r"[$€£¥₹₩₽¤]|\b(?:USD|EUR|GBP|CHF|JPY|CAD|AUD|SEK|NOK|DKK|PLN|CZK)\b", re.I
)
_SPACES_RE = re.compile(r"[\s\u00a0\u202f\u2009']")
_NUMBER_RE = re.compile(r"^\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$")


def _strip_number(text: str) -> tuple[str, bool]:
    """Remove currency marks, spaces and sign wrappers; return (digits text, negative)."""
    t = _CURRENCY_RE.sub("", text.strip())
    t = _SPACES_RE.sub("", t)
    negative = False
    if t.startswith("(") and t.endswith(")"):
        negative, t = True, t[1:-1]
    t = t.replace("\u2212", "-")  # the typographic minus
    if t.startswith("-"):
        negative, t = not negative, t[1:]
    elif t.endswith("-"):
        negative, t = not negative, t[:-1]
    elif t.startswith("+"):
        t = t[1:]
    # A currency symbol may sit between the sign and the digits: "-$1,200" or "$-1,200".
    stripped = _CURRENCY_RE.sub("", t)
    if stripped != t and stripped.startswith("-"):
        negative, stripped = not negative, stripped[1:]
    return stripped, negative


def decimal_evidence(text: str) -> str | None:
    """What one value says about the decimal separator: ``"."``, ``","`` or None (unclear)."""
    t, _ = _strip_number(text)
    if "e" in t.lower() and "," not in t:
        return "."
    has_dot, has_comma = "." in t, "," in t
    if has_dot and has_comma:
        return "." if t.rfind(".") > t.rfind(",") else ","
    for sep, other in ((".", ","), (",", ".")):
        if sep in t:
            parts = t.split(sep)
            if len(parts) > 2:  # 1.234.567 → the separator groups thousands
                return other
            if len(parts[1]) != 3:  # 12.5 / 12,50 → decimals
                return sep
            return None  # 1.234 or 1,234: could be either
    return None


def detect_decimal(values: Iterable[str], default: str = ".") -> str:
    """The decimal separator of a column of amounts (majority of the clear cases)."""
    votes = {".": 0, ",": 0}
    for value in values:
        if is_missing(value):
            continue
        ev = decimal_evidence(value)
        if ev:
            votes[ev] += 1
    if votes["."] == votes[","]:
        return default
    return "." if votes["."] > votes[","] else ","


def parse_amount(text: str, decimal: str = ".") -> float:
    """Read an amount: ``45000``, ``45,000.00``, ``$45,000.00``, ``45.000,00 €``,
    ``(1,200.50)`` (negative), ``-1200.5``, ``1.2E4``. Missing values raise ValueError."""
    if is_missing(text):
        raise ValueError("empty" if not text.strip() else f"missing value {text.strip()!r}")
    t, negative = _strip_number(text)
    thousands = "," if decimal == "." else "."
    if thousands in t:
        groups = t.split(thousands)
        head = groups[0]
        tail = groups[-1].split(decimal)[0]
        if not head or len(head) > 3 or any(len(g) != 3 for g in [*groups[1:-1], tail]):
            raise ValueError(f"{text.strip()!r} is not a number")
        t = t.replace(thousands, "")
    if decimal == ",":
        t = t.replace(",", ".")
    if not _NUMBER_RE.match(t):
        raise ValueError(f"{text.strip()!r} is not a number")
    value = float(t)
    try:
        check_amount(value)
    except ValueError as exc:
        raise ValueError(f"{text.strip()!r}: {exc}") from None
    return -value if negative else value


def parse_int(text: str) -> int:
    value = parse_amount(text)
    if value != int(value):
        raise ValueError(f"{text.strip()!r} is not a whole number")
    return int(value)


# --------------------------------------------------------------------------- dates
_TIME_RE = re.compile(
    r"^\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[AaPp][Mm])?(?:Z|[+-]\d{2}:?\d{2})?$"
)
_SHAPES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("iso", re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")),
    ("ymd-slash", re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$")),
    ("compact", re.compile(r"^(\d{4})(\d{2})(\d{2})$")),
    ("slash", re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")),
    ("dotted", re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")),
    ("dash", re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$")),
)
# The column format names used in messages.
FORMAT_NAMES = {
    "iso": "YYYY-MM-DD",
    "ymd-slash": "YYYY/MM/DD",
    "compact": "YYYYMMDD",
    "mdy": "M/D/YYYY",
    "dmy": "D/M/YYYY",
    "dotted": "DD.MM.YYYY",
    "dash-dmy": "DD-MM-YYYY",
    "dash-mdy": "MM-DD-YYYY",
}


def _split_time(text: str) -> tuple[str, str | None]:
    t = text.strip()
    if "T" in t and t[:4].isdigit():
        d, _, rest = t.partition("T")
        return d, rest
    d, _, rest = t.partition(" ")
    return d, (rest.strip() or None)


def date_shape(text: str) -> tuple[str, tuple[int, int, int]] | None:
    """The shape of one date value and its three numbers, or None if it is no date."""
    d, time_part = _split_time(text)
    if time_part is not None and not _TIME_RE.match(time_part):
        return None
    for name, pattern in _SHAPES:
        m = pattern.match(d)
        if m:
            a, b, c = (int(x) for x in m.groups())
            return name, (a, b, c)
    return None


class AmbiguousDates(ValueError):
    """Every value of a column reads as both D/M and M/D."""


@dataclass(frozen=True)
class DateFormat:
    """The one format of a date column."""

    shape: str  # a key of FORMAT_NAMES

    @property
    def label(self) -> str:
        return FORMAT_NAMES[self.shape]


class DateColumnStats:
    """Collects what a column's values say about its date format, one value at a time
    (so that a million-row file needs no list of its values)."""

    _CACHE_LIMIT = 100_000

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}
        self.first_gt12 = False
        self.second_gt12 = False
        self._seen: dict[str, tuple[str, int, int] | None] = {}

    def add(self, value: str) -> None:
        found = self._seen.get(value, False)
        if found is False:
            if is_missing(value):
                found = None
            else:
                shape = date_shape(value)
                found = None if shape is None else (shape[0], shape[1][0], shape[1][1])
            if len(self._seen) < self._CACHE_LIMIT:
                self._seen[value] = found
        if found is None:
            return
        shape_name, a, b = found
        self.counts[shape_name] = self.counts.get(shape_name, 0) + 1
        if shape_name in ("slash", "dash"):
            self.first_gt12 |= a > 12
            self.second_gt12 |= b > 12

    def result(self, dayfirst: bool | None = None) -> DateFormat:
        """The column's format; see :func:`detect_date_format`."""
        if not self.counts:
            raise ValueError("no dates found")
        shape = max(self.counts, key=lambda k: self.counts[k])
        if shape not in ("slash", "dash"):
            return DateFormat(shape)
        dmy, mdy = ("dmy", "mdy") if shape == "slash" else ("dash-dmy", "dash-mdy")
        if dayfirst is not None:
            return DateFormat(dmy if dayfirst else mdy)
        if self.first_gt12 and not self.second_gt12:
            return DateFormat(dmy)
        if self.second_gt12 and not self.first_gt12:
            return DateFormat(mdy)
        if self.first_gt12 and self.second_gt12:
            raise ValueError(f"mixes {FORMAT_NAMES[dmy]} and {FORMAT_NAMES[mdy]} dates")
        raise AmbiguousDates(
            f"every date reads both as {FORMAT_NAMES[dmy]} and as {FORMAT_NAMES[mdy]}"
        )


def detect_date_format(values: Iterable[str], dayfirst: bool | None = None) -> DateFormat:
    """One format for a whole column (the most common shape). Raises :class:`AmbiguousDates`
    when the column's slashed dates all have both numbers ≤ 12 and ``dayfirst`` was not
    given, and ValueError when no value is a date at all or D/M and M/D are mixed."""
    stats = DateColumnStats()
    for value in values:
        stats.add(value)
    return stats.result(dayfirst)


def parse_date(text: str, fmt: DateFormat) -> date:
    """Read one value in the column's format (the time of day, if any, is dropped)."""
    found = date_shape(text)
    if found is None:
        raise ValueError(f"{text.strip()!r} is not a date")
    shape, (a, b, c) = found
    want = {"mdy": "slash", "dmy": "slash", "dash-dmy": "dash", "dash-mdy": "dash"}.get(
        fmt.shape, fmt.shape
    )
    if shape != want:
        raise ValueError(f"{text.strip()!r} is not in the column's format {fmt.label}")
    try:
        if shape in ("iso", "ymd-slash", "compact"):
            day = date(a, b, c)
        elif fmt.shape in ("mdy", "dash-mdy"):
            day = date(c, a, b)
        else:
            day = date(c, b, a)  # dmy, dotted, dash-dmy
    except ValueError:
        raise ValueError(f"{text.strip()!r} is not a valid {fmt.label} date") from None
    try:
        return check_day(day)
    except ValueError as exc:
        raise ValueError(f"{text.strip()!r}: {exc}") from None
