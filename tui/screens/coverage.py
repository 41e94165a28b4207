"""Coverage of one story: claims by sources and entities by sources.

Rows are the story's claim groups, the most widely reported first (as in the
story overview); columns are the sources under short labels (A, B, ... AA),
named in the key above the table. The title, the legend, the key and the
table's header row stay put while the table scrolls both ways; the line at
the bottom holds the full claim and the cursor column's source and sentence.
Marks are characters, so `differs` (!) and "only this source" (o) read the
same with or without colour.
"""

from __future__ import annotations

from collections import defaultdict

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static, TabbedContent, TabPane

from store.models import Article, SentenceRef
from store.plain import counted, visible_line
from tui.client import ReaderData, Snapshot
from tui.coverage import LEGEND, column_labels, member_relations, row_marks
from tui.messages import CoverageLoaded, Place
from tui.overview import overview_rows
from tui.relations import ALONE, MARK
from tui.widgets.lists import KeyTable

CLAIM_MIN, CLAIM_MAX = 28, 90  # the claim column's width, at most and at least
MARK_STYLE = {MARK["differs"]: "bold red", ALONE: "italic"}


class CoverageScreen(Screen[Place | None]):
    DEFAULT_CSS = """
    CoverageScreen #coverage-title { height: auto; padding: 0 1; background: $boost; }
    CoverageScreen #coverage-key { height: auto; max-height: 3; padding: 0 1;
        color: $text-muted; }
    CoverageScreen TabbedContent { height: 1fr; }
    CoverageScreen DataTable { height: 1fr; }
    CoverageScreen #coverage-detail { height: auto; min-height: 2; max-height: 4; padding: 0 1;
        background: $boost; }
    """
    BINDINGS = [
        Binding("escape,q", "dismiss(None)", "Back to reader", id="coverage.close"),
        Binding(
            "e",
            "switch_tab",
            "Claims / entities",
            id="coverage.switch",
            tooltip="Switch between claims by source and entities by source",
        ),
    ]

    def __init__(self, data: ReaderData, snapshot: Snapshot, story: str) -> None:
        super().__init__()
        self.data, self.snapshot, self.story = data, snapshot, story
        self.articles: list[Article] = []
        self.labels: list[str] = []
        self.claims: list[tuple[SentenceRef, int, bool, dict[str, SentenceRef]]] = []
        self.entity_cells: dict[tuple[int, int], Place] = {}

    def compose(self) -> ComposeResult:
        yield Static(Text("Reading the story..."), id="coverage-title")
        yield Static(id="coverage-key")
        with TabbedContent(initial="claims-matrix"):
            with TabPane("Claims by source", id="claims-matrix"):
                yield KeyTable(
                    cursor_type="cell", fixed_columns=1, cell_padding=0, id="claims-table"
                )
            with TabPane("Entities by source", id="entities-matrix"):
                yield KeyTable(
                    cursor_type="cell", fixed_columns=1, cell_padding=0, id="entities-table"
                )
        yield Static(id="coverage-detail")
        yield Footer()

    def on_mount(self) -> None:
        self.load(self.size.width)

    @work(thread=True, exclusive=True)
    def load(self, width: int) -> None:
        """Read the story and build every cell off the UI thread."""
        infos = self.snapshot.story_articles(self.story)
        articles = [self.data.article(a.id) for a in infos]
        groups, single = self.data.story_claims(self.story)
        links = self.data.story_links(self.story)
        rows = overview_rows(groups, single, len(articles))
        relations = member_relations(rows, links)
        by_id = {a.id: a for a in articles}
        claim_width = max(CLAIM_MIN, min(CLAIM_MAX, width - 3 * len(articles) - 4))
        cells, claims = [], []
        for row in rows:
            marks = row_marks(row, relations)
            ref = row.representative
            text = visible_line(by_id[ref.article].sentence_text(ref.sentence))
            if len(text) > claim_width - 4:
                text = text[: claim_width - 5] + "…"
            line = [Text(f" {row.sources:>2} {text}", no_wrap=True)]
            for article in articles:
                mark = marks.get(article.id, ("", ref))[0]
                line.append(Text(f" {mark}", style=MARK_STYLE.get(mark, "bold")))
            cells.append(line)
            places = {article: member for article, (_, member) in marks.items()}
            claims.append((ref, row.sources, bool(row.differing), places))
        entity_ids = {m.entity for a in articles for m in a.mentions if m.entity}
        entities = self.data.entities_of(entity_ids)
        self.post_message(CoverageLoaded(articles, cells, claims, claim_width + 1, entities))

    def on_coverage_loaded(self, message: CoverageLoaded) -> None:
        self.articles = message.articles
        self.claims = message.claims
        self.labels = column_labels(len(message.articles))
        story = next((s.name for s in self.snapshot.stories if s.id == self.story), self.story)
        title = Text(visible_line(story), style="bold")
        title.append(
            f"  {counted(len(self.claims), 'claim')}, {counted(len(self.articles), 'source')}",
            style="dim",
        )
        self.query_one("#coverage-title", Static).update(title)
        key = Text.assemble((LEGEND, "italic"), "\n")
        for label, article in zip(self.labels, self.articles):
            key.append(f"{label} ", style="bold")
            key.append(f"{visible_line(article.info.source)}  ")
        self.query_one("#coverage-key", Static).update(key)
        table = self.query_one("#claims-table", DataTable)
        table.clear(columns=True)
        table.add_column(" sources  claim", width=message.claim_width)
        for label in self.labels:
            table.add_column(f" {label}", width=3)
        table.add_rows(message.cells)
        self._fill_entities(message)
        table.focus()

    def _fill_entities(self, message: CoverageLoaded) -> None:
        entities = self.query_one("#entities-table", DataTable)
        entities.clear(columns=True)
        entities.add_column(" entity", width=28)
        for label in self.labels:
            entities.add_column(f" {label}", width=3)
        counts: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
        for a in self.articles:
            for m in a.mentions:
                if m.entity:
                    counts[m.entity][a.id].append(m.sentence)
        ranked = sorted(counts, key=lambda e: (-len(counts[e]), -sum(map(len, counts[e].values()))))
        for r, entity_id in enumerate(ranked):
            entity = message.entities.get(entity_id)
            cells = [Text(" " + visible_line(entity.name if entity else entity_id))]
            for c, a in enumerate(self.articles, start=1):
                hits = counts[entity_id].get(a.id, [])
                cells.append(Text(f"{len(hits):>2}" if hits else ""))
                if hits:
                    self.entity_cells[(r, c)] = Place(a.id, hits[0])
            entities.add_row(*cells)

    def claim_place(self, row: int, column: int) -> Place | None:
        """Where Enter on a claims cell goes: the claim, or that source's sentence of it."""
        if not 0 <= row < len(self.claims):
            return None
        ref, _, _, places = self.claims[row]
        if column > 0:
            member = places.get(self.articles[column - 1].id)
            return Place(member.article, member.sentence) if member else None
        return Place(ref.article, ref.sentence)

    @on(DataTable.CellHighlighted, "#claims-table")
    def _detail(self, event: DataTable.CellHighlighted) -> None:
        """The full claim, as the cursor column's source states it (column 0: as most do)."""
        row, column = event.coordinate.row, event.coordinate.column
        if not 0 <= row < len(self.claims):
            return
        ref, sources, differs, places = self.claims[row]
        detail = Text(f"{sources} of {len(self.articles)} sources", style="bold")
        if differs:
            detail.append("  sources differ (!)", style="bold red")
        if column == 0:  # the claim as its most representative sentence states it
            detail.append("  " + visible_line(self._sentence(ref)))
        else:  # the claim as the cursor column's source states it
            article = self.articles[column - 1]
            member = places.get(article.id)
            detail.append(f"  {self.labels[column - 1]} {visible_line(article.info.source)}: ")
            detail.append(
                visible_line(self._sentence(member)) if member else "does not report this claim",
                style="" if member else "italic",
            )
        self.query_one("#coverage-detail", Static).update(detail)

    def _sentence(self, ref: SentenceRef) -> str:
        article = next((a for a in self.articles if a.id == ref.article), None)
        return article.sentence_text(ref.sentence) if article else ""

    def action_switch_tab(self) -> None:
        tabs = self.query_one(TabbedContent)
        tabs.active = "entities-matrix" if tabs.active == "claims-matrix" else "claims-matrix"
        self.query_one(
            f"#{'entities' if tabs.active == 'entities-matrix' else 'claims'}-table", DataTable
        ).focus()

    @on(DataTable.CellSelected)
    def _cell(self, event: DataTable.CellSelected) -> None:
        row, column = event.coordinate.row, event.coordinate.column
        if event.data_table.id == "claims-table":
            place = self.claim_place(row, column)
        else:
            place = self.entity_cells.get((row, column))
        if place is None:
            self.notify("This source does not report this claim.", timeout=2)
            return
        self.dismiss(place)
