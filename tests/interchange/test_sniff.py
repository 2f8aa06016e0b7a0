"""Sniffing of encodings, delimiters, amounts and dates (pure functions)."""

from __future__ import annotations

from datetime import date

import pytest

from kamtui.interchange import sniff


@pytest.mark.parametrize(
    ("text", "decimal", "expected"),
    [
        ("45000", ".", 45000.0),
        ("45,000.00", ".", 45000.0),
        ("$45,000.00", ".", 45000.0),
        ("45.000,00 €", ",", 45000.0),
        ("(1,200.50)", ".", -1200.5),
        ("-1200.5", ".", -1200.5),
        ("1.2E4", ".", 12000.0),
        ("1,2E4", ",", 12000.0),
        ("USD 1,234.5", ".", 1234.5),
        ("-$99.90", ".", -99.9),
        ("1 234,56", ",", 1234.56),
        ("0.00", ".", 0.0),
    ],
)
def test_amounts(text: str, decimal: str, expected: float) -> None:
    assert sniff.parse_amount(text, decimal) == pytest.approx(expected)


@pytest.mark.parametrize("text", ["", "  ", "N/A", "n/a", "#N/A", "null"])
def test_missing_amounts_are_refused_not_zero(text: str) -> None:
    with pytest.raises(ValueError):
        sniff.parse_amount(text)


@pytest.mark.parametrize("text", ["abc", "12,34,5", "1.2.3.4,5x", "--5"])
def test_garbage_is_not_a_number(text: str) -> None:
    with pytest.raises(ValueError):
        sniff.parse_amount(text)


def test_decimal_detection() -> None:
    assert sniff.detect_decimal(["1.234,50", "12,5", "3"]) == ","
    assert sniff.detect_decimal(["1,234.50", "12.5"]) == "."
    assert sniff.detect_decimal(["1,234", "5"], default=",") == ","  # unclear: the default
    assert sniff.detect_decimal(["45.000,00 €"]) == ","


def test_date_formats_one_per_column() -> None:
    iso = sniff.detect_date_format(["2024-03-15", "2024-03-16 10:00"])
    assert iso.label == "YYYY-MM-DD"
    assert sniff.parse_date("2024-03-16T10:00:00", iso) == date(2024, 3, 16)
    compact = sniff.detect_date_format(["19970101", "19980630"])
    assert sniff.parse_date("19980630", compact) == date(1998, 6, 30)
    dotted = sniff.detect_date_format(["01.02.2024", "15.03.2024"])
    assert sniff.parse_date("01.02.2024", dotted) == date(2024, 2, 1)
    dmy = sniff.detect_date_format(["13/02/2024", "01/03/2024"])
    assert dmy.label == "D/M/YYYY"
    assert sniff.parse_date("01/03/2024", dmy) == date(2024, 3, 1)
    mdy = sniff.detect_date_format(["02/13/2024 9:30 AM", "03/01/2024"])
    assert mdy.label == "M/D/YYYY"
    assert sniff.parse_date("03/01/2024", mdy) == date(2024, 3, 1)


def test_ambiguous_day_month_is_asked_not_guessed() -> None:
    with pytest.raises(sniff.AmbiguousDates):
        sniff.detect_date_format(["01/02/2024", "12/11/2024"])
    assert sniff.detect_date_format(["01/02/2024"], dayfirst=True).label == "D/M/YYYY"
    assert sniff.detect_date_format(["01/02/2024"], dayfirst=False).label == "M/D/YYYY"


def test_mixed_day_month_column_is_an_error() -> None:
    with pytest.raises(ValueError, match="mixes"):
        sniff.detect_date_format(["13/01/2024", "01/13/2024"])


def test_decode_bom_utf16_and_cp1252() -> None:
    assert sniff.decode("\ufeffa,b\n".encode()) == ("a,b\n", "utf-8-sig")
    text, enc = sniff.decode("a\tb\n€\n".encode("utf-16"))
    assert (text, enc) == ("a\tb\n€\n", "utf-16")
    text, enc = sniff.decode("it’s “quoted” – ok, café".encode("cp1252"))
    assert enc == "cp1252"
    assert text == "it’s “quoted” – ok, café"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a,b,c\n1,2,3\n", ","),
        ("a;b;c\n1,5;2;3\n", ";"),
        ("a\tb\tc\n1\t2\t3\n", "\t"),
        ("a|b|c\n1|2|3\n", "|"),
        ('name,notes\n"x; y",1\n', ","),
        (" customer_id  date dollar_value\n 00001 19970101 1.00\n", sniff.WHITESPACE),
    ],
)
def test_delimiters(text: str, expected: str) -> None:
    assert sniff.sniff_delimiter(text) == expected


def test_dashed_day_month_follows_the_same_rules() -> None:
    us = sniff.detect_date_format(["03-15-2024", "04-01-2024"])
    assert us.label == "MM-DD-YYYY"
    assert sniff.parse_date("04-01-2024", us) == date(2024, 4, 1)
    eu = sniff.detect_date_format(["15-03-2024"])
    assert sniff.parse_date("15-03-2024", eu) == date(2024, 3, 15)
    with pytest.raises(sniff.AmbiguousDates, match="DD-MM-YYYY and as MM-DD-YYYY"):
        sniff.detect_date_format(["01-02-2024"])


@pytest.mark.parametrize("text", ["1e309", "1e308", "99999999999999999999999999", "nan", "inf"])
def test_absurd_and_non_finite_amounts_are_refused(text) -> None:
    from kamtui.interchange.sniff import parse_amount

    with pytest.raises(ValueError):
        parse_amount(text)


@pytest.mark.parametrize("text", ["1800-01-01", "2299-05-01"])
def test_dates_outside_1900_2199_are_problems(text) -> None:
    from kamtui.interchange.sniff import detect_date_format, parse_date

    fmt = detect_date_format([text])
    with pytest.raises(ValueError, match="outside"):
        parse_date(text, fmt)
