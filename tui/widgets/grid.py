"""A grid of one text column and many narrow columns (claims or entities by source),
drawn a line at a time.

A 44-source story has some 300 claims: a DataTable renders each of its
thousands of cells through Rich on every paint, which takes a second; here a
row is a few segments, built only for the rows on screen. The header row and
the first column stay in place while the rest scrolls both ways.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

CELL = 3  # characters per narrow column: a space, the mark, a space


@dataclass(frozen=True)
class GridRow:
    """The first column's text and one short mark per narrow column ("" for none)."""

    text: str
    marks: tuple[str, ...]


class Grid(ScrollView, can_focus=True):
    COMPONENT_CLASSES = {
        "grid--header",
        "grid--cursor",
        "grid--cursor-row",
        "grid--differs",
        "grid--alone",
    }
    DEFAULT_CSS = """
    Grid { background: $surface; }
    Grid > .grid--header { text-style: bold; background: $boost; }
    Grid > .grid--cursor { text-style: reverse bold; }
    Grid > .grid--cursor-row { background: $primary 25%; }
    Grid > .grid--differs { color: $error; text-style: bold; }
    Grid > .grid--alone { text-style: italic; }
    """
    BINDINGS = [
        Binding("enter", "choose", "Open", id="grid.open", tooltip="Open this cell's sentence"),
        Binding("j,down", "move(0, 1)", "Down", id="grid.down", show=False),
        Binding("k,up", "move(0, -1)", "Up", id="grid.up", show=False),
        Binding("l,right", "move(1, 0)", "Right", id="grid.right", show=False),
        Binding("h,left", "move(-1, 0)", "Left", id="grid.left", show=False),
        Binding("pagedown,space", "page(1)", "Page down", id="grid.page_down", show=False),
        Binding("pageup,b", "page(-1)", "Page up", id="grid.page_up", show=False),
        Binding("g,home", "edge(0)", "First row", id="grid.top", show=False),
        Binding("G,end", "edge(1)", "Last row", id="grid.bottom", show=False),
    ]
    cursor: reactive[tuple[int, int]] = reactive((0, 0), always_update=True)

    class Moved(Message):
        """The cursor is on (row, column); column 0 is the text column."""

        def __init__(self, grid: Grid, row: int, column: int) -> None:
            super().__init__()
            self.grid, self.row, self.column = grid, row, column

    class Chosen(Moved):
        """Enter on (row, column)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.rows: list[GridRow] = []
        self.labels: list[str] = []
        self.heading = ""
        self.text_width = 30

    def fill(self, heading: str, labels: list[str], rows: list[GridRow], text_width: int) -> None:
        self.heading, self.labels, self.rows, self.text_width = heading, labels, rows, text_width
        self.virtual_size = Size(text_width + CELL * len(labels), len(rows) + 1)
        self.cursor = (0, 0)
        self.refresh()

    # -- drawing ---------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        first, last = self._visible_columns(width)
        if y == 0:
            style = base + self.get_component_rich_style("grid--header")
            text = self.heading[: self.text_width].ljust(self.text_width)
            labels = "".join(f" {label:<{CELL - 1}}" for label in self.labels[first:last])
            return self._fit([Segment(text, style)], [Segment(labels, style)], width, base)
        index = y - 1 + self.scroll_offset.y
        if index >= len(self.rows):
            return Strip.blank(width, base)
        row = self.rows[index]
        at_row, at_column = self.cursor
        on_row = index == at_row
        row_style = base + self.get_component_rich_style("grid--cursor-row") if on_row else base
        cursor = self.get_component_rich_style("grid--cursor")
        marked = {
            "!": row_style + self.get_component_rich_style("grid--differs"),
            "o": row_style + self.get_component_rich_style("grid--alone"),
        }
        text = row.text[: self.text_width - 1].ljust(self.text_width)
        fixed = [Segment(text, row_style + cursor if on_row and at_column == 0 else row_style)]
        cells: list[Segment] = []
        for column in range(first + 1, last + 1):  # only the columns on screen
            mark = row.marks[column - 1]
            style = marked.get(mark, row_style)
            if on_row and column == at_column:
                style += cursor
            cells.append(Segment(f" {mark:<{CELL - 1}}", style))
        return self._fit(fixed, cells, width, row_style)

    def _visible_columns(self, width: int) -> tuple[int, int]:
        """The narrow columns (0-based, end excluded) that the horizontal scroll shows."""
        room = max(0, width - self.text_width)
        first = self.scroll_offset.x // CELL
        return first, min(len(self.labels), first + room // CELL + 2)

    def _fit(self, fixed: list[Segment], cells: list[Segment], width: int, style: Style) -> Strip:
        """The fixed text column, then the narrow columns from the horizontal scroll on
        (`cells` begin at the first column the scroll shows, maybe in part)."""
        room = max(0, width - self.text_width)
        start = self.scroll_offset.x % CELL
        moving = Strip(cells).crop(start, start + room)
        return Strip([*fixed, *moving]).extend_cell_length(width, style).crop(0, width)

    # -- moving --------------------------------------------------------------------------
    def watch_cursor(self, cursor: tuple[int, int]) -> None:
        """Keep the cursor's cell in view, under the header and right of the text column."""
        row, column = cursor
        region = self.scrollable_content_region
        x, y = self.scroll_offset
        room, lines = max(CELL, region.width - self.text_width), max(1, region.height - 1)
        if column > 0:
            left = CELL * (column - 1)
            x = left if left < x else max(x, left + CELL - room)
        y = row if row < y else max(y, row - lines + 1)
        self.scroll_to(x=x, y=y, animate=False, immediate=True)
        self.refresh()
        if self.rows:
            self.post_message(self.Moved(self, row, column))

    def action_move(self, columns: int, rows: int) -> None:
        row, column = self.cursor
        row = max(0, min(len(self.rows) - 1, row + rows))
        column = max(0, min(len(self.labels), column + columns))
        self.cursor = (row, column)

    def action_page(self, step: int) -> None:
        self.action_move(0, step * max(1, self.scrollable_content_region.height - 2))

    def action_edge(self, end: int) -> None:
        self.cursor = (len(self.rows) - 1 if end else 0, self.cursor[1])

    def action_choose(self) -> None:
        if self.rows:
            self.post_message(self.Chosen(self, *self.cursor))
