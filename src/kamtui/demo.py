"""The demo workspace: a realistic, deterministic book of key accounts for ``kamtui demo``.

One key account team (four account managers) and 40 invented B2B accounts, with two years of
billing, opportunities, stakeholder maps, engagement, KPI history, joint business plans and
QBRs — all relative to the pinned as-of date :data:`DEMO_AS_OF`, generated from a fixed seed
(no network, no wall clock), so that two runs give the same database.

Every alert rule of SPEC §3.5 is planted on purpose on at least one named account
(see :data:`PLANTED`); the rest of the book is kept clear of the planted conditions so that
the alerts read as a story rather than noise.
"""

from __future__ import annotations

import random
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from kamtui.errors import WorkspaceError
from kamtui.store import repository as repo

DEMO_AS_OF = date(2026, 9, 30)
DEMO_SEED = 20260930
# the moment the demo rows claim to have been written (fixed: no wall clock)
DEMO_CREATED = datetime(2026, 9, 30, 8, 0, tzinfo=UTC)

PRODUCTS = (
    "Core Platform",
    "Analytics",
    "Integrations Hub",
    "Mobile Field",
    "Compliance Suite",
    "AI Assistant",
)
OWNERS = ("Dana Whitfield", "Marco Ferri", "Priya Raman", "Jordan Blake")
OUR_TEAM = ("Ana Ruiz (solutions)", "Sam Okafor (support)", "Lena Vogt (onboarding)")
KPI_METRICS = (
    "nps",
    "revenue",
    "gross_margin_pct",
    "usage",
    "logins",
    "feature_adoption",
    "support_resolution_hours",
    "retention_rate",
)

# Which account carries which planted condition (rule of SPEC §3.5 → account names).
PLANTED: dict[str, tuple[str, ...]] = {
    "kpi_below_target": ("Arkwright Components",),  # resolution time > 48 h two months running
    "usage_drop": ("Harbourside Medical Group",),  # logins −35% in the last month
    "churn_risk": ("Brightwater Logistics",),  # renewal in 41 days, poor health
    "upsell_capacity": ("Quillmark Software",),  # 92% of seats in use
    "upsell_budget": ("Halvorsen Marine Systems",),  # spend ≈ 30% of the known budget
    "no_economic_buyer": ("Greyfield Insurance Brokers",),
    "single_threaded": ("Ironbark Timber Co.",),
    "economic_buyer_stale": ("Tamarind Capital Partners",),  # EB last contacted 134 days ago
    "critical_ticket_open": ("Corvina Telecom",),  # critical ticket open for 3 days
    "low_margin": ("Solvaren Energy", "Cobaltline Mining Supply"),
    "objective_behind": ("Kestrel Freight Group",),
    "action_overdue": ("Orrin Biomedical",),
    "qbr_missing": ("Meridian Crest Health", "Pellucid Networks"),  # none / only in 128 days
    "qbr_summary_not_sent": ("Lumenvale Retail",),
    "qbr_summary_late": ("Sunward Apparel",),
}


@dataclass(frozen=True)
class _Spec:
    """The design of one demo account."""

    name: str
    industry: str
    region: str
    country: str
    owner: int
    currency: str
    acv: float | None
    cadence: str  # monthly / quarterly / annual / sporadic / churned / prospect
    last_offset: int  # days from the last invoice to the as-of date
    health: str  # good / fair / poor
    n_products: int
    margin: float | None
    renewal_offset: int | None  # days from the as-of date to the renewal
    years: int  # contract age in years at the next renewal
    flags: tuple[str, ...] = ()
    parent: str | None = None
    notes: str | None = None


