"""Library-wide search over titles, text and entity names; results stream in as found."""

from __future__ import annotations

import re

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from store.plain import visible_line
from tui.data import ReaderData, Snapshot
from tui.screens.reader import Place


class LibrarySearchScreen(ModalScreen[Place | None]):
    DEFAULT_CSS = """
    LibrarySearchScreen { align: center middle; }
    LibrarySearchScreen > Vertical { width: 90%; height: 80%; border: round $primary;
        background: $panel; }
    LibrarySearchScreen #search-status { color: $text-muted; padding: 0 1; }
    """
    BINDINGS = [Binding("escape", "dismiss(None)", "Close", id="search.close")]

    def __init__(self, data: ReaderData, snapshot: Snapshot) -> None:
        super().__init__()
        self.data = data
        self.snapshot = snapshot
        self.places: list[Place] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Input(
                placeholder="search titles, text and entities (regular expression)",
                id="search-input",
            )
            yield Static(Text("Type and press enter."), id="search-status")
            yield OptionList(id="search-results")

    @on(Input.Submitted, "#search-input")
    def _submitted(self, event: Input.Submitted) -> None:
        results = self.query_one(OptionList)
        results.clear_options()
        self.places = []
        try:
            regex = re.compile(event.value, re.IGNORECASE)
        except re.error as exc:
            self.query_one("#search-status", Static).update(
                Text(f"Not a valid regular expression: {exc}")
            )
            return
        self.query_one("#search-status", Static).update(Text("Searching..."))
        self.search(regex)

    @work(thread=True, exclusive=True)
    def search(self, regex: re.Pattern[str]) -> None:
        worker = get_current_worker()
        found = 0
        entity_hits = [e for e in self.snapshot.entities.values() if regex.search(e.name)]
        for info in self.snapshot.articles:
            if worker.is_cancelled:
                return
            hits: list[tuple[int, str]] = []
            if regex.search(info.title):
                hits.append((0, f"title: {info.title}"))
            article = self.data.article(info.id)
            for entity in entity_hits:
                if info.id in entity.articles:
                    first = next((m.sentence for m in article.mentions if m.entity == entity.id), 0)
                    hits.append((first, f"entity: {entity.name} (x{entity.articles[info.id]})"))
            for match in regex.finditer(article.text):
                sentence = next(
                    (i for i, s in enumerate(article.sentences) if match.start() < s.end), 0
                )
                hits.append((sentence, article.sentence_text(sentence)))
                if len(hits) > 20:
                    break
            for sentence, line in hits:
                found += 1
                self.app.call_from_thread(
                    self._add, info.source, info.title, sentence, line, info.id
                )
        self.app.call_from_thread(
            self.query_one("#search-status", Static).update,
            Text(f"{found} results in {len(self.snapshot.articles)} articles."),
        )

    def _add(self, source: str, title: str, sentence: int, line: str, article_id: str) -> None:
        prompt = Text(f"{visible_line(source)}: {visible_line(title)}\n", style="bold")
        prompt.append(f"  {visible_line(line)[:200]}")
        results = self.query_one(OptionList)
        results.add_option(Option(prompt))
        self.places.append(Place(article_id, sentence))
        if results.highlighted is None:
            results.highlighted = 0

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.places[event.option_index])
