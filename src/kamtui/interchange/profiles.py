"""Import profiles: which headers mean which file, and how each column maps to a field.

A profile is recognised by its headers alone (no flags). Headers are compared normalised:
case-folded, BOM and surrounding quotes removed, runs of spaces/underscores/dashes collapsed
to one space. Each profile maps *target fields* of one record kind to *source headers*
(alternatives allowed). ``--map mapping.toml`` builds a profile for any other header set;
mappings can be saved under the user's config folder and reused by name.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# --------------------------------------------------------------------------- kinds and fields
ACCOUNTS = "accounts"
TRANSACTIONS = "transactions"
OPPORTUNITIES = "opportunities"
STAKEHOLDERS = "stakeholders"
KPIS = "kpis"
KINDS = (ACCOUNTS, TRANSACTIONS, OPPORTUNITIES, STAKEHOLDERS, KPIS)
IGNORED = "ignored"  # files we know and deliberately leave alone (reference tables)

# field name → value type. Types: str, id (string kept verbatim), money, float, int, date,
# percent, rating (int 1–5). "account"/"account_id" name the account a record belongs to.
FIELDS: dict[str, dict[str, str]] = {
    ACCOUNTS: {
        "name": "str",
        "external_id": "id",
        "industry": "str",
        "region": "str",
        "country": "str",
        "owner": "str",
        "products": "str",
        "acv": "money",
        "currency": "str",
        "annual_budget": "money",
        "capacity_limit": "float",
        "current_usage": "float",
        "renewal_date": "date",
        "contract_start": "date",
        "cost_to_serve": "money",
        "gross_margin_pct": "percent",
        "rating_strategic_fit": "rating",
        "rating_growth": "rating",
        "rating_partnership": "rating",
        "status": "str",
        "employees": "int",
        "company_revenue": "money",
        "year_established": "int",
        "parent": "str",
        "parent_id": "id",
        "notes": "str",
    },
    TRANSACTIONS: {
        "account": "str",
        "account_id": "id",
        "date": "date",
        "amount": "money",
        "product": "str",
        "quantity": "float",
        "id": "id",
        "currency": "str",
    },
    OPPORTUNITIES: {
        "id": "id",
        "account": "str",
        "account_id": "id",
        "name": "str",
        "product": "str",
        "stage": "str",
        "amount": "money",
        "currency": "str",
        "engage_date": "date",
        "close_date": "date",
        "owner": "str",
    },
    STAKEHOLDERS: {
        "account": "str",
        "account_id": "id",
        "name": "str",
        "id": "id",
        "title": "str",
        "email": "str",
        "phone": "str",
        "role": "str",
        "influence": "rating",
        "attitude": "int",
        "reports_to": "str",
        "last_contact": "date",
        "notes": "str",
    },
    IGNORED: {},
    KPIS: {
        "account": "str",
        "account_id": "id",
        "period": "str",
        "metric": "str",
        "value": "float",
    },
}
# Fields a record cannot do without (besides an account reference, checked separately).
REQUIRED: dict[str, tuple[str, ...]] = {
    ACCOUNTS: ("name",),
    TRANSACTIONS: ("date", "amount"),
    OPPORTUNITIES: (),
    STAKEHOLDERS: ("name",),
    KPIS: ("period", "metric", "value"),
    IGNORED: (),
}


def norm_header(text: str) -> str:
    t = text.replace("\ufeff", "").strip().strip('"').strip()
    return re.sub(r"[\s_\-]+", " ", t).casefold()


# --------------------------------------------------------------------------- profiles
@dataclass(frozen=True)
class Profile:
    """How one kind of file maps onto kamtui records."""

    name: str
    kind: str
    title: str
    # target field → accepted source headers (normalised), first match wins
    columns: Mapping[str, tuple[str, ...]]
    # normalised headers that must all be present for the profile to be recognised
    required: frozenset[str]
    whitespace: bool = False  # CDNOW-style files
    # fixed values and per-profile conversions
    source: str = "import"  # transaction source
    scale: Mapping[str, float] = field(default_factory=dict)  # field → factor
    options: Mapping[str, Any] = field(default_factory=dict)

    @property
    def dedupe_namespace(self) -> str:
        """The profile part of content keys. Mappings share one per record kind, so that
        renaming or saving a mapping under another name never re-imports lines twice."""
        return f"map:{self.kind}" if self.name.startswith("map") else self.name

    def resolve(self, headers: Sequence[str]) -> dict[str, int]:
        """target field → column index for a file's headers."""
        index = {}
        for i, h in enumerate(headers):
            index.setdefault(norm_header(h), i)
        found: dict[str, int] = {}
        for target, names in self.columns.items():
            for name in names:
                if name in index:
                    found[target] = index[name]
                    break
        return found

    def matches(self, normalised: set[str]) -> bool:
        return self.required <= normalised