_S = _Spec
SPECS: tuple[_Spec, ...] = (
    # ---- Tier 1 by design: billed monthly, recent, large
    _S("Halvorsen Group", "manufacturing", "EMEA", "Norway", 0, "EUR", 420_000, "monthly", 2,
       "good", 5, 48, 200, 5, notes="Group HQ; two subsidiaries buy on their own contracts."),
    _S("Halvorsen Marine Systems", "manufacturing", "EMEA", "Norway", 0, "EUR", 95_000,
       "monthly", 2, "good", 3, 44, 75, 3, ("budget",), parent="Halvorsen Group",
       notes="Budget owner (CFO) confirmed a 300k EUR digital budget for this year."),
    _S("Quillmark Software", "software", "NA", "United States", 3, "USD", 310_000, "monthly",
       5, "good", 4, 66, 130, 4, ("capacity",),
       notes="Seat count close to the plan limit; upgrade conversation started."),
    _S("Brightwater Logistics", "logistics", "NA", "Canada", 3, "CAD", 180_000, "monthly", 12,
       "poor", 3, 38, 41, 3, ("churn_risk",),
       notes="New COO is reviewing all vendors before the renewal. Logins falling since June."),
    _S("Meridian Crest Health", "healthcare", "NA", "United States", 3, "USD", 260_000,
       "monthly", 8, "good", 4, 58, 290, 4, ("no_qbr",),
       notes="The Q3 QBR slipped when their CMO changed; not rescheduled yet."),
    _S("Solvaren Energy", "energy", "EMEA", "Spain", 1, "EUR", 520_000, "monthly", 4, "fair",
       5, 27, 160, 5, ("low_margin",),
       notes="Heavy custom integration work: cost to serve well above plan."),
    _S("Corvina Telecom", "telecom", "LATAM", "Brazil", 1, "USD", 140_000, "monthly", 9,
       "fair", 3, 41, 230, 3, ("critical_open",)),
    _S("Tamarind Capital Partners", "finance", "APAC", "Singapore", 2, "USD", 210_000,
       "monthly", 6, "good", 4, 71, 180, 4, ("stale_eb",)),
    _S("Kestrel Freight Group", "logistics", "EMEA", "Germany", 0, "EUR", 88_000, "monthly",
       3, "fair", 2, 35, 250, 3, ("behind",)),
    _S("Lumenvale Retail", "retail", "EMEA", "United Kingdom", 1, "GBP", 125_000, "monthly",
       7, "good", 3, 52, 310, 3, ("summary_missing",)),
    _S("Orrin Biomedical", "healthcare", "EMEA", "Switzerland", 0, "EUR", 175_000, "monthly",
       1, "good", 4, 62, 60, 4, ("overdue",)),
    _S("Pellucid Networks", "telecom", "APAC", "Australia", 2, "AUD", 96_000, "monthly", 11,
       "good", 3, 46, 340, 3, ("far_qbr",)),
    _S("Arkwright Components", "manufacturing", "NA", "United States", 3, "USD", 64_000,
       "monthly", 14, "good", 2, 33, 120, 2, ("kpi_breach",),
       notes="Two P2 incidents in August took days to resolve; support lead on it."),
    _S("Sunward Apparel", "retail", "APAC", "Japan", 2, "USD", 72_000, "monthly", 10, "good",
       3, 49, 205, 2, ("summary_late",)),
    # ---- Tier 2 by design: quarterly (last invoice 31–90 days ago) or large annual
    _S("Ferrovia Rail Services", "logistics", "EMEA", "Italy", 1, "EUR", 84_000, "quarterly",
       45, "good", 3, 42, 150, 3),
    _S("Greyfield Insurance Brokers", "finance", "NA", "United States", 3, "USD", 60_000,
       "quarterly", 38, "fair", 2, 55, 170, 2, ("no_eb",),
       notes="Our sponsor left in May; we do not know who signs off now."),
    _S("Cobaltline Mining Supply", "manufacturing", "LATAM", "Chile", 1, "USD", 150_000,
       "annual", 120, "fair", 2, 24, 245, 3, ("low_margin",)),
    _S("Nimbus Ledger", "software", "EMEA", "Netherlands", 0, "EUR", 45_000, "quarterly", 52,
       "good", 3, 68, 85, 3),
    _S("Harbourside Medical Group", "healthcare", "APAC", "New Zealand", 2, "AUD", 38_000,
       "quarterly", 61, "fair", 2, 47, 200, 2, ("login_drop",),
       notes="Their night shift stopped using the app in September: check the new rota."),
    _S("Varnholt Grid Solutions", "energy", "NA", "United States", 3, "USD", 110_000, "annual",
       150, "good", 2, 39, 215, 2),
    _S("Tessellate Retail Co.", "retail", "NA", "Canada", 3, "CAD", 28_000, "quarterly", 70,
       "good", 1, 44, 280, 2, ("no_plan",)),
    _S("Oakhollow Foods", "retail", "EMEA", "France", 1, "EUR", 52_000, "quarterly", 33,
       "fair", 2, 36, 195, 3),
    _S("Zephyr Data Systems", "software", "APAC", "India", 2, "USD", 66_000, "quarterly", 40,
       "good", 3, 63, 25, 2),
    _S("Marrowgate Telecom", "telecom", "EMEA", "Poland", 0, "EUR", 30_000, "quarterly", 85,
       "poor", 1, 31, 265, 2),
    _S("Caldera Precision Tools", "manufacturing", "LATAM", "Mexico", 1, "USD", 42_000,
       "quarterly", 58, "fair", 2, 37, 140, 3),
    _S("Bluewake Payments", "finance", "EMEA", "Ireland", 0, "EUR", 130_000, "annual", 100,
       "good", 3, 70, 265, 3),
    _S("Stratacore Analytics", "software", "NA", "United States", 3, "USD", 24_000,
       "quarterly", 47, "good", 2, 65, 320, 2, ("no_plan", "unrated")),
    # ---- Tier 3 by design: annual invoices long ago, lapsed, churned, prospect
    _S("Ironbark Timber Co.", "manufacturing", "APAC", "Australia", 2, "AUD", 18_000,
       "annual", 240, "fair", 1, 34, 125, 2, ("single",),
       notes="Owner-run business: the founder decides everything himself."),
    _S("Palisander Hospitality Group", "retail", "NA", "United States", 3, "USD", 26_000,
       "annual", 300, "poor", 1, 31, 150, 3),
    _S("Quayside Couriers", "logistics", "EMEA", "United Kingdom", 1, "GBP", 12_000,
       "annual", 210, "fair", 1, 40, 155, 2, ("no_surveys",)),
    _S("Fernhollow Credit Union", "finance", "NA", "United States", 3, "USD", 9_000, "annual",
       270, "good", 1, 57, 95, 4),
    _S("Aurelian Solar", "energy", "LATAM", "Mexico", 1, "USD", 48_000, "churned", 303,
       "poor", 2, 30, None, 2,
       notes="Churned at the 2025-12-31 renewal: moved to an in-house tool after budget cuts."),
    _S("Granite Peak Clinics", "healthcare", "NA", "United States", 3, "USD", None,
       "prospect", 0, "good", 0, None, None, 0, ("unrated",),
       notes="Prospect: pilot proposal for two clinics under review."),
    _S("Mosaic Learning Labs", "software", "EMEA", "Sweden", 0, "EUR", 15_000, "annual", 330,
       "fair", 1, 53, 35, 2),
    _S("Saltmarsh Cold Chain", "logistics", "LATAM", "Argentina", 1, "USD", 14_000,
       "sporadic", 200, "poor", 1, 33, 185, 2, ("no_surveys",)),
    _S("Kinloch Telecom Services", "telecom", "APAC", "Philippines", 2, "USD", 20_000,
       "annual", 190, "fair", 2, 45, 175, 2),
    _S("Halden Street Pharmacies", "healthcare", "EMEA", "Denmark", 0, "EUR", 11_000,
       "annual", 260, "good", 1, 50, 105, 2, ("unrated",)),
    _S("Copperfern Home Goods", "retail", "LATAM", "Colombia", 1, "USD", 16_000, "annual",
       230, "fair", 1, 38, 135, 2),
    _S("Tamarind Asset Servicing", "finance", "APAC", "Hong Kong", 2, "USD", 22_000, "annual",
       200, "good", 1, 60, 165, 2, parent="Tamarind Capital Partners"),
    _S("Westmoor Utilities", "energy", "EMEA", "United Kingdom", 0, "GBP", 34_000, "annual",
       280, "fair", 2, 42, 85, 3),
)  # fmt: skip
del _S

# health profiles: the inputs that make an account healthy, middling or at risk
_PROFILES: dict[str, dict[str, Any]] = {
    "good": {
        "growth": (0.18, 0.30),  # revenue growth per year
        "login_trend": 0.015,  # per month
        "answers": (10, 10, 9, 9, 9, 8, 10, 9, 7, 10),
        "ticket_hours": (3.0, 22.0),
        "tickets": (3, 6),
        "adoption": (62.0, 85.0),
        "retention": (92.0, 98.0),
        "nps_reading": (56.0, 78.0),
        "hours_reading": (8.0, 26.0),
        "usage_share": (0.55, 0.78),
    },
    "fair": {
        "growth": (0.08, 0.22),
        "login_trend": -0.05,
        "answers": (10, 9, 8, 7, 7, 6, 5, 9, 8, 6),
        "ticket_hours": (30.0, 70.0),
        "tickets": (5, 9),
        "adoption": (25.0, 40.0),
        "retention": (86.0, 92.0),
        "nps_reading": (42.0, 62.0),
        "hours_reading": (28.0, 46.0),
        "usage_share": (0.45, 0.7),
    },
    "poor": {
        "growth": (-0.10, 0.04),
        "login_trend": 0.0,
        "answers": (2, 3, 5, 6, 4, 7, 6, 2, 8, 5),
        "ticket_hours": (70.0, 130.0),
        "tickets": (8, 13),
        "adoption": (12.0, 22.0),
        "retention": (74.0, 84.0),
        "nps_reading": (2.0, 30.0),
        "hours_reading": (60.0, 95.0),
        "usage_share": (0.35, 0.55),
    },
}
# logins of the last three months as a share of the trend, for accounts losing users
_POOR_LOGIN_TAIL = (0.8, 0.66, 0.48)

