"""WorkbenchScreen: the account list on the left, the selected account on the right.

The screen owns the workbench service and the selected account; panes get data through
``show(...)`` and report back with messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, Horizontal
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import (
    Footer,
    Header,
    LoadingIndicator,
    Static,
    TabbedContent,
    TabPane,
)

from kamtui.errors import KamtuiError, ValidationError
from kamtui.ui.commands import WorkbenchCommands
from kamtui.ui.messages import WorkFinished, WorkspaceFailed, WorkspaceLoaded
from kamtui.ui.modals import forms
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

Or add accounts by hand: press [b]n[/b]. Every action is in the command palette
([b]ctrl+p[/b]), including [i]Import files[/i]. Press [b]q[/b] to quit.
"""

MIN_WIDTH, MIN_HEIGHT = 60, 14
NARROW_WIDTH = 110
TABS = ("tab-overview", "tab-stakeholders", "tab-plan", "tab-qbr")
RECORD_TABS = {"tab-stakeholders": "stakeholders", "tab-plan": "plan", "tab-qbr": "qbr"}


@dataclass(frozen=True)
class AddedTransaction:
    """An undo entry: the transaction line just added (ctrl+z removes it)."""

    transaction_id: int
    account_id: int
    account: str


class WorkbenchScreen(Screen[None]):
    COMMANDS: ClassVar[set[Any]] = {WorkbenchCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "app.quit", "Quit", id="quit"),
        Binding("slash", "focus_filter", "Filter", id="focus-filter"),
        Binding("0,escape", "focus_accounts", "Accounts", show=False, id="focus-accounts"),
        Binding("1", "show_tab('tab-overview')", "Overview", show=False, id="tab-overview"),
        Binding("2", "show_tab('tab-stakeholders')", "Stakeholders", show=False,
                id="tab-stakeholders"),
        Binding("3", "show_tab('tab-plan')", "Plan", show=False, id="tab-plan"),
        Binding("4", "show_tab('tab-qbr')", "QBR", show=False, id="tab-qbr"),
        Binding("question_mark", "help", "Keys", id="help"),
        Binding("tab", "focus_next", "Next pane", show=False),
        Binding("n", "new_account", "New", id="new-account"),
        Binding("e", "edit_account", "Edit", id="edit-account"),
        Binding("d,delete", "delete_account", "Delete", show=False, id="delete-account"),
        Binding("ctrl+z", "undo_delete", "Undo", show=False, id="undo-delete"),
        Binding("t", "add_transaction", "Add transaction", show=False, id="add-transaction"),
        Binding("v", "add_activity", "Log activity", show=False, id="add-activity"),
        Binding("r", "add_kpi_reading", "Record KPI", show=False, id="add-kpi-reading"),
        Binding("a", "acknowledge_alert", "Acknowledge alert", show=False,
                id="acknowledge-alert"),
        Binding("z", "snooze_alert", "Snooze alert 14 days", show=False, id="snooze-alert"),
        Binding("right_square_bracket", "next_alert", "Next alert", show=False,
                id="next-alert"),
        Binding("m", "toggle_kpi_grain", "KPIs months/quarters", show=False,
                id="kpi-period"),
        Binding("p", "open_portfolio", "Portfolio", id="open-portfolio"),
        Binding("ctrl+r", "reload", "Reload", show=False, id="reload"),
    ]  # fmt: skip

    SNOOZE_DAYS = 14
    POLL_SECONDS = 2.0  # how often to look for writes by another process (a cheap PRAGMA)
    BREAKDOWN_DELAY = 0.15  # seconds the cursor rests before the breakdown is worked out

    def __init__(self, db: str | None, as_of: Any = ...) -> None:
        super().__init__()
        self.db = db
        self.as_of_request = as_of
        self.bench: Any = None
        self.as_of: Any = None
        self.kpi_grain = "month"
        self.alert_index = 0
        self._alerts: list[Any] = []
        self._overview_id: int | None = None
        self._overview_row: Any = None
        self._breakdowns: dict[int, dict[str, Any]] = {}
        self._data_generation = 0  # bumped by every re-read; older breakdowns are dropped
        self._breakdown_timer: Timer | None = None
        self.undo_stack: list[Any] = []
        self._data_version: int | None = None
        self._load_warning = ""  # set by the loading worker before it posts WorkspaceLoaded

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
        with Horizontal(id="work-bar"):
            yield LoadingIndicator(id="work-spinner")
            yield Static("", id="work-status")
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
        from kamtui.errors import KamtuiError, StorageError
        from kamtui.service import Workbench

        try:
            bench = Workbench.open(self.db)
            try:  # these write; a read-only or busy workspace is still worth reading
                wanted = self.as_of_request
                pinned = bench.as_of_pinned()
                if wanted is not ... and (
                    (wanted is None and pinned)
                    or (wanted is not None and (not pinned or bench.as_of() != wanted))
                ):
                    bench.set_as_of(wanted)  # only when it changes: no rescore, no write
                bench.ensure_fresh_scores()
            except StorageError as exc:
                self._load_warning = f"{exc}; showing the scores as stored"
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
        self.title = f"kamtui — {self.bench.url.rsplit('/', 1)[-1].split('?', 1)[0]}"
        self.as_of = message.as_of
        pane = self.query_one(AccountListPane)
        pane.show(message.rows, message.as_of)
        if message.rows:
            pane.table.focus()
        else:
            self.set_focus(None)  # keys go to the screen's bindings (n, ctrl+p), not a hidden input
        self._data_version = self.bench.data_version()
        self.set_interval(self.POLL_SECONDS, self.poll_changes, name="poll-changes")
        if self._load_warning:
            self.notify(self._load_warning, severity="warning", timeout=10)

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
    @property
    def list_pane(self) -> AccountListPane:
        return self.query_one(AccountListPane)

    @property
    def current(self) -> Any | None:
        """The selected account's summary (None when nothing is selected)."""
        return self.list_pane.table.current

    @on(AccountTable.Highlighted)
    def _highlighted(self, event: AccountTable.Highlighted) -> None:
        self.refresh_overview()

    @on(AccountTable.Selected)
    def _selected(self, event: AccountTable.Selected) -> None:
        self.action_show_tab("tab-overview")

    def refresh_overview(self, force: bool = False) -> None:
        """Show the selected account's facts, alerts, KPIs and breakdown.

        Cheap reads happen here; the breakdown (computed from the account's records) comes
        from a cache or a worker, so moving the cursor never waits for it.
        """
        overview = self.query_one(OverviewPane)
        row = self.current
        if row is None or self.bench is None:
            self._overview_id = None
            self._overview_row = None
            overview.show(None, {})
            self.refresh_records()
            return
        if not force and row is self._overview_row:
            return  # the same account, same data (e.g. a filter keystroke kept it selected)
        if row.id != self._overview_id:
            self.alert_index = 0
        self._overview_id = row.id
        self._overview_row = row
        bench = self.bench
        self._alerts = bench.alerts(row.id)
        self.alert_index = min(self.alert_index, max(len(self._alerts) - 1, 0))
        breakdown = self._breakdowns.get(row.id)
        overview.show(
            row,
            breakdown,
            alerts=self._alerts,
            selected_alert=self.alert_index,
            kpis=bench.kpi_series(row.id, grain=self.kpi_grain),
            grain=self.kpi_grain,
            as_of=self.as_of,
            products=self._products(row.id),
        )
        if breakdown is None:
            self._schedule_breakdown(row.id)
        self.refresh_records()

    @on(TabbedContent.TabActivated, "#detail")
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        self.refresh_records()

    def refresh_records(self) -> None:
        """Fill the visible Stakeholders, Plan or QBR tab for the selected account (cheap
        reads, and only for the tab on show)."""
        tabs = self.query_one("#detail", TabbedContent)
        kind = RECORD_TABS.get(tabs.active)
        if kind is None:
            return
        pane = self.query_one(f"#{kind}", ComingPane)
        row = self.current
        if row is None or self.bench is None:
            pane.show(None)
            return
        try:
            if kind == "stakeholders":
                records = placeholders.stakeholders_renderable(
                    self.bench.stakeholders(row.id), self.as_of
                )
            elif kind == "plan":
                records = placeholders.plan_renderable(self.bench.plan(row.id), self.as_of)
            else:
                records = placeholders.qbrs_renderable(self.bench.qbrs(row.id), self.as_of)
        except KamtuiError as exc:
            records = str(exc)
        pane.show(records)

    def _schedule_breakdown(self, account_id: int) -> None:
        """Work the breakdown out once the cursor rests (it competes with drawing for the
        interpreter; while the user scrolls or types, drawing wins)."""
        if self._breakdown_timer is not None:
            self._breakdown_timer.stop()
            self._breakdown_timer = None
        generation = self._data_generation
        if self.BREAKDOWN_DELAY <= 0:
            self.load_breakdown(account_id, generation)
            return

        def start() -> None:
            self._breakdown_timer = None
            if self._overview_id == account_id:
                self.load_breakdown(account_id, generation)

        self._breakdown_timer = self.set_timer(self.BREAKDOWN_DELAY, start)

    def _products(self, account_id: int) -> str | None:
        try:
            return ", ".join(self.bench.products_held(account_id)) or None
        except KamtuiError:
            return None  # deleted meanwhile (another kamtui, the CLI); the next refresh shows it

    @work(thread=True, exclusive=True, exit_on_error=False, group="breakdown")
    def load_breakdown(self, account_id: int, generation: int) -> None:
        try:
            breakdown = self.bench.breakdown(account_id)
        except KamtuiError as exc:
            breakdown = {"error": str(exc)}
        self.post_message(
            WorkFinished("breakdown", breakdown, account_id=account_id, generation=generation)
        )

    def poll_changes(self) -> None:
        """Reload the accounts when another process (an import in another shell, a second
        kamtui, the CLI) has written to the workspace since we last read it."""
        if self.bench is None:
            return
        version = self.bench.data_version()
        if version is None or version == self._data_version:
            return
        self._data_version = version
        self.reload_accounts(quiet=True)

    def action_reload(self) -> None:
        """Re-read every account from the workspace (ctrl+r)."""
        if self.bench is not None:
            self.reload_accounts(quiet=False)

    @work(thread=True, exclusive=True, exit_on_error=False, group="reload")
    def reload_accounts(self, quiet: bool) -> None:
        try:
            version = self.bench.data_version()
            rows = self.bench.account_summaries()
        except KamtuiError as exc:
            self.post_message(WorkFinished("reload", error=str(exc)))
            return
        self.post_message(WorkFinished("reload", rows, quiet=quiet, version=version))

    def refresh_accounts(self, keep_id: int | None = None, rows: list[Any] | None = None) -> None:
        """Re-read every account (scores moved) and keep the selection on ``keep_id``."""
        if self.bench is None:
            return
        if rows is None:
            self._data_version = self.bench.data_version()  # our own write: no reload
            rows = self.bench.account_summaries()
        self._breakdowns.clear()
        self._data_generation += 1
        self.set_class(not rows, "-empty")
        self.list_pane.show(rows, self.as_of, keep_id=keep_id)
        self.refresh_overview(force=True)

    def _need_account(self) -> Any | None:
        row = self.current
        if row is None:
            self.notify("Select an account first.", severity="warning")
        return row

    # ----------------------------------------------------------------- editing
    def action_new_account(self) -> None:
        if self.bench is None:
            return
        bench = self.bench

        def submit(values: dict[str, Any]) -> int:
            name = values.pop("name")
            return bench.add_account(name, **values).created_id

        self.app.push_screen(
            forms.FormModal("New account", forms.ACCOUNT_FIELDS, submit, {"status": "active"}),
            self._saved,
        )

    def action_edit_account(self) -> None:
        row = self._need_account()
        if row is None:
            return
        bench = self.bench
        try:
            account = bench.account(row.id)
        except KamtuiError as exc:
            self.notify(str(exc), severity="error")
            return
        initial = {spec.name: getattr(account, spec.name, None) for spec in forms.ACCOUNT_FIELDS}

        def submit(values: dict[str, Any]) -> int:
            bench.update_account(row.id, **values)
            return int(row.id)

        self.app.push_screen(
            forms.FormModal(f"Edit {account.name}", forms.ACCOUNT_FIELDS, submit, initial),
            self._saved,
        )

    def action_add_transaction(self) -> None:
        row = self._need_account()
        if row is None:
            return
        bench = self.bench

        def submit(values: dict[str, Any]) -> int:
            change = bench.add_transaction(
                row.id, values["day"], values["amount"], product=values.get("product")
            )
            added = AddedTransaction(change.created_id or 0, int(row.id), row.name)
            self.app.call_from_thread(self.undo_stack.append, added)
            return int(row.id)

        initial = {"day": self.as_of}
        self.app.push_screen(
            forms.FormModal(
                f"Add a transaction — {row.name}", forms.TRANSACTION_FIELDS, submit, initial
            ),
            self._saved,
        )

    def action_add_activity(self) -> None:
        row = self._need_account()
        if row is None:
            return
        bench = self.bench

        def submit(values: dict[str, Any]) -> int:
            bench.add_activity(
                row.id,
                values["day"],
                values["kind"],
                value=values.get("value"),
                severity=values.get("severity"),
                notes=values.get("notes"),
            )
            return int(row.id)

        initial = {"day": self.as_of, "kind": "meeting"}
        self.app.push_screen(
            forms.FormModal(
                f"Log an activity — {row.name}",
                forms.ACTIVITY_FIELDS,
                submit,
                initial,
                check=forms.check_activity,
            ),
            self._saved,
        )

    def action_add_kpi_reading(self) -> None:
        row = self._need_account()
        if row is None:
            return
        bench = self.bench

        def submit(values: dict[str, Any]) -> int:
            bench.add_kpi_reading(row.id, values["period"], values["metric"], values["value"])
            return int(row.id)

        period = f"{self.as_of.year}-{self.as_of.month:02d}" if self.as_of else ""
        self.app.push_screen(
            forms.FormModal(
                f"Record a KPI reading — {row.name}",
                forms.KPI_FIELDS,
                submit,
                {"period": period, "metric": "nps"},
                check=forms.check_kpi,
                note="A reading for the same period and KPI replaces the earlier one.",
            ),
            self._saved,
        )

    def _saved(self, account_id: int | None) -> None:
        if account_id is None:
            return
        self.refresh_accounts(keep_id=account_id)
        row = self.current
        name = row.name if row is not None and row.id == account_id else "the account"
        if row is None or row.id != account_id:
            self.notify(f"Saved; {name} is hidden by the filter.", timeout=4)
        else:
            self.notify(f"Saved {name}.", timeout=3)

    def action_delete_account(self) -> None:
        row = self._need_account()
        if row is None:
            return

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                change = self.bench.delete_account(row.id)
            except KamtuiError as exc:
                self.notify(str(exc), severity="error")
                return
            self.undo_stack.append(change.restore)
            self.refresh_accounts()
            self.notify(f"Deleted {row.name}. Press ctrl+z to undo.", timeout=6)

        self.app.push_screen(
            forms.ConfirmModal(
                "Delete account",
                f"Delete [b]{row.name}[/b] with its transactions, activities, KPI readings, "
                "stakeholders, plan and QBRs?\n\nYou can undo this with ctrl+z until you quit.",
            ),
            answered,
        )

    def action_undo_delete(self) -> None:
        """Undo the last delete of an account, or the last transaction added."""
        if not self.undo_stack or self.bench is None:
            self.notify("Nothing to undo.", severity="warning", timeout=3)
            return
        if isinstance(self.undo_stack[-1], AddedTransaction):
            added = self.undo_stack.pop()
            try:
                self.bench.delete_transaction(added.transaction_id)
            except KamtuiError as exc:
                self.notify(f"Cannot undo: {exc}", severity="error")
                return
            self.refresh_accounts(keep_id=added.account_id)
            self.notify(f"Removed the transaction just added to {added.account}.", timeout=4)
            return
        dump = self.undo_stack.pop()
        try:
            self.bench.restore_account(dump)
        except KamtuiError as exc:
            self.undo_stack.append(dump)
            self.notify(f"Cannot undo: {exc}", severity="error")
            return
        self.refresh_accounts(keep_id=dump.account_id)
        self.notify(f"Restored {dump.name}.", timeout=4)

    # ----------------------------------------------------------------- alerts and KPIs
    def _current_alert(self) -> Any | None:
        if not self._alerts:
            self.notify("This account has no open alerts.", timeout=3)
            return None
        return self._alerts[min(self.alert_index, len(self._alerts) - 1)]

    def action_next_alert(self) -> None:
        if self._alerts:
            self.alert_index = (self.alert_index + 1) % len(self._alerts)
            self.refresh_overview(force=True)

    def action_acknowledge_alert(self) -> None:
        alert = self._current_alert()
        if alert is None:
            return
        try:
            self.bench.acknowledge_alert(alert.id)
        except KamtuiError as exc:
            self.notify(str(exc), severity="error")
            return
        self.refresh_accounts(keep_id=alert.account_id)
        self.notify(f"Acknowledged: {alert.message}", timeout=4)

    def action_snooze_alert(self) -> None:
        alert = self._current_alert()
        if alert is None:
            return
        until = self.as_of + timedelta(days=self.SNOOZE_DAYS)
        try:
            self.bench.snooze_alert(alert.id, until)
        except KamtuiError as exc:
            self.notify(str(exc), severity="error")
            return
        self.refresh_accounts(keep_id=alert.account_id)
        self.notify(f"Snoozed until {until.isoformat()}: {alert.message}", timeout=4)

    def action_toggle_kpi_grain(self) -> None:
        self.kpi_grain = "quarter" if self.kpi_grain == "month" else "month"
        self.refresh_overview(force=True)

    # ----------------------------------------------------------------- palette actions
    def jump_to(self, account_id: int) -> None:
        """Select an account by id; clears the filter when the filter hides it."""
        pane = self.list_pane
        if not pane.table.move_to_id(account_id):
            pane.filter_input.value = ""
            pane.apply_query("")
            pane.table.move_to_id(account_id)
        pane.table.focus()

    def action_clear_filter(self) -> None:
        pane = self.list_pane
        pane.filter_input.value = ""
        pane.apply_query("")

    def action_sort_next(self) -> None:
        self.list_pane.action_cycle_sort()

    def action_sort_reverse(self) -> None:
        self.list_pane.action_reverse_sort()

    def action_open_portfolio(self) -> None:
        if self.bench is None:
            return
        from kamtui.ui.screens.portfolio import PortfolioScreen

        self.app.push_screen(PortfolioScreen(self.bench, self.list_pane.all_rows))

    def _path_form(
        self,
        title: str,
        default: str,
        then: Any,
        *,
        must_exist: bool = False,
        note: str = "",
        pick: bool = False,
    ) -> None:
        from pathlib import Path

        label = "Files" if must_exist else "Save to"
        spec = forms.FieldSpec("path", label, required=True)

        def submit(values: dict[str, Any]) -> list[str]:
            import shlex

            try:
                parts = shlex.split(values["path"])
            except ValueError as exc:
                raise ValidationError(f"cannot read the paths: {exc}", field="path") from None
            paths = [str(Path(p).expanduser()) for p in parts]
            if must_exist:
                missing = [p for p in paths if not Path(p).is_file()]
                if missing:
                    raise ValidationError(f"no such file: {missing[0]}", field="path")
            elif len(paths) != 1:
                raise ValidationError("give one file path", field="path")
            return paths

        modal = forms.FilePickModal if pick else forms.FormModal
        self.app.push_screen(modal(title, [spec], submit, {"path": default}, note=note), then)

    def action_export(self, kind: str) -> None:
        if self.bench is None:
            return
        from pathlib import Path

        stamp = self.as_of.isoformat() if self.as_of else "today"
        row = self.current
        if kind == "markdown" and row is None:
            self.notify("Select an account first.", severity="warning")
            return
        names = {
            "json": f"kamtui-backup-{stamp}.json",
            "accounts": f"kamtui-accounts-{stamp}.csv",
            "ics": "kamtui-calendar.ics",
            "markdown": f"{(row.name if row else 'account').replace('/', '-')}.md",
        }
        default = str(Path.cwd() / names[kind])

        def chosen(paths: list[str] | None) -> None:
            if paths:
                self.run_export(kind, paths[0], row.id if row is not None else None)

        self._path_form(f"Export — {kind}", default, chosen)

    @work(thread=True, exclusive=True, exit_on_error=False, group="export")
    def run_export(self, kind: str, path: str, account_id: int | None) -> None:
        try:
            if kind == "json":
                result: Any = self.bench.export_json(path)
            elif kind == "accounts":
                result = f"{self.bench.export_csv('accounts', path):,} rows to {path}"
            elif kind == "ics":
                result = f"{self.bench.export_ics(path):,} events to {path}"
            else:
                result = self.bench.export_markdown_account(account_id, path)
        except (KamtuiError, OSError) as exc:
            self.post_message(WorkFinished("export", error=str(exc)))
            return
        self.post_message(WorkFinished("export", str(result)))

    def action_set_as_of(self) -> None:
        if self.bench is None:
            return
        spec = forms.FieldSpec(
            "day", "As of", "date", placeholder="YYYY-MM-DD; empty = follow today"
        )

        def submit(values: dict[str, Any]) -> dict[str, Any]:
            return {"day": values["day"]}

        def chosen(result: dict[str, Any] | None) -> None:
            if result is not None:
                self.notify("Rescoring every account…", timeout=3)
                self.run_set_as_of(result["day"])

        self.app.push_screen(
            forms.FormModal(
                "Set the as-of date",
                [spec],
                submit,
                {"day": self.as_of},
                note="Every score, alert and KPI is computed as of this day.",
            ),
            chosen,
        )

    @work(thread=True, exclusive=True, exit_on_error=False, group="as-of")
    def run_set_as_of(self, day: Any) -> None:
        try:
            self.bench.set_as_of(day)
            as_of, pinned = self.bench.as_of(), self.bench.as_of_pinned()
        except KamtuiError as exc:
            self.post_message(WorkFinished("as-of", error=str(exc)))
            return
        self.post_message(WorkFinished("as-of", as_of, pinned=pinned))

    # ----------------------------------------------------------------- import
    def action_import_files(self) -> None:
        if self.bench is None:
            return
        if not hasattr(self.bench, "import_files"):
            self.notify("Importing is not available in this version.", severity="warning")
            return

        def chosen(paths: list[str] | None) -> None:
            if paths:
                self.set_class(True, "-working")
                self.query_one("#work-status", Static).update(
                    f"Reading {len(paths)} file(s) for a preview…"
                )
                self.preview_import(paths)

        self._path_form(
            "Import files",
            "",
            chosen,
            must_exist=True,
            pick=True,
            note="CRM or billing exports (CSV, TSV, CDNOW text). Several files: separate them "
            "with spaces; quote paths with spaces. You will see a preview first.",
        )

    @work(thread=True, exclusive=True, exit_on_error=False, group="import")
    def preview_import(self, paths: list[str]) -> None:
        try:
            report = self.bench.import_files(paths, dry_run=True)
        except KamtuiError as exc:
            report = getattr(exc, "report", None)
            self.post_message(WorkFinished("import-preview", report, error=str(exc), paths=paths))
            return
        self.post_message(WorkFinished("import-preview", report, paths=paths))

    @work(thread=True, exclusive=True, exit_on_error=False, group="import")
    def run_import(self, paths: list[str]) -> None:
        try:
            report = self.bench.import_files(paths)
        except KamtuiError as exc:
            self.post_message(WorkFinished("import", error=str(exc)))
            return
        self.post_message(WorkFinished("import", report))

    @on(WorkFinished)
    def _work_finished(self, message: WorkFinished) -> None:
        kind = message.kind
        if kind == "breakdown":
            account_id = message.extra["account_id"]
            if message.extra.get("generation") != self._data_generation:
                return
            self._breakdowns[account_id] = message.result
            if self._overview_id == account_id:
                self.query_one(OverviewPane).show_breakdown(message.result)
            return
        if kind == "reload":
            self._reloaded(message)
            return
        self.set_class(False, "-working")
        if kind == "import-preview":
            self._show_import_preview(message)
            return
        if message.error:
            self.notify(message.error, severity="error", timeout=10)
            return
        if kind == "export":
            self.notify(f"Exported {message.result}", timeout=6)
        elif kind == "as-of":
            self.as_of = message.result
            pinned = "" if message.extra.get("pinned") else " (today)"
            self.sub_title = f"as of {self.as_of.isoformat()}{pinned}"
            self.refresh_accounts(keep_id=self.list_pane.table.current_id)
            self.notify(f"Scores are now as of {self.as_of.isoformat()}.", timeout=4)
        elif kind == "import":
            report = message.result
            keep = self.list_pane.table.current_id
            self.refresh_accounts(keep_id=keep)
            if self.list_pane.table.current is None and self.list_pane.all_rows:
                self.list_pane.table.focus()
            lines = report.summary_lines() if report is not None else []
            self.notify("Imported.\n" + "\n".join(lines[:8]), timeout=10)

    def _reloaded(self, message: WorkFinished) -> None:
        if message.error:
            self.notify(message.error, severity="error", timeout=10)
            return
        if message.extra.get("version") is not None:
            self._data_version = message.extra["version"]
        before = len(self.list_pane.all_rows)
        self.refresh_accounts(keep_id=self.list_pane.table.current_id, rows=message.result)
        if self.list_pane.table.current is None and self.list_pane.all_rows:
            self.list_pane.table.focus()
        after = len(self.list_pane.all_rows)
        if not message.extra.get("quiet"):
            self.notify(f"Reloaded {after:,} accounts.", timeout=3)
        elif after != before:
            self.notify(f"The workspace changed elsewhere: {after:,} accounts now.", timeout=4)

    def _show_import_preview(self, message: WorkFinished) -> None:
        report = message.result
        paths = message.extra.get("paths", [])
        lines = report.summary_lines() if report is not None else []
        if message.error:
            text = "[b]Nothing can be imported:[/b]\n" + "\n".join(lines or [message.error])
            self.app.push_screen(forms.ConfirmModal("Import refused", text, yes=None))
            return
        text = "[b]Dry run — nothing written yet.[/b]\n\n" + "\n".join(lines[:30])
        if len(lines) > 30:
            text += f"\n… and {len(lines) - 30} more lines"
        text += "\n\nImport these files now?"

        def answered(yes: bool | None) -> None:
            if yes:
                self.set_class(True, "-working")
                self.query_one("#work-status", Static).update(
                    f"Importing {len(paths)} file(s) and rescoring…"
                )
                self.run_import(paths)

        self.app.push_screen(forms.ConfirmModal("Import preview", text), answered)
