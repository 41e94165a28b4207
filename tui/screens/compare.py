"""Two articles side by side, sentences aligned on their links, scrolling together."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Static

from store.models import Article, Link
from store.plain import visible_line
from tui.client import ReaderData, Snapshot
from tui.messages import Compared, Place
from tui.relations import mark
from tui.widgets.key_footer import KeyFooter


@dataclass(frozen=True)
class Row:
    left: int | None
    right: int | None
    relation: str = ""
    seen_at: int | None = None  # the right sentence was shown first on this row: a reference


def align(left: Article, right: Article, links: list[Link]) -> list[Row]:
    """Rows of the two articles in reading order, linked sentences side by side.

    A right sentence that matches a second left sentence is shown once; the later
    row refers to the row that holds it instead of repeating it.
    """
    best: dict[int, tuple[int, Link]] = {}
    for link in links:
        ends = {link.a_article: link.a_sentence, link.b_article: link.b_sentence}
        if left.id in ends and right.id in ends and left.id != right.id:
            i, j = ends[left.id], ends[right.id]
            if i not in best or link.score > best[i][1].score:
                best[i] = (j, link)
    matched = {j for j, _ in best.values()}
    rows: list[Row] = []
    placed: dict[int, int] = {}  # right sentence -> the row showing it
    next_right = 0
    for i in range(len(left.sentences)):
        if i in best:
            j, link = best[i]
            if j >= next_right:
                rows.extend(Row(None, r) for r in range(next_right, j) if r not in matched)
                next_right = j + 1
            rows.append(Row(i, j, link.relation, placed.get(j)))
            placed.setdefault(j, len(rows) - 1)
        else:
            rows.append(Row(i, None))
    rows.extend(Row(None, r) for r in range(next_right, len(right.sentences)) if r not in matched)
    return rows


class CompareTable(DataTable):
    """The aligned sentences; Enter opens the sentence under the cursor (left or right)."""

    BINDINGS = [
        Binding(
            "enter",
            "select_cursor",
            "Open in reader",
            id="compare.open",
            tooltip="Open the sentence under the cursor in the reader",
        ),
        Binding("j", "cursor_down", "Down", id="compare.down", show=False),
        Binding("k", "cursor_up", "Up", id="compare.up", show=False),
        Binding("h", "cursor_left", "Left side", id="compare.left", show=False),
        Binding("l", "cursor_right", "Right side", id="compare.right", show=False),
    ]


class CompareScreen(Screen[Place | None]):
    AUTO_FOCUS = "#compare-table"  # focused while the texts align: no focus repaint after it
    DEFAULT_CSS = """
    CompareScreen #compare-title { height: auto; padding: 0 1; background: $boost; }
    CompareScreen DataTable { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape,q", "dismiss(None)", "Back to reader", id="compare.close"),
        Binding("p", "other_source(1)", "Next source", id="compare.next_source"),
        Binding(
            "P", "other_source(-1)", "Previous source", id="compare.previous_source", show=False
        ),
        Binding(
            "s",
            "pick_source",
            "Pick source",
            id="compare.pick_source",
            tooltip="Choose the other source by typing part of its name",
        ),
    ]

    def __init__(
        self,
        data: ReaderData,
        snapshot: Snapshot,
        article_id: str,
        sentence: int,
        other: str | None = None,
    ) -> None:
        super().__init__()
        self.data, self.snapshot = data, snapshot
        self.article_id, self.sentence, self.other = article_id, sentence, other
        self.rows: list[Row] = []
        self.candidates: list[str] = []
        self.shown: Compared | None = None

    def compose(self) -> ComposeResult:
        yield Static(Text("Aligning..."), id="compare-title")
        yield CompareTable(cursor_type="cell", zebra_stripes=False, id="compare-table")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.load(self.other)

    @work(thread=True, exclusive=True)
    def load(self, other: str | None) -> None:
        left = self.data.article(self.article_id)
        links = self.data.article_links(left.id)
        counts: dict[str, int] = {}
        for link in links:
            ends = (link.a_article, link.b_article)
            if left.id in ends:
                o = ends[1] if ends[0] == left.id else ends[0]
                counts[o] = counts.get(o, 0) + 1
        others = [a for a in self.snapshot.story_articles(left.info.story) if a.id != left.id]
        others.sort(key=lambda a: (-counts.get(a.id, 0), a.source.casefold(), a.id))
        candidates = [a.id for a in others]  # most links first, then by source
        if not candidates:
            self.post_message(Compared(left, left, [], []))
            return
        right = self.data.article(other or candidates[0])
        self.post_message(Compared(left, right, links, candidates))

    def on_compared(self, message: Compared) -> None:
        self.shown = message
        self.candidates = message.candidates
        title = self.query_one("#compare-title", Static)
        table = self.query_one(DataTable)
        table.clear(columns=True)
        if not message.candidates:
            title.update(Text("No other source in this story to compare with."))
            return
        left, right = message.left, message.right
        head = Text(f"{visible_line(left.info.source)}", style="bold")
        head.append("  vs  ")
        head.append(f"{visible_line(right.info.source)}", style="bold")
        head.append(
            "   = same  ~ related  ! differs  (dim: only in one source)   p: next source"
            "  s: pick a source",
            style="dim",
        )
        title.update(head)
        width = max(20, (self.size.width - 8) // 2)
        table.add_column(Text(visible_line(left.info.title)[:width]), width=width, key="left")
        table.add_column(" ", width=1, key="mark")
        table.add_column(Text(visible_line(right.info.title)[:width]), width=width, key="right")
        self.rows = align(left, right, message.links)
        focus_row = 0
        for n, row in enumerate(self.rows):
            dim = "dim" if row.relation == "" else ""
            if row.right is None:
                right_cell = Text("")
            elif row.seen_at is not None:  # shown once, on the row it first aligned with
                first = visible_line(right.sentence_text(row.right))
                right_cell = Text(f"(as on row {row.seen_at + 1}) {first[:48]}...", style="dim")
            else:
                right_cell = Text(visible_line(right.sentence_text(row.right)), style=dim)
            cells = (
                Text(visible_line(left.sentence_text(row.left)), style=dim)
                if row.left is not None
                else Text(""),
                Text(mark(row.relation), style="bold"),
                right_cell,
            )
            table.add_row(*cells, height=None)
            if row.left == self.sentence:
                focus_row = n
        table.move_cursor(row=focus_row, column=0)

    def action_other_source(self, step: int) -> None:
        if not self.shown or len(self.candidates) < 2:
            self.app.bell()
            return
        index = self.candidates.index(self.shown.right.id)
        self.other = self.candidates[(index + step) % len(self.candidates)]
        self.load(self.other)

    def action_pick_source(self) -> None:
        """A picker over the story's other sources, most links first; typing filters."""
        from tui.screens.picker import Picker

        if not self.shown or not self.candidates:
            self.app.bell()
            return
        choices = []
        for article_id in self.candidates:
            info = self.snapshot.info(article_id)
            choices.append(
                (article_id, info.source if info else article_id, info.title if info else "")
            )

        def picked(article_id: str | None) -> None:
            if article_id is not None:
                self.other = article_id
                self.load(article_id)

        self.app.push_screen(Picker(choices), picked)

    @on(DataTable.CellSelected, "#compare-table")
    def _open(self, event: DataTable.CellSelected) -> None:
        """Enter: the right column opens the right sentence, the others the left one."""
        if not self.shown or not 0 <= event.coordinate.row < len(self.rows):
            return
        row = self.rows[event.coordinate.row]
        order = [(row.left, self.shown.left.id), (row.right, self.shown.right.id)]
        if event.coordinate.column == 2:
            order.reverse()
        for sentence, article in order:
            if sentence is not None:
                self.dismiss(Place(article, sentence))
                return
