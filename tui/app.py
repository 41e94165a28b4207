"""TreatyApp: the reader. The library is opened in a worker thread, so the first
screen paints before the store (TinyDB) is even imported."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable, Footer, Header, Static

from tui.plain import visible_line


@dataclass(frozen=True)
class ArticleRow:
    """What the library table shows of one article."""

    id: str
    story: str
    source: str
    date: str
    title: str
    linked: int
    unique: int


class LibraryLoaded(Message):
    def __init__(self, rows: list[ArticleRow]) -> None:
        super().__init__()
        self.rows = rows


class LibraryFailed(Message):
    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


class TreatyApp(App[None]):
    TITLE = "treaty-tui"
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
    ]

    def __init__(self, home: Path) -> None:
        super().__init__()
        self.home = home
        self.error: str | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Opening the library\u2026", id="status")
        yield DataTable(id="articles", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("story", "source", "date", "title", "linked", "unique")
        self.load_library()

    @work(thread=True, exclusive=True)
    def load_library(self) -> None:
        from store import Library
        from store.errors import TreatyError

        try:
            lib = Library.open(self.home)
            if not lib.articles():
                self.call_from_thread(self._status, "Importing the bundled seed articles\u2026")
                lib.ensure_seeds()
            stories = {s.id: s.name for s in lib.stories()}
            rows = [
                ArticleRow(
                    a.id,
                    stories.get(a.story, a.story),
                    a.source,
                    a.date,
                    a.title,
                    a.linked,
                    a.unique,
                )
                for a in lib.articles()
            ]
        except TreatyError as exc:
            self.post_message(LibraryFailed(str(exc)))
            return
        self.post_message(LibraryLoaded(rows))

    def _status(self, text: str) -> None:
        self.query_one("#status", Static).update(Text(text))

    def on_library_loaded(self, message: LibraryLoaded) -> None:
        table = self.query_one(DataTable)
        table.clear()
        for row in message.rows:
            table.add_row(
                *(
                    Text(visible_line(str(v)))
                    for v in (row.story, row.source, row.date, row.title, row.linked, row.unique)
                ),
                key=row.id,
            )
        self._status(f"{len(message.rows)} articles")
        table.focus()

    def on_library_failed(self, message: LibraryFailed) -> None:
        self.error = message.error
        self.exit(return_code=1)
