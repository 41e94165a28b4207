"""catalog.json: article metadata, stories and the library's meta flags.

The catalog is parsed once per version of the file (every write replaces
the file, so inode, mtime and size tell a new version) and changed in
memory inside a transaction that holds the library lock and writes it back
once. Every shape of a catalog row is known here and nowhere else.

What the catalog lists (its articles in order, stories and meta flags: a
Listing) is also written, after each save, to catalog.digest.json as plain
arrays with the version of catalog.json it was made from. A reader whose
catalog.json is that version reads the digest instead: 10,000 articles in
8 ms, not 26 (the reader's start waits for them). A digest that is missing,
damaged or of another version (a copied library) is passed by, and written
again by the next change.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

import orjson

from store.disk.files import Stamp, file_stamp, locked, write_bytes_atomic
from store.disk.layout import Layout
from store.disk.tables import Document, Row
from store.errors import by_prefix
from store.models import ArticleInfo, Story, to_dict

DIGEST_FORMAT = 1


@dataclass(frozen=True)
class Listing:
    """What the catalog lists: every article's record (by story, then date, then day
    added, then id: the same order every time, however long an import of many articles
    took), the stories and the meta flags."""

    articles: list[ArticleInfo]
    stories: list[Story]
    meta: dict[str, Any]
    holds_entities: bool = False  # a catalog from before entity shards (upgrade moves them)
    by_id: dict[str, ArticleInfo] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        self.by_id.update((a.id, a) for a in self.articles)

    @classmethod
    def of(cls, db: Document) -> Listing:
        infos = article_infos(db.table("articles").rows())
        return cls(
            sorted(infos, key=lambda a: (a.story, a.date, a.added[:10], a.id)),
            [Story(row["id"], row["name"]) for row in db.table("stories").rows()],
            {row["key"]: row.get("value") for row in db.table("meta", key="key").rows()},
            "entities" in db.data,
        )


class Catalog:
    """The catalog of one library, cached in memory; safe to share between threads."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self._cached: tuple[Stamp, Document] | None = None
        self._listed: tuple[Stamp, Listing] | None = None
        self._lock = threading.RLock()

    def document(self) -> Document:
        """The catalog, parsed once per version of the file."""
        with self._lock:
            stamp = file_stamp(self.layout.catalog)
            if self._cached is None or self._cached[0] != stamp:
                self._cached = (stamp, Document.load(self.layout.catalog))
            return self._cached[1]

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Document]:
        """The catalog under the library lock, written back once if it changed (and its
        digest after it).

        The parsed catalog is reused when the file is the one last read; a
        failed transaction forgets it, so nothing half-changed is ever read.
        """
        with self._lock, locked(self.layout.home):
            db = self.document()
            try:
                yield db
                if db.changed:
                    db.save()
                    self._cached, self._listed = (file_stamp(self.layout.catalog), db), None
                    with contextlib.suppress(KeyError, TypeError):  # rows that list badly:
                        self._listed = (self._cached[0], Listing.of(db))  # no digest (doctor)
                        if not self._listed[1].holds_entities:
                            self._write_digest(*self._listed)
            except BaseException:
                self._cached = self._listed = None
                raise

    def listing(self) -> Listing:
        """What the catalog lists now: from the digest where it was made from this version
        of catalog.json, else from the catalog. Reading never writes: the next change
        writes the digest again."""
        with self._lock:
            stamp = file_stamp(self.layout.catalog)
            if self._listed is not None and self._listed[0] == stamp:
                return self._listed[1]
            listing = None
            if self._cached is None or self._cached[0] != stamp:  # not parsed: the digest?
                listing = self._read_digest(stamp)
            if listing is None:
                db = self.document()
                stamp = self._cached[0] if self._cached else stamp  # the version parsed
                listing = Listing.of(db)
            self._listed = (stamp, listing)
            return listing

    def _read_digest(self, stamp: Stamp) -> Listing | None:
        """The digest's listing if it was made from the catalog.json of `stamp`, else None."""
        try:
            data = orjson.loads(self.layout.catalog_digest.read_bytes())
            if data["format"] != DIGEST_FORMAT or tuple(data["of"]) != stamp:
                return None
            if data["fields"] != list(ArticleInfo._fields):
                return None
            width = len(ArticleInfo._fields)
            if any(len(row) != width for row in data["articles"]):
                return None
            return Listing(
                list(map(ArticleInfo._make, data["articles"])),
                [Story(story_id, name) for story_id, name in data["stories"]],
                dict(data["meta"]),
            )
        except (OSError, orjson.JSONDecodeError, KeyError, TypeError, ValueError):
            return None

    def _write_digest(self, stamp: Stamp, listing: Listing) -> None:
        """Write the digest of `listing` (catalog.json at `stamp`); a digest that cannot be
        written (a read-only library) is only not there: readers parse the catalog."""
        payload = orjson.dumps(
            {
                "format": DIGEST_FORMAT,
                "of": list(stamp),
                "fields": list(ArticleInfo._fields),
                "articles": list(map(list, listing.articles)),
                "stories": [[s.id, s.name] for s in listing.stories],
                "meta": listing.meta,
            }
        )
        with contextlib.suppress(OSError):
            write_bytes_atomic(self.layout.catalog_digest, payload, durable=False)

    # -- reading -----------------------------------------------------------------
    def articles(self) -> list[ArticleInfo]:
        """Every article's row, in Listing order."""
        return list(self.listing().articles)

    def stories(self) -> list[Story]:
        return list(self.listing().stories)

    def article(self, article_id: str) -> ArticleInfo | None:
        with self._lock:
            listed = self._listed
            if listed is not None and listed[0] == file_stamp(self.layout.catalog):
                return listed[1].by_id.get(article_id)
            row = self.document().table("articles").get(article_id)
        return None if row is None else ArticleInfo(**row)

    def find(self, prefix: str) -> ArticleInfo:
        """The article whose id starts with `prefix` (unique), else NotFound."""
        return self.article(prefix) or by_prefix(self.articles(), prefix, "article")

    def meta(self, key: str) -> Any:
        return self.listing().meta.get(key)

    def is_empty(self) -> bool:
        return not self.listing().articles

    def holds_entities(self) -> bool:
        """Whether this catalog is from before entity shards: it holds the entities."""
        return self.listing().holds_entities