def _p(
    name: str,
    kind: str,
    title: str,
    columns: Mapping[str, str | tuple[str, ...]],
    required: Iterable[str],
    **kw: Any,
) -> Profile:
    cols = {
        k: tuple(norm_header(x) for x in ((v,) if isinstance(v, str) else v))
        for k, v in columns.items()
    }
    return Profile(name, kind, title, cols, frozenset(norm_header(r) for r in required), **kw)


PROFILES: tuple[Profile, ...] = (
    _p(
        "maven-accounts",
        ACCOUNTS,
        "Maven CRM accounts.csv",
        {
            "name": "account",
            "industry": "sector",
            "year_established": "year_established",
            "company_revenue": "revenue",
            "employees": "employees",
            "country": "office_location",
            "parent": "subsidiary_of",
        },
        ("account", "sector", "revenue", "office_location"),
        scale={"company_revenue": 1_000_000.0},  # the file gives millions of USD
    ),
    _p(
        "maven-pipeline",
        OPPORTUNITIES,
        "Maven CRM sales_pipeline.csv",
        {
            "id": "opportunity_id",
            "owner": "sales_agent",
            "product": "product",
            "account": "account",
            "stage": "deal_stage",
            "engage_date": "engage_date",
            "close_date": "close_date",
            "amount": "close_value",
        },
        ("opportunity_id", "deal_stage", "close_value", "account"),
        source="crm-won",
    ),
    _p(
        "cdnow",
        TRANSACTIONS,
        "CDNOW-style whitespace transactions",
        {
            "account_id": "customer_id",
            "date": "date",
            "quantity": "number_of_cds",
            "amount": "dollar_value",
        },
        ("customer_id", "date", "dollar_value"),
        whitespace=True,
        source="billing",
    ),
    _p(
        "salesforce-opportunities",
        OPPORTUNITIES,
        "Salesforce opportunities report",
        {
            "id": ("opportunity id", "opportunity id (18)", "id"),
            "name": "opportunity name",
            "account": "account name",
            "account_id": ("account id", "account id (18)"),
            "stage": "stage",
            "amount": ("amount", "amount (converted)", "expected revenue"),
            "currency": ("amount currency", "opportunity currency", "currency"),
            "close_date": "close date",
            "engage_date": "created date",
            "owner": "opportunity owner",
            "product": ("product name", "primary product", "product"),
        },
        ("opportunity name", "stage", "close date"),
        source="crm-won",
    ),
    _p(
        "salesforce-accounts",
        ACCOUNTS,
        "Salesforce accounts report",
        {
            "name": "account name",
            "external_id": ("account id", "account id (18)"),
            "industry": "industry",
            "company_revenue": ("annual revenue", "annual revenue (converted)"),
            "currency": ("annual revenue currency", "account currency", "currency"),
            "employees": "employees",
            "country": ("billing country", "shipping country"),
            "region": ("region", "billing state/province"),
            "owner": "account owner",
            "parent": "parent account",
            "parent_id": "parent account id",
            "status": "type",
        },
        ("account name", "account owner"),
    ),
    _p(
        "hubspot-deals",
        OPPORTUNITIES,
        "HubSpot deals export",
        {
            "id": ("record id", "deal id"),
            "name": "deal name",
            "stage": "deal stage",
            "amount": "amount",
            "currency": "currency",
            "close_date": "close date",
            "engage_date": "create date",
            "owner": "deal owner",
            "account": (
                "associated company",
                "associated company (primary)",
                "company name",
            ),
            "account_id": ("associated company id", "associated company ids", "company id"),
        },
        ("deal name", "deal stage"),
        source="crm-won",
    ),
    _p(
        "hubspot-companies",
        ACCOUNTS,
        "HubSpot companies export",
        {
            "external_id": ("record id", "company id"),
            "name": ("company name", "name"),
            "industry": "industry",
            "company_revenue": "annual revenue",
            "employees": "number of employees",
            "country": "country/region",
            "region": "state/region",
            "owner": "company owner",
            "parent": "parent company",
            "status": "lifecycle stage",
        },
        ("record id", "company name"),
    ),
    _p(
        "generic-kpis",
        KPIS,
        "KPI readings (account, period, metric, value)",
        {
            "account": ("account", "account name", "company"),
            "account_id": ("account id", "account external id", "external id"),
            "period": ("period", "month", "quarter"),
            "metric": ("metric", "kpi"),
            "value": "value",
        },
        ("period", "metric", "value"),
    ),
    _p(
        "generic-stakeholders",
        STAKEHOLDERS,
        "Stakeholders (account, name, title, role, …)",
        {
            "account": ("account", "account name", "company"),
            "account_id": ("account id", "account external id"),
            "name": ("name", "stakeholder", "contact", "full name"),
            "id": ("id", "stakeholder id", "contact id", "external id"),
            "title": ("title", "job title"),
            "email": ("email", "e mail"),
            "phone": "phone",
            "role": "role",
            "influence": "influence",
            "attitude": "attitude",
            "reports_to": ("reports to", "manager"),
            "last_contact": ("last contact", "last contacted"),
            "notes": "notes",
        },
        ("account", "name"),
    ),
    _p(
        "generic-transactions",
        TRANSACTIONS,
        "Transactions (account, date, amount[, product, id])",
        {
            "account": ("account", "account name", "customer", "company"),
            "account_id": ("account id", "account external id", "customer id"),
            "date": ("date", "day", "invoice date", "transaction date"),
            "amount": ("amount", "net amount", "value", "total"),
            "product": ("product", "sku", "item"),
            "quantity": ("quantity", "qty", "units"),
            "id": ("id", "transaction id", "invoice id", "invoice number", "external id"),
            "currency": "currency",
        },
        ("date", "amount"),
        source="billing",
    ),
    _p(
        "generic-accounts",
        ACCOUNTS,
        "Accounts (name and any account field)",
        {
            "name": ("name", "account", "account name"),
            "external_id": ("external id", "id", "account id", "crm id"),
            "industry": ("industry", "sector"),
            "region": "region",
            "country": "country",
            "owner": ("owner", "account owner"),
            "products": "products",
            "acv": ("acv", "annual contract value"),
            "currency": "currency",
            "annual_budget": ("annual budget", "budget"),
            "capacity_limit": ("capacity limit", "plan limit", "capacity"),
            "current_usage": ("current usage", "usage"),
            "renewal_date": ("renewal date", "renewal"),
            "contract_start": ("contract start", "contract start date"),
            "cost_to_serve": ("cost to serve", "direct cost"),
            "gross_margin_pct": ("gross margin pct", "gross margin", "gross margin %"),
            "rating_strategic_fit": ("strategic fit", "rating strategic fit"),
            "rating_growth": ("growth capacity", "rating growth", "growth"),
            "rating_partnership": ("partnership potential", "rating partnership", "partnership"),
            "status": "status",
            "employees": "employees",
            "company_revenue": ("company revenue", "revenue", "annual revenue"),
            "year_established": "year established",
            "parent": ("parent", "parent account", "subsidiary of"),
            "parent_id": ("parent id", "parent external id"),
            "notes": "notes",
        },
        (),
    ),
)
PROFILES = (
    *PROFILES,
    # The rest of the Maven CRM folder: known, and nothing in them is a kamtui record, so that
    # `kamtui import maven-crm/*.csv` works.
    _p(
        "maven-products",
        IGNORED,
        "Maven CRM products.csv (price list)",
        {},
        ("product", "series", "sales_price"),
    ),
    _p(
        "maven-sales-teams",
        IGNORED,
        "Maven CRM sales_teams.csv (agents and managers)",
        {},
        ("sales_agent", "manager", "regional_office"),
    ),
    _p(
        "maven-data-dictionary",
        IGNORED,
        "Maven CRM data_dictionary.csv",
        {},
        ("table", "field", "description"),
    ),
)


