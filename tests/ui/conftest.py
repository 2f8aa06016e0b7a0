"""UI test fixtures: a small workspace built through the service, and the app on it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from tests.ui.helpers import AS_OF

# name, region, industry, acv, renewal, transactions (days before as-of, amount)
ACCOUNTS = [
    ("Acme Corp", "EMEA", "Retail", 250_000.0, date(2024, 8, 1),
     [(10, 40_000), (40, 30_000), (90, 50_000), (200, 20_000)]),
    ("Beta Labs", "North America", "Software", 90_000.0, date(2025, 3, 1),
     [(30, 8_000), (150, 6_000)]),
    ("Gamma Holdings", "EMEA", "Energy", None, date(2024, 9, 15), [(400, 1_000)]),
    ("Delta Foods", "APAC", "Retail", 30_000.0, None, [(20, 2_000), (60, 1_500), (120, 900)]),
    ("Epsilon Energy", "EMEA", None, 12_000.0, date(2026, 1, 1), []),
]  # fmt: skip


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Path]:
    """A workspace file with five accounts and their transactions, as of 2024-06-30."""
    from datetime import timedelta

    from kamtui.service import Workbench

    path = tmp_path / "ui.db"
    with Workbench.open(str(path), today=lambda: AS_OF) as bench:
        bench.set_as_of(AS_OF)
        for name, region, industry, acv, renewal, lines in ACCOUNTS:
            # Acme uses 95% of its plan capacity: an upsell alert fires (plus a churn risk)
            extra = {"capacity_limit": 100.0, "current_usage": 95.0} if name == "Acme Corp" else {}
            change = bench.add_account(
                name,
                region=region,
                industry=industry,
                acv=acv,
                renewal_date=renewal,
                owner="Dana",
                **extra,
            )
            assert change.created_id is not None
            for days, amount in lines:
                bench.add_transaction(change.created_id, AS_OF - timedelta(days=days), amount)
    yield path


@pytest.fixture
def bench_on(workspace: Path) -> Iterator[object]:
    """A second service instance on the same workspace, for asserting what the UI wrote."""
    from kamtui.service import Workbench

    with Workbench.open(str(workspace), today=lambda: AS_OF) as wb:
        yield wb


@pytest.fixture(autouse=True)
def breakdown_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests wait for workers, not timers: work the breakdown out without the resting delay."""
    from kamtui.ui.screens.workbench import WorkbenchScreen

    monkeypatch.setattr(WorkbenchScreen, "BREAKDOWN_DELAY", 0)
