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
from textual.widgets import Static, TabbedContent, TabPane

from store.models import Article, Entity, SentenceRef
from store.plain import counted, visible_line
from tui.client import ReaderData, Snapshot
from tui.coverage import LEGEND, column_labels, member_relations, row_marks
from tui.messages import CoverageLoaded, Place
from tui.overview import overview_rows
from tui.widgets.grid import CELL, Grid, GridRow
from tui.widgets.key_footer import KeyFooter

CLAIM_MIN, CLAIM_MAX = 28, 90  # the claim column's width, at least and at most
ENTITY_WIDTH = 28


class CoverageScreen(Screen[Place | None]):
    AUTO_FOCUS = "#claims-grid"  # focused while the story loads: no focus repaint after it
    DEFAULT_CSS = """
    CoverageScreen #coverage-title { height: auto; padding: 0 1; background: $boost; }
    CoverageScreen #coverage-key { height: auto; max-height: 3; padding: 0 1;
        color: $text-muted; }
    CoverageScreen TabbedContent { height: 1fr; }
    CoverageScreen Grid { height: 1fr; }
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

    def __init__(
        self,
        data: ReaderData,
        snapshot: Snapshot,
        story: str,
        read: CoverageLoaded | None = None,
    ) -> None:
        """`read`: the story, read before the screen was pushed (see read_coverage)."""
        super().__init__()
        self.data, self.snapshot, self.story = data, snapshot, story
        self.read = read
        self.articles: list[Article] = []
        self.labels: list[str] = []
        self.claims: list[tuple[SentenceRef, int, bool, dict[str, SentenceRef]]] = []
        self.entity_cells: dict[tuple[int, int], Place] = {}
        self.entity_names: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static(Text("Reading the story..."), id="coverage-title")
        yield Static(id="coverage-key")
        with TabbedContent(initial="claims-matrix"):
            with TabPane("Claims by source", id="claims-matrix"):
                yield Grid(id="claims-grid")
            with TabPane("Entities by source", id="entities-matrix"):
                yield Grid(id="entities-grid")
        yield Static(id="coverage-detail")
        yield KeyFooter()

    def on_mount(self) -> None:
        if self.read is not None:  # filled before the first paint: one frame, not three
            self.on_coverage_loaded(self.read)
        else:
            self.load(self.size.width)

    @work(thread=True, exclusive=True)
    def load(self, width: int) -> None:
        """Read the story and build every row off the UI thread."""
        self.post_message(read_coverage(self.data, self.snapshot, self.story, width))

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
        grid = self.query_one("#claims-grid", Grid)
        grid.fill(" sources  claim", self.labels, message.rows, message.claim_width)
        self.entity_names, self.entity_cells = message.entity_names, message.entity_cells
        self.query_one("#entities-grid", Grid).fill(
            " entity", self.labels, message.entity_rows, ENTITY_WIDTH
        )

    def claim_place(self, row: int, column: int) -> Place | None:
        """Where Enter on a claims cell goes: the claim, or that source's sentence of it."""
        if not 0 <= row < len(self.claims):
            return None
        ref, _, _, places = self.claims[row]
        if column > 0:
            member = places.get(self.articles[column - 1].id)
            return Place(member.article, member.sentence) if member else None
        return Place(ref.article, ref.sentence)

    @on(Grid.Moved)
    def _detail(self, event: Grid.Moved) -> None:
        """The full claim, as the cursor column's source states it (column 0: as most do)."""
        row, column = event.row, event.column
        if isinstance(event, Grid.Chosen) or event.grid is not self._shown_grid():
            return  # the hidden tab's grid was filled or moved: not what the line is about
        if event.grid.id == "entities-grid":
            self._entity_detail(row, column)
            return
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

    def _entity_detail(self, row: int, column: int) -> None:
        if not 0 <= row < len(self.entity_names):
            return
        detail = Text(self.entity_names[row], style="bold")
        if column > 0:
            place = self.entity_cells.get((row, column))
            source = visible_line(self.articles[column - 1].info.source)
            detail.append(f"  {self.labels[column - 1]} {source}: ")
            detail.append(
                visible_line(self._sentence(SentenceRef(place.article, place.sentence)))
                if place
                else "not named in this source"
            )
        self.query_one("#coverage-detail", Static).update(detail)

    def _sentence(self, ref: SentenceRef) -> str:
        article = next((a for a in self.articles if a.id == ref.article), None)
        return article.sentence_text(ref.sentence) if article else ""

    def _shown_grid(self) -> Grid:
        shown = self.query_one(TabbedContent).active
        return self.query_one(
            "#entities-grid" if shown == "entities-matrix" else "#claims-grid", Grid
        )

    def action_switch_tab(self) -> None:
        tabs = self.query_one(TabbedContent)
        tabs.active = "entities-matrix" if tabs.active == "claims-matrix" else "claims-matrix"
        grid = self._shown_grid()
        grid.focus()
        grid.cursor = grid.cursor  # the detail line speaks of the grid now shown

    @on(Grid.Chosen)
    def _cell(self, event: Grid.Chosen) -> None:
        if event.grid.id == "claims-grid":
            place = self.claim_place(event.row, event.column)
        else:
            place = self.entity_cells.get((event.row, event.column))
        if place is None:
            self.notify("This source does not report this claim.", timeout=2)
            return
        self.dismiss(place)