_ARTICLE_FIELDS = itemgetter(*ArticleInfo._fields)


def article_infos(rows: list[Row]) -> list[ArticleInfo]:
    """Catalog rows as records: the fields of rows that hold exactly ArticleInfo's are
    read in one call each (10,000 rows in 8 ms, not 20: the reader's start waits
    for them); any other row is made by keyword, which says what is wrong with it."""
    if all(len(row) == len(ArticleInfo._fields) for row in rows):
        with contextlib.suppress(KeyError):  # a field missing, another in its place
            return list(map(ArticleInfo._make, map(_ARTICLE_FIELDS, rows)))
    return [ArticleInfo(**row) for row in rows]


# -- changes inside a transaction ------------------------------------------------------
def get_meta(db: Document, key: str) -> Any:
    row = db.table("meta", key="key").get(key)
    return None if row is None else row.get("value")


def set_meta(db: Document, key: str, value: object) -> None:
    meta = db.table("meta", key="key")
    if (meta.get(key) or {}).get("value") != value:
        meta.put({"key": key, "value": value})


def put_article(db: Document, info: ArticleInfo) -> None:
    db.table("articles").put(to_dict(info))


def article_rows(db: Document) -> list[Row]:
    return db.table("articles").rows()


def story_rows(db: Document, story_id: str) -> list[Row]:
    """The catalog rows of one story's articles."""
    return [row for row in db.table("articles").rows() if row["story"] == story_id]


def put_story(db: Document, story_id: str, name: str) -> None:
    db.table("stories").put({"id": story_id, "name": name, "entities": ""})


def story_entities(db: Document, story_id: str) -> set[str]:
    """The entity ids a story's articles mention (kept in its row to choose stories)."""
    row = db.table("stories").get(story_id)
    return set((row or {}).get("entities", "").split())


def add_story_entities(db: Document, story_id: str, ids: Iterable[str]) -> None:
    """Add an article's entities to its story's list."""
    row = db.table("stories").get(story_id)
    if row is not None:
        known = set(row.get("entities", "").split())
        if not set(ids) <= known:
            db.table("stories").update(story_id, entities=" ".join(sorted(known | set(ids))))


def set_story_entities(db: Document, story_id: str, ids: Iterable[str]) -> None:
    db.table("stories").update(story_id, entities=" ".join(sorted(ids)))


def set_linked_articles(db: Document, story_id: str, count: int) -> None:
    """How many articles a story held when it was last linked in full."""
    row = db.table("stories").get(story_id)
    if row is not None and row.get("linked_articles") != count:
        db.table("stories").update(story_id, linked_articles=count)


def set_link_counts(db: Document, article_id: str, linked: int, unique: int) -> None:
    """An article's counts of linked and source-only sentences, written only when changed."""
    row = db.table("articles").get(article_id)
    if row is not None and (row.get("linked"), row.get("unique")) != (linked, unique):
        db.table("articles").update(article_id, linked=linked, unique=unique)


def remove_story(db: Document, story_id: str) -> None:
    db.table("stories").remove(story_id)
