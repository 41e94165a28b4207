"""Taking and finding notes: the note editor, the tag editor, the delete prompt, all notes."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from store.models import Note
from store.plain import counted, visible_line
from tui.client import ReaderData, Snapshot
from tui.widgets.lists import KeyList
from tui.widgets.note_entry import note_prompt


@dataclass(frozen=True)
class NoteDraft:
    """What the editor returns: the body and the tags as typed."""

    body: str
    tags: tuple[str, ...]


@dataclass(frozen=True)
class NoteJump:
    """Where a chosen note sits: an article and a character offset in it."""

    article: str
    offset: int


def split_tags(text: str) -> tuple[str, ...]:
    return tuple(t.lstrip("#") for t in text.replace(",", " ").split() if t.lstrip("#"))


class NoteEditor(ModalScreen[NoteDraft | None]):
    """A multi-line editor for a note's text, with its tags below; ctrl+s saves."""

    DEFAULT_CSS = """
    NoteEditor { align: center middle; }
    NoteEditor > Vertical { width: 90%; max-width: 100; height: auto; max-height: 90%;
        border: round $primary; background: $panel; padding: 0 1; }
    NoteEditor #note-quote { color: $text-muted; max-height: 4; }
    NoteEditor TextArea { height: 10; }
    NoteEditor #note-help { color: $text-muted; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Save note", id="note.save", priority=True),
        Binding("escape", "dismiss(None)", "Cancel", id="note.cancel"),
    ]

    def __init__(self, quote: str, body: str = "", tags: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.quote = quote
        self.body = body
        self.tags = tags

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(f'On: "{visible_line(self.quote)}"'), id="note-quote")
            yield TextArea(self.body, id="note-body", soft_wrap=True, tab_behavior="focus")
            yield Label("Tags (space or comma separated):")
            yield Input(" ".join(self.tags), id="note-tags", select_on_focus=False)
            yield Static(Text("ctrl+s save   esc cancel   tab next field"), id="note-help")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        self.dismiss(
            NoteDraft(
                self.query_one(TextArea).text.strip(),
                split_tags(self.query_one("#note-tags", Input).value),
            )
        )

    @on(Input.Submitted, "#note-tags")
    def _tags_entered(self) -> None:
        self.action_save()


class TagEditor(ModalScreen[tuple[str, ...] | None]):
    """One line of tags; enter saves, escape cancels."""

    DEFAULT_CSS = """
    TagEditor { align: center middle; }
    TagEditor > Vertical { width: 70; height: auto; border: round $primary;
        background: $panel; padding: 0 1; }
    """
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="tags.cancel")]

    def __init__(self, tags: tuple[str, ...]) -> None:
        super().__init__()
        self.tags = tags

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Tags (space or comma separated), enter to save:")
            yield Input(" ".join(self.tags), id="tags-input", select_on_focus=False)

    @on(Input.Submitted)
    def _entered(self, event: Input.Submitted) -> None:
        self.dismiss(split_tags(event.value))


class ConfirmDelete(ModalScreen[bool]):
    """Asks once before a note is deleted."""

    DEFAULT_CSS = """
    ConfirmDelete { align: center middle; }
    ConfirmDelete > Static { width: 70; height: auto; border: round $error;
        background: $panel; padding: 0 1; }
    """
    BINDINGS = [
        Binding("y", "dismiss(True)", "Delete", id="delete.yes"),
        Binding("n,escape", "dismiss(False)", "Keep", id="delete.no"),
    ]

    def __init__(self, note: Note) -> None:
        super().__init__()
        self.note = note

    def compose(self) -> ComposeResult:
        yield Static(
            Text(f'Delete the note on "{visible_line(self.note.anchor.exact)[:80]}"?\n')
            + Text("y delete (ctrl+z undoes it)   n keep", style="bold")
        )


class NotesScreen(ModalScreen[NoteJump | None]):
    """Every note in the library, filtered as you type.

    Words match the note text, quote and tags; `#tag`, `story:NAME`,
    `article:ID` and `is:orphan` narrow the list.
    """

    DEFAULT_CSS = """
    NotesScreen { align: center middle; }
    NotesScreen > Vertical { width: 90%; height: 85%; border: round $primary;
        background: $panel; }
    NotesScreen #notes-status { color: $text-muted; padding: 0 1; }
    """
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Close", id="notes.close"),
        Binding("ctrl+o", "orphans", "Orphans only", id="notes.orphans"),
        Binding(
            "down",
            "to_results",
            "To the notes",
            id="notes.to_results",
            show=False,
            tooltip="Move from the filter to the notes found",
        ),
    ]

    def __init__(self, data: ReaderData, snapshot: Snapshot, query: str = "") -> None:
        super().__init__()
        self.data = data
        self.snapshot = snapshot
        self.initial = query
        self.shown: list[Note] = []

    def action_to_results(self) -> None:
        """Down in the input goes to the list (the list itself handles Down when focused)."""
        if not self.query_one("#notes-found", KeyList).take_focus():
            self.app.bell()

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Input(
                self.initial,
                placeholder="filter: words, #tag, story:NAME, article:ID, is:orphan",
                id="notes-filter",
            )
            yield Static(id="notes-status")
            yield KeyList(id="notes-found")

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self.refilter(self.initial)

    @on(Input.Changed, "#notes-filter")
    def _changed(self, event: Input.Changed) -> None:
        self.refilter(event.value)

    @on(Input.Submitted, "#notes-filter")
    def _submitted(self) -> None:
        found = self.query_one(OptionList)
        if found.option_count:
            found.focus()

    def action_orphans(self) -> None:
        field = self.query_one(Input)
        words = [w for w in field.value.split() if w != "is:orphan"]
        if "is:orphan" not in field.value.split():
            words.append("is:orphan")
        field.value = " ".join(words)

    @work(thread=True, exclusive=True, group="notes")
    def refilter(self, query: str) -> None:
        from store.errors import TreatyError, reason

        try:
            notes = self.data.find_notes(query)
        except (TreatyError, OSError) as exc:
            self.app.call_from_thread(self._show, [], reason(exc))
            return
        self.app.call_from_thread(self._show, notes, "")

    def _show(self, notes: list[Note], problem: str) -> None:
        self.shown = notes
        found = self.query_one(OptionList)
        found.clear_options()
        found.add_options(Option(note_prompt(n, self.snapshot, with_source=True)) for n in notes)
        found.highlighted = 0 if notes else None
        orphans = sum(n.orphan for n in notes)
        status = problem or (
            counted(len(notes), "note")
            + (f", {orphans} orphaned" if orphans else "")
            + "   (enter opens, ctrl+o orphans only)"
        )
        self.query_one("#notes-status", Static).update(Text(status))

    @on(OptionList.OptionSelected, "#notes-found")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        note = self.shown[event.option_index]
        if note.orphan or self.snapshot.info(note.article) is None:
            self.notify(
                f'This note\'s passage is gone: "{visible_line(note.anchor.exact)[:60]}"',
                timeout=4,
            )
            if self.snapshot.info(note.article) is None:
                return
        self.dismiss(NoteJump(note.article, note.anchor.start))
