"""Domain values shared by the scoring rules, the service and the faces."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class AccountStatus(StrEnum):
    ACTIVE = "active"
    CHURNED = "churned"
    PROSPECT = "prospect"


class StakeholderRole(StrEnum):
    ECONOMIC_BUYER = "economic_buyer"
    TECHNICAL_BUYER = "technical_buyer"
    CHAMPION = "champion"
    INFLUENCER = "influencer"
    USER = "user"
    BLOCKER = "blocker"


class ActivityKind(StrEnum):
    LOGIN = "login"
    MEETING = "meeting"
    EMAIL = "email"
    CALL = "call"
    SUPPORT_TICKET = "support_ticket"
    SURVEY_RESPONSE = "survey_response"


# The dates kamtui works with, as-of dates and imported dates alike: wide enough for any book,
# narrow enough that a typo (0001-01-01, 9999-12-31) is caught instead of overflowing the
# calendar arithmetic.
DATE_MIN = date(1900, 1, 1)
DATE_MAX = date(2199, 12, 31)


def check_day(day: date) -> date:
    """A date inside DATE_MIN..DATE_MAX; ValueError with a readable reason otherwise."""
    if not DATE_MIN <= day <= DATE_MAX:
        raise ValueError(f"{day} is outside {DATE_MIN.year}–{DATE_MAX.year}; is the year a typo?")
    return day


# Amounts beyond ten trillion are typing or unit mistakes (1e308, a pasted id), not money.
MAX_ABS_AMOUNT = 1e13


def check_amount(value: float) -> float:
    """A finite amount of plausible size; ValueError with a readable reason otherwise."""
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"{value} is not a number")
    if abs(value) > MAX_ABS_AMOUNT:
        raise ValueError(f"{value:,.0f} is beyond {MAX_ABS_AMOUNT:,.0f}; check the units")
    return value


def check_weights(kind: str, parts: dict[str, float]) -> None:
    """Weights in percent: none negative, summing to 100 (ValueError naming each otherwise)."""
    for name, weight in parts.items():
        if weight < 0:
            raise ValueError(f"weight {name} must not be negative (got {weight:g})")
    total = sum(parts.values())
    if abs(total - 100.0) > 1e-6:
        detail = " + ".join(f"{n} {w:g}" for n, w in parts.items())
        raise ValueError(f"{kind} weights must sum to 100, got {total:g} ({detail})")


def ordinal(n: float) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 22nd, 18th … for a number rounded to a whole one."""
    k = round(n)
    suffix = "th" if 10 <= k % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(k % 10, "th")
    return f"{k}{suffix}"


@dataclass(frozen=True, slots=True)
class Money:
    """A dated amount: one transaction line as the scoring rules see it."""

    day: date
    amount: float


@dataclass(frozen=True, slots=True)
class Criterion:
    """One line of a score's breakdown: what was looked at, what it was, what it gave."""

    name: str
    value: object
    band: str
    points: float
    weight: float | None = None
    note: str = ""
