"""The account list pane: every account with its tier and scores, ranked."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from kamtui.ui import formatting as fmt
from kamtui.ui.widgets.account_table import AccountTable, Column


def account_columns() -> list[Column]:
    return [
        Column("tier", "Tier", 4, lambda r: fmt.tier(r.tier), importance=100),
        Column("name", "Account", 0, lambda r: r.name, importance=100, min_width=14),
        Column("r", "R", 1, lambda r: str(r.r or ""), "right", importance=60),
        Column("f", "F", 1, lambda r: str(r.f or ""), "right", importance=60),
        Column("m", "M", 1, lambda r: str(r.m or ""), "right", importance=60),
        Column("rfm", "RFM", 3, lambda r: str(r.rfm or ""), "right", importance=90),
        Column("value", "Value", 5, lambda r: fmt.number(r.value_score), "right", importance=70),
        Column(
            "health",
            "Health",
            6,
            lambda r: fmt.health(r.health_score, r.health_band),
            "right",
            importance=80,
        ),
        Column(
            "acv",
            "ACV/12m",
            8,
            lambda r: fmt.money(r.acv if r.acv is not None else r.monetary),
            "right",
            importance=75,
        ),
        Column("last_purchase", "Last buy", 10, lambda r: fmt.day(r.last_purchase), importance=40),
        Column(
            "alerts",
            "⚠",
            3,
            lambda r: Text(str(r.alert_count), style="bold red") if r.alert_count else "",
            "right",
            importance=65,
        ),
    ]


class AccountListPane(Vertical):
    """Title line plus the account table."""

    def compose(self) -> ComposeResult:
        yield Static("Accounts", id="list-title")
        yield AccountTable(account_columns(), id="accounts")

    @property
    def table(self) -> AccountTable:
        return self.query_one(AccountTable)

    def show(self, rows: list[Any], keep_id: int | None = None) -> None:
        self.table.set_rows(rows, keep_id=keep_id)
        self.query_one("#list-title", Static).update(f"Accounts ({len(rows):,})")
