"""The account list pane: a filter query bar, then every matching account, ranked or sorted.

The screen hands the pane all account summaries (``show``); the pane keeps its own view state
(the last good query and the sort column) and re-derives the visible rows from them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Input, Static

from kamtui.domain.query import Query, QueryError, parse
from kamtui.ui import formatting as fmt
from kamtui.ui.widgets.account_table import AccountTable, Column

FILTER_PLACEHOLDER = "/ filter: acme tier:1 region:emea health:<50 renewal:<90d -band:green"

# Columns whose first sort is descending (bigger is more interesting).
DESCENDING_FIRST = {"priority", "rfm", "value", "health", "acv", "alerts", "r", "f", "m"}


def _attr(name: str) -> Callable[[Any], Any]:
    return lambda r: getattr(r, name)


def account_columns() -> list[Column]:
    return [
        Column("tier", "Tier", 4, lambda r: fmt.tier(r.tier), importance=100,
               sort_key=_attr("tier")),
        Column("name", "Account", 0, lambda r: r.name, importance=100, min_width=18,
               sort_key=lambda r: r.name.casefold()),
        Column("priority", "Prio", 4, lambda r: fmt.number(r.priority), "right", importance=85,
               sort_key=_attr("priority")),
        Column("r", "R", 1, lambda r: str(r.r or ""), "right", importance=30, sort_key=_attr("r")),
        Column("f", "F", 1, lambda r: str(r.f or ""), "right", importance=30, sort_key=_attr("f")),
        Column("m", "M", 1, lambda r: str(r.m or ""), "right", importance=30, sort_key=_attr("m")),
        Column("rfm", "RFM", 3, lambda r: str(r.rfm or ""), "right", importance=90,
               sort_key=_attr("rfm")),
        Column("value", "Value", 5, lambda r: fmt.number(r.value_score), "right", importance=70,
               sort_key=_attr("value_score")),
        Column("health", "Health", 6, lambda r: fmt.health(r.health_score, r.health_band),
               "right", importance=80, sort_key=_attr("health_score")),
        Column("acv", "ACV/12m", 8, lambda r: fmt.money(_acv(r)), "right", importance=75,
               sort_key=_acv),
        Column("renewal", "Renewal", 10, lambda r: fmt.day(r.renewal_date), importance=50,
               sort_key=_attr("renewal_date")),
        Column("last_purchase", "Last buy", 10, lambda r: fmt.day(r.last_purchase),
               importance=20, sort_key=_attr("last_purchase")),
        Column("alerts", "⚠", 3,
               lambda r: Text(str(r.alert_count), style="bold red") if r.alert_count else "",
               "right", importance=65, sort_key=_attr("alert_count")),
    ]  # fmt: skip


def _acv(row: Any) -> float | None:
    return row.acv if row.acv is not None else row.monetary


def sort_rows(rows: list[Any], column: Column | None, reverse: bool) -> list[Any]:
    """Rows sorted by ``column`` (None: as given); rows without a value always go last."""
    if column is None or column.sort_key is None:
        return list(rows)
    key = column.sort_key
    present = [r for r in rows if key(r) is not None]
    missing = [r for r in rows if key(r) is None]
    present.sort(key=key, reverse=reverse)
    return present + missing


class TitleLine(Widget):
    """A one-line title whose updates repaint without a layout pass (cheap per keystroke)."""

    text: reactive[str] = reactive("", layout=False)

    def render(self) -> str:
        return self.text


class FilterInput(Input):
    """The query bar. Escape (or Enter) goes back to the list; typing never runs shortcuts."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,down", "leave", "Back to list", id="leave-filter"),
    ]

    class Left(Message):
        """The user left the filter bar (Escape or Enter)."""

    def action_leave(self) -> None:
        self.post_message(self.Left())


# the last term typed so far is a field name and a colon, with no value yet
_FIELD_BEING_TYPED = re.compile(r"(?:^|\s)-?[A-Za-z_]+:$")