_FIRST = (
    "Amelia", "Bjorn", "Carmen", "Dev", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas",
    "Kavya", "Liam", "Mei", "Nikolai", "Olivia", "Pablo", "Quinn", "Rania", "Sven", "Tara",
    "Umar", "Valentina", "Wen", "Ximena", "Yusuf", "Zoe", "Aditi", "Bruno", "Chloe", "Diego",
    "Eitan", "Freya", "Gustavo", "Hana", "Ivan", "Julia", "Kenji", "Leila", "Mateo", "Noor",
)  # fmt: skip
_LAST = (
    "Abernathy", "Bergstrom", "Castellano", "Dimitrov", "Eriksen", "Fontaine", "Galloway",
    "Hashimoto", "Iyer", "Jablonski", "Kowalczyk", "Lindqvist", "Moreau", "Nakamura",
    "Okonkwo", "Petrovic", "Quintero", "Rasmussen", "Salazar", "Tanaka", "Underwood",
    "Varga", "Whitmore", "Xu", "Yilmaz", "Zelenko", "Achterberg", "Bellamy", "Coutinho",
    "Delacroix", "Esposito", "Fairweather", "Gunawardena", "Holloway", "Ibarra", "Jovanovic",
)  # fmt: skip
_TITLES = {
    "economic_buyer": ("Chief Financial Officer", "Chief Operating Officer", "VP Operations",
                       "Managing Director"),
    "technical_buyer": ("Chief Technology Officer", "Head of IT", "Director of Engineering",
                        "IT Director"),
    "champion": ("Operations Manager", "Head of Customer Operations", "Programme Manager",
                 "Digital Transformation Lead"),
    "influencer": ("Finance Director", "Head of Strategy", "Regional Director",
                   "Head of Data"),
    "user": ("Team Lead", "Operations Analyst", "Dispatch Supervisor", "Service Coordinator"),
    "blocker": ("Procurement Manager", "Head of Procurement", "Information Security Officer"),
}  # fmt: skip
_ROLE_ORDER = (
    "economic_buyer", "champion", "technical_buyer", "influencer", "user", "blocker", "user",
    "influencer",
)  # fmt: skip
_PRIORITIES = (
    "Reduce operating cost per order",
    "Expand the rollout to every regional site",
    "Improve the client's customer retention",
    "Automate month-end reporting",
    "Shorten service response times",
    "Make field teams self-sufficient on mobile",
    "Prepare for the new compliance regime",
)
# (text, metric, unit, baseline, target) — text gets the target filled in
_OBJECTIVES = (
    ("Raise weekly active users to {target:g}", "usage", "users", 120, 240),
    ("Cut mean ticket resolution time to {target:g} h", "support_resolution_hours", "h", 40, 20),
    ("Lift feature adoption to {target:g}%", "feature_adoption", "%", 35, 70),
    ("Lift NPS among daily users to {target:g}", "nps", "points", 20, 55),
    ("Automate {target:g} monthly reports", "reports_automated", "reports", 0, 12),
    ("Onboard {target:g} field technicians on Mobile Field", "technicians", "people", 10, 90),
    ("Reduce order-to-invoice cycle to {target:g} days", "cycle_days", "days", 14, 6),
    ("Connect {target:g} source systems through the Integrations Hub", "integrations",
     "systems", 1, 6),
)  # fmt: skip
_ACTIONS_US = (
    "Run an adoption workshop with the operations team",
    "Share the usage dashboard with the champion",
    "Configure the reporting templates",
    "Propose a training plan for new starters",
    "Deliver the integration design document",
    "Review open support tickets with the client's IT",
)
_ACTIONS_CLIENT = (
    "Nominate power users in each site",
    "Confirm the data owner for the integration",
    "Approve the rollout plan internally",
    "Provide the list of reports to automate",
    "Give our team access to the test environment",
)


def _add_months(day: date, months: int) -> date:
    k = day.year * 12 + (day.month - 1) + months
    year, month = divmod(k, 12)
    month += 1
    first_next = date(year + (month == 12), month % 12 + 1, 1)
    last_day = (first_next - timedelta(days=1)).day
    return date(year, month, min(day.day, last_day))


def _month_end(year: int, month: int) -> date:
    return _add_months(date(year, month, 1), 1) - timedelta(days=1)


def _weekday(day: date) -> date:
    """The same day, or the Monday after when it falls on a weekend."""
    return day + timedelta(days=(7 - day.weekday()) % 7 if day.weekday() >= 5 else 0)


def _slug(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())[:24]


@dataclass
class _Tables:
    """Rows per table, as dicts of column values, with explicit ids (deterministic)."""

    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def add(self, table: str, **values: Any) -> int:
        bucket = self.rows.setdefault(table, [])
        new_id = len(bucket) + 1
        bucket.append({"id": new_id, **values})
        return new_id


@dataclass
class _Account:
    """What the generator knows about one account while building it."""

    id: int
    spec: _Spec
    products: list[str]
    stakeholders: list[tuple[int, str, str]] = field(default_factory=list)  # id, name, role
    objectives: list[tuple[int, str]] = field(default_factory=list)
    open_opps: list[str] = field(default_factory=list)
    logins: list[tuple[date, int]] = field(default_factory=list)  # month end, count
    first_day: date = DEMO_AS_OF
    end_day: date = DEMO_AS_OF  # last day the account was active (churned: earlier)


