"""notes.json: a reader's notes in their own TinyDB file, apart from article data.

notes.json is small next to the articles, and writing a note touches nothing
else. Writes hold their own lock (HOME/.notes.lock), so taking a note never
waits for an import that is linking a story; an import that re-anchors
notes takes the library lock first and this one second, never the reverse.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from pathlib import Path

from store.disk.files import locked
from store.disk.layout import NOTES_LOCK, Layout
from store.disk.tables import Document, transaction
from store.errors import NotFound, by_prefix
from store.models import Note, to_dict


def _fault(row: object) -> str:
    """Why a stored row is not a note ("" when it is one)."""
    try:
        Note.load(row)
    except ValueError as exc:
        return str(exc)
    return ""


def _readable(row: object) -> Note | None:
    try:
        return Note.load(row)
    except ValueError:
        return None


class NoteBook:
    """Reads and writes notes.json under the notes lock."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout

    @property
    def path(self) -> Path:
        return self.layout.notes

    def lock(self) -> AbstractContextManager[None]:
        return locked(self.layout.home, NOTES_LOCK)

    def all(self) -> list[Note]:
        """Every readable note; a damaged row is passed over (`doctor` quarantines it)."""
        rows = Document.load(self.path).table("notes").rows()
        return sorted(
            (note for row in rows if (note := _readable(row)) is not None),
            key=lambda n: (n.article, n.anchor.start, n.created, n.id),
        )

    def damaged(self) -> list[tuple[str, str]]:
        """(row number in the file, reason) of every note row that is not a valid note."""
        raw = Document.load(self.path).table("notes").raw
        return [(doc_id, why) for doc_id, row in raw.items() if (why := _fault(row))]

    def quarantine(self, when: str) -> list[tuple[str, str]]:
        """Move damaged note rows, unchanged, to the quarantine file; (row, reason) of each."""
        moved: list[tuple[str, str]] = []
        with self.lock(), transaction(self.path) as db:
            table = db.table("notes")
            faults = [(doc_id, why) for doc_id, row in table.raw.items() if (why := _fault(row))]
            if not faults:
                return []
            with transaction(self.layout.notes_quarantine) as jail:
                held = jail.table("notes", key="at")
                for doc_id, why in faults:
                    at = f"{when}/{doc_id}"
                    held.put({"at": at, "reason": why, "row": table.pop_doc(doc_id)})
                    moved.append((doc_id, why))
        return moved

    def get(self, note_id: str) -> Note:
        """The note whose id starts with `note_id` (unique), else NotFound."""
        return by_prefix(self.all(), note_id, "note")

    def put(self, note: Note) -> Note:
        """Insert or replace one note (by id)."""
        with self.lock(), transaction(self.path) as db:
            db.table("notes").put(to_dict(note))
        return note

    def put_many(self, notes: Iterable[Note]) -> int:
        """Insert notes whose ids are new; returns how many were added."""
        added = 0
        with self.lock(), transaction(self.path) as db:
            table = db.table("notes")
            for note in notes:
                if note.id not in table:
                    table.put(to_dict(note))
                    added += 1
        return added

    def change(self, note_id: str, change: Callable[[Note], Note]) -> Note:
        """Apply `change` to the stored note, reading and writing under the lock."""
        with self.lock(), transaction(self.path) as db:
            table = db.table("notes")
            row = table.get(note_id)
            if row is None:
                raise NotFound(f"no note with id {note_id!r}")
            note = change(Note.load(row))
            table.put(to_dict(note))
        return note

    def delete(self, note_id: str) -> Note:
        with self.lock(), transaction(self.path) as db:
            table = db.table("notes")
            row = table.remove(note_id)
            if row is None:
                raise NotFound(f"no note with id {note_id!r}")
        return Note.load(row)

    def move(self, rewrite: Callable[[Note], Note | None]) -> int:
        """Rewrite every note through `rewrite` (None keeps it); returns how many changed."""
        changed = 0
        with self.lock(), transaction(self.path) as db:
            table = db.table("notes")
            for row in table.rows():
                note = _readable(row)
                new = None if note is None else rewrite(note)
                if new is not None:
                    table.put(to_dict(new))
                    changed += 1
        return changed
