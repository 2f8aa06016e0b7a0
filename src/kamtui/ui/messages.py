"""Messages shared between panes and screens (past tense: they report what happened)."""

from __future__ import annotations

from typing import Any

from textual.message import Message


class WorkspaceLoaded(Message):
    """The workspace is open and its account list read (posted from a worker)."""

    def __init__(self, bench: Any, rows: list[Any], as_of: Any, pinned: bool) -> None:
        super().__init__()
        self.bench = bench
        self.rows = rows
        self.as_of = as_of
        self.pinned = pinned


class WorkspaceFailed(Message):
    """The workspace could not be opened; ``error`` is one readable line."""

    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


class AccountSelected(Message):
    """The selected account changed (None: nothing selected)."""

    def __init__(self, account_id: int | None) -> None:
        super().__init__()
        self.account_id = account_id


class WorkFinished(Message):
    """A slow job run in a worker finished (``kind``: import-preview, import, export, as-of).

    ``result`` is what the job returned; ``error`` a readable line when it was refused.
    """

    def __init__(self, kind: str, result: Any = None, error: str | None = None, **extra: Any):
        super().__init__()
        self.kind = kind
        self.result = result
        self.error = error
        self.extra = extra