class _Generator:
    def __init__(self, seed: int = DEMO_SEED, as_of: date = DEMO_AS_OF) -> None:
        self.seed = seed
        self.as_of = as_of
        self.t = _Tables()
        self.ids: dict[str, int] = {}
        self.people = random.Random(f"{seed}:people")
        self.used_names: set[str] = set()

    # ------------------------------------------------------------------ helpers
    def rng_for(self, name: str, part: str = "") -> random.Random:
        return random.Random(f"{self.seed}:{name}:{part}")

    def person(self) -> str:
        while True:
            name = f"{self.people.choice(_FIRST)} {self.people.choice(_LAST)}"
            if name not in self.used_names:
                self.used_names.add(name)
                return name

    def days_ago(self, n: int) -> date:
        return self.as_of - timedelta(days=n)

    # ------------------------------------------------------------------ build
    def build(self) -> _Tables:
        accounts = [self.account(spec) for spec in SPECS]
        for acc in accounts:
            self.stakeholders(acc)
            self.billing(acc)
            self.opportunities(acc)
            self.activities(acc)
            self.kpis(acc)
        for acc in accounts:
            self.budget(acc)
            if self.has_plan(acc):
                self.plan(acc)
            self.qbrs(acc)
        return self.t

    def has_plan(self, acc: _Account) -> bool:
        spec = acc.spec
        return (
            spec.cadence in ("monthly", "quarterly")
            or (spec.cadence == "annual" and (spec.acv or 0) >= 100_000)
        ) and "no_plan" not in spec.flags

    def account(self, spec: _Spec) -> _Account:
        rng = self.rng_for(spec.name, "account")
        products = list(PRODUCTS[:1]) if spec.n_products else []
        if spec.n_products > 1:
            products += rng.sample(PRODUCTS[1:], spec.n_products - 1)
        renewal = self.as_of + timedelta(days=spec.renewal_offset) if spec.renewal_offset else None
        if spec.cadence == "churned":
            contract_start = date(2025 - spec.years, 12, 31) + timedelta(days=1)
        elif spec.cadence == "prospect":
            contract_start = None
        else:
            assert renewal is not None
            contract_start = _add_months(renewal, -12 * spec.years)
        capacity = usage = None
        if spec.acv:
            seat_price = rng.choice((480, 600, 720, 900))
            capacity = float(max(25, round(spec.acv / seat_price / 25) * 25))
            share = rng.uniform(*_PROFILES[spec.health]["usage_share"])
            if "capacity" in spec.flags:
                share = 0.92
            usage = float(round(capacity * share))
        scale = spec.acv or 40_000
        employees = int(round(scale / 100 * rng.uniform(0.6, 2.4), -1))
        ratings: list[int | None] = [
            max(1, min(5, base + rng.choice((-1, 0, 0, 1))))
            for base in (
                4 if spec.cadence == "monthly" else 3 if spec.cadence == "quarterly" else 2,
                {"good": 4, "fair": 3, "poor": 2}[spec.health],
                3 if spec.n_products >= 3 else 2,
            )
        ]
        if "unrated" in spec.flags:
            ratings = [ratings[0], None, None] if spec.cadence != "prospect" else [4, 4, None]
        account_id = self.t.add(
            "account",
            name=spec.name,
            name_key=spec.name.casefold(),
            external_id=f"CRM-{1000 + len(self.ids) + 1}",
            industry=spec.industry,
            region=spec.region,
            country=spec.country,
            owner=OWNERS[spec.owner],
            products=", ".join(products) or None,
            acv=spec.acv,
            currency=spec.currency,
            annual_budget=None,
            capacity_limit=capacity,
            current_usage=usage,
            renewal_date=renewal,
            contract_start=contract_start,
            cost_to_serve=None,
            gross_margin_pct=spec.margin,
            rating_strategic_fit=ratings[0],
            rating_growth=ratings[1],
            rating_partnership=ratings[2],
            status={"churned": "churned", "prospect": "prospect"}.get(spec.cadence, "active"),
            employees=employees,
            company_revenue=float(employees * rng.choice((150_000, 180_000, 220_000))),
            year_established=rng.randint(1962, 2016),
            parent_id=self.ids[spec.parent] if spec.parent else None,
            notes=spec.notes,
            created_at=DEMO_CREATED,
            updated_at=DEMO_CREATED,
        )
        self.ids[spec.name] = account_id
        acc = _Account(account_id, spec, products)
        if contract_start is not None:
            acc.first_day = max(contract_start, self.as_of - timedelta(days=730))
        if spec.cadence == "churned":
            acc.end_day = date(2025, 12, 31)
        return acc

    # ------------------------------------------------------------------ stakeholders
    def stakeholders(self, acc: _Account) -> None:
        spec, rng = acc.spec, self.rng_for(acc.spec.name, "people")
        acv = spec.acv or 30_000
        n = rng.randint(6, 8) if acv >= 200_000 else rng.randint(4, 6) if acv >= 60_000 else 3
        if spec.cadence in ("prospect", "sporadic") or acv < 15_000:
            n = 2
        roles = list(_ROLE_ORDER[:n])
        if spec.health == "poor" and "champion" in roles:
            roles[roles.index("champion")] = "influencer"  # the champion left
        if "single" in spec.flags:
            roles = ["economic_buyer"]
        if "no_eb" in spec.flags:
            roles = ["technical_buyer", "champion", "influencer", "user"]
        domain = f"{_slug(spec.name)}.example"
        by_role: dict[str, int] = {}
        for role in roles:
            name = self.person()
            first, last = name.lower().split(" ", 1)
            if role == "economic_buyer":
                boss = None
            elif role in ("technical_buyer", "influencer", "blocker"):
                boss = by_role.get("economic_buyer")
            else:
                boss = by_role.get("champion") or by_role.get("technical_buyer")
                boss = boss or by_role.get("economic_buyer")
            if spec.cadence == "churned":
                contact = self.days_ago(rng.randint(280, 330))
            elif role == "economic_buyer":
                contact = self.days_ago(134 if "stale_eb" in spec.flags else rng.randint(6, 70))
            elif role == "champion":
                contact = self.days_ago(rng.randint(2, 21))
            else:
                contact = self.days_ago(rng.randint(5, 150))
            influence = {"economic_buyer": 5, "technical_buyer": 4, "champion": 4,
                         "influencer": 3, "blocker": 3, "user": 2}[role]  # fmt: skip
            attitude = {
                "economic_buyer": rng.choice((0, 1, 1, 2)),
                "technical_buyer": rng.choice((0, 1, 1)),
                "champion": 2,
                "influencer": rng.choice((-1, 0, 1)),
                "user": rng.choice((0, 1)),
                "blocker": rng.choice((-2, -1)),
            }[role]
            if spec.health == "poor" and role == "economic_buyer":
                attitude = -1
            sid = self.t.add(
                "stakeholder",
                account_id=acc.id,
                name=name,
                title=rng.choice(_TITLES[role]),
                email=f"{first}.{last.replace(' ', '')}@{domain}",
                # the fictional 555-01xx range, for North American contacts only
                phone=(
                    f"+1 555 01{rng.randint(0, 99):02d}"
                    if spec.region == "NA" and rng.random() < 0.6
                    else None
                ),
                role=role,
                influence=max(1, min(5, influence + rng.choice((-1, 0, 0)))),
                attitude=attitude,
                reports_to_id=boss,
                last_contact=contact,
                external_id=None,
                notes="Signs off every renewal." if role == "economic_buyer" else None,
            )
            by_role.setdefault(role, sid)
            acc.stakeholders.append((sid, name, role))

    # ------------------------------------------------------------------ money
    def _acv_at(self, acc: _Account, day: date, growth: float) -> float:
        years_back = (self.as_of - day).days / 365.0
        return (acc.spec.acv or 0) / (1 + growth) ** years_back

    def billing(self, acc: _Account) -> None:
        spec = acc.spec
        rng = self.rng_for(spec.name, "billing")
        if spec.cadence == "prospect" or not spec.acv:
            return
        growth = rng.uniform(*_PROFILES[spec.health]["growth"])
        step, share = {"monthly": (1, 12), "quarterly": (3, 4), "annual": (12, 1),
                       "sporadic": (5, 3), "churned": (1, 12)}[spec.cadence]  # fmt: skip
        last = self.days_ago(spec.last_offset)
        invoices: list[date] = []
        k = 0
        while True:
            day = _add_months(last, -step * k)
            if day < acc.first_day:
                break
            invoices.append(day)
            k += 1
        invoices.reverse()
        product = acc.products[0] if acc.products else None
        for n, day in enumerate(invoices, 1):
            amount = round(self._acv_at(acc, day, growth) / share)
            if spec.cadence == "sporadic":
                amount = round(amount * rng.uniform(0.6, 1.3))
            self.add_transaction(acc, day, float(amount), product, f"INV-{acc.id:03d}-{n:03d}")
        # a credit note on a few accounts, in the older quarters
        if rng.random() < 0.3 and len(invoices) > 8:
            day = invoices[rng.randint(1, 4)] + timedelta(days=rng.randint(9, 16))
            amount = -round(spec.acv / share * rng.uniform(0.05, 0.15))
            self.add_transaction(acc, day, float(amount), product, f"CN-{acc.id:03d}-001")

    def add_transaction(
        self,
        acc: _Account,
        day: date,
        amount: float,
        product: str | None,
        external_id: str,
        source: str = "billing",
    ) -> None:
        self.t.add(
            "transaction_line",
            account_id=acc.id,
            day=day,
            amount=amount,
            product=product,
            quantity=None,
            source=source,
            external_id=external_id,
            dedupe_key=f"{source}:{external_id}",
        )

    def opportunities(self, acc: _Account) -> None:
        spec = acc.spec
        rng = self.rng_for(spec.name, "opps")
        scale = spec.acv or 60_000
        missing = [p for p in PRODUCTS if p not in acc.products] or list(PRODUCTS[1:])
        plans: list[tuple[str, str]] = []
        if spec.cadence == "prospect":
            plans = [("open", "Pilot for two clinics")]
        elif spec.cadence == "churned":
            plans = [("won", "Analytics add-on"), ("lost", "Renewal 2026")]
        else:
            plans.append(("won", "Expansion"))
            if rng.random() < 0.6:
                plans.append(("lost", "Add-on"))
            for _ in range(rng.randint(0, 2) + (spec.cadence == "monthly")):
                plans.append(("open", "Upsell"))
        for n, (stage, label) in enumerate(plans, 1):
            product = rng.choice(missing) if stage != "won" or label != "Expansion" else None
            product = product or (acc.products[-1] if acc.products else PRODUCTS[0])
            amount = float(round(scale * rng.uniform(0.06, 0.18), -2))
            if stage == "open":
                close = self.as_of + timedelta(days=rng.randint(15, 170))
                crm = rng.choice(("Prospecting", "Engaging", "Proposal", "Negotiation"))
                acc.open_opps.append(f"{product} for {spec.name.split()[0]}")
            elif stage == "lost":
                close = self.days_ago(rng.randint(60, 600))
                if spec.cadence == "churned":
                    close = date(2025, 12, 18)
                crm = "Closed Lost"
            else:
                crm = "Closed Won"
                if spec.cadence == "monthly" and rng.random() < 0.6:
                    # recent wins (the last two quarters): growth stays visible
                    close = date(2026, 4, 1) + timedelta(days=rng.randint(0, 170))
                else:  # 2024-Q4 … 2025-Q1: outside the trailing year
                    close = date(2024, 10, 15) + timedelta(days=rng.randint(0, 160))
                if close < acc.first_day:
                    continue
            external_id = f"OPP-{acc.id:03d}-{n}"
            name = f"{spec.name} — {product} {label.lower()}"
            self.t.add(
                "opportunity",
                account_id=acc.id,
                external_id=external_id,
                name=name,
                product=product,
                stage=stage,
                stage_label=crm,
                amount=amount,
                engage_date=min(close, self.as_of) - timedelta(days=rng.randint(30, 120)),
                close_date=close,
                owner=OWNERS[spec.owner],
            )
            if stage == "won":
                self.add_transaction(acc, close, amount, product, external_id, "crm-won")

    def budget(self, acc: _Account) -> None:
        """A known annual budget for some accounts: ≈30% spent on the planted one, ≤12% else."""
        spec = acc.spec
        if not spec.acv or spec.cadence == "churned":
            return
        rng = self.rng_for(spec.name, "budget")
        start = _add_months(self.as_of, -12)
        spend = sum(
            r["amount"]
            for r in self.t.rows["transaction_line"]
            if r["account_id"] == acc.id and start < r["day"] <= self.as_of
        )
        basis = max(spend, spec.acv)
        if "budget" in spec.flags:
            budget = round(spend / 0.3, -3)
        elif rng.random() < 0.45:
            budget = round(basis * rng.uniform(8.5, 14.0), -4)
        else:
            return
        for row in self.t.rows["account"]:
            if row["id"] == acc.id:
                row["annual_budget"] = float(budget)

    # ------------------------------------------------------------------ engagement
    def _months(self, acc: _Account) -> list[date]:
        """Month ends (≤ as-of) over the last 24 months while the account was active."""
        out = []
        for k in range(23, -1, -1):
            first = _add_months(date(self.as_of.year, self.as_of.month, 1), -k)
            end = _month_end(first.year, first.month)
            if end > self.as_of or end < acc.first_day or first > acc.end_day:
                continue
            out.append(end)
        return out

    def login_series(self, acc: _Account) -> list[tuple[date, int]]:
        spec = acc.spec
        rng = self.rng_for(spec.name, "logins")
        months = self._months(acc)
        if not months or spec.cadence == "prospect":
            return []
        profile = _PROFILES[spec.health]
        base = (self.account_row(acc)["current_usage"] or 20) * rng.uniform(7, 11)
        n = len(months)
        out = []
        for i, end in enumerate(months):
            back = n - 1 - i  # months before the last one
            level = base * (1 + profile["login_trend"]) ** (-back)
            if spec.health == "poor" and back < 3:
                level *= _POOR_LOGIN_TAIL[2 - back]
            if "login_drop" in spec.flags and back == 0:
                level *= 0.65
            out.append((end, max(1, round(level * rng.uniform(0.95, 1.05)))))
        return out

    def account_row(self, acc: _Account) -> dict[str, Any]:
        return self.t.rows["account"][acc.id - 1]

    def activities(self, acc: _Account) -> None:
        spec = acc.spec
        rng = self.rng_for(spec.name, "activity")
        profile = _PROFILES[spec.health]
        acc.logins = self.login_series(acc)
        for day, count in acc.logins:
            self.activity(acc, day, "login", float(count))
        # contacts: the last one with each stakeholder on their last-contact date
        for sid, _name, role in acc.stakeholders:
            row = self.t.rows["stakeholder"][sid - 1]
            last = row["last_contact"]
            kind = (
                "meeting"
                if role in ("economic_buyer", "champion")
                else rng.choice(("call", "email", "meeting"))
            )
            for back in sorted(rng.sample(range(20, 200, 10), rng.randint(0, 3)), reverse=True):
                earlier = last - timedelta(days=back)
                if earlier >= acc.first_day - timedelta(days=120):
                    self.activity(acc, earlier, rng.choice(("call", "email")), 1.0, sid)
            self.activity(acc, last, kind, 1.0, sid)
        if spec.cadence == "prospect":
            return
        # support tickets over the last year (closed: value = hours to resolve)
        end = min(acc.end_day, self.as_of)
        for _ in range(rng.randint(*profile["tickets"])):
            day = end - timedelta(days=rng.randint(12, 360))
            if day < acc.first_day:
                continue
            severity = rng.choices(("normal", "high", "critical"), (70, 24, 6))[0]
            hours = round(rng.uniform(*profile["ticket_hours"]), 1)
            if severity == "critical":
                hours = round(hours * 0.5, 1)
            self.activity(acc, day, "support_ticket", hours, severity=severity)
        if "kpi_breach" in spec.flags:
            for back, hours in ((38, 71.5), (21, 64.0), (9, 58.0)):
                self.activity(acc, self.days_ago(back), "support_ticket", hours, severity="high")
        if spec.cadence != "churned" and rng.random() < (0.8 if spec.health == "poor" else 0.4):
            self.activity(
                acc, self.days_ago(rng.randint(0, 6)), "support_ticket", None,
                severity=rng.choice(("normal", "high")), is_open=True,
            )  # fmt: skip
        if "critical_open" in spec.flags:
            self.activity(
                acc, self.days_ago(3), "support_ticket", None, severity="critical", is_open=True,
                notes="Billing interface down for the São Paulo region; workaround in place.",
            )  # fmt: skip
        # survey answers (0–10), two or three a quarter over the last year
        if "no_surveys" in spec.flags:
            return
        people = [sid for sid, _n, _r in acc.stakeholders]
        for q in range(4):
            for _ in range(rng.randint(2, 3)):
                day = end - timedelta(days=q * 91 + rng.randint(5, 80))
                if day < acc.first_day:
                    continue
                answer = float(rng.choice(profile["answers"]))
                self.activity(acc, day, "survey_response", answer, rng.choice(people))

    def activity(
        self,
        acc: _Account,
        day: date,
        kind: str,
        value: float | None,
        stakeholder_id: int | None = None,
        *,
        severity: str | None = None,
        is_open: bool = False,
        notes: str | None = None,
    ) -> None:
        self.t.add(
            "activity",
            account_id=acc.id,
            day=day,
            kind=kind,
            value=value,
            severity=severity,
            is_open=is_open,
            stakeholder_id=stakeholder_id,
            external_id=None,
            notes=notes,
        )

    # ------------------------------------------------------------------ KPIs
    def kpis(self, acc: _Account) -> None:
        spec = acc.spec
        if spec.cadence == "prospect":
            return
        rng = self.rng_for(spec.name, "kpi")
        profile = _PROFILES[spec.health]
        months = self._months(acc)
        logins = dict(acc.logins)
        revenue: dict[date, float] = {}
        for r in self.t.rows["transaction_line"]:
            if r["account_id"] == acc.id:
                end = _month_end(r["day"].year, r["day"].month)
                revenue[end] = revenue.get(end, 0.0) + r["amount"]
        adoption_end = rng.uniform(*profile["adoption"])
        monthly: dict[str, dict[date, float]] = {m: {} for m in KPI_METRICS}
        n = len(months)
        for i, end in enumerate(months):
            back = n - 1 - i
            margin = spec.margin if spec.margin is not None else 45.0
            gm = margin + rng.uniform(-1.5, 1.5)
            if margin >= 30:
                gm = max(gm, 30.4)
            hours = rng.uniform(*profile["hours_reading"])
            if "kpi_breach" in spec.flags and back < 2:
                hours = (63.5, 57.0)[back]
            monthly["nps"][end] = round(rng.uniform(*profile["nps_reading"]))
            monthly["revenue"][end] = round(revenue.get(end, 0.0), 2)
            monthly["gross_margin_pct"][end] = round(gm, 1)
            monthly["logins"][end] = float(logins.get(end, 0))
            monthly["usage"][end] = round(logins.get(end, 0) * rng.uniform(0.55, 0.6) / 4) * 4.0
            monthly["feature_adoption"][end] = round(max(5.0, adoption_end - back * 0.8), 1)
            monthly["support_resolution_hours"][end] = round(hours, 1)
            monthly["retention_rate"][end] = round(rng.uniform(*profile["retention"]), 1)
        recent = months[-12:]
        current_quarter = f"{self.as_of.year}-Q{(self.as_of.month - 1) // 3 + 1}"
        for metric in KPI_METRICS:
            for end in recent:
                self.kpi(acc, f"{end.year}-{end.month:02d}", metric, monthly[metric][end])
            # quarterly readings: the eight quarters to the as-of date
            quarters: dict[str, list[float]] = {}
            for end in months:
                key = f"{end.year}-Q{(end.month - 1) // 3 + 1}"
                quarters.setdefault(key, []).append(monthly[metric][end])
            for key, values in quarters.items():
                if len(values) < 3 and key != current_quarter:
                    continue  # a quarter the account was only partly live: no reading
                if metric in ("revenue", "logins", "usage"):
                    value = round(sum(values), 2)
                elif metric == "feature_adoption":
                    value = values[-1]
                else:
                    value = round(sum(values) / len(values), 1)
                self.kpi(acc, key, metric, value)

    def kpi(self, acc: _Account, period: str, metric: str, value: float) -> None:
        self.t.add(
            "kpi_reading", account_id=acc.id, period=period, metric=metric, value=float(value)
        )

    # ------------------------------------------------------------------ joint business plan
    def plan(self, acc: _Account) -> None:
        spec = acc.spec
        rng = self.rng_for(spec.name, "plan")
        champion = next((n for _s, n, r in acc.stakeholders if r == "champion"), None)
        client_people = [n for _s, n, _r in acc.stakeholders] or ["(client)"]
        client_owner = champion or client_people[0]
        templates = rng.sample(_OBJECTIVES, 4)
        behind_done = False
        overdue_left = 2 if "overdue" in spec.flags else 0
        for p, title in enumerate(rng.sample(_PRIORITIES, rng.randint(2, 3))):
            pid = self.t.add("plan_priority", account_id=acc.id, title=title, position=p)
            for _ in range(1 if p else 2):
                if not templates:
                    break
                text, metric, unit, baseline, target = templates.pop()
                start = self.days_ago(rng.randint(60, 240))
                done = rng.random() < 0.2
                due = (
                    self.days_ago(rng.randint(5, 40))
                    if done
                    else self.as_of + timedelta(days=rng.randint(45, 220))
                )
                if done and due <= start:
                    start = due - timedelta(days=120)
                elapsed = min(1.0, max(0.0, (self.as_of - start).days / (due - start).days))
                if done:
                    progress = 1.0
                elif "behind" in spec.flags and not behind_done:
                    start, due = self.days_ago(190), self.as_of + timedelta(days=60)
                    progress, behind_done = 0.12, True
                else:
                    progress = min(1.0, elapsed + rng.uniform(0.03, 0.2))
                current = baseline + progress * (target - baseline)
                # round towards the target so that rounding never makes it look late
                current = float(
                    int(current + 0.999) if target > baseline else int(current)
                ) if not done else float(target)  # fmt: skip
                side = rng.choice(("us", "client", "joint"))
                oid = self.t.add(
                    "objective",
                    account_id=acc.id,
                    priority_id=pid,
                    text=text.format(target=target),
                    metric=metric,
                    baseline=float(baseline),
                    target=float(target),
                    current=current,
                    unit=unit,
                    start_date=start,
                    due_date=due,
                    owner_side=side,
                    owner_name=OWNERS[spec.owner] if side != "client" else client_owner,
                    status="done" if done else "active",
                )
                acc.objectives.append((oid, text.format(target=target)))
                for a in range(rng.randint(1, 3)):
                    ours = a % 2 == 0
                    action_due = start + timedelta(days=rng.randint(20, 60) + a * 45)
                    late = action_due < self.as_of
                    is_overdue = late and overdue_left > 0 and not done
                    if is_overdue:
                        overdue_left -= 1
                    self.t.add(
                        "plan_action",
                        account_id=acc.id,
                        objective_id=oid,
                        text=rng.choice(_ACTIONS_US if ours else _ACTIONS_CLIENT),
                        owner_name=(
                            rng.choice((OWNERS[spec.owner], *OUR_TEAM))
                            if ours
                            else rng.choice(client_people)
                        ),
                        owner_side="us" if ours else "client",
                        due_date=action_due,
                        done=late and not is_overdue,
                        done_on=(
                            action_due - timedelta(days=rng.randint(0, 4))
                            if late and not is_overdue
                            else None
                        ),
                    )
        # the planted overdue actions, when the random dates gave none in the past
        first_active = next((o for o in acc.objectives), None)
        for k in range(overdue_left):
            self.t.add(
                "plan_action",
                account_id=acc.id,
                objective_id=first_active[0] if first_active else None,
                text=(
                    "Send the revised rollout plan to procurement",
                    "Sign off the data-sharing agreement",
                )[k],
                owner_name=(OWNERS[spec.owner], client_owner)[k],
                owner_side=("us", "client")[k],
                due_date=self.days_ago((12, 27)[k]),
                done=False,
                done_on=None,
            )

    # ------------------------------------------------------------------ QBRs
    def qbrs(self, acc: _Account) -> None:
        spec = acc.spec
        if not self.has_plan(acc):
            return
        rng = self.rng_for(spec.name, "qbr")
        tier1 = spec.cadence == "monthly"
        held_count = 4 if tier1 else 2
        first_gap = 9 if "summary_missing" in spec.flags else rng.randint(14, 60)
        if "summary_late" in spec.flags:
            first_gap = 16
        if "no_qbr" in spec.flags:
            first_gap = 104
        held_days = [
            _weekday(self.days_ago(first_gap + k * 91 + rng.randint(-4, 4) * (k > 0)))
            for k in range(held_count)
        ]
        held_days = sorted(d for d in held_days if d >= acc.first_day)
        upcoming: date | None = None
        if "far_qbr" in spec.flags:
            upcoming = _weekday(self.as_of + timedelta(days=128))
        elif "no_qbr" in spec.flags:
            upcoming = None
        elif tier1 or rng.random() < 0.5:
            upcoming = _weekday(self.as_of + timedelta(days=rng.randint(12, 80 if tier1 else 150)))
        nexts = [*held_days[1:], upcoming]
        if "no_qbr" in spec.flags:
            nexts[-1] = _weekday(self.days_ago(12))  # it slipped and was never rebooked
        for k, (day, next_day) in enumerate(zip(held_days, nexts, strict=True)):
            length = rng.choice((60, 60, 90, 120))
            hour = rng.choice((9, 10, 14, 15))
            end = datetime.combine(day, time(hour, 0), UTC) + timedelta(minutes=length)
            sent: datetime | None = end + timedelta(hours=rng.uniform(1.0, 20.0))
            last = k == len(held_days) - 1
            if last and "summary_missing" in spec.flags:
                sent = None
            elif last and "summary_late" in spec.flags:
                sent = end + timedelta(days=4, hours=2)
            if sent is not None:
                sent = sent.replace(second=0, microsecond=0)
            qid = self.t.add(
                "qbr",
                account_id=acc.id,
                day=day,
                start_time=f"{hour:02d}:00",
                length_minutes=length,
                held=True,
                summary_sent_at=sent,
                next_qbr_date=next_day,
                notes=None,
            )
            self.agenda(acc, qid, length, rng)
            for c in range(rng.randint(2, 3)):
                deadline = day + timedelta(days=rng.randint(14, 45))
                self.t.add(
                    "commitment",
                    qbr_id=qid,
                    text=(
                        "Share the adoption report with the steering group",
                        "Agree the rollout dates for the next sites",
                        "Send the pricing proposal for the add-on",
                        "Nominate an executive sponsor on each side",
                    )[(k + c) % 4],
                    owner=rng.choice((OWNERS[spec.owner], *(n for _s, n, _r in acc.stakeholders))),
                    deadline=deadline,
                    done=deadline < self.as_of - timedelta(days=7),
                )
        if upcoming is not None:
            qid = self.t.add(
                "qbr",
                account_id=acc.id,
                day=upcoming,
                start_time="10:00",
                length_minutes=60,
                held=False,
                summary_sent_at=None,
                next_qbr_date=None,
                notes="Draft agenda: confirm with the champion a week before.",
            )
            if rng.random() < 0.5:
                self.agenda(acc, qid, 60, rng)

    def agenda(self, acc: _Account, qbr_id: int, length: int, rng: random.Random) -> None:
        """Agenda items: review 15%, initiatives 40%, opportunities 30%, next steps 15%."""
        shares = (("review", 15), ("initiatives", 40), ("opportunities", 30), ("next_steps", 15))
        raw = [length * pct / 100 for _s, pct in shares]
        minutes = [int(x) for x in raw]
        order = sorted(range(4), key=lambda i: (-(raw[i] - minutes[i]), i))
        for i in order[: length - sum(minutes)]:
            minutes[i] += 1
        objectives = [t for _i, t in acc.objectives] or ["Adoption across all sites"]
        opps = acc.open_opps or [f"{p} for {acc.spec.name.split()[0]}" for p in PRODUCTS[-2:]]
        titles = {
            "review": [("Last quarter's KPIs: NPS, usage, resolution time", "kpi")],
            "initiatives": [(f"Progress: {t}", "plan") for t in objectives[:2]],
            "opportunities": [(f"Opportunity: {o}", "opportunity") for o in opps[:2]],
            "next_steps": [("Owners, deadlines and the next QBR date", "manual")],
        }
        position = 0
        for (section, _pct), total in zip(shares, minutes, strict=True):
            items = titles[section]
            base, extra = divmod(total, len(items))
            for j, (title, source) in enumerate(items):
                self.t.add(
                    "agenda_item",
                    qbr_id=qbr_id,
                    section=section,
                    title=title,
                    minutes=base + (1 if j < extra else 0),
                    source=source,
                    position=position,
                )
                position += 1


