"""WorkbenchScreen: the account list on the left, the selected account on the right.

The screen owns the workbench service and the selected account; panes get data through
``show(...)`` and report back with messages.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from kamtui.ui.messages import WorkspaceFailed, WorkspaceLoaded
from kamtui.ui.panes.account_list import AccountListPane
from kamtui.ui.panes.overview import OverviewPane
from kamtui.ui.widgets.account_table import AccountTable

EMPTY_HELP = """\
[b]This workspace has no accounts yet.[/b]

Bring in your book of business from a CRM or billing export:

    kamtui import accounts.csv opportunities.csv

or explore kamtui on a generated book of accounts:

    kamtui demo

Press [b]q[/b] to quit.
"""

MIN_WIDTH, MIN_HEIGHT = 60, 14
NARROW_WIDTH = 110


class WorkbenchScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "app.quit", "Quit", id="quit"),
        Binding("tab", "focus_next", "Next pane", show=False),
    ]

    def __init__(self, db: str | None, as_of: Any = ...) -> None:
        super().__init__()
        self.db = db
        self.as_of_request = as_of
        self.bench: Any = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Container(id="body"):
            yield Static("Opening the workspace…", id="loading")
            yield Static(EMPTY_HELP, id="empty")
            with Horizontal(id="panes"):
                yield AccountListPane(id="account-list")
                yield OverviewPane(id="overview")
        yield Static(
            f"The terminal is too small for kamtui.\nMake it at least {MIN_WIDTH}×{MIN_HEIGHT}.",
            id="too-small",
        )
        yield Footer()

    def on_mount(self) -> None:
        self.set_class(True, "-loading")
        self._apply_size(self.app.size.width, self.app.size.height)
        self.load_workspace()

    def on_resize(self, event: Any) -> None:
        self._apply_size(event.size.width, event.size.height)

    def _apply_size(self, width: int, height: int) -> None:
        self.set_class(width < MIN_WIDTH or height < MIN_HEIGHT, "-too-small")
        self.set_class(width < NARROW_WIDTH, "-narrow")

    # ----------------------------------------------------------------- loading
    @work(thread=True, exclusive=True, exit_on_error=False, group="load")
    def load_workspace(self) -> None:
        """Open the workspace off the UI thread (imports SQLAlchemy, may rescore)."""
        from kamtui.errors import KamtuiError
        from kamtui.service import Workbench

        try:
            bench = Workbench.open(self.db)
            if self.as_of_request is not ...:
                bench.set_as_of(self.as_of_request)
            bench.ensure_fresh_scores()
            rows = bench.account_summaries()
            self.post_message(WorkspaceLoaded(bench, rows, bench.as_of(), bench.as_of_pinned()))
        except KamtuiError as exc:
            self.post_message(WorkspaceFailed(str(exc)))

    @on(WorkspaceFailed)
    def _failed(self, message: WorkspaceFailed) -> None:
        self.app.exit(return_code=1, message=f"kamtui: error: {message.error}")

    @on(WorkspaceLoaded)
    def _loaded(self, message: WorkspaceLoaded) -> None:
        self.bench = message.bench
        self.set_class(False, "-loading")
        self.set_class(not message.rows, "-empty")
        pinned = "" if message.pinned else " (today)"
        self.sub_title = f"as of {message.as_of.isoformat()}{pinned}"
        self.title = f"kamtui — {self.bench.url.rsplit('/', 1)[-1]}"
        pane = self.query_one(AccountListPane)
        pane.show(message.rows)
        if message.rows:
            pane.table.focus()

    # ----------------------------------------------------------------- selection
    @on(AccountTable.Highlighted)
    def _highlighted(self, event: AccountTable.Highlighted) -> None:
        overview = self.query_one(OverviewPane)
        if event.row is None or self.bench is None:
            overview.show(None, {})
            return
        overview.show(event.row, self.bench.breakdown(event.row.id))