def recognise(headers: Sequence[str], *, whitespace: bool = False) -> Profile | None:
    """The profile whose required headers are all present, preferring the one that maps the
    most columns. ``generic-accounts`` needs a name column and at least one other field."""
    normalised = {norm_header(h) for h in headers}
    best: tuple[int, int, Profile] | None = None
    for profile in PROFILES:
        if profile.whitespace != whitespace and profile.whitespace:
            continue
        if not profile.matches(normalised):
            continue
        mapped = profile.resolve(headers)
        if profile.kind == TRANSACTIONS and not ({"account", "account_id"} & mapped.keys()):
            continue
        if profile.name == "generic-accounts" and (
            "name" not in mapped or len(mapped) < 2 or {"date", "amount"} & normalised
        ):
            continue
        if profile.kind == STAKEHOLDERS and len(mapped) < 3:
            continue
        key = (len(profile.required), len(mapped), profile)
        if best is None or key[:2] > best[:2]:
            best = key
    return best[2] if best else None


# --------------------------------------------------------------------------- mappings
class MappingError(ValueError):
    """A mapping file is unusable; the message says why."""


def mapping_dir() -> Path:
    from kamtui.paths import config_dir

    return config_dir() / "mappings"


def load_mapping(ref: str | Path) -> tuple[Profile, dict[str, Any]]:
    """A profile from a mapping TOML file, or from a saved mapping's name.

    Format::

        kind = "transactions"   # accounts/transactions/opportunities/stakeholders/kpis
        [columns]                      # kamtui field = "header in the file"
        account = "Customer"
        date = "Invoice Date"
        amount = "Net"
        [options]                      # optional
        dayfirst = true
        source = "billing"
    """
    path = Path(ref)
    if not path.exists():
        saved = mapping_dir() / f"{ref}.toml"
        if "/" not in str(ref) and saved.exists():
            path = saved
        else:
            raise MappingError(f"no mapping file {ref} (and no saved mapping of that name)")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise MappingError(f"cannot read mapping {path}: {exc}") from None
    return profile_from_mapping(data, name=f"map:{path.stem}"), data


