"""Library-wide search: words, "phrases" and prefix* through the search index, or a
/regular expression/ that reads every article. Results arrive in batches, best first."""

from __future__ import annotations

import re
import time

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
from tui.client import ReaderData, Snapshot
from tui.messages import Place

BATCH_SECONDS = 0.05  # how often a scan hands its results to the screen
Result = tuple[str, int, str]  # article id, sentence (-1: the title), line shown


def counted(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def term_pattern(query: str) -> re.Pattern[str] | None:
    """What to highlight in result lines: the query's words (a trailing * as any ending)."""
    words = re.findall(r"\w+\*?", query)
    if not words:
        return None
    parts = [re.escape(w.rstrip("*")) + (r"\w*" if w.endswith("*") else r"\b") for w in words]
    return re.compile(r"\b(?:" + "|".join(parts) + ")", re.IGNORECASE)


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
                placeholder='words, "a phrase", prefix* in titles, text and entities;'
                " /regex/ reads every article",
                id="search-input",
            )
            yield Static(Text("Type and press enter."), id="search-status")
            yield OptionList(id="search-results")

    @on(Input.Submitted, "#search-input")
    def _submitted(self, event: Input.Submitted) -> None:
        results = self.query_one(OptionList)
        results.clear_options()
        self.places = []
        text = event.value.strip()
        if len(text) > 1 and text.startswith("/"):
            try:
                regex = re.compile(text[1:].removesuffix("/"), re.IGNORECASE)
            except re.error as exc:
                self._status(f"Not a valid regular expression: {exc}")
                return
            self._status("Reading every article...")
            self.scan(regex)
        elif text:
            self._status("Searching...")
            self.search(text)

    def _status(self, message: str) -> None:
        self.query_one("#search-status", Static).update(Text(message))

    @work(thread=True, exclusive=True)
    def search(self, text: str) -> None:
        """Ask the search index; catch it up first if the library changed behind it."""
        from store.errors import TreatyError, reason

        def progress(done: int, total: int) -> None:
            self.app.call_from_thread(self._status, f"Indexing the library: {done}/{total}...")

        try:
            total, hits = self.data.search(text, progress)
        except (TreatyError, OSError) as exc:
            self.app.call_from_thread(self._status, reason(exc))
            return
        if get_current_worker().is_cancelled:
            return
        pattern = term_pattern(text)
        lines = []
        for hit in hits:
            line = hit.text if hit.sentence >= 0 else f"title: {hit.text}"
            if hit.entities and not (pattern and pattern.search(hit.text)):
                line += f"  [entity: {hit.entities}]"
            lines.append((hit.article, hit.sentence, line))
        articles = len({hit.article for hit in hits})
        done = f"{counted(total, 'result')} in {counted(articles, 'article')}."
        if total > len(hits):
            done = f"Best {len(hits)} of {counted(total, 'result')}: add words to narrow."
        self.app.call_from_thread(self._add, lines, pattern, done)

    @work(thread=True, exclusive=True)
    def scan(self, regex: re.Pattern[str]) -> None:
        """Read every article for a regular expression; hand results over in batches."""
        worker = get_current_worker()
        batch: list[Result] = []
        found, articles, sent = 0, 0, time.monotonic()
        for info in self.snapshot.articles:
            if worker.is_cancelled:
                return
            hits = [(info.id, -1, f"title: {info.title}")] if regex.search(info.title) else []
            article = self.data.article(info.id)
            for match in regex.finditer(article.text):
                sentence = article.sentence_at(match.start())
                if not hits or hits[-1][1] != sentence:
                    hits.append((info.id, sentence, article.sentence_text(sentence)))
                if len(hits) > 20:
                    break
            found += len(hits)
            articles += bool(hits)
            batch += hits
            if batch and time.monotonic() - sent > BATCH_SECONDS:
                self.app.call_from_thread(self._add, batch, regex, None)
                batch, sent = [], time.monotonic()
        done = f"{counted(found, 'result')} in {counted(articles, 'article')}."
        self.app.call_from_thread(self._add, batch, regex, done)

    def _add(self, results: list[Result], pattern: re.Pattern[str] | None, done: str | None):
        options = []
        for article_id, sentence, line in results:
            info = self.snapshot.info(article_id)
            source, title = (info.source, info.title) if info else ("", article_id)
            prompt = Text(f"{visible_line(source)}: {visible_line(title)}\n", style="bold")
            shown = Text(f"  {visible_line(line)[:200]}")
            if pattern is not None:
                shown.highlight_regex(pattern, style="reverse")
            options.append(Option(prompt + shown))
            self.places.append(Place(article_id, max(sentence, 0)))
        results_list = self.query_one(OptionList)
        results_list.add_options(options)
        if results_list.highlighted is None and results_list.option_count:
            results_list.highlighted = 0
        if done is not None:
            self._status(done)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.places[event.option_index])
