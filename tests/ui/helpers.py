"""Helpers for UI tests: read what a widget shows as plain text."""

from __future__ import annotations

import io

from rich.console import Console
from textual.widgets import Static


def static_text(widget: Static, width: int = 120) -> str:
    """The plain text of a Static's content, rendered at ``width`` columns."""
    console = Console(width=width, file=io.StringIO(), record=True, color_system=None)
    content = widget.content
    console.print(content, markup=True)
    return console.export_text()