_TABLE_ORDER = (
    "account",
    "stakeholder",
    "transaction_line",
    "opportunity",
    "activity",
    "kpi_reading",
    "plan_priority",
    "objective",
    "plan_action",
    "qbr",
    "agenda_item",
    "commitment",
)


def generate(seed: int = DEMO_SEED, as_of: date = DEMO_AS_OF) -> dict[str, list[dict[str, Any]]]:
    """The demo book as rows per table (column → value), without touching a database."""
    return _Generator(seed, as_of).build().rows


def _insert(conn: Any, rows: dict[str, list[dict[str, Any]]]) -> None:
    from sqlalchemy import insert
    from sqlmodel import SQLModel

    import kamtui.store.tables  # noqa: F401  (registers the tables)

    tables = SQLModel.metadata.tables
    for name in _TABLE_ORDER:
        batch = rows.get(name)
        if batch:
            conn.execute(insert(tables[name]), batch)


def _has_accounts(path: Path) -> bool:
    """True when ``path`` is a SQLite file with at least one account (read-only look)."""
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error:
        return False
    try:
        return bool(con.execute("SELECT EXISTS (SELECT 1 FROM account)").fetchone()[0])
    except sqlite3.DatabaseError:
        return False
    finally:
        con.close()


def _remove(path: Path) -> None:
    for candidate in (path, *(path.with_name(path.name + s) for s in ("-wal", "-shm"))):
        try:
            candidate.unlink()
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise WorkspaceError(f"cannot remove {candidate}: {exc.strerror}") from None


