"""AccountTable: a Line-API table that renders only the rows on screen.

Textual's DataTable measures every cell when rows are added (seconds at 20k rows); this view
does no per-row work until a row is scrolled into sight, so 23,570 accounts load instantly.
Columns that do not fit the width are dropped, least important first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: int  # 0: takes the remaining width (at least ``min_width``)
    render: Callable[[Any], str | Text]
    justify: str = "left"
    importance: int = 0  # higher survives longer on narrow screens
    min_width: int = 10
    sort_key: Callable[[Any], Any] | None = None


class AccountTable(ScrollView, can_focus=True):
    """Rows of any objects with an ``id``; the cursor row is highlighted and announced."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "account-table--header",
        "account-table--cursor",
        "account-table--sorted",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor_up", "Up", show=False),
        Binding("down,j", "cursor_down", "Down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home,g", "first", "First", show=False),
        Binding("end,G", "last", "Last", show=False),
        Binding("enter", "select", "Open", show=False),
    ]

    cursor: reactive[int] = reactive(0, always_update=True)

    class Highlighted(Message):
        """The cursor moved onto a row."""

        def __init__(self, table: AccountTable, row: Any | None) -> None:
            super().__init__()
            self.table = table
            self.row = row

    class Selected(Message):
        """Enter was pressed (or a row double-clicked)."""

        def __init__(self, table: AccountTable, row: Any) -> None:
            super().__init__()
            self.table = table
            self.row = row

    class HeaderClicked(Message):
        def __init__(self, table: AccountTable, column: Column) -> None:
            super().__init__()
            self.table = table
            self.column = column

    def __init__(self, columns: Sequence[Column], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.columns = list(columns)
        self.rows: list[Any] = []
        self.sort_column: str | None = None
        self.sort_reverse = False
        self._layout: list[tuple[Column, int]] = []
        self._line_cache: dict[tuple[int, int, bool], Strip] = {}

    # ------------------------------------------------------------------ data
    def set_rows(self, rows: Sequence[Any], keep_id: int | None = None) -> None:
        """Replace the rows; keep the cursor on ``keep_id`` (or the current row) if present."""
        current = keep_id if keep_id is not None else self.current_id
        self.rows = list(rows)
        self._line_cache.clear()
        self.virtual_size = Size(self._width, len(self.rows) + 1)
        index = self.index_of(current) if current is not None else None
        self.cursor = min(index if index is not None else self.cursor, max(len(self.rows) - 1, 0))
        self.refresh()

    @property
    def current(self) -> Any | None:
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    @property
    def current_id(self) -> int | None:
        row = self.current
        return getattr(row, "id", None) if row is not None else None

    def index_of(self, row_id: int | None) -> int | None:
        for index, row in enumerate(self.rows):
            if row.id == row_id:
                return index
        return None

    def move_to_id(self, row_id: int) -> bool:
        index = self.index_of(row_id)
        if index is None:
            return False
        self.cursor = index
        return True

    # ------------------------------------------------------------------ layout
    def _fit(self, width: int) -> list[tuple[Column, int]]:
        cols = list(self.columns)
        gaps = lambda n: max(n - 1, 0)  # noqa: E731 - one space between columns
        while cols:
            fixed = sum(c.width for c in cols if c.width)
            flex = [c for c in cols if not c.width]
            need = fixed + sum(c.min_width for c in flex) + gaps(len(cols))
            if need <= width or len(cols) == 1:
                spare = width - fixed - gaps(len(cols))
                each = max(spare // len(flex), 1) if flex else 0
                return [(c, c.width or each) for c in cols]
            cols.remove(min(cols, key=lambda c: c.importance))
        return []

    @property
    def _width(self) -> int:
        return self.scrollable_content_region.width

    def on_resize(self, event: events.Resize) -> None:
        self._layout = self._fit(self._width)
        self._line_cache.clear()
        self.virtual_size = Size(self._width, len(self.rows) + 1)

    def render_line(self, y: int) -> Strip:
        width = self._width
        if not self._layout:
            self._layout = self._fit(width)
        base = self.rich_style
        if y == 0:
            return self._header(width, base)
        index = self.scroll_offset.y + y - 1
        if index >= len(self.rows):
            return Strip.blank(width, base)
        selected = index == self.cursor
        key = (index, width, selected and self.has_focus)
        if key in self._line_cache and not selected:
            return self._line_cache[key]
        style = base
        if selected:
            cursor_style = self.get_component_rich_style("account-table--cursor")
            style = base + cursor_style if self.has_focus else base + Style(reverse=True)
        segments: list[Segment] = []
        row = self.rows[index]
        for n, (column, col_width) in enumerate(self._layout):
            if n:
                segments.append(Segment(" ", style))
            rendered = column.render(row)
            cell = rendered.copy() if isinstance(rendered, Text) else Text(rendered)
            cell.truncate(col_width, overflow="ellipsis")
            cell.align(column.justify, col_width)  # type: ignore[arg-type]
            for seg in cell.render(self.app.console):
                # the cursor row is one solid colour; other rows keep their cell colours
                seg_style = style if selected or not seg.style else style + seg.style
                segments.append(Segment(seg.text, seg_style))
        strip = Strip(segments).adjust_cell_length(width, style)
        if not selected:
            self._line_cache[key] = strip
        return strip

    def _header(self, width: int, base: Style) -> Strip:
        style = base + self.get_component_rich_style("account-table--header")
        sorted_style = style + self.get_component_rich_style("account-table--sorted")
        segments: list[Segment] = []
        for n, (column, col_width) in enumerate(self._layout):
            if n:
                segments.append(Segment(" ", style))
            label = column.label
            is_sorted = column.key == self.sort_column
            if is_sorted:
                arrow = "▼" if self.sort_reverse else "▲"
                if len(label) < col_width:
                    label = f"{label}{arrow}"
                elif col_width >= 4:  # the arrow takes the label's last cell
                    label = f"{label[: col_width - 1]}{arrow}"
                # a 1–3 cell column keeps its label, in the sorted colour (the title names it)
            cell = Text(label)
            cell.truncate(col_width, overflow="ellipsis")
            cell.align(column.justify, col_width)  # type: ignore[arg-type]
            segments.append(Segment(cell.plain, sorted_style if is_sorted else style))
        return Strip(segments).adjust_cell_length(width, style)

    # ------------------------------------------------------------------ cursor
    def watch_cursor(self, old: int, new: int) -> None:
        self._scroll_cursor_into_view()
        self.refresh()
        self.post_message(self.Highlighted(self, self.current))

    def _scroll_cursor_into_view(self) -> None:
        visible = max(self.size.height - 1, 1)
        top = self.scroll_offset.y
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False)
        elif self.cursor >= top + visible:
            self.scroll_to(y=self.cursor - visible + 1, animate=False)

    def _move(self, delta: int) -> None:
        if self.rows:
            self.cursor = max(0, min(len(self.rows) - 1, self.cursor + delta))

    def action_cursor_up(self) -> None:
        self._move(-1)

    def action_cursor_down(self) -> None:
        self._move(1)

    def action_page_up(self) -> None:
        self._move(-max(self.size.height - 2, 1))

    def action_page_down(self) -> None:
        self._move(max(self.size.height - 2, 1))

    def action_first(self) -> None:
        self._move(-len(self.rows))

    def action_last(self) -> None:
        self._move(len(self.rows))

    def action_select(self) -> None:
        if self.current is not None:
            self.post_message(self.Selected(self, self.current))

    def on_focus(self) -> None:
        self._line_cache.clear()
        self.refresh()

    def on_blur(self) -> None:
        self._line_cache.clear()
        self.refresh()

    def on_click(self, event: events.Click) -> None:
        if event.y == 0:
            x = event.x
            for column, col_width in self._layout:
                if x < col_width + 1:
                    self.post_message(self.HeaderClicked(self, column))
                    return
                x -= col_width + 1
            return
        index = self.scroll_offset.y + event.y - 1
        if 0 <= index < len(self.rows):
            self.cursor = index
            if event.chain == 2:
                self.action_select()