def profile_from_mapping(data: Mapping[str, Any], *, name: str = "map") -> Profile:
    kind = data.get("kind")
    if kind not in KINDS:
        raise MappingError(f"mapping: kind must be one of {', '.join(KINDS)} (got {kind!r})")
    columns = data.get("columns")
    if not isinstance(columns, Mapping) or not columns:
        raise MappingError('mapping: a [columns] table (kamtui field = "file header") is needed')
    unknown = [k for k in columns if k not in FIELDS[kind]]
    if unknown:
        known = ", ".join(FIELDS[kind])
        raise MappingError(
            f"mapping: unknown {kind} field(s) {', '.join(unknown)} (known: {known})"
        )
    cols: dict[str, tuple[str, ...]] = {}
    for target, header in columns.items():
        headers = (header,) if isinstance(header, str) else tuple(header)
        cols[target] = tuple(norm_header(h) for h in headers)
    options = dict(data.get("options", {}))
    scale = {k: float(v) for k, v in dict(options.pop("scale", {})).items()}
    return Profile(
        name=name,
        kind=kind,
        title=f"mapping {name}",
        columns=cols,
        required=frozenset(),
        whitespace=bool(options.pop("whitespace", False)),
        source=str(options.pop("source", "billing" if kind == TRANSACTIONS else "crm-won")),
        scale=scale,
        options=options,
    )


def recognise_saved(headers: Sequence[str]) -> Profile | None:
    """A saved mapping whose every mapped column is among the headers (the one mapping the
    most columns), so that a file once imported with ``--map`` needs no flag next time."""
    folder = mapping_dir()
    if not folder.is_dir():
        return None
    present = {norm_header(h) for h in headers}
    best: tuple[int, str, Profile] | None = None
    for path in sorted(folder.glob("*.toml")):
        try:
            profile, _ = load_mapping(path)
        except ValueError:
            continue
        if not all(any(n in present for n in names) for names in profile.columns.values()):
            continue
        mapped = profile.resolve(headers)
        if any(f not in mapped for f in REQUIRED[profile.kind]):
            continue
        key = (len(mapped), path.stem, profile)
        if best is None or key[0] > best[0]:
            best = key
    return best[2] if best else None


def save_mapping(data: Mapping[str, Any], name: str) -> Path:
    """Store a mapping under the user's config folder so that ``--map NAME`` finds it."""
    import tomli_w

    if not re.fullmatch(r"[\w.-]+", name):
        raise MappingError(f"mapping names use letters, digits, '.', '-' and '_' (got {name!r})")
    profile_from_mapping(data)  # validate before writing
    folder = mapping_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.toml"
    path.write_text(tomli_w.dumps(dict(data)), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- stages
WON_LABELS = frozenset({"won", "closed won", "closedwon", "closed/won", "win"})
LOST_LABELS = frozenset({"lost", "closed lost", "closedlost", "closed/lost", "loss"})


def stage_of(label: str | None) -> str:
    """open / won / lost from a CRM stage label or a HubSpot internal stage id."""
    t = norm_header(label or "")
    if t in WON_LABELS:
        return "won"
    if t in LOST_LABELS:
        return "lost"
    return "open"
