"""Story overview: the story's claims, the most widely reported first, with where sources differ.

Above, one row per claim ("12 of 16 sources", "differs", the sentence that
states it best, wrapped); below, the highlighted claim source by source,
each source's sentence with the values it states differently marked. Keys
filter the rows to the three answers a reader wants: what most sources
report (m), where they differ (d), what one source alone reports (o); a
shows all. Enter on a sentence opens it in the reader.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from store.analysis.updates import KIND_LABELS, ReportTime, report_time
from store.models import Article, Link, SentenceRef
from store.plain import counted, visible_line
from tui.client import ReaderData, Snapshot
from tui.messages import OverviewLoaded, Place
from tui.overview import (
    FILTER_NAMES,
    Filter,
    OverviewRow,
    differences_in,
    overview_rows,
    side_by_side,
)
from tui.widgets.key_footer import KeyFooter
from tui.widgets.lists import KeyList


class StoryOverviewScreen(Screen[Place | None]):
    AUTO_FOCUS = "#overview-claims"  # focused while the story loads: no focus repaint after it
    DEFAULT_CSS = """
    StoryOverviewScreen #overview-title { height: auto; padding: 0 1; background: $boost; }
    StoryOverviewScreen #overview-claims { height: 2fr; }
    StoryOverviewScreen #overview-sources { height: 1fr; border-top: solid $primary 40%; }
    """
    BINDINGS = [
        Binding(
            "escape,q", "dismiss(None)", "Back", id="overview.close", tooltip="Back to the reader"
        ),
        Binding(
            "a",
            "only('all')",
            "All",
            id="overview.all",
            tooltip="Show every claim of the story",
        ),
        Binding(
            "m",
            "only('most')",
            "Most",
            id="overview.most",
            tooltip="Only claims reported by more than half of the sources",
        ),
        Binding(
            "d",
            "only('differing')",
            "Differ",
            id="overview.differing",
            tooltip="Only claims whose sources state a number, date or name differently",
        ),
        Binding(
            "o",
            "only('one')",
            "One source",
            id="overview.one",
            tooltip="Only claims that one source alone reports",
        ),
    ]

    def __init__(
        self,
        data: ReaderData,
        snapshot: Snapshot,
        story: str,
        read: OverviewLoaded | None = None,
    ) -> None:
        """`read`: the story's claims, read before the screen was pushed (read_overview)."""
        super().__init__()
        self.data, self.snapshot, self.story = data, snapshot, story
        self.read = read
        self.rows: list[OverviewRow] = []
        self.shown: list[OverviewRow] = []
        self.members: list[SentenceRef] = []
        self.which: Filter = "all"
        self.articles: dict[str, Article] = {}
        self.links: list[Link] = []
        self.times: dict[str, ReportTime] = {}

    def compose(self) -> ComposeResult:
        yield Static(Text("Reading the story's claims..."), id="overview-title")
        with Vertical():
            yield KeyList(id="overview-claims")
            yield KeyList(id="overview-sources")
        yield KeyFooter()

    def on_mount(self) -> None:
        if self.read is not None:  # filled before the first paint: one frame, not three
            self.on_overview_loaded(self.read)
        else:
            self.load()

    @work(thread=True, exclusive=True)
    def load(self) -> None:
        self.post_message(read_overview(self.data, self.snapshot, self.story))

    def on_overview_loaded(self, message: OverviewLoaded) -> None:
        self.articles = {a.id: a for a in message.articles}
        for article_id in self.articles:
            self._time(article_id)
        self.links = message.links
        self.rows = overview_rows(message.groups, message.single, len(message.articles))
        self._fill()

    def action_only(self, which: Filter) -> None:
        self.which = which
        self._fill()

    def _fill(self) -> None:
        story = next((s.name for s in self.snapshot.stories if s.id == self.story), self.story)
        self.shown = [r for r in self.rows if r.shown_by(self.which)]
        title = Text(visible_line(story), style="bold")
        title.append(
            f"  {counted(len(self.articles), 'source')}, {counted(len(self.rows), 'claim')}; "
            f"showing {len(self.shown)} {FILTER_NAMES[self.which]}"
            "   a all  m most  d differ  o one source  enter: sources",
            style="dim",
        )
        self.query_one("#overview-title", Static).update(title)
        claims = self.query_one("#overview-claims", OptionList)
        claims.clear_options()
        claims.add_options([Option(self._claim_prompt(r)) for r in self.shown])
        if self.shown:
            claims.highlighted = 0
        else:
            self._show_sources(None)

    def _claim_prompt(self, row: OverviewRow) -> Text:
        reach = f"{row.sources:>2} of {row.of} sources"
        text = Text(reach, style="bold")
        if row.differing:
            text.append("  differs", style="bold red")
        elif row.sources == 1:
            text.append(f"  only in {self._source(row.representative.article)}", style="italic")
        text.append("\n  " + self._sentence(row.representative))
        return text

    def _time(self, article_id: str) -> ReportTime:
        """When the report was written, as far as its date and text tell (cached)."""
        if article_id not in self.times:
            article = self.articles.get(article_id)
            self.times[article_id] = (
                report_time(article.info.date, article.text) if article else ReportTime()
            )
        return self.times[article_id]

    def _source(self, article_id: str) -> str:
        article = self.articles.get(article_id)
        return visible_line(article.info.source) if article else article_id

    def _sentence(self, ref: SentenceRef) -> str:
        article = self.articles.get(ref.article)
        if article is None or ref.sentence >= len(article.sentences):
            return "(no longer in the library)"
        return visible_line(article.sentence_text(ref.sentence))

    @on(OptionList.OptionHighlighted, "#overview-claims")
    def _claim_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        index = event.option_index
        self._show_sources(self.shown[index] if 0 <= index < len(self.shown) else None)

    def _show_sources(self, row: OverviewRow | None) -> None:
        """The claim source by source; a value stated differently is marked (and named)."""
        sources = self.query_one("#overview-sources", OptionList)
        sources.clear_options()
        self.members = list(row.members) if row else []
        if row is None:
            return
        differences = differences_in(row, self.links, self.times)
        timeline = bool(differences) and any(self._time(r.article).known for r in self.members)
        if timeline:  # the earliest report first, those with no stated time after
            self.members.sort(key=lambda ref: self._time(ref.article).sort_key())
        options = []
        for ref in self.members:
            text = Text()
            if timeline:
                text.append(f"[{self._time(ref.article).label()}] ", style="dim")
            text.append(f"{self._source(ref.article)}: ", style="bold")
            sentence = Text(self._sentence(ref))
            for diff, _ in differences.get(ref, []):
                if diff.this:
                    sentence.highlight_words([diff.this], style="reverse", case_sensitive=False)
            text.append_text(sentence)
            for what, (this, others, kinds) in side_by_side(differences.get(ref, [])).items():
                label = f"{what}: " if what else ""
                text.append(f"\n  differs: {label}", style="bold")
                text.append(visible_line(this), style="reverse")
                text.append(f" here; {visible_line(', '.join(others))} elsewhere")
                text.append(f"  ({' / '.join(KIND_LABELS[k] for k in sorted(kinds))})")
            options.append(Option(text))
        sources.add_options(options)

    @on(OptionList.OptionSelected, "#overview-claims")
    def _claim_chosen(self) -> None:
        sources = self.query_one("#overview-sources", OptionList)
        if sources.option_count:
            sources.highlighted = 0
            sources.focus()

    @on(OptionList.OptionSelected, "#overview-sources")
    def _source_chosen(self, event: OptionList.OptionSelected) -> None:
        ref = self.members[event.option_index]
        self.dismiss(Place(ref.article, ref.sentence))


def read_overview(data: ReaderData, snapshot: Snapshot, story: str) -> OverviewLoaded:
    """A story's articles, claim groups, lone claims and differences (slow: in a worker)."""
    articles = [data.article(a.id) for a in snapshot.story_articles(story)]
    groups, single = data.story_claims(story)
    return OverviewLoaded(articles, groups, single, data.story_differences(story))