def read_coverage(data: ReaderData, snapshot: Snapshot, story: str, width: int) -> CoverageLoaded:
    """Every row of a story's coverage at a screen `width` (slow: in a worker)."""
    infos = sorted(  # columns: the earliest report first, then by source
        snapshot.story_articles(story),
        key=lambda a: (a.date or "9999", a.source.casefold()),
    )
    articles = [data.article(a.id) for a in infos]
    groups, single = data.story_claims(story)
    rows = overview_rows(groups, single, len(articles))
    relations = data.member_relations(story)
    if relations is None:
        relations = member_relations(rows, data.story_links(story))
    by_id = {a.id: a for a in articles}
    claim_width = max(CLAIM_MIN, min(CLAIM_MAX, width - CELL * len(articles) - 4))
    grid_rows, claims = [], []
    for row in rows:
        marks = row_marks(row, relations)
        ref = row.representative
        text = visible_line(by_id[ref.article].sentence_text(ref.sentence))
        if len(text) > claim_width - 5:
            text = text[: claim_width - 6] + "…"
        cells = tuple(marks[a.id][0] if a.id in marks else "" for a in articles)
        grid_rows.append(GridRow(f" {row.sources:>2} {text}", cells))
        places = {article: member for article, (_, member) in marks.items()}
        claims.append((ref, row.sources, bool(row.differing), places))
    entity_ids = {m.entity for a in articles for m in a.mentions if m.entity}
    entities = entity_rows(articles, data.entities_of(entity_ids))
    return CoverageLoaded(articles, grid_rows, claims, claim_width, *entities)


def entity_rows(
    articles: list[Article], entities: dict[str, Entity]
) -> tuple[list[GridRow], list[str], dict[tuple[int, int], Place]]:
    """Entities by how many sources name them; in each cell, how many times. Also each
    row's name and, per cell, the first sentence that names it."""
    counts: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for a in articles:
        for m in a.mentions:
            if m.entity:
                counts[m.entity][a.id].append(m.sentence)
    ranked = sorted(counts, key=lambda e: (-len(counts[e]), -sum(map(len, counts[e].values()))))
    rows, names, places = [], [], {}
    for r, entity_id in enumerate(ranked):
        entity = entities.get(entity_id)
        name = visible_line(entity.name if entity else entity_id)
        names.append(name)
        cells = []
        for c, a in enumerate(articles, start=1):
            hits = counts[entity_id].get(a.id, [])
            cells.append(str(min(len(hits), 99)) if hits else "")
            if hits:
                places[(r, c)] = Place(a.id, hits[0])
        rows.append(GridRow(f" {name}", tuple(cells)))
    return rows, names, places
