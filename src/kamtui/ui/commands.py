"""The command palette: every workbench action, every theme, and jump-to-account by name."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

MAX_ACCOUNT_HITS = 25

# (title, action name on the workbench screen, help)
ACTIONS: list[tuple[str, str, str]] = [
    ("New account", "new_account", "Create an account (n)"),
    ("Edit account", "edit_account", "Edit the selected account (e)"),
    ("Delete account", "delete_account", "Delete the selected account; ctrl+z undoes (d)"),
    ("Undo delete", "undo_delete", "Put back the last deleted account (ctrl+z)"),
    ("Add transaction", "add_transaction", "Record a purchase or refund (t)"),
    ("Log activity", "add_activity", "Meeting, call, survey answer, ticket… (v)"),
    ("Record KPI reading", "add_kpi_reading", "NPS, usage, adoption… for a month (r)"),
    ("Acknowledge alert", "acknowledge_alert", "Acknowledge the marked alert (a)"),
    ("Snooze alert", "snooze_alert", "Snooze the marked alert for 14 days (z)"),
    ("Filter accounts", "focus_filter", "Type a query: tier:1 health:<50 … (/)"),
    ("Clear filter", "clear_filter", "Show every account again"),
    ("Sort by next column", "sort_next", "Cycle the sort column (s)"),
    ("Reverse sort", "sort_reverse", "Reverse the sort order (S)"),
    ("KPIs: months / quarters", "toggle_kpi_grain", "12 months or 8 quarters (m)"),
    ("Open portfolio", "open_portfolio", "Tiers, concentration, heatmap, KPIs (p)"),
    ("Import files", "import_files", "CRM or billing exports: preview, then import"),
    ("Export workspace (JSON backup)", "export('json')", "Everything, lossless"),
    ("Export accounts (CSV)", "export('accounts')", "Accounts with their scores"),
    ("Export account one-pager (Markdown)", "export('markdown')", "The selected account"),
    ("Export calendar (iCalendar)", "export('ics')", "QBRs and plan checkpoints"),
    ("Set the as of date (as-of)", "set_as_of", "Compute every score as of another day"),
    ("Reload", "reload", "Re-read the workspace now (ctrl+r); other writers are seen in 2 s"),
    ("Show keys", "help", "The keys of the focused pane (?)"),
    ("Overview tab", "show_tab('tab-overview')", "1"),
    ("Stakeholders tab", "show_tab('tab-stakeholders')", "2"),
    ("Plan tab", "show_tab('tab-plan')", "3"),
    ("QBR tab", "show_tab('tab-qbr')", "4"),
]


class WorkbenchCommands(Provider):
    """Commands for the workbench screen."""

    def _run(self, action: str) -> Callable[[], Any]:
        async def run() -> None:
            await self.screen.run_action(action)

        return run

    def _set_theme(self, name: str) -> None:
        self.app.theme = name

    def _commands(self) -> list[tuple[str, Callable[[], Any], str]]:
        found = [(title, self._run(action), help) for title, action, help in ACTIONS]
        for name in sorted(self.app.available_themes):
            found.append((f"Theme: {name}", partial(self._set_theme, name), "Switch theme"))
        return found

    async def discover(self) -> Hits:
        for title, callback, help in self._commands():
            if not title.startswith("Theme: "):
                yield DiscoveryHit(title, callback, help=help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, callback, help in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help)
        for score, row in self._accounts(query):
            text = f"Go to {row.name}"
            tier = f"T{row.tier}" if row.tier else "—"
            help = f"{tier} · {row.owner or 'no owner'} · {row.region or 'no region'}"
            jump = partial(self.screen.jump_to, row.id)
            yield Hit(score, matcher.highlight(text), jump, text=text, help=help)

    def _accounts(self, query: str) -> list[tuple[float, Any]]:
        """Accounts whose name holds every word of the query; prefixes rank first."""
        words = query.casefold().split()
        if not words:
            return []
        rows = getattr(getattr(self.screen, "list_pane", None), "all_rows", [])
        hits: list[tuple[float, Any]] = []
        phrase = " ".join(words)
        for row in rows:
            name = row.name.casefold()
            if all(w in name for w in words):
                score = 1.0 if name.startswith(phrase) else 0.9 if phrase in name else 0.8
                hits.append((score, row))
                if len(hits) >= MAX_ACCOUNT_HITS * 4:
                    break
        hits.sort(key=lambda h: (-h[0], h[1].name.casefold()))
        return hits[:MAX_ACCOUNT_HITS]
