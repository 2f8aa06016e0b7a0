"""Form field parsing: what users type and what each field accepts or refuses (and why)."""

from __future__ import annotations

from datetime import date

import pytest

from kamtui.ui.modals.forms import (
    ACCOUNT_FIELDS,
    KPI_FIELDS,
    TRANSACTION_FIELDS,
    FieldSpec,
    check_activity,
    check_kpi,
    parse_value,
    shown,
)

ACV = next(f for f in ACCOUNT_FIELDS if f.name == "acv")
AMOUNT = next(f for f in TRANSACTION_FIELDS if f.name == "amount")
RATING = next(f for f in ACCOUNT_FIELDS if f.name == "rating_growth")
RENEWAL = next(f for f in ACCOUNT_FIELDS if f.name == "renewal_date")
NAME = next(f for f in ACCOUNT_FIELDS if f.name == "name")
PERIOD = next(f for f in KPI_FIELDS if f.name == "period")


@pytest.mark.parametrize(
    ("text", "value"),
    [("120000", 120000), ("120k", 120000), ("1,250.50", 1250.5), ("$2.5m", 2_500_000), ("", None)],
)
def test_amounts(text: str, value: float | None) -> None:
    assert parse_value(ACV, text) == value


@pytest.mark.parametrize(
    ("spec", "text", "message"),
    [
        (ACV, "lots", "is not an amount"),
        (ACV, "-5", "cannot be negative"),
        (RATING, "7", "runs from 1 to 5"),
        (RATING, "2.5", "not a whole number"),
        (RENEWAL, "2024-02-30", "not a date"),
        (RENEWAL, "30/09/2024", "not a date"),
        (NAME, "   ", "Name is required"),
        (PERIOD, "2024-13", "not a month"),
    ],
)
def test_refusals_say_why(spec: FieldSpec, text: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_value(spec, text)
    assert message in str(caught.value)


def test_refunds_dates_periods_and_ratings() -> None:
    assert parse_value(AMOUNT, "-99.5") == -99.5
    assert parse_value(RENEWAL, "2024-09-30") == date(2024, 9, 30)
    assert parse_value(PERIOD, "2024-q2") == "2024-Q2"
    assert parse_value(RATING, "4") == 4


def test_cross_field_rules() -> None:
    assert "0 to 10" in check_activity({"kind": "survey_response", "value": 11})["value"]
    assert check_activity({"kind": "survey_response", "value": 9}) == {}
    assert "severity" in check_activity({"kind": "meeting", "severity": "high"})
    assert "−100 to 100" in check_kpi({"metric": "nps", "value": 150})["value"]
    assert "0 to 100" in check_kpi({"metric": "feature_adoption", "value": 120})["value"]


def test_stored_values_show_as_they_were_typed() -> None:
    assert shown(None) == ""
    assert shown(120000.0) == "120000"
    assert shown(1250.5) == "1250.5"
    assert shown(date(2024, 1, 2)) == "2024-01-02"
