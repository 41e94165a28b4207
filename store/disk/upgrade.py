"""Bring a library written by an older treaty-tui up to today's layout, on first open.

Libraries from before entity shards kept every entity in catalog.json; they
are moved out into entities/NN.json. Libraries from before notes/ kept every
note in notes.json; they are moved into one file per article (a row that is
no valid note goes to the quarantine file, unchanged), then notes.json goes.
(Links files need no rewrite: Link.load reads the object lines of earlier
releases, with or without structured differences, beside today's arrays.)
"""

from __future__ import annotations

from collections import Counter

from store.disk.catalog import Catalog, add_story_entities
from store.disk.entities import EntityStore
from store.disk.layout import Layout
from store.disk.notebook import NoteBook
from store.disk.tables import Document, transaction
from store.models import Note


def upgrade(layout: Layout, catalog: Catalog) -> None:
    """Upgrade the library in place where it needs it; a no-op for a current one."""
    if catalog.holds_entities():
        _move_entities_out(layout, catalog)
    if layout.notes.is_file() and not layout.notes.is_symlink():
        _move_notes_out(layout)


def _move_notes_out(layout: Layout) -> None:
    """notes.json into notes/<article>.json; StoreDamaged (and nothing moved) if it is damaged."""
    book = NoteBook(layout)
    with book.lock():
        if not layout.notes.exists():  # another process moved them first
            return
        raw = Document.load(layout.notes).table("notes").raw
        notes, bad = [], []
        for doc_id, row in raw.items():
            try:
                notes.append(Note.load(row))
            except ValueError as exc:
                bad.append({"at": f"notes.json/{doc_id}", "reason": str(exc), "row": row})
        if bad:
            with transaction(layout.notes_quarantine) as jail:
                for entry in bad:
                    jail.table("notes", key="at").put(entry)
    book.put_many(notes)
    layout.notes.unlink(missing_ok=True)


def _move_entities_out(layout: Layout, catalog: Catalog) -> None:
    """Move entities from catalog.json into entity shards, and fill in story entity lists."""
    with catalog.transaction() as db:
        rows = db.data.pop("entities", {})
        db.changed = True
        entities = EntityStore(layout)
        story_of = {row["id"]: row["story"] for row in db.table("articles").rows()}
        per_story: dict[str, Counter[str]] = {}
        for row in rows.values():
            entities.add(row)
            for article_id in row.get("articles", {}):
                if article_id in story_of:
                    per_story.setdefault(story_of[article_id], Counter())[row["id"]] += 1
        for story_id, counts in per_story.items():
            add_story_entities(db, story_id, counts)
        entities.save()
