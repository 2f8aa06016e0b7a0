"""HelpScreen: the keys that work right now, grouped by the pane they belong to."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from kamtui.domain.query import field_help

QUERY_HELP = "Filter query: free text matches names; terms are ANDed; -term negates."


OWNER_NAMES = {
    "AccountTable": "Account list",
    "AccountListPane": "Account list",
    "FilterInput": "Filter bar",
    "OverviewPane": "Overview",
    "WorkbenchScreen": "Workbench",
    "PortfolioScreen": "Portfolio",
    "KamtuiApp": "Everywhere",
    "ComingPane": "Detail tab",
    "StakeholdersPane": "Stakeholders",
    "PlanPane": "Plan",
    "QbrPane": "QBR",
    "TabbedContent": "Detail tabs",
    "Tabs": "Detail tabs",
    "ContentTabs": "Detail tabs",
}


def _owner_name(node: Any) -> str:
    name = type(node).__name__
    if name in OWNER_NAMES:
        return OWNER_NAMES[name]
    # an unlisted widget: its class name in words ("VerticalScroll" -> "Vertical scroll")
    words = "".join(f" {c.lower()}" if c.isupper() else c for c in name).strip()
    return (words[:1].upper() + words[1:]).removesuffix(" pane") or name


NOISE_ACTIONS = {
    "help_quit", "noop", "page_left", "page_right", "screen.copy_text", "copy_text",
    "app.focus_previous", "focus_previous", "scroll_left", "scroll_right", "scroll_home",
    "scroll_end", "scroll_up", "scroll_down",
}  # fmt: skip


def bindings_table(app: Any, active: dict[str, Any]) -> Table:
    """One row per action: its keys, what it does, and the pane it belongs to — the
    focused pane first, the screen's and the app's keys after."""
    rows: dict[tuple[int, str], list[Any]] = {}
    owners: dict[int, Any] = {}
    for key, active_binding in active.items():
        binding = active_binding.binding
        if not active_binding.enabled or binding.action in NOISE_ACTIONS:
            continue
        node = active_binding.node
        description = binding.description or binding.action.replace("_", " ")
        owners[id(node)] = node
        entry = rows.setdefault((id(node), description), [description, []])
        shown = app.get_key_display(binding) or key
        if shown not in entry[1]:
            entry[1].append(shown)

    def depth(node: Any) -> int:
        return -len(list(getattr(node, "ancestors", [])))

    order = sorted(owners, key=lambda k: depth(owners[k]))
    table = Table(expand=True, show_edge=False, pad_edge=False, box=None)
    table.add_column("Key", style="bold", no_wrap=True)
    table.add_column("Does")
    table.add_column("In", style="dim", no_wrap=True)
    for owner in order:
        for (node_id, _), (description, keys) in rows.items():
            if node_id == owner:
                table.add_row(" / ".join(keys), description, _owner_name(owners[owner]))
    return table


class HelpScreen(ModalScreen[None]):
    """A modal listing the active bindings of the focused pane and the filter syntax."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="close-help"),
    ]

    def __init__(self, title: str, active: dict[str, Any], show_query: bool = True) -> None:
        super().__init__()
        self.help_title = title
        self.active = active
        self.show_query = show_query

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box") as box:
            box.border_title = self.help_title
            box.border_subtitle = "Esc closes"
            yield Static(bindings_table(self.app, self.active), id="help-keys")
            if self.show_query:
                fields = Table(box=None, show_header=False, pad_edge=False, expand=True)
                fields.add_column(style="bold", no_wrap=True)
                fields.add_column()
                for name, meaning in field_help():
                    fields.add_row(f"{name}:", meaning)
                yield Static(Text(QUERY_HELP, style="italic"), id="help-query-title")
                yield Static(fields, id="help-query")

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(None)
