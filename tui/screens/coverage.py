"""Coverage of one story: claims by sources and entities by sources."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static, TabbedContent, TabPane

from store.models import Article, Link
from store.plain import counted, visible_line
from tui.client import ReaderData, Snapshot
from tui.messages import CoverageLoaded, Place
from tui.relations import mark as relation_mark
from tui.relations import strength


@dataclass
class ClaimRow:
    """One claim of the story: the sentences of each source that report it."""

    members: dict[str, list[int]]
    relation: dict[str, str]


def claim_rows(articles: list[Article], links: list[Link]) -> list[ClaimRow]:
    """Linked sentences grouped into claims (connected groups); lone sentences after."""
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    strongest: dict[tuple[str, int], str] = {}
    for link in links:
        a, b = (link.a_article, link.a_sentence), (link.b_article, link.b_sentence)
        parent[find(a)] = find(b)
        for end in (a, b):
            if strength(link.relation) > strength(strongest.get(end, "")):
                strongest[end] = link.relation
    groups: dict[tuple[str, int], list[tuple[str, int]]] = defaultdict(list)
    for node in list(parent):
        groups[find(node)].append(node)
    rows = []
    for members in groups.values():
        row = ClaimRow(defaultdict(list), {})
        for article, sentence in sorted(members):
            row.members[article].append(sentence)
            if strength(strongest.get((article, sentence), "")) > strength(
                row.relation.get(article, "")
            ):
                row.relation[article] = strongest[(article, sentence)]
        rows.append(row)
    rows.sort(key=lambda r: (-len(r.members), min(min(v) for v in r.members.values())))
    linked = set(parent)
    for shown in articles:
        for i in range(len(shown.sentences)):
            if (shown.id, i) not in linked:
                rows.append(ClaimRow({shown.id: [i]}, {shown.id: "alone"}))
    return rows


class CoverageScreen(Screen[Place | None]):
    DEFAULT_CSS = """
    CoverageScreen #coverage-title { height: auto; padding: 0 1; background: $boost; }
    CoverageScreen DataTable { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape,q", "dismiss(None)", "Back to reader", id="coverage.close"),
        Binding("e", "switch_tab", "Claims / entities", id="coverage.switch"),
    ]

    def __init__(self, data: ReaderData, snapshot: Snapshot, story: str) -> None:
        super().__init__()
        self.data, self.snapshot, self.story = data, snapshot, story
        self.cells: dict[tuple[int, int], Place] = {}
        self.entity_cells: dict[tuple[int, int], Place] = {}

    def compose(self) -> ComposeResult:
        yield Static(Text("Reading the story..."), id="coverage-title")
        with TabbedContent(initial="claims-matrix"):
            with TabPane("Claims by source", id="claims-matrix"):
                yield DataTable(cursor_type="cell", id="claims-table")
            with TabPane("Entities by source", id="entities-matrix"):
                yield DataTable(cursor_type="cell", id="entities-table")
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True)
    def load(self) -> None:
        infos = self.snapshot.story_articles(self.story)
        articles = [self.data.article(a.id) for a in infos]
        ids = {m.entity for a in articles for m in a.mentions if m.entity}
        entities = self.data.entities_of(ids)
        self.post_message(CoverageLoaded(articles, self.data.story_links(self.story), entities))

    def on_coverage_loaded(self, message: CoverageLoaded) -> None:
        articles = message.articles
        story = next((s.name for s in self.snapshot.stories if s.id == self.story), self.story)
        title = Text(f"{visible_line(story)}", style="bold")
        title.append(
            f"  {counted(len(articles), 'source')}   = same  ~ related  ! differs  "
            "o only in this source   e: entities",
            style="dim",
        )
        self.query_one("#coverage-title", Static).update(title)
        by_id = {a.id: a for a in articles}
        table = self.query_one("#claims-table", DataTable)
        table.clear(columns=True)
        claim_width = max(20, self.size.width - 8 * len(articles) - 6)
        table.add_column("claim", width=claim_width)
        for a in articles:
            table.add_column(Text(visible_line(a.info.source)[:7]), width=7)
        for r, row in enumerate(claim_rows(articles, message.links)):
            first = next(iter(row.members))
            text = visible_line(by_id[first].sentence_text(row.members[first][0]))
            room = claim_width - 1
            cells = [Text(text if len(text) <= room else text[: room - 3] + "...", no_wrap=True)]
            self.cells[(r, 0)] = Place(first, row.members[first][0])
            for c, a in enumerate(articles, start=1):
                mark = relation_mark(row.relation.get(a.id, ""))
                cells.append(Text(mark, style="bold red" if mark == "!" else "bold"))
                if a.id in row.members:
                    self.cells[(r, c)] = Place(a.id, row.members[a.id][0])
            table.add_row(*cells)
        entities = self.query_one("#entities-table", DataTable)
        entities.clear(columns=True)
        entities.add_column("entity", width=28)
        for a in articles:
            entities.add_column(Text(visible_line(a.info.source)[:7]), width=7)
        counts: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
        for a in articles:
            for m in a.mentions:
                if m.entity:
                    counts[m.entity][a.id].append(m.sentence)
        ranked = sorted(counts, key=lambda e: (-len(counts[e]), -sum(map(len, counts[e].values()))))
        for r, entity_id in enumerate(ranked):
            entity = message.entities.get(entity_id)
            cells = [Text(visible_line(entity.name if entity else entity_id))]
            for c, a in enumerate(articles, start=1):
                hits = counts[entity_id].get(a.id, [])
                cells.append(Text(str(len(hits)) if hits else ""))
                if hits:
                    self.entity_cells[(r, c)] = Place(a.id, hits[0])
            entities.add_row(*cells)
        table.focus()

    def action_switch_tab(self) -> None:
        tabs = self.query_one(TabbedContent)
        tabs.active = "entities-matrix" if tabs.active == "claims-matrix" else "claims-matrix"
        self.query_one(
            f"#{'entities' if tabs.active == 'entities-matrix' else 'claims'}-table", DataTable
        ).focus()

    @on(DataTable.CellSelected)
    def _cell(self, event: DataTable.CellSelected) -> None:
        cells = self.cells if event.data_table.id == "claims-table" else self.entity_cells
        place = cells.get((event.coordinate.row, event.coordinate.column))
        if place is None:
            self.app.bell()
            return
        self.dismiss(place)
