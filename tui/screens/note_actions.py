"""The reader's note actions: take, edit, tag, delete and undo notes, and list them all.

The reader screen inherits these; they ask the library client in a worker
and get a NotesChanged Message back. Note text is written in the built-in
editor, or in $VISUAL/$EDITOR (tui.editor) when the settings say so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, cast

from textual import on, work
from textual.screen import Screen

from tui.client import Opened, ReaderData, Snapshot
from tui.messages import NotesChanged
from tui.widgets.article_view import ArticleView
from tui.widgets.side_panel import SidePanel

if TYPE_CHECKING:  # records arrive from workers; not imported for the first frame
    from store.models import Note
    from tui.app import TreatyApp
    from tui.screens.notes import NoteDraft, NoteJump


READ_ONLY = "This library is read-only (its folder is not writable): notes cannot be saved."


class NoteActions(Screen[None]):
    """Note taking on the open article; the reader screen provides `open_place`."""

    data: ReaderData
    opened: Opened | None
    snapshot: Snapshot | None
    deleted: list[Note]

    @property
    def treaty_app(self) -> TreatyApp:
        return cast("TreatyApp", self.app)

    def open_place(
        self, article_id: str, sentence: int, remember: bool = True, offset: int | None = None
    ) -> None:
        raise NotImplementedError

    def _show_notes(self) -> None:
        if not self.opened:
            return
        notes = self.opened.notes
        self.query_one(ArticleView).set_notes(
            [(n.anchor.start, n.anchor.end) for n in notes if not n.orphan]
        )
        self.query_one(SidePanel).show_notes(notes, self.snapshot)

    def note_here(self) -> Note | None:
        """The note the reader means: highlighted in the Notes tab, else on the cursor."""
        panel = self.query_one(SidePanel)
        if self.focused is not None and self.focused.id == "notes":
            return panel.highlighted_note
        view = self.query_one(ArticleView)
        if not self.opened or not view.article or not view.article.sentences:
            return None
        sentence = view.article.sentences[view.cursor]
        here = self.opened.notes_at(sentence.start, sentence.end)
        chosen = panel.highlighted_note
        return chosen if chosen in here else (here[0] if here else None)

    def _writable(self) -> bool:
        """False (and the user told why) when the library is read-only: no text is typed in vain."""
        if self.snapshot is not None and self.snapshot.read_only:
            self.app.bell()
            self.notify(READ_ONLY, severity="warning", timeout=4)
            return False
        return True

    def _note_to_change(self) -> Note | None:
        """The note here, if there is one and the library can be written (else the user is told)."""
        note = self.note_here()
        if note is None:
            self._no_note()
            return None
        return note if self._writable() else None

    def _no_note(self) -> None:
        self.app.bell()
        self.notify("No note here: a adds one to the current sentence.", timeout=2)

    def action_annotate(self) -> None:
        view = self.query_one(ArticleView)
        if not self.opened or not view.article or not view.article.sentences:
            return
        if not self._writable():
            return
        if view.selection:
            start, end = view.selection
        else:
            sentence = view.article.sentences[view.cursor]
            start, end = sentence.start, sentence.end
        article = self.opened.article
        view.action_cancel_selection()
        self._compose_note(
            article.text[start:end],
            lambda body, tags: self.data.add_note(article.id, start, end, body, tags),
            "Note saved.",
        )

    @on(SidePanel.AnnotateLink)
    def _annotate_link(self, message: SidePanel.AnnotateLink) -> None:
        self.annotate_link(message.index)

    def annotate_link(self, index: int) -> None:
        """A note on the link shown at `index` of the Claims list."""
        view = self.query_one(ArticleView)
        target = self.query_one(SidePanel).claim_target(index)
        if not self.opened or target is None or not self._writable():
            return
        article = self.opened.article
        other = self.opened.other(target[0])
        if isinstance(other, str):
            self.notify(other, severity="error")
            return
        mine, theirs = article.sentences[view.cursor], other.sentences[target[1]]
        self._compose_note(
            f"{article.sentence_text(view.cursor)}  <->  {other.sentence_text(target[1])}",
            lambda body, tags: self.data.add_note(
                article.id, mine.start, mine.end, body, tags, (other.id, theirs.start, theirs.end)
            ),
            "Note on the link saved.",
        )

    def _compose_note(
        self,
        quote: str,
        save: Callable[[str, tuple[str, ...]], Note],
        done: str,
        body: str = "",
        tags: tuple[str, ...] = (),
    ) -> None:
        """Open the editor (built-in, or $EDITOR when configured) and save what it returns."""
        from tui.screens.notes import NoteEditor

        if self.treaty_app.config.editor == "external":
            from tui.editor import edit_externally

            edited = edit_externally(self.app, body)
            if edited.problem:
                self.notify(edited.problem, timeout=3)
            if edited.available:
                text = edited.text
                if text is not None:
                    self.note_write(
                        lambda: save(text, tags),
                        done,
                        retry=lambda: self._compose_note(quote, save, done, text, tags),
                    )
                return

        def saved(draft: NoteDraft | None) -> None:
            if draft is not None:
                self.note_write(
                    lambda: save(draft.body, draft.tags),
                    done,
                    retry=lambda: self._compose_note(quote, save, done, draft.body, draft.tags),
                )

        self.app.push_screen(NoteEditor(quote, body, tags), saved)

    def action_edit_note(self) -> None:
        note = self._note_to_change()
        if note is None:
            return
        self._compose_note(
            note.anchor.exact,
            lambda body, tags: self.data.edit_note(note.id, body, tags),
            "Note updated.",
            note.body,
            note.tags,
        )

    def action_tag_note(self) -> None:
        from tui.screens.notes import TagEditor

        note = self._note_to_change()
        if note is None:
            return

        def saved(tags: tuple[str, ...] | None) -> None:
            if tags is not None:
                self.note_write(lambda: self.data.edit_note(note.id, tags=tags), "Tags saved.")

        self.app.push_screen(TagEditor(note.tags), saved)

    def action_delete_note(self) -> None:
        from tui.screens.notes import ConfirmDelete

        note = self._note_to_change()
        if note is None:
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.deleted.append(note)
                self.note_write(
                    lambda: self.data.delete_note(note.id), "Note deleted (ctrl+z to undo)."
                )

        self.app.push_screen(ConfirmDelete(note), confirmed)

    def action_undo_delete(self) -> None:
        if not self.deleted:
            self.app.bell()
            return
        note = self.deleted.pop()
        self.note_write(
            lambda: self.data.restore_note(note),
            "Note restored.",
            retry=lambda: self.deleted.append(note),
            kept="ctrl+z tries again.",
        )

    def action_all_notes(self) -> None:
        from tui.screens.notes import NotesScreen

        if not self.snapshot:
            return

        def chosen(jump: NoteJump | None) -> None:
            if jump is not None:
                self.open_place(jump.article, 0, offset=jump.offset)
                self.query_one(ArticleView).focus()

        self.app.push_screen(NotesScreen(self.data, self.snapshot), chosen)

    @work(thread=True, group="notes")
    def note_write(
        self,
        change: Callable[[], Note],
        done: str,
        retry: Callable[[], None] | None = None,
        kept: str = "Your text is still in the editor.",
    ) -> None:
        """Write a note change, then send the article's stored notes back to the screen.

        When the write fails (a full disk, a folder made read-only, a damaged
        file) the user is told why in one line and, for typed text, `retry`
        opens the editor again holding that text, so nothing typed is lost.
        """
        from store.errors import TreatyError, reason

        try:
            note = change()
            notes = self.data.notes_of(note.article)
        except (TreatyError, OSError) as exc:
            told = f"Not saved: {reason(exc)}." + (f" {kept}" if retry else "")
            self.app.call_from_thread(self.notify, told, severity="error", timeout=8)
            if retry is not None:
                self.app.call_from_thread(retry)
            return
        self.post_message(NotesChanged(note.article, notes, done))

    def on_notes_changed(self, message: NotesChanged) -> None:
        if self.opened and self.opened.article.id == message.article:
            self.opened = replace(self.opened, notes=message.notes)
            self._show_notes()
        if message.message:
            self.notify(message.message, timeout=2)
