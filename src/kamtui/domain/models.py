"""Domain values shared by the scoring rules, the service and the faces."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class AccountStatus(StrEnum):
    ACTIVE = "active"
    CHURNED = "churned"
    PROSPECT = "prospect"


class OpportunityStage(StrEnum):
    OPEN = "open"
    WON = "won"
    LOST = "lost"


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


class OwnerSide(StrEnum):
    US = "us"
    CLIENT = "client"
    JOINT = "joint"


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


@dataclass(frozen=True, slots=True)
class Breakdown:
    """A score with the criteria that produced it."""

    score: float
    criteria: tuple[Criterion, ...] = field(default_factory=tuple)
