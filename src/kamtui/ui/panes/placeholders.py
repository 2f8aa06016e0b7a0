"""The tabs whose panes are still to come: what they will show and how their data gets in."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.widgets import Static

STAKEHOLDERS = """\
[b]Stakeholder map[/b]

Here you will see who matters at this account: an org chart (who reports to whom), an
influence × attitude grid, each person's role (decision maker, champion, blocker, user…) as a
badge, and the gaps in coverage — roles with nobody in them, people nobody has talked to lately.

[b]How the data gets in[/b]
• Contacts come with a CRM contacts export:  [i]kamtui import contacts.csv[/i]
• Adding and editing people here, with influence 1–5 and attitude −2…+2, arrives with the
  stakeholder map.
"""

PLAN = """\
[b]Joint business plan[/b]

Here you will plan with the customer: the account's priorities, SMART objectives with a
baseline, a target and a progress bar (on track / at risk), the actions behind them with owners
and due dates, and the next checkpoint.

[b]How the data gets in[/b]
• Objectives and actions will be added and edited here with keyboard forms.
• Overdue actions and objectives at risk already raise alerts on the Overview tab once recorded.
"""

QBR = """\
[b]QBR agenda builder[/b]

Here you will prepare the quarterly business review: pick a meeting length and kamtui splits it
into review of last quarter's KPIs (15%), current initiatives and roadblocks (40%), new
opportunities (30%) and next steps with owners (15%), with items suggested from this account's
KPIs, plan and alerts. Reorder, edit minutes, export the agenda and the follow-up summary as
Markdown, and schedule the next QBR as a calendar file.

[b]How the data gets in[/b]
• KPI readings (press [b]r[/b]) and activities (press [b]v[/b]) you record today feed the
  review section.
"""


class ComingPane(VerticalScroll):
    """A tab body that says what will be there and how to fill it (not an error)."""

    def __init__(self, text: str, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._text = text

    def compose(self):  # type: ignore[no-untyped-def]
        yield Static(self._text, classes="coming")
