"""The main screen: it wires the library pane, the article, the side panel and the find bar.

Reading runs in thread workers that post the Messages of tui.messages; the
screen answers them, keeps the history and hands notes to the library client.
"""

from __future__ import annotations

import contextlib
import contextvars
import threading
from typing import TYPE_CHECKING, Literal

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import Reactive
from textual.widget import Widget
from textual.widgets import Input, Static, TabbedContent

from store.plain import counted, visible_line
from tui.client import Opened, ReaderData, Snapshot
from tui.handoff import Handoff
from tui.history import History
from tui.messages import (
    ArticleOpened,
    ArticleRefreshed,
    CoverageLoaded,
    EntitiesRead,
    LoadFailed,
    NotesChanged,
    OverviewLoaded,
    Place,
    SnapshotLoaded,
    StoryRead,
)
from tui.screens.note_actions import READ_ONLY, NoteActions
from tui.screens.source_actions import SourceActions
from tui.screens.story_actions import StoryActions
from tui.widgets.article_view import ArticleView
from tui.widgets.find_bar import FindBar, find_matches, next_match
from tui.widgets.key_footer import KeyFooter
from tui.widgets.library_pane import LibraryPane, first_listed
from tui.widgets.side_panel import SidePanel

if TYPE_CHECKING:  # records arrive from workers; not imported for the first frame
    from textual.screen import Screen
    from textual.timer import Timer

    from store.models import Note

NARROW = 110
WATCH_SECONDS = 2.0  # how often the store files are checked for other sessions' writes
SAY_READING_AFTER = 0.25  # seconds a story's screen may take to read before the reader says so
# A library read this fast is shown in the first frame; a slower one paints
# "Opening the library..." first.
FIRST_FRAME_WAIT = 0.4


