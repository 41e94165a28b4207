"""The reader's notes on disk: one small TinyDB file per article, and an index of note ids.

A notes archive can hold 100,000 notes; one file of them cost a second to
parse and write on every note added, and the reader read all of them to
show one article's. So each article's notes live in notes/<article>/, in up
to 17 small files by the first character of the note id: the reader reads
one folder, and a note change rewrites one file of some dozens of notes.
notes/ids/<xxx>.json (by the first three characters of a note id) says which
article a note id is on, and which article it links to, so that a note
found by an id prefix or by its link costs two small reads.

Writes hold their own lock (HOME/.notes.lock), so taking a note never
waits for an import that is linking a story; an import that re-anchors
notes takes the library lock first and this one second, never the reverse.
A row that is not a valid note is passed over by every read and left in
place for `doctor` to quarantine.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

from store.disk.files import locked
from store.disk.layout import NOTES_LOCK, Layout
from store.disk.tables import Document, Row, transaction
from store.errors import NotFound, by_prefix
from store.models import Note, to_dict

_HEX_HEAD = re.compile(r"[0-9a-f]{3}")
INDEX_CHARS = 3  # 4,096 index files: some 25 ids each at 100,000 notes


def id_shard(note_id: str) -> str:
    """The index file of a note id (or of any prefix of three characters or more)."""
    head = note_id[:INDEX_CHARS].lower()
    return head if _HEX_HEAD.fullmatch(head) else "other"


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


def announce(layout: Layout) -> None:
    """Touch notes/ so that a reader watching its time sees that a note changed.

    A change replaces a file in notes/<article>/ or notes/ids/, which changes
    those folders' times but not that of notes/ itself.
    """
    os.utime(layout.notes_folder)


def _index_row(note: Note) -> Row:
    return {"id": note.id, "article": note.article, "link": note.link_article}


class NoteBook:
    """Reads and writes the notes files under the notes lock."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout

    def lock(self) -> AbstractContextManager[bool]:
        return locked(self.layout.home, NOTES_LOCK)

    # -- reading ---------------------------------------------------------------
    def shard_files(self, article_id: str | None = None) -> list[Path]:
        """The files of one article's notes, or of every article's."""
        if article_id is not None:
            folders = [self.layout.note_folder(article_id)]
        else:
            ids = self.layout.note_ids_folder
            folders = [p for p in self.layout.notes_folder.glob("*") if p.is_dir() and p != ids]
        return sorted(
            p
            for folder in folders
            if not folder.is_symlink()
            for p in folder.glob("*.json")
            if not p.is_symlink()
        )

    def all(self) -> list[Note]:
        """Every readable note, by article and place."""
        notes = [n for path in self.shard_files() for n in self._notes_in(path)]
        return sorted(notes, key=lambda n: (n.article, n.anchor.start, n.created, n.id))

    def of_article(self, article_id: str) -> list[Note]:
        """The notes on one article (one small folder read)."""
        notes = [n for path in self.shard_files(article_id) for n in self._notes_in(path)]
        return sorted(notes, key=lambda n: (n.anchor.start, n.created, n.id))

    def get(self, note_id: str) -> Note:
        """The note whose id starts with `note_id` (unique), else NotFound."""
        prefix = note_id.strip()
        if len(prefix) < 2:
            return by_prefix(self.all(), prefix, "note")
        if len(prefix) >= INDEX_CHARS:
            files = [self.layout.note_index(id_shard(prefix))]
        else:  # two characters: the sixteen index files they begin
            files = sorted(self.layout.note_ids_folder.glob(f"{prefix.lower()}?.json"))
            files.append(self.layout.note_index("other"))
        found = [
            row
            for path in files
            for row in Document.load(path).table("ids").rows()
            if str(row.get("id", "")).startswith(prefix)
        ]
        notes = []
        for row in found:  # each read from the one small file that holds it
            shard = Document.load(self.layout.note_shard(row["article"], row["id"]))
            note = _readable(shard.table("notes").get(row["id"]))
            if note is not None:
                notes.append(note)
        return by_prefix(notes, prefix, "note")

    def _notes_in(self, path: Path) -> Iterator[Note]:
        for row in Document.load(path).table("notes").rows():
            note = _readable(row)
            if note is not None:
                yield note

    # -- writing (each under the notes lock) ---------------------------------------
    def put(self, note: Note) -> Note:
        """Insert or replace one note (by id)."""
        with self.lock(), _Batch(self.layout) as batch:
            batch.put(note)
        return note

    def put_many(self, notes: Iterable[Note]) -> int:
        """Insert notes whose ids are new; returns how many were added."""
        added = 0
        with self.lock(), _Batch(self.layout) as batch:
            for note in notes:
                if batch.where(note.id) is None:
                    batch.put(note)
                    added += 1
        return added

    def change(self, note_id: str, change: Callable[[Note], Note]) -> Note:
        """Apply `change` to the stored note, reading and writing under the lock."""
        with self.lock(), _Batch(self.layout) as batch:
            note = batch.note(note_id)
            new = change(note)
            batch.put(new)
        return new

    def delete(self, note_id: str) -> Note:
        with self.lock(), _Batch(self.layout) as batch:
            note = batch.note(note_id)
            batch.remove(note)
        return note

    def move(self, rewrite: Callable[[Note], Note | None], articles: Iterable[str]) -> int:
        """Rewrite the notes on, or linking to, `articles` (None keeps one); how many changed."""
        wanted = set(articles)
        changed = 0
        with self.lock(), _Batch(self.layout) as batch:
            holders = wanted | batch.linking_to(wanted)
            notes = [n for article in sorted(holders) for n in batch.notes_on(article)]
            for note in notes:  # each once, though rewriting may move it into another holder
                new = rewrite(note)
                if new is not None:
                    batch.remove(note)
                    batch.put(new)
                    changed += 1
        return changed

    # -- damage and repair -------------------------------------------------------
    def rebuild_index(self) -> int:
        """Write the id index afresh from the article files; returns how many entries changed."""
        with self.lock():
            wanted: dict[str, dict[str, Row]] = {}
            for path in self.shard_files():
                for note in self._notes_in(path):
                    wanted.setdefault(id_shard(note.id), {})[note.id] = _index_row(note)
            changed = 0
            folder = self.layout.note_ids_folder
            names = {p.stem for p in folder.glob("*.json")} | set(wanted)
            for name in sorted(names):
                path = self.layout.note_index(name)
                rows = wanted.get(name, {})
                old = Document.load(path).table("ids")
                stale = {r.get("id"): r for r in old.rows()}
                changed += sum(1 for k, r in rows.items() if stale.get(k) != r)
                changed += sum(1 for k in stale if k not in rows)
                if stale != rows:
                    doc = Document(path, None)
                    table = doc.table("ids")
                    for row in rows.values():
                        table.put(row)
                    doc.save()
            return changed

    def damaged(self) -> list[tuple[str, str]]:
        """(where, reason) of every stored note row that is not a valid note."""
        out = []
        for path in self.shard_files():
            raw = Document.load(path).table("notes").raw
            at = f"{path.parent.name}/{path.stem}"
            out += [(f"{at}/{k}", why) for k, row in raw.items() if (why := _fault(row))]
        return out

    def quarantine(self, when: str) -> list[tuple[str, str]]:
        """Move damaged note rows, unchanged, to the quarantine file; (where, reason) of each."""
        moved: list[tuple[str, str]] = []
        with self.lock():
            for path in self.shard_files():
                with transaction(path) as db:
                    table = db.table("notes")
                    faults = [(k, why) for k, row in table.raw.items() if (why := _fault(row))]
                    if not faults:
                        continue
                    with transaction(self.layout.notes_quarantine) as jail:
                        held = jail.table("notes", key="at")
                        for doc_id, why in faults:
                            where = f"{path.parent.name}/{path.stem}/{doc_id}"
                            row = table.pop_doc(doc_id)
                            held.put({"at": f"{when}/{where}", "reason": why, "row": row})
                            moved.append((where, why))
            if moved:
                announce(self.layout)
        return moved