class AccountListPane(Vertical):
    """Filter bar, title line and the account table."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "cycle_sort", "Sort", id="sort-next"),
        Binding("S", "reverse_sort", "Reverse", show=False, id="sort-reverse"),
    ]

    class SortChanged(Message):
        def __init__(self, column: str | None, reverse: bool) -> None:
            super().__init__()
            self.column = column
            self.reverse = reverse

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.all_rows: list[Any] = []
        self.as_of: date = date.today()
        self.query_text = ""
        self.current_query = Query()
        self.query_error: str | None = None
        self._sorted: list[Any] = []

    def compose(self) -> ComposeResult:
        yield FilterInput(placeholder=FILTER_PLACEHOLDER, id="filter")
        yield Static("", id="filter-error")
        yield TitleLine(id="list-title")
        yield AccountTable(account_columns(), id="accounts")

    @property
    def table(self) -> AccountTable:
        return self.query_one(AccountTable)

    @property
    def filter_input(self) -> FilterInput:
        return self.query_one(FilterInput)

    # ------------------------------------------------------------------ data in
    def show(self, rows: list[Any], as_of: date | None = None, keep_id: int | None = None) -> None:
        """All accounts (in the service's rank order); the filter and sort are applied here."""
        self.all_rows = list(rows)
        if as_of is not None:
            self.as_of = as_of
        self._resort()
        self._refilter(keep_id)

    @property
    def visible_rows(self) -> list[Any]:
        return self.table.rows

    def _column(self, key: str | None) -> Column | None:
        return next((c for c in self.table.columns if c.key == key), None)

    def _resort(self) -> None:
        table = self.table
        self._sorted = sort_rows(self.all_rows, self._column(table.sort_column), table.sort_reverse)

    def _refilter(self, keep_id: int | None = None) -> None:
        shown = self.current_query.filter(self._sorted, self.as_of)
        self.table.set_rows(shown, keep_id=keep_id)
        total = len(self.all_rows)
        title = (
            f"Accounts ({len(shown):,})"
            if len(shown) == total
            else (f"Accounts ({len(shown):,} of {total:,})")
        )
        column = self._column(self.table.sort_column)
        if column is not None:
            title += f" · sorted by {column.label} {'▼' if self.table.sort_reverse else '▲'}"
        self.query_one("#list-title", TitleLine).text = title

    # ------------------------------------------------------------------ filter
    def apply_query(self, text: str) -> bool:
        """Filter by ``text``; on a bad query show why and keep the last good filter."""
        error = self.query_one("#filter-error", Static)
        try:
            query = parse(text)
        except QueryError as exc:
            self.query_error = exc.message
            # keep the terms before the faulty one ("tier:1 rfm:>12x" -> "tier:1"), not
            # whatever half-typed query happened to parse on the previous keystroke
            head = text[: exc.position]
            cut = max(head.rfind(" "), head.rfind("\t"))
            kept = head[:cut].strip() if cut >= 0 else ""
            try:
                fallback = parse(kept)
            except QueryError:
                kept, fallback = "", Query()
            self.query_text, self.current_query = kept, fallback
            self._refilter()
            still = f"“{kept}”" if kept.strip() else "all accounts"
            error.update(
                f"⚠ {exc.message} (at character {exc.position + 1}) · still showing {still}"
            )
            self.set_class(True, "-query-error")
            return False
        if self.query_error is not None:
            self.query_error = None
            self.set_class(False, "-query-error")
            error.update("")
        self.query_text = text
        self.current_query = query
        self._refilter()
        return True

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        if _FIELD_BEING_TYPED.search(event.value):
            # "tier:" while typing "tier:1" is not yet a question ("tier is empty"): keep the
            # list as it is until the value comes or Enter confirms the empty-field query
            return
        self.apply_query(event.value)

    @on(Input.Submitted, "#filter")
    @on(FilterInput.Left)
    def _leave_filter(self, event: Message) -> None:
        event.stop()
        if isinstance(event, Input.Submitted) and event.value != self.query_text:
            self.apply_query(event.value)
        self.table.focus()

    def focus_filter(self) -> None:
        self.filter_input.focus()

    # ------------------------------------------------------------------ sort
    def sort_by(self, key: str | None, reverse: bool | None = None) -> None:
        """Sort by the column ``key`` (None: the service's rank order); keeps the selection."""
        table = self.table
        keep = table.current_id
        if reverse is None:
            reverse = key in DESCENDING_FIRST
        table.sort_column = key
        table.sort_reverse = bool(reverse) if key is not None else False
        self._resort()
        self._refilter(keep)
        table.refresh()
        self.post_message(self.SortChanged(table.sort_column, table.sort_reverse))

    def action_cycle_sort(self) -> None:
        """Rank → each visible column in turn → back to rank."""
        keys = [c.key for c, _ in self.table._layout] or [c.key for c in self.table.columns]
        order: list[str | None] = [None, *keys]
        current = self.table.sort_column
        index = order.index(current) if current in order else 0
        self.sort_by(order[(index + 1) % len(order)])

    def action_reverse_sort(self) -> None:
        table = self.table
        if table.sort_column is None:
            self.sort_by("priority", reverse=False)
        else:
            self.sort_by(table.sort_column, not table.sort_reverse)

    @on(AccountTable.HeaderClicked)
    def _header_clicked(self, event: AccountTable.HeaderClicked) -> None:
        event.stop()
        if self.table.sort_column == event.column.key:
            self.sort_by(event.column.key, not self.table.sort_reverse)
        else:
            self.sort_by(event.column.key)