class ReaderScreen(NoteActions, StoryActions, SourceActions):
    # A focus change restyles the panes it concerns, which repaint themselves;
    # Textual's own `focused` also repaints the whole screen, at 200x60 slower than Tab.
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)
    AUTO_FOCUS = "#article"  # from the first frame: no second paint for focus when it opens

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
    ReaderScreen FindBar { display: none; }
    ReaderScreen #find-status { height: auto; max-height: 2; display: none; color: $warning;
        padding: 0 1; }
    ReaderScreen #activity { height: 1; display: none; padding: 0 1; background: $boost;
        color: $text-muted; }
    ReaderScreen.-hide-library LibraryPane { display: none; }
    ReaderScreen.-hide-side SidePanel { display: none; }
    ReaderScreen.-narrow LibraryPane { display: none; }
    ReaderScreen.-narrow SidePanel { display: none; }
    ReaderScreen.-narrow.-show-library LibraryPane { display: block; width: 36; }
    ReaderScreen.-narrow.-show-side SidePanel { display: block; width: 36; min-width: 36; }
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
        Binding("3", "focus_pane('claims')", "Claims", id="reader.focus_side"),
        Binding("4", "focus_pane('entities')", "Entities", id="reader.focus_entities", show=False),
        Binding("5", "focus_pane('notes')", "Notes", id="reader.focus_notes", show=False),
        Binding(
            "o", "toggle_pane('library')", "Toggle library", id="reader.toggle_library", show=False
        ),
        Binding(
            "s", "toggle_pane('side')", "Toggle side panel", id="reader.toggle_side", show=False
        ),
        Binding("z", "maximize_pane", "Maximise pane", id="reader.maximize", show=False),
        Binding("H,alt+left", "history(-1)", "Back", id="reader.back", key_display="H"),
        Binding("L,alt+right", "history(1)", "Forward", id="reader.forward", show=False),
        Binding("slash", "find", "Find", id="reader.find"),
        Binding("escape", "close_find", "Close find", id="reader.close_find", show=False),
        Binding("n", "find_step(1)", "Next match", id="reader.next_match", show=False),
        Binding("N", "find_step(-1)", "Previous match", id="reader.previous_match", show=False),
        Binding("c", "compare", "Compare", id="reader.compare"),
        Binding("C", "coverage", "Coverage", id="reader.coverage"),
        Binding(
            "S",
            "overview",
            "Story overview",
            id="reader.overview",
            tooltip="The story's claims: what most sources report, where they differ, "
            "what one source alone reports",
        ),
        Binding("F", "search_library", "Search library", id="reader.search_library"),
        Binding("r", "reload", "Reload", id="reader.reload", show=False),
        Binding(
            "i",
            "import_source",
            "Import",
            id="reader.import",
            show=False,
            tooltip="Import a file, a folder or an http(s) address into the library",
        ),
        Binding(
            "R",
            "refresh_feeds",
            "Refresh feeds",
            id="reader.refresh_feeds",
            show=False,
            tooltip="Import the new entries of the feeds followed (treaty-tui refresh)",
        ),
        Binding(
            "O",
            "open_source",
            "Open source",
            id="reader.open_source",
            show=False,
            tooltip="Open the article's source address in a browser, or show it as a link",
        ),
        Binding("a", "annotate", "Note", id="reader.annotate"),
        Binding("e", "edit_note", "Edit note", id="reader.edit_note", show=False),
        Binding("t", "tag_note", "Edit tags", id="reader.tag_note", show=False),
        Binding("d", "delete_note", "Delete note", id="reader.delete_note", show=False),
        Binding("ctrl+z", "undo_delete", "Undo note deletion", id="reader.undo", show=False),
        Binding("M", "all_notes", "All notes", id="reader.all_notes", show=False),
    ]

    def __init__(self, data: ReaderData) -> None:
        super().__init__()
        self.data = data
        self.snapshot: Snapshot | None = None
        self.opened: Opened | None = None
        self.history = History()
        self.find_matches: list[tuple[int, int]] = []
        self.deleted: list[Note] = []
        self._stamps = (0.0, 0.0)
        self._resumed = False
        self._slow_read: Timer | None = None  # says "Reading the story..." if it is slow

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            yield LibraryPane(id="library")
            with Vertical(id="middle"):
                yield Static(Text("Opening the library..."), id="article-title")
                yield ArticleView(id="article")
                yield Static(id="find-status")
                yield FindBar(placeholder="find (regular expression), enter to search", id="find")
            yield SidePanel(id="side")
        yield Static(id="activity")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(LibraryPane).order = self.treaty_app.config.library_order
        self._stamps = self.data.stamps()
        self._first_frame()
        self.set_interval(WATCH_SECONDS, self.watch_store)
        # Watched, not messaged: the claims of the sentence reached are drawn in the same
        # frame as the cursor, not one frame later.
        self.watch(self.query_one(ArticleView), "cursor", self._show_claims, init=False)

    def _first_frame(self) -> None:
        """Read the library and its first article for the first frame, if that is quick.

        Start-up is what the reader waits for: one frame with the article costs
        less than an empty frame, its follow-ups and a second frame. The UI
        thread waits at most FIRST_FRAME_WAIT: a slow disk gets the empty frame
        after that, a first start (seeding) at once, and the article when it is read.
        """
        first: Handoff[tuple[Snapshot, Opened | None]] = Handoff()
        # A thread of its own: Textual starts a worker's thread only once this returns.
        context = contextvars.copy_context()  # Textual's active app, as a worker has it
        threading.Thread(target=context.run, args=(self._read_at_start, first), daemon=True).start()
        read = first.take(FIRST_FRAME_WAIT)
        if read is not None:  # posted here, they are answered before the first frame
            self._post_read(*read)

    def watch_store(self) -> None:
        """Pick up articles and notes another process wrote (e.g. a second SSH session)."""
        stamps = self.data.stamps()
        if stamps == self._stamps:
            return
        catalog_changed = stamps[0] != self._stamps[0]
        self._stamps = stamps
        if catalog_changed:
            self.data.forget()
            self.load_snapshot()
        if self.opened:
            self.refresh_article(self.opened.article.id, notes_only=not catalog_changed)

    def on_resize(self) -> None:
        self.set_class(self.size.width < NARROW, "-narrow")

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        # Shown the first time, the screen was styled as it mounted: styling all its
        # widgets again would keep the first frame waiting 10 ms more.
        if not self._resumed:
            event.refresh_styles = False
        self._resumed = True

    # -- loading (workers) ----------------------------------------------------------
    @work(thread=True, exclusive=True, group="snapshot")
    def load_snapshot(self) -> None:
        """Read the library again (another session imported, a story was renamed)."""
        self._read_library(False)

    def _read_library(
        self, seed: bool, handoff: Handoff[tuple[Snapshot, Opened | None]] | None = None
    ) -> None:
        """Read the library and, at start-up, its first article; only the first read of a
        library that never held anything seeds it. With `handoff`, what is read goes to
        the first frame if it still waits."""
        from store.errors import TreatyError, reason

        try:
            snapshot = self.data.snapshot(seed, handoff.decline if handoff else None)
            first = None
            if self.opened is None:  # start-up: one trip, not two
                listed = first_listed(snapshot, self.treaty_app.config.library_order)
                first = self.data.open(listed.id) if listed else None
        except (TreatyError, OSError) as exc:
            if handoff is not None:
                handoff.decline()
            self.post_message(LoadFailed(reason(exc)))
            return
        if handoff is None or not handoff.offer((snapshot, first)):
            self._post_read(snapshot, first)

    def _read_at_start(self, handoff: Handoff[tuple[Snapshot, Opened | None]]) -> None:
        """The start-up read, on a thread of its own: whatever happens, the first frame
        stops waiting, and an unexpected failure stops the reader with one line."""
        from store.errors import reason

        try:
            self._read_library(True, handoff)
        except Exception as exc:
            self.post_message(LoadFailed(reason(exc)))
        finally:
            handoff.decline()

    def _post_read(self, snapshot: Snapshot, first: Opened | None) -> None:
        self.post_message(SnapshotLoaded(snapshot, first.article.info.story if first else ""))
        if first is not None:
            self.post_message(ArticleOpened(first, 0))

    @work(thread=True, exclusive=True, group="article")
    def load_article(self, article_id: str, sentence: int, offset: int | None = None) -> None:
        from store.errors import TreatyError, reason

        try:
            opened = self.data.open(article_id)
        except (TreatyError, OSError) as exc:
            self.post_message(LoadFailed(reason(exc)))
            return
        self.post_message(ArticleOpened(opened, sentence, offset))

    @work(thread=True, exclusive=True, group="linked")
    def read_linked(self, opened: Opened, near: int) -> None:
        """Read the open article's entities, then the reports it links into, those of the
        sentences nearest `near` first, once the article is on screen: the Claims panel
        then never waits on a file as the cursor moves. Then the story's claim groups,
        which the story's overview and coverage show. Stops when another article is opened."""
        from textual.worker import get_current_worker

        from store.errors import TreatyError

        worker = get_current_worker()
        ids = opened.entity_ids()
        if self.data.known_entities(ids) is None:
            with contextlib.suppress(TreatyError, OSError):  # the list stays empty
                self.post_message(EntitiesRead(opened, self.data.entities_of(ids)))
        for article_id in opened.linked_articles(near):
            if worker.is_cancelled or self.opened is not opened:
                return
            opened.other(article_id)  # one that cannot be read says why when it is shown
        if not worker.is_cancelled and self.opened is opened:
            with contextlib.suppress(TreatyError, OSError):  # said when the overview reads it
                self.data.story_claims(opened.article.info.story)

    @work(thread=True, exclusive=True, group="refresh")
    def refresh_article(self, article_id: str, notes_only: bool) -> None:
        """Reload the open article's links and notes; quietly keep it if it is gone."""
        from store.errors import TreatyError

        try:
            if notes_only:
                notes = self.data.notes_of(article_id)
                self.post_message(NotesChanged(article_id, notes, ""))
            else:
                self.post_message(ArticleRefreshed(self.data.open(article_id)))
        except (TreatyError, OSError):
            return

    def on_snapshot_loaded(self, message: SnapshotLoaded) -> None:
        if message.snapshot.read_only and not (self.snapshot and self.snapshot.read_only):
            self.notify(READ_ONLY, title="Read-only library", timeout=8)
        first_load = self.snapshot is None
        self.snapshot = message.snapshot
        current = self.opened.article.id if self.opened else ""
        pane = self.query_one(LibraryPane)
        pane.fill(message.snapshot, current, message.first_story)
        if not message.snapshot.articles:
            self.query_one("#article-title", Static).update(
                Text("The library is empty: import articles with `treaty-tui add PATH_OR_URL`.")
            )
            return
        listed = (
            None
            if self.opened or message.first_follows
            else first_listed(message.snapshot, pane.order)
        )
        if listed is not None:
            self.load_article(listed.id, 0)
        if first_load:  # a later reload (an import, a rename) leaves the focus where it is
            self.query_one(ArticleView).focus()

    def on_load_failed(self, message: LoadFailed) -> None:
        self.treaty_app.fail(message.error)

    def on_article_opened(self, message: ArticleOpened) -> None:
        self._show(message.opened, message.sentence, message.offset, refresh=False)

    def on_entities_read(self, message: EntitiesRead) -> None:
        if message.opened is self.opened and self.snapshot:
            self.query_one(SidePanel).show_entities(self.opened, self.snapshot, message.entities)

    def on_article_refreshed(self, message: ArticleRefreshed) -> None:
        if self.opened and self.opened.article.id == message.opened.article.id:
            self._show(message.opened, self.query_one(ArticleView).cursor, None, refresh=True)
        # else the reader moved on while the refresh was loading

    def _show(self, opened: Opened, sentence: int, offset: int | None, refresh: bool) -> None:
        """Show an article at a sentence; a refresh keeps the reader's place and selection."""
        self.opened = opened
        info = opened.article.info
        if self.snapshot:
            info = self.snapshot.info(info.id) or info
        title = Text(visible_line(info.source), style="bold")
        if info.date:
            title.append(f"  {info.date}")
        title.append(
            f"   {counted(info.sentences, 'sentence')}, {info.linked} linked,"
            f" {info.unique} only here",
            style="dim",
        )
        self.query_one("#article-title", Static).update(title)
        view = self.query_one(ArticleView)
        if offset is not None:
            sentence = opened.article.sentence_at(offset)
        selection = view.selection if refresh else None
        view.show_article(opened.article, opened.links, sentence)
        self._show_claims(view.cursor)
        if selection:  # a refresh keeps a selection the reader is making
            view.selection = selection
            view.refresh_bindings()
        if self.snapshot:
            entities = self.data.known_entities(opened.entity_ids())  # else read_linked reads them
            self.query_one(SidePanel).show_entities(opened, self.snapshot, entities)
            if not refresh:
                self.query_one(LibraryPane).show_current(info.id, info.story)
        self._show_notes()
        self._apply_find()
        self.call_after_refresh(self.read_linked, opened, view.cursor)

    # -- moving around ------------------------------------------------------------
    def here(self) -> Place | None:
        if not self.opened:
            return None
        return Place(self.opened.article.id, self.query_one(ArticleView).cursor)

    def open_place(
        self, article_id: str, sentence: int, remember: bool = True, offset: int | None = None
    ) -> None:
        """Open an article at a sentence (or the sentence holding `offset`).

        `remember` puts where we were on the back stack.
        """
        if remember:
            self.history.leave(self.here(), Place(article_id, sentence))
        if self.opened and self.opened.article.id == article_id:
            if offset is not None:
                sentence = self.opened.article.sentence_at(offset)
            self.query_one(ArticleView).go_to(sentence)
        else:
            self.load_article(article_id, sentence, offset)

    def action_history(self, step: int) -> None:
        place = self.history.step(step, self.here())
        if place is None:
            self.app.bell()
            return
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

    def _show_claims(self, sentence: int) -> None:
        if self.opened and self.snapshot:
            self.query_one(SidePanel).show_sentence(self.opened, self.snapshot, sentence)

    @on(ArticleView.FollowRequested)
    def _follow(self, message: ArticleView.FollowRequested) -> None:
        if self.opened:
            links = self.opened.links_of(message.sentence)
            if links:
                self.open_place(*links[0].other(self.opened.article.id, message.sentence))

    @on(SidePanel.NoteChosen)
    def _note_chosen(self, message: SidePanel.NoteChosen) -> None:
        note = message.note
        if note.orphan:
            self.notify("This note is an orphan: its passage is no longer in the text.", timeout=3)
            return
        self.open_place(note.article, 0, offset=note.anchor.start)
        self.query_one(ArticleView).focus()

    # -- panes ------------------------------------------------------------------------
    def _show_pane(self, pane: str) -> None:
        """Show the library or the side panel; a narrow terminal has room for one of them."""
        other = "side" if pane == "library" else "library"
        self.remove_class(f"-hide-{pane}")
        self.add_class(f"-show-{pane}")
        if self.has_class("-narrow"):
            self.remove_class(f"-show-{other}")

    def action_focus_pane(self, pane: str) -> None:
        """Focus a pane at once, not after the keys already typed: "3G" is the claims' G."""
        if pane == "library":
            self._show_pane("library")
            self.set_focus(self.query_one(LibraryPane))
        elif pane in ("claims", "entities", "notes"):
            self._show_pane("side")
            panel = self.query_one(SidePanel)
            panel.query_one(TabbedContent).active = f"{pane}-tab"
            active = panel.active_pane
            target = active.query("OptionList").first() if active else None
            self.set_focus(target or panel)
        else:
            self.set_focus(self.query_one(ArticleView))

    def action_toggle_pane(self, pane: str) -> None:
        if self.has_class("-narrow"):
            shown = self.has_class(f"-show-{pane}")
        else:
            shown = not self.has_class(f"-hide-{pane}")
        if shown:
            self.remove_class(f"-show-{pane}")
            self.add_class(f"-hide-{pane}")
        else:
            self._show_pane(pane)
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

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "close_find":  # Esc reaches here only when the article let it pass
            return bool(self.query_one(FindBar).display or self.find_matches)
        return True

    def action_close_find(self) -> None:
        self.query_one(FindBar).action_close()

    @on(Input.Submitted, "#find")
    def _find_submitted(self, event: Input.Submitted) -> None:
        if self._apply_find(jump=True):
            self.query_one(ArticleView).focus()
        # else the bar keeps the focus so the pattern can be corrected

    @on(FindBar.Closed)
    def _find_closed(self) -> None:
        self._apply_find()
        self.query_one(ArticleView).focus()

    def _apply_find(self, jump: bool = False) -> bool:
        """Mark the pattern's matches; False when the pattern cannot be used.

        A pattern that fails is reported when it is submitted (`jump`) and dropped
        when another article opens, so an old error never follows the reader.
        """
        view = self.query_one(ArticleView)
        status = self.query_one("#find-status", Static)
        bar = self.query_one(FindBar)
        pattern = bar.value
        if not pattern or not self.opened:
            self.find_matches = []
            view.set_matches([])
            status.display = False
            return True
        from tui.patterns import PatternError

        try:
            self.find_matches = find_matches(pattern, self.opened.article.text)
        except PatternError as exc:
            self.find_matches = []
            view.set_matches([])
            if not jump:
                bar.value = ""
                bar.display = False
                status.display = False
                return False
            status.update(Text(visible_line(str(exc))))
            status.display = True
            return False
        view.set_matches(self.find_matches)
        status.update(
            Text(
                f"{counted(len(self.find_matches), 'match', 'matches')}"
                f" for /{visible_line(pattern)}/"
                "  (n next, N previous)"
            )
        )
        status.display = True
        if jump and self.find_matches:
            self.action_find_step(1, inclusive=True)
        return True

    def action_find_step(self, step: int, inclusive: bool = False) -> None:
        view = self.query_one(ArticleView)
        if not self.find_matches or not view.article:
            self.app.bell()
            return
        current = view.article.sentences[view.cursor]
        target = next_match(self.find_matches, current.start, current.end, step, inclusive)
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

    def story_in_view(self) -> str | None:
        """The story the reader means: the one under the library pane's cursor when that
        pane has the focus, else the open article's."""
        pane = self.query_one(LibraryPane)
        node = pane.cursor_node if self.focused is pane else None
        if node is not None and node.parent is not None:
            story = node.data if node.parent is pane.root else node.parent.data
            if story:
                return story
        return self.opened.article.info.story if self.opened else None

    def action_coverage(self) -> None:
        self._open_story_screen("coverage")

    def action_overview(self) -> None:
        self._open_story_screen("overview")

    def _open_story_screen(self, screen: Literal["coverage", "overview"]) -> None:
        story = self.story_in_view()
        if not (story and self.snapshot):
            return
        if self._slow_read is not None:
            self._slow_read.stop()
        self._slow_read = self.set_timer(  # a story read for the first time can take a while
            SAY_READING_AFTER, lambda: self.notify("Reading the story...", timeout=1.5)
        )
        self.read_story(story, screen, self.snapshot, self.app.size.width)

    @work(thread=True, exclusive=True, group="story")
    def read_story(
        self, story: str, screen: Literal["coverage", "overview"], snapshot: Snapshot, width: int
    ) -> None:
        """Read what the story's screen shows, then push it (on_story_read): pushed at once
        and filled from a worker, it painted three times, each of the whole screen."""
        from store.errors import TreatyError, reason
        from tui.screens.coverage import read_coverage
        from tui.screens.overview import read_overview

        try:
            if screen == "coverage":
                read: OverviewLoaded | CoverageLoaded = read_coverage(
                    self.data, snapshot, story, width
                )
            else:
                read = read_overview(self.data, snapshot, story)
        except (TreatyError, OSError) as exc:
            self.post_message(StoryRead(story, None, reason(exc)))
            return
        self.post_message(StoryRead(story, read))

    def on_story_read(self, message: StoryRead) -> None:
        if self._slow_read is not None:
            self._slow_read.stop()
        if message.read is None:
            self.notify(message.error, title="Cannot read the story", severity="error")
            return
        if self.app.screen is not self or not self.snapshot:  # the reader moved on meanwhile
            return
        if isinstance(message.read, CoverageLoaded):
            from tui.screens.coverage import CoverageScreen

            screen: Screen[Place | None] = CoverageScreen(
                self.data, self.snapshot, message.story, message.read
            )
        else:
            from tui.screens.overview import StoryOverviewScreen

            screen = StoryOverviewScreen(self.data, self.snapshot, message.story, message.read)
        self.app.push_screen(screen, self._jump_to)

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