def ensure_demo(target: str, *, reset: bool = False) -> str:
    """Create the demo workspace at ``target`` (a file path) unless it already holds one.

    An existing demo with accounts is left untouched (the user may have edited it) unless
    ``reset`` is set. A reset empties the workspace and generates it afresh in one
    transaction, in the same file, so a kamtui that has it open sees the new demo instead of
    writing into a deleted file; a file that is not a workspace is replaced. Returns the path.
    """
    from kamtui.paths import sqlite_path
    from kamtui.service import Workbench

    if "://" in target:
        file = sqlite_path(target)
        if file is None:
            raise WorkspaceError("the demo workspace must be a SQLite file, not a server URL")
        path = file
    else:
        path = Path(target).expanduser().resolve()
    if path.is_dir():
        raise WorkspaceError(f"{path} is a folder, not a database file")
    if path.exists() and not reset and _has_accounts(path):
        return str(path)
    rows = generate()
    try:
        bench = Workbench.open(str(path))
    except WorkspaceError as exc:
        if not reset:
            raise WorkspaceError(f"{exc} (run 'kamtui demo --reset' to replace it)") from None
        _remove(path)
        bench = Workbench.open(str(path))
    with bench:
        if bench.account_count() and not reset:  # raced with another kamtui demo
            return str(path)
        with bench.unit_of_work("demo") as uow:
            _clear(uow.conn)
            repo.set_setting(uow.conn, "as_of", DEMO_AS_OF.isoformat())
            _insert(uow.conn, rows)
            uow.rescore_all = True
    return str(path)


def _clear(conn: Any) -> None:
    """Delete every record (children first), keeping the schema and its version."""
    from sqlmodel import SQLModel

    import kamtui.store.tables  # noqa: F401  (registers the tables)

    for table in reversed(SQLModel.metadata.sorted_tables):
        conn.exec_driver_sql(f'DELETE FROM "{table.name}"')


def counts(rows: dict[str, list[dict[str, Any]]]) -> dict[str, int]:
    """Rows per table, in insertion order (for the report and the tests)."""
    return {name: len(rows.get(name, [])) for name in _TABLE_ORDER}
