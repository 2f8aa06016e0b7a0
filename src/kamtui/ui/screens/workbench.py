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
from textual.widgets import Footer, Header, Static, TabbedContent, TabPane

from kamtui.ui.messages import WorkspaceFailed, WorkspaceLoaded
from kamtui.ui.panes import placeholders
from kamtui.ui.panes.account_list import AccountListPane
from kamtui.ui.panes.overview import OverviewPane
from kamtui.ui.panes.placeholders import ComingPane
from kamtui.ui.screens.help import HelpScreen
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
TABS = ("tab-overview", "tab-stakeholders", "tab-plan", "tab-qbr")


class WorkbenchScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "app.quit", "Quit", id="quit"),
        Binding("slash", "focus_filter", "Filter", id="focus-filter"),
        Binding("0", "focus_accounts", "Accounts", show=False, id="focus-accounts"),
        Binding("1", "show_tab('tab-overview')", "Overview", show=False, id="tab-overview"),
        Binding("2", "show_tab('tab-stakeholders')", "Stakeholders", show=False,
                id="tab-stakeholders"),
        Binding("3", "show_tab('tab-plan')", "Plan", show=False, id="tab-plan"),
        Binding("4", "show_tab('tab-qbr')", "QBR", show=False, id="tab-qbr"),
        Binding("question_mark", "help", "Keys", id="help"),
        Binding("tab", "focus_next", "Next pane", show=False),
    ]  # fmt: skip

    def __init__(self, db: str | None, as_of: Any = ...) -> None:
        super().__init__()
        self.db = db
        self.as_of_request = as_of
        self.bench: Any = None
        self.as_of: Any = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Container(id="body"):
            yield Static("Opening the workspace…", id="loading")
            yield Static(EMPTY_HELP, id="empty")
            with Horizontal(id="panes"):
                yield AccountListPane(id="account-list")
                with TabbedContent(id="detail", initial="tab-overview"):
                    with TabPane("1 Overview", id="tab-overview"):
                        yield OverviewPane(id="overview")
                    with TabPane("2 Stakeholders", id="tab-stakeholders"):
                        yield ComingPane(placeholders.STAKEHOLDERS, id="stakeholders")
                    with TabPane("3 Plan", id="tab-plan"):
                        yield ComingPane(placeholders.PLAN, id="plan")
                    with TabPane("4 QBR", id="tab-qbr"):
                        yield ComingPane(placeholders.QBR, id="qbr")
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
        self.as_of = message.as_of
        pane = self.query_one(AccountListPane)
        pane.show(message.rows, message.as_of)
        if message.rows:
            pane.table.focus()

    # ----------------------------------------------------------------- navigation
    def action_focus_filter(self) -> None:
        self.query_one(AccountListPane).focus_filter()

    def action_focus_accounts(self) -> None:
        self.query_one(AccountListPane).table.focus()

    def action_show_tab(self, tab: str) -> None:
        tabs = self.query_one("#detail", TabbedContent)
        tabs.active = tab
        pane = tabs.get_pane(tab)
        target = pane.query_children().first() if pane.children else None
        if target is not None and target.focusable:
            target.focus()

    def action_help(self) -> None:
        focused = self.focused
        where = "the account list"
        if focused is not None:
            for node in focused.ancestors_with_self:
                if node.id in {"account-list", "detail", "filter"}:
                    where = {"account-list": "the account list", "detail": "the account",
                             "filter": "the filter bar"}[node.id or ""]  # fmt: skip
                    break
        self.app.push_screen(HelpScreen(f"Keys — {where}", dict(self.app.active_bindings)))

    # ----------------------------------------------------------------- selection
    @on(AccountTable.Highlighted)
    def _highlighted(self, event: AccountTable.Highlighted) -> None:
        overview = self.query_one(OverviewPane)
        if event.row is None or self.bench is None:
            overview.show(None, {})
            return
        overview.show(event.row, self.bench.breakdown(event.row.id))
