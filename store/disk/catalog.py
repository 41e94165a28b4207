"""catalog.json: article metadata, stories and the library's meta flags.

The catalog is parsed once per version of the file (every write replaces
the file, so inode, mtime and size tell a new version) and changed in
memory inside a transaction that holds the library lock and writes it back
once. Every shape of a catalog row is known here and nowhere else.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterable, Iterator
from operator import itemgetter
from typing import Any

from store.disk.files import Stamp, file_stamp, locked
from store.disk.layout import Layout
from store.disk.tables import Document, Row
from store.errors import by_prefix
from store.models import ArticleInfo, Story, to_dict


class Catalog:
    """The catalog of one library, cached in memory; safe to share between threads."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self._cached: tuple[Stamp, Document] | None = None
        self._infos: list[ArticleInfo] | None = None
        self._by_id: dict[str, ArticleInfo] = {}  # the same records by id, while _infos holds
        self._lock = threading.RLock()

    def document(self) -> Document:
        """The catalog, parsed once per version of the file."""
        with self._lock:
            stamp = file_stamp(self.layout.catalog)
            if self._cached is None or self._cached[0] != stamp:
                self._cached = (stamp, Document.load(self.layout.catalog))
                self._infos = None
            return self._cached[1]

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Document]:
        """The catalog under the library lock, written back once if it changed.

        The parsed catalog is reused when the file is the one last read; a
        failed transaction forgets it, so nothing half-changed is ever read.
        """
        with self._lock, locked(self.layout.home):
            db = self.document()
            try:
                yield db
                if db.changed:
                    db.save()
                    self._cached, self._infos = (file_stamp(self.layout.catalog), db), None
            except BaseException:
                self._cached = self._infos = None
                raise

    # -- reading -----------------------------------------------------------------
    def articles(self) -> list[ArticleInfo]:
        """Every article's row, by story, then date, then day added, then id (the same
        order every time, however long an import of many articles took)."""
        with self._lock:
            rows = self.document().table("articles").rows()
            if self._infos is None:  # frozen records: shared until the catalog changes
                infos = article_infos(rows)
                self._infos = sorted(infos, key=lambda a: (a.story, a.date, a.added[:10], a.id))
                self._by_id = {a.id: a for a in self._infos}
            return list(self._infos)

    def stories(self) -> list[Story]:
        with self._lock:
            rows = self.document().table("stories").rows()
        return [Story(row["id"], row["name"]) for row in rows]

    def article(self, article_id: str) -> ArticleInfo | None:
        with self._lock:
            db = self.document()
            if self._infos is not None:  # read as a list already (the reader's library)
                return self._by_id.get(article_id)
            row = db.table("articles").get(article_id)
        return None if row is None else ArticleInfo(**row)

    def find(self, prefix: str) -> ArticleInfo:
        """The article whose id starts with `prefix` (unique), else NotFound."""
        return self.article(prefix) or by_prefix(self.articles(), prefix, "article")

    def meta(self, key: str) -> Any:
        with self._lock:
            row = self.document().table("meta", key="key").get(key)
        return None if row is None else row.get("value")

    def is_empty(self) -> bool:
        with self._lock:
            return len(self.document().table("articles")) == 0


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
