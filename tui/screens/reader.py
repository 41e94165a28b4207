"""The main screen: library pane, article, side panel; history and find bar."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from tui.data import Opened, ReaderData, Snapshot
from tui.plain import visible_line
from tui.widgets.article_view import ArticleView
from tui.widgets.library_pane import LibraryPane
from tui.widgets.side_panel import SidePanel

NARROW = 110


@dataclass(frozen=True)
class Place:
    article: str
    sentence: int


class SnapshotLoaded(Message):
    def __init__(self, snapshot: Snapshot) -> None:
        super().__init__()
        self.snapshot = snapshot


class ArticleOpened(Message):
    def __init__(self, opened: Opened, sentence: int) -> None:
        super().__init__()
        self.opened = opened
        self.sentence = sentence


class LoadFailed(Message):
    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


class FindBar(Input):
    BINDINGS = [Binding("escape", "close", "Close find bar", id="find.close")]

    def action_close(self) -> None:
        self.value = ""
        self.display = False
        self.screen.query_one(ArticleView).focus()


class ReaderScreen(Screen[None]):
    DEFAULT_CSS = """
    ReaderScreen #panes { height: 1fr; }
    ReaderScreen LibraryPane { width: 22%; min-width: 30; max-width: 56;
        border-right: vkey $primary 40%; }
    ReaderScreen #middle { width: 1fr; }
    ReaderScreen #article-title { height: auto; max-height: 2; padding: 0 1;
        background: $boost; text-style: bold; }
    ReaderScreen ArticleView { height: 1fr; }
    ReaderScreen SidePanel { width: 30%; min-width: 40; max-width: 72;
        border-left: vkey $primary 40%; }
    ReaderScreen FindBar { dock: bottom; display: none; }
    ReaderScreen #find-status { dock: bottom; height: 1; display: none; color: $warning;
        padding: 0 1; }
    ReaderScreen.-narrow LibraryPane { display: none; }
    ReaderScreen.-narrow SidePanel { display: none; }
    ReaderScreen.-narrow.-show-library LibraryPane { display: block; width: 30; }
    ReaderScreen.-narrow.-show-side SidePanel { display: block; width: 36; }
    ReaderScreen #claims-heading { padding: 0 1; color: $text-muted; }
    ReaderScreen #entity-detail { padding: 0 1; height: auto; max-height: 12; }
    """
    BINDINGS = [
        Binding("tab", "app.focus_next", "Next pane", id="reader.next_pane", show=False),
        Binding(
            "shift+tab",
            "app.focus_previous",
            "Previous pane",
            id="reader.previous_pane",
            show=False,
        ),
        Binding("1", "focus_pane('library')", "Library", id="reader.focus_library"),
        Binding("2", "focus_pane('article')", "Article", id="reader.focus_article", show=False),
        Binding("3", "focus_pane('side')", "Claims", id="reader.focus_side"),
        Binding("o", "toggle('library')", "Toggle library", id="reader.toggle_library", show=False),
        Binding("s", "toggle('side')", "Toggle side panel", id="reader.toggle_side", show=False),
        Binding("z", "maximize_pane", "Maximise pane", id="reader.maximize", show=False),
        Binding("H,alt+left", "history(-1)", "Back", id="reader.back", key_display="H"),
        Binding("L,alt+right", "history(1)", "Forward", id="reader.forward", show=False),
        Binding("slash", "find", "Find", id="reader.find"),
        Binding("n", "find_step(1)", "Next match", id="reader.next_match", show=False),
        Binding("N", "find_step(-1)", "Previous match", id="reader.previous_match", show=False),
        Binding("c", "compare", "Compare", id="reader.compare"),
        Binding("C", "coverage", "Coverage", id="reader.coverage"),
        Binding("F", "search_library", "Search library", id="reader.search_library"),
        Binding("r", "reload", "Reload", id="reader.reload", show=False),
    ]

    def __init__(self, data: ReaderData) -> None:
        super().__init__()
        self.data = data
        self.snapshot: Snapshot | None = None
        self.opened: Opened | None = None
        self.back: list[Place] = []
        self.forward: list[Place] = []
        self.find_matches: list[tuple[int, int]] = []

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            yield LibraryPane(id="library")
            with Vertical(id="middle"):
                yield Static(Text("Opening the library..."), id="article-title")
                yield ArticleView(id="article")
                yield Static(id="find-status")
                yield FindBar(placeholder="find (regular expression), enter to search", id="find")
            yield SidePanel(id="side")
        yield Footer()

    def on_mount(self) -> None:
        self.load_snapshot()

    def on_resize(self) -> None:
        self.set_class(self.size.width < NARROW, "-narrow")

    # -- loading (workers) ----------------------------------------------------------
    @work(thread=True, exclusive=True, group="snapshot")
    def load_snapshot(self) -> None:
        from store.errors import TreatyError

        try:
            snapshot = self.data.snapshot()
        except TreatyError as exc:
            self.post_message(LoadFailed(str(exc)))
            return
        self.post_message(SnapshotLoaded(snapshot))

    @work(thread=True, exclusive=True, group="article")
    def load_article(self, article_id: str, sentence: int) -> None:
        from store.errors import TreatyError

        try:
            opened = self.data.open(article_id)
        except TreatyError as exc:
            self.post_message(LoadFailed(str(exc)))
            return
        self.post_message(ArticleOpened(opened, sentence))

    def on_snapshot_loaded(self, message: SnapshotLoaded) -> None:
        self.snapshot = message.snapshot
        current = self.opened.article.id if self.opened else ""
        self.query_one(LibraryPane).fill(message.snapshot, current)
        if not message.snapshot.articles:
            self.query_one("#article-title", Static).update(
                Text("The library is empty: import articles with `treaty-tui add PATH_OR_URL`.")
            )
            return
        if not self.opened:
            self.load_article(message.snapshot.articles[0].id, 0)
        self.query_one(ArticleView).focus()

    def on_load_failed(self, message: LoadFailed) -> None:
        self.app.fail(message.error)

    def on_article_opened(self, message: ArticleOpened) -> None:
        self.opened = message.opened
        info = message.opened.article.info
        if self.snapshot:
            info = self.snapshot.info(info.id) or info
        title = Text(visible_line(info.source), style="bold")
        if info.date:
            title.append(f"  {info.date}")
        title.append(
            f"   {info.sentences} sentences, {info.linked} linked, {info.unique} only here",
            style="dim",
        )
        self.query_one("#article-title", Static).update(title)
        view = self.query_one(ArticleView)
        view.show_article(message.opened.article, message.opened.links, message.sentence)
        if self.snapshot:
            self.query_one(SidePanel).show_entities(message.opened, self.snapshot)
        self._apply_find()

    # -- moving around ------------------------------------------------------------
    def here(self) -> Place | None:
        if not self.opened:
            return None
        return Place(self.opened.article.id, self.query_one(ArticleView).cursor)

    def open_place(self, article_id: str, sentence: int, remember: bool = True) -> None:
        """Open an article at a sentence; `remember` puts where we were on the back stack."""
        here = self.here()
        if remember and here and here != Place(article_id, sentence):
            self.back.append(here)
            self.forward.clear()
        if self.opened and self.opened.article.id == article_id:
            self.query_one(ArticleView).go_to(sentence)
        else:
            self.load_article(article_id, sentence)

    def action_history(self, step: int) -> None:
        source, target = (self.back, self.forward) if step < 0 else (self.forward, self.back)
        if not source:
            self.app.bell()
            return
        place = source.pop()
        here = self.here()
        if here:
            target.append(here)
        self.open_place(place.article, place.sentence, remember=False)

    @on(LibraryPane.ArticleChosen)
    def _chosen(self, message: LibraryPane.ArticleChosen) -> None:
        self.open_place(message.article_id, 0)
        self.query_one(ArticleView).focus()

    @on(SidePanel.OpenLink)
    def _open_link(self, message: SidePanel.OpenLink) -> None:
        self.open_place(message.article_id, message.sentence)
        self.query_one(ArticleView).focus()

    @on(SidePanel.EntityChosen)
    def _entity(self, message: SidePanel.EntityChosen) -> None:
        self.query_one(ArticleView).select_entity(message.entity_id)

    @on(ArticleView.SentenceChanged)
    def _sentence(self, message: ArticleView.SentenceChanged) -> None:
        if self.opened and self.snapshot:
            self.query_one(SidePanel).show_sentence(self.opened, self.snapshot, message.sentence)

    @on(ArticleView.FollowRequested)
    def _follow(self, message: ArticleView.FollowRequested) -> None:
        if self.opened:
            links = self.opened.links_of(message.sentence)
            if links:
                self.open_place(*links[0].other(self.opened.article.id, message.sentence))

    # -- panes ------------------------------------------------------------------------
    def action_focus_pane(self, pane: str) -> None:
        if pane == "library":
            self.add_class("-show-library")
            self.query_one(LibraryPane).focus()
        elif pane == "side":
            self.add_class("-show-side")
            panel = self.query_one(SidePanel)
            active = panel.active_pane
            target = active.query("OptionList").first() if active else None
            (target or panel).focus()
        else:
            self.query_one(ArticleView).focus()

    def action_toggle(self, pane: str) -> None:
        if self.has_class("-narrow"):
            self.toggle_class(f"-show-{pane}")
        else:
            widget = self.query_one(LibraryPane if pane == "library" else SidePanel)
            widget.display = not widget.display
        self.query_one(ArticleView).focus()

    def action_maximize_pane(self) -> None:
        if self.maximized is not None:
            self.minimize()
            return
        focused = self.focused
        pane = next(
            (
                w
                for w in (focused, *(focused.ancestors if focused else ()))
                if isinstance(w, (LibraryPane, ArticleView, SidePanel))
            ),
            None,
        )
        if pane is not None:
            self.maximize(pane, container=False)

    # -- find ---------------------------------------------------------------------
    def action_find(self) -> None:
        bar = self.query_one(FindBar)
        bar.display = True
        bar.focus()

    @on(Input.Submitted, "#find")
    def _find_submitted(self, event: Input.Submitted) -> None:
        self._apply_find(jump=True)
        self.query_one(ArticleView).focus()

    def _apply_find(self, jump: bool = False) -> None:
        view = self.query_one(ArticleView)
        status = self.query_one("#find-status", Static)
        pattern = self.query_one(FindBar).value
        if not pattern or not self.opened:
            self.find_matches = []
            view.set_matches([])
            status.display = False
            return
        try:
            regex = re.compile(pattern, re.IGNORECASE)
        except re.error as exc:
            status.update(Text(f"Not a valid regular expression: {exc}"))
            status.display = True
            return
        text = self.opened.article.text
        self.find_matches = [m.span() for m in regex.finditer(text) if m.end() > m.start()]
        view.set_matches(self.find_matches)
        status.update(
            Text(
                f"{len(self.find_matches)} matches for /{visible_line(pattern)}/"
                "  (n next, N previous)"
            )
        )
        status.display = True
        if jump and self.find_matches:
            self.action_find_step(1, inclusive=True)

    def action_find_step(self, step: int, inclusive: bool = False) -> None:
        view = self.query_one(ArticleView)
        if not self.find_matches or not view.article:
            self.app.bell()
            return
        current = view.article.sentences[view.cursor]
        if step > 0:
            later = [
                m
                for m in self.find_matches
                if m[0] >= (current.start if inclusive else current.end)
            ]
            target = later[0] if later else self.find_matches[0]
        else:
            earlier = [m for m in self.find_matches if m[0] < current.start]
            target = earlier[-1] if earlier else self.find_matches[-1]
        view.go_to(view.sentence_at(target[0]))

    # -- other screens -------------------------------------------------------------
    def action_compare(self) -> None:
        if not (self.opened and self.snapshot):
            return
        from tui.screens.compare import CompareScreen

        self.app.push_screen(
            CompareScreen(
                self.data, self.snapshot, self.opened.article.id, self.query_one(ArticleView).cursor
            ),
            self._jump_to,
        )

    def action_coverage(self) -> None:
        if not (self.opened and self.snapshot):
            return
        from tui.screens.coverage import CoverageScreen

        self.app.push_screen(
            CoverageScreen(self.data, self.snapshot, self.opened.article.info.story), self._jump_to
        )

    def action_search_library(self) -> None:
        if not self.snapshot:
            return
        from tui.screens.search import LibrarySearchScreen

        self.app.push_screen(LibrarySearchScreen(self.data, self.snapshot), self._jump_to)

    def _jump_to(self, place: Place | None) -> None:
        if place is not None:
            self.open_place(place.article, place.sentence)
            self.query_one(ArticleView).focus()

    def action_reload(self) -> None:
        self.data.forget()
        here = self.here()
        self.opened = None if here is None else self.opened
        self.load_snapshot()
        if here:
            self.load_article(here.article, here.sentence)
        self.notify("Library reloaded.", timeout=2)