class _Batch:
    """The note and index files one change reads, each written back once at the end."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self._docs: dict[Path, Document] = {}

    def __enter__(self) -> _Batch:
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if kind is None:  # written only when the whole change succeeded
            changed = [doc for doc in self._docs.values() if doc.changed]
            for doc in changed:
                doc.save()
            if changed:
                announce(self.layout)

    def _doc(self, path: Path) -> Document:
        if path not in self._docs:
            self._docs[path] = Document.load(path)
        return self._docs[path]

    def _index(self, note_id: str):
        return self._doc(self.layout.note_index(id_shard(note_id))).table("ids")

    def _shard(self, article_id: str, note_id: str):
        return self._doc(self.layout.note_shard(article_id, note_id)).table("notes")

    def where(self, note_id: str) -> str | None:
        """The article a note id is on, or None."""
        row = self._index(note_id).get(note_id)
        return None if row is None else row["article"]

    def note(self, note_id: str) -> Note:
        article = self.where(note_id)
        row = None if article is None else self._shard(article, note_id).get(note_id)
        note = _readable(row) if row is not None else None
        if note is None:
            raise NotFound(f"no note with id {note_id!r}")
        return note

    def notes_on(self, article_id: str) -> Iterator[Note]:
        for path in NoteBook(self.layout).shard_files(article_id):
            for row in self._doc(path).table("notes").rows():
                note = _readable(row)
                if note is not None:
                    yield note

    def linking_to(self, articles: set[str]) -> set[str]:
        """The articles holding notes that link to one of `articles` (reads the id index)."""
        if not articles:
            return set()
        holders = set()
        for path in sorted(self.layout.note_ids_folder.glob("*.json")):
            for row in self._doc(path).table("ids").rows():
                if row.get("link") in articles:
                    holders.add(row["article"])
        return holders

    def put(self, note: Note) -> None:
        old = self.where(note.id)
        if old is not None and old != note.article:
            self._shard(old, note.id).remove(note.id)
        self._shard(note.article, note.id).put(to_dict(note))
        self._index(note.id).put(_index_row(note))

    def remove(self, note: Note) -> None:
        self._shard(note.article, note.id).remove(note.id)
        self._index(note.id).remove(note.id)
