"""The Stakeholders, Plan and QBR tabs: a read-only view of what the workspace holds for the
selected account, a line on what is still to come, and how the data gets in today.

The intro paragraphs are single lines on purpose: the Static wraps them at the pane's width.
The screen hands the records in with ``show(...)``; the panes never call the service.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

READ_ONLY = "Read-only in this version: adding and editing these here is coming next."

STAKEHOLDERS = (
    "[b]Stakeholders[/b] — who matters at this account, most influential first: role, "
    "influence (1–5), attitude (−2 against … +2 for) and when we last spoke. "
    f"{READ_ONLY} The org chart, an influence × attitude grid and coverage gaps come with "
    "the stakeholder map.\n"
    "[b]How people get in today:[/b] a CRM contacts export with account, name, title and role "
    "columns: [i]kamtui import contacts.csv[/i] (also in the palette: Import files)."
)

PLAN = (
    "[b]Joint business plan[/b] — the account's objectives with their progress from baseline "
    "to target, and the actions behind them with owners and due dates. "
    f"{READ_ONLY} Overdue actions and objectives at risk already raise alerts on the Overview "
    "tab.\n"
    "[b]How plans get in today:[/b] only with a workspace restored from a JSON backup "
    "([i]kamtui restore backup.json[/i]); keyboard forms for objectives and actions come next."
)

QBR = (
    "[b]QBRs[/b] — this account's quarterly business reviews, upcoming and past, with how "
    f"much of each is prepared. {READ_ONLY} The agenda builder (review 15%, initiatives 40%, "
    "opportunities 30%, next steps 15%, with items suggested from KPIs, plan and alerts) and "
    "the Markdown follow-up come later.\n"
    "[b]How to prepare one today:[/b] record KPI readings ([b]r[/b]) and activities "
    "([b]v[/b]) — they feed the review; put the QBR dates in your calendar with the palette's "
    "[i]Export calendar (iCalendar)[/i]."
)

NOTHING_SELECTED = "Select an account in the list to see its records here."
ROLE_STYLE = {"economic_buyer": "bold", "champion": "green", "blocker": "red"}


def _day(value: date | None) -> str:
    return value.isoformat() if value else "—"


def _ago(value: date | None, as_of: date | None) -> str:
    if value is None:
        return "never"
    if as_of is None:
        return value.isoformat()
    days = (as_of - value).days
    if days < 0:
        return value.isoformat()
    return "today" if days == 0 else f"{days} d ago"


def _attitude(value: int | None) -> Text:
    if value is None:
        return Text("—", style="dim")
    style = "green" if value > 0 else "red" if value < 0 else ""
    return Text(f"{value:+d}" if value else "0", style=style)


def stakeholders_renderable(people: Sequence[Any], as_of: date | None) -> RenderableType:
    """One person in two lines that wrap at any width: name and title, then role, influence,
    attitude and last contact."""
    if not people:
        return Text("No stakeholders recorded for this account yet.", style="dim italic")
    lines: list[RenderableType] = [Text(f"{len(people)} people", style="bold")]
    for p in people:
        role = (p.role or "no role").replace("_", " ")
        lines.append(Text.assemble((p.name, "bold"), (f" · {p.title}" if p.title else "", "dim")))
        details = Text()
        details.append(role, style=ROLE_STYLE.get(p.role or "", ""))
        details.append(" · influence ")
        details.append("—" if p.influence is None else f"{p.influence}/5")
        details.append(" · attitude ")
        details.append_text(_attitude(p.attitude))
        details.append(f" · last contact {_ago(p.last_contact, as_of)}")
        if p.reports_to:
            details.append(f" · reports to {p.reports_to}", style="dim")
        lines.append(Padding(details, (0, 0, 0, 4)))
    return Group(*lines)


def _bar(progress: float | None, width: int = 10) -> Text:
    if progress is None:
        return Text("no progress data", style="dim")
    filled = max(0, min(width, round(progress * width)))
    return Text.assemble(
        ("█" * filled, "bold"), ("░" * (width - filled), "dim"), f" {progress:.0%}"
    )


def _figure(value: float | None, unit: str | None) -> str:
    if value is None:
        return "—"
    shown = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    return f"{shown} {unit}" if unit else shown


def plan_renderable(objectives: Sequence[Any], as_of: date | None) -> RenderableType:
    """Each objective with its progress bar and figures, then its actions (✔ done, ! overdue)."""
    if not objectives:
        return Text("No objectives or actions recorded for this account yet.", style="dim italic")
    lines: list[RenderableType] = []
    for o in objectives:
        head = Text.assemble(("• ", ""), (o.text, "bold"))
        if o.status != "active":
            head.append(f"  [{o.status}]", style="italic dim")
        lines.append(head)
        if o.target is not None or o.current is not None:
            lines.append(
                Padding(
                    Text.assemble(
                        _bar(o.progress),
                        (
                            f"  {_figure(o.baseline, o.unit)} → {_figure(o.current, o.unit)}"
                            f" of {_figure(o.target, o.unit)}",
                            "",
                        ),
                        (f"  due {_day(o.due)}" if o.due else "", "dim"),
                        (f" · {o.owner}" if o.owner else "", "dim"),
                    ),
                    (0, 0, 0, 2),
                )
            )
        for a in o.actions:
            overdue = not a.done and a.due is not None and as_of is not None and a.due < as_of
            mark, style = ("✔", "green") if a.done else ("!", "bold red") if overdue else ("○", "")
            when = f"done {_day(a.done_on)}" if a.done else f"due {_day(a.due)}"
            who = f"{a.owner} ({a.side})" if a.owner else a.side
            line = Text.assemble((mark, style), " ", a.text, (f"  {who} · {when}", "dim"))
            lines.append(Padding(line, (0, 0, 0, 4)))
        lines.append(Text(""))
    return Group(*lines)


def qbrs_renderable(qbrs: Sequence[Any], as_of: date | None) -> RenderableType:
    """Upcoming QBRs first, then past ones newest first."""
    if not qbrs:
        return Text("No QBRs recorded for this account yet.", style="dim italic")
    upcoming = [q for q in qbrs if as_of is None or q.day >= as_of]
    past = [q for q in qbrs if q not in upcoming]
    lines: list[RenderableType] = []
    for title, group in (("Upcoming", sorted(upcoming, key=lambda q: q.day)), ("Past", past)):
        lines.append(Text(f"{title} ({len(group)})", style="bold"))
        if not group:
            lines.append(Text("  none", style="dim italic"))
        for q in group:
            state = "held" if q.held else "planned"
            if q.held:
                state += ", summary sent" if q.summary_sent else ", summary not sent yet"
            lines.append(
                Text.assemble(
                    f"  {q.day.isoformat()}",
                    f" {q.start_time}" if q.start_time else "",
                    f"  {q.minutes} min  ",
                    (state, "green" if q.summary_sent or not q.held else "yellow"),
                    (
                        f"  · {q.agenda_items} agenda items · {q.commitments} commitments",
                        "dim",
                    ),
                    (f"  · next {q.next_day.isoformat()}" if q.next_day else "", "dim"),
                )
            )
        lines.append(Text(""))
    return Group(*lines)


class ComingPane(VerticalScroll):
    """A tab body: the account's records, read-only, then what the tab is for and how the
    data gets in today (flowing text)."""

    def __init__(self, text: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._text = text

    def compose(self) -> ComposeResult:
        yield Static(NOTHING_SELECTED, classes="records")
        yield Static(self._text, classes="coming")

    def show(self, records: RenderableType | None) -> None:
        """The selected account's records (None: nothing selected)."""
        self.query_one(".records", Static).update(
            Text(NOTHING_SELECTED, style="dim") if records is None else records
        )
