"""Adding, editing, filtering and carrying notes: the rules, apart from the notes file.

The files themselves (notes/ and its lock) belong to store.disk.notebook;
this module decides what a note holds, which notes a filter picks, and
where notes go when their article is replaced or removed.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timezone

from store.disk.catalog import Catalog
from store.disk.notebook import NoteBook
from store.errors import NotFound, TreatyError
from store.models import Article, Note
from store.notes.anchoring import make_anchor, reanchor
from store.notes.formats import NoteFormat

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


def edited(note: Note, body: str | None = None, tags: Iterable[str] | None = None) -> Note:
    """The note with a new body and/or tags and a fresh `updated` time."""
    return replace(
        note,
        body=note.body if body is None else body,
        tags=note.tags if tags is None else clean_tags(tags),
        updated=now(),
    )


class NoteService:
    """The notes of one library: made on its articles, filtered by its catalog."""

    def __init__(
        self, notebook: NoteBook, catalog: Catalog, article: Callable[[str], Article]
    ) -> None:
        self.notebook = notebook
        self.catalog = catalog
        self.article = article

    def notes(
        self,
        text: str = "",
        tag: str = "",
        article: str = "",
        story: str = "",
        orphans: bool | None = None,
    ) -> list[Note]:
        """Notes matching every given filter; `story` is a story id or name."""
        articles = None
        if story:
            wanted = {
                s.id
                for s in self.catalog.stories()
                if story.casefold() in (s.id, s.name.casefold())
            }
            if not wanted:
                raise NotFound(f"no story {story!r}")
            articles = frozenset(a.id for a in self.catalog.articles() if a.story in wanted)
        pick = NoteFilter(text=text, tag=tag, article=article, articles=articles, orphans=orphans)
        if article and self.catalog.article(article.strip()) is not None:
            return [n for n in self.notebook.of_article(article.strip()) if pick(n)]
        return [n for n in self.notebook.all() if pick(n)]

    def add(
        self,
        article_id: str,
        start: int,
        end: int,
        body: str = "",
        tags: Iterable[str] = (),
        link: tuple[str, int, int] | None = None,
    ) -> Note:
        """A new note on article text[start:end]; `link` = (other article, start, end)."""
        article = self.article(article_id)
        if not 0 <= start < end <= len(article.text):
            raise TreatyError(f"no text at {start}-{end} in article {article_id}")
        link_article, link_anchor = "", None
        if link is not None:
            other = self.article(link[0])
            link_article, link_anchor = other.id, make_anchor(other.text, link[1], link[2])
        stamp = now()
        note = Note(
            new_id(),
            article.id,
            make_anchor(article.text, start, end),
            body,
            clean_tags(tags),
            stamp,
            stamp,
            link_article,
            link_anchor,
        )
        return self.notebook.put(note)

    def edit(
        self, note_id: str, body: str | None = None, tags: Iterable[str] | None = None
    ) -> Note:
        full_id = note_id if len(note_id) == NOTE_ID_LENGTH else self.notebook.get(note_id).id
        return self.notebook.change(full_id, lambda n: edited(n, body, tags))

    def delete(self, note_id: str) -> Note:
        return self.notebook.delete(self.notebook.get(note_id).id)

    def restore(self, note: Note) -> Note:
        """Put a deleted note back exactly as it was (undo)."""
        return self.notebook.put(note)

    def export(self, notes: Iterable[Note], fmt: NoteFormat) -> str:
        """Notes as md, jsonld or csv (store.notes.formats)."""
        from store.notes.formats import NoteContext, export

        context = NoteContext(
            {a.id: a for a in self.catalog.articles()},
            {s.id: s.name for s in self.catalog.stories()},
        )
        return export(notes, fmt, context)

    def import_jsonld(self, text: str, name: str = "input") -> tuple[int, int, list[str]]:
        """Notes from a JSON-LD export: (added, already present, a line per rejected note)."""
        from store.notes.formats import from_jsonld

        notes, rejected = from_jsonld(text, name)
        added = self.notebook.put_many(notes)
        return added, len(notes) - added, rejected

    def orphan_article(self, article_id: str) -> int:
        """Mark the placed notes of a removed article as orphans (kept with their quotes)."""
        return self.notebook.move(
            lambda n: (
                replace(n, anchor=replace(n.anchor, confidence=0.0))
                if n.article == article_id and not n.orphan
                else None
            ),
            [article_id],
        )

    def carry(self, old_ids: set[str], article: Article) -> tuple[int, int]:
        """Re-anchor notes on earlier versions of `article`; returns (placed, orphaned)."""
        counts: Counter[str] = Counter()
        sentences = [(s.start, s.end) for s in article.sentences]

        def rewrite(note: Note) -> Note | None:
            if note.article not in old_ids and note.link_article not in old_ids:
                return None
            if note.article in old_ids:
                start = note.anchor
                if note.orphan:  # an orphan gets another chance at full confidence
                    start = replace(start, confidence=1.0)
                anchor = reanchor(start, article.text, sentences)
                note = replace(note, article=article.id, anchor=anchor)
                counts["orphaned" if note.orphan else "placed"] += 1
            if note.link_article in old_ids and note.link_anchor is not None:
                anchor = reanchor(replace(note.link_anchor, confidence=1.0), article.text)
                note = replace(note, link_article=article.id, link_anchor=anchor)
            return note

        self.notebook.move(rewrite, old_ids)
        return counts["placed"], counts["orphaned"]
