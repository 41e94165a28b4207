"""Library-wide search: words, "phrases" and prefix* through the search index, or a
/regular expression/ that reads every article. Results arrive in batches, best first."""

from __future__ import annotations

import re
import time

import regex
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from store.plain import counted, visible_line
from tui.client import ReaderData, Snapshot
from tui.messages import Place
from tui.patterns import SCAN_SECONDS, PatternError, Span, compile_pattern, spans
from tui.widgets.lists import KeyList

BATCH_SECONDS = 0.05  # how often a scan hands its results to the screen
Result = tuple[str, int, str, list[Span]]  # article, sentence (-1: title), line, marked spans
SHOWN_CHARS = 200


def term_pattern(query: str) -> regex.Pattern[str] | None:
    """What to highlight in result lines: the query's words (a trailing * as any ending)."""
    words = re.findall(r"\w+\*?", query)
    if not words:
        return None
    parts = [re.escape(w.rstrip("*")) + (r"\w*" if w.endswith("*") else r"\b") for w in words]
    return compile_pattern(r"\b(?:" + "|".join(parts) + ")")


def result(article: str, sentence: int, line: str, pattern: regex.Pattern[str] | None) -> Result:
    """A result line as shown (cut, control characters visible) with its matches marked."""
    shown = visible_line(line)[:SHOWN_CHARS]
    try:
        marked = spans(pattern, shown) if pattern is not None else []
    except PatternError:
        marked = []
    return (article, sentence, shown, marked)


class LibrarySearchScreen(ModalScreen[Place | None]):
    DEFAULT_CSS = """
    LibrarySearchScreen { align: center middle; }
    LibrarySearchScreen > Vertical { width: 90%; height: 80%; border: round $primary;
        background: $panel; }
    LibrarySearchScreen #search-status { color: $text-muted; padding: 0 1; }
    """
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Close", id="search.close"),
        Binding(
            "down",
            "to_results",
            "To the results",
            id="search.to_results",
            show=False,
            tooltip="Move from the query to the results",
        ),
    ]

    def __init__(self, data: ReaderData, snapshot: Snapshot) -> None:
        super().__init__()
        self.data = data
        self.snapshot = snapshot
        self.places: list[Place] = []

    def action_to_results(self) -> None:
        """Down in the input goes to the list (the list itself handles Down when focused)."""
        if not self.query_one("#search-results", KeyList).take_focus():
            self.app.bell()

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Input(
                placeholder='words, "a phrase", prefix* in titles, text and entities;'
                " /regex/ reads every article",
                id="search-input",
            )
            yield Static(Text("Type and press enter."), id="search-status")
            yield KeyList(id="search-results")

    @on(Input.Submitted, "#search-input")
    def _submitted(self, event: Input.Submitted) -> None:
        results = self.query_one(OptionList)
        results.clear_options()
        self.places = []
        text = event.value.strip()
        if len(text) > 1 and text.startswith("/"):
            try:
                pattern = compile_pattern(text[1:].removesuffix("/"))
            except PatternError as exc:
                self._status(str(exc))
                return
            self._status("Reading every article...")
            self.scan(pattern)
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
            lines.append(result(hit.article, hit.sentence, line, pattern))
        articles = len({hit.article for hit in hits})
        done = f"{counted(total, 'result')} in {counted(articles, 'article')}."
        if total > len(hits):
            done = f"Best {len(hits)} of {counted(total, 'result')}: add words to narrow."
        self.app.call_from_thread(self._add, lines, done)

    @work(thread=True, exclusive=True)
    def scan(self, pattern: regex.Pattern[str]) -> None:
        """Read every article for a regular expression; hand results over in batches.

        Each article gets SCAN_SECONDS; a pattern that needs more stops the
        scan with a message (it would be as slow on the next article).
        """
        worker = get_current_worker()
        batch: list[Result] = []
        found, articles, sent = 0, 0, time.monotonic()
        for info in self.snapshot.articles:
            if worker.is_cancelled:
                return
            try:
                hits = self._scan_article(info.id, info.title, pattern)
            except PatternError as exc:
                where = f" (in {visible_line(info.title)[:60]})"
                self.app.call_from_thread(self._add, batch, f"{exc}{where}")
                return
            found += len(hits)
            articles += bool(hits)
            batch += hits
            if batch and time.monotonic() - sent > BATCH_SECONDS:
                self.app.call_from_thread(self._add, batch, None)
                batch, sent = [], time.monotonic()
        done = f"{counted(found, 'result')} in {counted(articles, 'article')}."
        self.app.call_from_thread(self._add, batch, done)

    def _scan_article(self, article_id: str, title: str, pattern: regex.Pattern[str]):
        """Up to 21 results of one article: its title, then each sentence with a match."""
        hits = []
        if spans(pattern, title, SCAN_SECONDS):
            hits.append(result(article_id, -1, f"title: {title}", pattern))
        article = self.data.article(article_id)
        last = -2
        for start, _ in spans(pattern, article.text, SCAN_SECONDS):
            sentence = article.sentence_at(start)
            if sentence != last:
                hits.append(result(article_id, sentence, article.sentence_text(sentence), pattern))
                last = sentence
            if len(hits) > 20:
                break
        return hits

    def _add(self, results: list[Result], done: str | None) -> None:
        options = []
        for article_id, sentence, line, marked in results:
            info = self.snapshot.info(article_id)
            source, title = (info.source, info.title) if info else ("", article_id)
            prompt = Text(f"{visible_line(source)}: {visible_line(title)}\n", style="bold")
            shown = Text(f"  {line}")
            for start, end in marked:
                shown.stylize("reverse", start + 2, end + 2)
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
