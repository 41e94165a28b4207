"""The notes file: a reader's notes in their own TinyDB file, apart from article data.

notes.json is small next to the articles, and writing a note touches nothing
else. Writes hold their own lock (HOME/.notes.lock), so taking a note never
waits for an import that is linking a story; an import that re-anchors
notes takes the library lock first and this one second, never the reverse.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

from store.db import locked
from store.errors import NotFound, by_prefix
from store.models import Note, to_dict
from store.tables import Document, transaction

NOTES_FILE = "notes.json"
NOTES_LOCK = ".notes.lock"
NOTE_ID_LENGTH = 36  # a UUID as text


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def new_id() -> str:
    return str(uuid.uuid4())


def clean_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """Tags as the reader typed them, without '#', blanks or repeats, in order."""
    out: dict[str, None] = {}
    for tag in tags:
        for part in tag.replace(",", " ").split():
            part = part.lstrip("#").strip()
            if part:
                out.setdefault(part, None)
    return tuple(out)


@dataclass(frozen=True)
class NoteFilter:
    """Which notes to list: every given condition must hold."""

    text: str = ""
    tag: str = ""
    article: str = ""  # an id or a prefix of one
    articles: frozenset[str] | None = None  # e.g. the articles of one story
    orphans: bool | None = None

    def __call__(self, note: Note) -> bool:
        if not note.article.startswith(self.article.strip()):
            return False
        if self.articles is not None and note.article not in self.articles:
            return False
        if self.tag and self.tag.lstrip("#").casefold() not in {t.casefold() for t in note.tags}:
            return False
        if self.orphans is not None and note.orphan != self.orphans:
            return False
        if self.text:
            haystack = " ".join((note.body, note.anchor.exact, *note.tags)).casefold()
            return all(word in haystack for word in self.text.casefold().split())
        return True


class NoteBook:
    """Reads and writes notes.json under the notes lock."""

    def __init__(self, home: Path) -> None:
        self.home = home

    @property
    def path(self) -> Path:
        return self.home / NOTES_FILE

    def all(self) -> list[Note]:
        rows = Document.load(self.path).table("notes").rows()
        return sorted(
            (Note.load(row) for row in rows),
            key=lambda n: (n.article, n.anchor.start, n.created, n.id),
        )

    def get(self, note_id: str) -> Note:
        """The note whose id starts with `note_id` (unique), else NotFound."""
        return by_prefix(self.all(), note_id, "note")

    def put(self, note: Note) -> Note:
        """Insert or replace one note (by id)."""
        with locked(self.home, NOTES_LOCK), transaction(self.path) as db:
            db.table("notes").put(to_dict(note))
        return note

    def put_many(self, notes: Iterable[Note]) -> int:
        """Insert notes whose ids are new; returns how many were added."""
        added = 0
        with locked(self.home, NOTES_LOCK), transaction(self.path) as db:
            table = db.table("notes")
            for note in notes:
                if note.id not in table:
                    table.put(to_dict(note))
                    added += 1
        return added

    def change(self, note_id: str, change: Callable[[Note], Note]) -> Note:
        """Apply `change` to the stored note, reading and writing under the lock."""
        with locked(self.home, NOTES_LOCK), transaction(self.path) as db:
            table = db.table("notes")
            row = table.get(note_id)
            if row is None:
                raise NotFound(f"no note with id {note_id!r}")
            note = change(Note.load(row))
            table.put(to_dict(note))
        return note

    def delete(self, note_id: str) -> Note:
        with locked(self.home, NOTES_LOCK), transaction(self.path) as db:
            table = db.table("notes")
            row = table.remove(note_id)
            if row is None:
                raise NotFound(f"no note with id {note_id!r}")
        return Note.load(row)

    def move(self, rewrite: Callable[[Note], Note | None]) -> int:
        """Rewrite every note through `rewrite` (None keeps it); returns how many changed."""
        changed = 0
        with locked(self.home, NOTES_LOCK), transaction(self.path) as db:
            table = db.table("notes")
            for row in table.rows():
                new = rewrite(Note.load(row))
                if new is not None:
                    table.put(to_dict(new))
                    changed += 1
        return changed


def edited(note: Note, body: str | None = None, tags: Iterable[str] | None = None) -> Note:
    """The note with a new body and/or tags and a fresh `updated` time."""
    return replace(
        note,
        body=note.body if body is None else body,
        tags=note.tags if tags is None else clean_tags(tags),
        updated=now(),
    )
