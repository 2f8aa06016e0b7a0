"""The filter query parser: hand-made summaries, expected matches."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from kamtui.domain.query import QueryError, parse

AS_OF = date(2024, 6, 30)


@dataclass
class S:
    name: str
    tier: int | None = 3
    rfm: int | None = 6
    r: int | None = 2
    f: int | None = 2
    m: int | None = 2
    value_score: float | None = None
    health_score: float | None = None
    health_band: str | None = None
    priority: float | None = None
    alert_count: int = 0
    acv: float | None = None
    monetary: float | None = None
    renewal_date: date | None = None
    region: str | None = None
    industry: str | None = None
    owner: str | None = None
    status: str = "active"


ACME = S("Acme Corp", tier=1, rfm=14, value_score=80, health_score=40, health_band="red",
         alert_count=2, acv=250_000, renewal_date=date(2024, 8, 1), region="EMEA",
         industry="Retail", owner="Dana Reyes")  # fmt: skip
BETA = S("Beta Labs", tier=2, rfm=10, value_score=65, health_score=72, health_band="green",
         renewal_date=date(2025, 3, 1), region="North America", industry="Software",
         owner="Lee Chan")  # fmt: skip
GAMMA = S("Gamma Acme Holdings", tier=3, rfm=4, region="APAC", industry=None)
ALL = [ACME, BETA, GAMMA]


def names(query: str) -> list[str]:
    return [s.name for s in parse(query).filter(ALL, AS_OF)]


def test_empty_query_keeps_everything() -> None:
    assert parse("").is_empty
    assert parse("   ").is_empty
    assert names("") == ["Acme Corp", "Beta Labs", "Gamma Acme Holdings"]


def test_free_text_matches_names_in_any_case() -> None:
    assert names("acme") == ["Acme Corp", "Gamma Acme Holdings"]
    assert names("ACME corp") == ["Acme Corp"]  # two terms, ANDed


def test_quoted_phrase() -> None:
    assert names('"corp acme"') == []
    assert names('"gamma acme"') == ["Gamma Acme Holdings"]
    assert names('region:"north am"') == ["Beta Labs"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("tier:1", ["Acme Corp"]),
        ("tier:1..2", ["Acme Corp", "Beta Labs"]),
        ("tier:2..", ["Beta Labs", "Gamma Acme Holdings"]),
        ("tier:..1", ["Acme Corp"]),
        ("tier:!=1", ["Beta Labs", "Gamma Acme Holdings"]),
        ("rfm:>=12", ["Acme Corp"]),
        ("health:<50", ["Acme Corp"]),  # GAMMA has no health score: no match
        ("value:>=70", ["Acme Corp"]),
        ("value:>60", ["Acme Corp", "Beta Labs"]),
        ("alerts:>0", ["Acme Corp"]),
        ("alerts:0", ["Beta Labs", "Gamma Acme Holdings"]),
        ("acv:>100k", ["Acme Corp"]),
        ("acv:>=0.3m", []),
    ],
)
def test_number_fields(query: str, expected: list[str]) -> None:
    assert names(query) == expected


def test_renewal_in_days_from_the_as_of_date() -> None:
    assert names("renewal:<90d") == ["Acme Corp"]  # 32 days away
    assert names("renewal:<30d") == []
    assert names("renewal:<12w") == ["Acme Corp"]
    assert names("renewal:30..365") == ["Acme Corp", "Beta Labs"]
    assert names("renewal:<2025-01-01") == ["Acme Corp"]
    assert names("renewal:>=2025-01-01") == ["Beta Labs"]


def test_text_fields_contain_any_case() -> None:
    assert names("region:emea") == ["Acme Corp"]
    assert names("owner:lee") == ["Beta Labs"]
    assert names("industry:soft") == ["Beta Labs"]


def test_empty_value_means_field_is_empty() -> None:
    assert names("industry:") == ["Gamma Acme Holdings"]
    assert names("-industry:") == ["Acme Corp", "Beta Labs"]


def test_exact_fields() -> None:
    assert names("band:red") == ["Acme Corp"]
    assert names("band:RED") == ["Acme Corp"]
    assert names("band:re") == []
    assert names("status:active") == ["Acme Corp", "Beta Labs", "Gamma Acme Holdings"]


def test_and_and_not() -> None:
    assert names("tier:1..2 region:emea") == ["Acme Corp"]
    assert names("-tier:1") == ["Beta Labs", "Gamma Acme Holdings"]
    assert names("acme -corp") == ["Gamma Acme Holdings"]
    assert names('-"beta labs"') == ["Acme Corp", "Gamma Acme Holdings"]
    assert names("tier:1 health:<50 renewal:<90d alerts:>0") == ["Acme Corp"]


def test_field_names_are_case_insensitive_and_aliases_work() -> None:
    assert names("TIER:1") == ["Acme Corp"]
    assert names("alert:>1") == ["Acme Corp"]


@pytest.mark.parametrize(
    ("query", "message", "position"),
    [
        ("colour:red", "unknown field 'colour'", 0),
        ("acme tier:abc", "tier: 'abc' is not a number", 10),
        ("health:<", "health: '<' needs a value", 7),
        ('"acme', "unclosed quote", 0),
        ("renewal:<soon", "is not a span of days or a date", 8),
        ("tier:..", "a range needs at least one end", 5),
        ("acme -", "a lone '-'", 5),
    ],
)
def test_errors_say_what_is_wrong_and_where(query: str, message: str, position: int) -> None:
    with pytest.raises(QueryError) as caught:
        parse(query)
    assert message in caught.value.message
    assert caught.value.position == position


def test_hyphenated_words_are_not_negation() -> None:
    assert [s.name for s in parse("co-op").filter([S("Co-op Foods")], AS_OF)] == ["Co-op Foods"]


def test_or_is_refused_with_a_way_out_and_and_is_accepted() -> None:
    with pytest.raises(QueryError, match=r"OR is not supported.*tier:1\.\.2"):
        parse("tier:1 OR tier:2")
    assert [t.text for t in parse("tier:1 AND region:emea").terms] == ["tier:1", "region:emea"]


def test_a_bad_number_hint_fits_the_field() -> None:
    with pytest.raises(QueryError, match=r"tier: 'abc' is not a number \(tier 1–3"):
        parse("tier:abc")
