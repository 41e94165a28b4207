"""Library: the one facade the reader and the CLI use to read and change the store.

On disk (under data_home()):
    catalog.json            articles (metadata only), stories (with their entity ids)
    entities/NN.json        canonical entities in 256 shards (store/entity_store.py)
    articles/<id>.json      one article's text, structure, mentions and claims
    links/<story>.json      the cross-source links of one story
    notes.json              the reader's notes (store/notes.py)
Each write is atomic and made under the library lock; nothing that is
written often touches a big file. The catalog is parsed once per version
of the file and changed in memory (store/tables.py).
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import os
import threading
import urllib.parse
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

from store.db import data_home, ensure_dir, locked, read_json, write_json_atomic
from store.entity_store import EntityStore
from store.errors import ImportFailed, NotFound, StoreDamaged, TreatyError, by_prefix
from store.ingest.sources import SourceDocument, collect_sources, read_source
from store.ingest.structure import Structure, find_structure
from store.models import (
    Article,
    ArticleInfo,
    Claim,
    Entity,
    Link,
    Mention,
    Note,
    Story,
    to_dict,
)
from store.notes import NOTE_ID_LENGTH, NoteBook, NoteFilter, clean_tags, edited, new_id, now
from store.search_index import SearchHit, SearchIndex
from store.tables import Document, Table

ID_LENGTH = 12
STORY_JOIN_THRESHOLD = 0.3
ANALYSIS_CHUNK = 32
SEARCH_LIMIT = 200
INDEX_BATCH = 200


@dataclass(frozen=True)
class ImportOutcome:
    """What happened to one import argument."""

    name: str
    status: str  # added | updated (a new version of an article) | duplicate | failed
    info: ArticleInfo | None = None
    reason: str = ""


@dataclass
class _Parsed:
    name: str
    doc: SourceDocument
    structure: Structure
    id: str


def content_id(text: str) -> str:
    """An article's id: a short hash of its (normalised) text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:ID_LENGTH]


class Library:
    """A treaty-tui library in one folder."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self._cached: tuple[tuple[int, int, int], Document] | None = None
        self._infos: list[ArticleInfo] | None = None
        self._catalog_lock = threading.RLock()

    @classmethod
    def open(cls, data_dir: str | Path | None = None) -> Library:
        """Open (creating if needed) the library; StoreDamaged if the catalog does not parse."""
        home = data_home(data_dir)
        if home.exists() and not home.is_dir():
            raise TreatyError(f"library folder {home} is a file, not a folder")
        ensure_dir(home)
        lib = cls(home)
        if "entities" in lib._catalog().data:
            lib._move_entities_out()
        return lib

    def _move_entities_out(self) -> None:
        """Upgrade a library whose entities still live in catalog.json to entity shards."""
        with self._transaction() as db:
            rows = db.data.pop("entities", {})
            db.changed = True
            entities = EntityStore(self.home)
            story_of = {row["id"]: row["story"] for row in db.table("articles").rows()}
            per_story: dict[str, Counter[str]] = {}
            for row in rows.values():
                entities.add(row)
                for article_id in row.get("articles", {}):
                    if article_id in story_of:
                        per_story.setdefault(story_of[article_id], Counter())[row["id"]] += 1
            for story_id, counts in per_story.items():
                _add_story_entities(db, story_id, counts)
            entities.save()

    # -- paths ---------------------------------------------------------------
    @property
    def catalog_path(self) -> Path:
        return self.home / "catalog.json"

    def article_path(self, article_id: str) -> Path:
        return self.home / "articles" / f"{article_id}.json"

    def links_path(self, story_id: str) -> Path:
        return self.home / "links" / f"{story_id}.json"

    def _catalog(self) -> Document:
        """The catalog, parsed once per version of the file (every write replaces the file)."""
        with self._catalog_lock:
            stamp = _file_stamp(self.catalog_path)
            if self._cached is None or self._cached[0] != stamp:
                self._cached = (stamp, Document.load(self.catalog_path))
                self._infos = None
            return self._cached[1]

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[Document]:
        """The catalog under the library lock, written back once if it changed.

        The parsed catalog is reused when the file is the one last read; a
        failed transaction forgets it, so nothing half-changed is ever read.
        """
        with self._catalog_lock, locked(self.home):
            db = self._catalog()
            try:
                yield db
                if db.changed:
                    db.save()
                    self._cached, self._infos = (_file_stamp(self.catalog_path), db), None
            except BaseException:
                self._cached = self._infos = None
                raise

    # -- reading ---------------------------------------------------------------
    def articles(self) -> list[ArticleInfo]:
        """Every article's catalog row, newest story first, then by date."""
        with self._catalog_lock:
            rows = self._catalog().table("articles").rows()
            if self._infos is None:  # frozen records: shared until the catalog changes
                infos = [ArticleInfo(**row) for row in rows]
                self._infos = sorted(infos, key=lambda a: (a.story, a.date, a.added, a.id))
            return list(self._infos)

    def stories(self) -> list[Story]:
        with self._catalog_lock:
            rows = self._catalog().table("stories").rows()
        return [Story(row["id"], row["name"]) for row in rows]

    def entities(self) -> list[Entity]:
        """Every canonical entity (reads every entity shard: not for hot paths)."""
        return list(EntityStore(self.home).all())

    def entities_of(self, ids: Iterable[str]) -> dict[str, Entity]:
        """The entities with these ids (reads only their shards)."""
        return EntityStore(self.home).get_many(ids)

    def find(self, prefix: str) -> ArticleInfo:
        """The article whose id starts with `prefix` (unique), else NotFound."""
        with self._catalog_lock:
            row = self._catalog().table("articles").get(prefix)
        if row is not None:
            return ArticleInfo(**row)
        return by_prefix(self.articles(), prefix, "article")

    def article(self, article_id: str) -> Article:
        data = read_json(self.article_path(article_id))
        if not data:
            raise NotFound(f"no article with id {article_id!r}")
        try:
            record = next(iter(data["article"].values()))
            return Article.load(record)
        except (KeyError, StopIteration, TypeError) as exc:
            raise StoreDamaged(self.article_path(article_id), f"missing {exc}") from None

    def links(self, story_id: str) -> list[Link]:
        data = read_json(self.links_path(story_id)) or {}
        return [Link.load(row) for row in data.get("links", {}).values()]

    def links_for(self, article_id: str) -> list[Link]:
        story = self.find(article_id).story
        return [
            link for link in self.links(story) if article_id in (link.a_article, link.b_article)
        ]

    # -- importing -------------------------------------------------------------
    def ensure_seeds(self) -> list[ImportOutcome]:
        """Import the bundled seed articles into a library that has never held any."""
        with self._catalog_lock:
            db = self._catalog()
            seeded = bool(db.table("meta", key="key").get("seeded"))
            has_articles = len(db.table("articles")) > 0
        if seeded or has_articles:
            if not seeded:
                self._set_meta("seeded", True)
            return []
        import seeds

        paths = [str(f) for f in seeds.seed_files()]
        outcomes = list(self.add(paths))
        self._set_meta("seeded", True)
        return outcomes

    def _set_meta(self, key: str, value: object) -> None:
        with self._transaction() as db:
            meta = db.table("meta", key="key")
            if (meta.get(key) or {}).get("value") != value:
                meta.put({"key": key, "value": value})

    def add(
        self,
        args: Iterable[str],
        story: str | None = None,
        source: str | None = None,
    ) -> Iterator[ImportOutcome]:
        """Import files, folders and URLs; one outcome per article or failure."""

        def read_all() -> Iterator[tuple[str, SourceDocument | str]]:
            for name, error in collect_sources(list(args)):
                if error:
                    yield name, error
                    continue
                try:
                    yield name, read_source(name)
                except ImportFailed as exc:
                    yield name, str(exc)

        yield from self._import(read_all(), story, source)

    def add_documents(
        self, docs: Iterable[SourceDocument], story: str | None = None, source: str | None = None
    ) -> Iterator[ImportOutcome]:
        """Import documents already in memory (used by evaluation and tests)."""
        yield from self._import(((d.origin, d) for d in docs), story, source)

    def _import(
        self,
        items: Iterable[tuple[str, SourceDocument | str]],
        story: str | None,
        source: str | None,
    ) -> Iterator[ImportOutcome]:
        pending: list[_Parsed] = []
        touched: set[str] = set()
        queued: dict[str, _Parsed] = {}

        def flush(last: bool) -> Iterator[ImportOutcome]:
            from store.analysis.claims import parse_article_date
            from store.analysis.pipeline import analyse_many

            dates = [parse_article_date(p.doc.date or p.structure.dateline_date) for p in pending]
            analyses = analyse_many((p.structure, d) for p, d in zip(pending, dates))
            yield from self._commit(list(zip(pending, analyses)), story, source, touched, last)
            pending.clear()

        for name, doc in items:
            if isinstance(doc, str):
                yield ImportOutcome(name, "failed", reason=doc)
                continue
            structure = find_structure(doc.text, doc.title)
            if not structure.paragraphs:
                yield ImportOutcome(name, "failed", reason="no text")
                continue
            article_id = content_id(structure.text)
            with self._catalog_lock:
                known = self._catalog().table("articles").get(article_id)
            if known is not None or article_id in queued:
                if known is None:  # the same text twice in one import
                    first = queued[article_id]
                    known = {"id": article_id, "title": first.structure.title}
                    known["source"] = source or _source_name(first.doc)
                yield ImportOutcome(name, "duplicate", info=ArticleInfo(**known))
                continue
            queued[article_id] = _Parsed(name, doc, structure, article_id)
            pending.append(queued[article_id])
            if len(pending) >= ANALYSIS_CHUNK:
                yield from flush(last=False)
        if pending:  # the last chunk relinks its stories in the same catalog write
            yield from flush(last=True)
        if touched:
            with self._transaction() as db:
                for story_id in touched:
                    self._relink(db, story_id)

    def _commit(
        self, items, story: str | None, source: str | None, touched: set[str], last: bool
    ) -> Iterator[ImportOutcome]:
        """Write analysed articles; a new version of a known file or URL replaces the old one.

        Stories are relinked once, after the last chunk of an import (`last`).
        """
        from store.analysis.entities import Resolver

        outcomes: list[ImportOutcome] = []
        indexed: list[tuple[Article, dict[str, str]]] = []  # for the search index, in one go
        with self._transaction() as db:
            articles = db.table("articles")
            entities = EntityStore(self.home)
            resolver = Resolver(library=_StoredNames(entities))
            now = datetime.now(timezone.utc).isoformat(timespec="seconds")
            for parsed, analysis in items:
                if parsed.id in articles:
                    info = ArticleInfo(**articles.get(parsed.id))
                    outcomes.append(ImportOutcome(parsed.name, "duplicate", info=info))
                    continue
                ids, new_entities = resolver.resolve_article(analysis.mentions)
                for entity in new_entities:
                    entities.add(
                        {
                            "id": entity.id,
                            "name": entity.name,
                            "type": entity.type,
                            "aliases": [],
                            "articles": {},
                        }
                    )
                mentions = tuple(
                    Mention(m.start, m.end, m.text, m.label, eid, m.sentence)
                    for m, eid in zip(analysis.mentions, ids)
                )
                claims = _claims(analysis, mentions)
                entity_counts = Counter(m.entity for m in mentions if m.entity)
                previous = _previous_version(articles, parsed)
                story_id = (
                    previous["story"]
                    if previous and not story
                    else self._choose_story(db, entities, story, parsed, entity_counts)
                )
                info = ArticleInfo(
                    id=parsed.id,
                    title=parsed.structure.title,
                    source=source or _source_name(parsed.doc),
                    story=story_id,
                    date=(parsed.doc.date or "")[:10],
                    author=parsed.doc.author,
                    origin=parsed.doc.origin,
                    added=now,
                    sentences=len(analysis.sentences),
                    entities=len(entity_counts),
                )
                article = Article(
                    info,
                    parsed.structure.text,
                    parsed.structure.paragraphs,
                    tuple(analysis.sentences),
                    mentions,
                    claims,
                )
                self._write_article(article)
                indexed.append((article, {e: entities.row(e)["name"] for e in entity_counts}))
                articles.put(to_dict(info))
                for entity_id, count in entity_counts.items():
                    row = entities.row(entity_id)
                    aliases = set(row["aliases"]) | {
                        m.text for m in mentions if m.entity == entity_id and m.text != row["name"]
                    }
                    counts = {**row["articles"], parsed.id: count}
                    entities.put({**row, "articles": counts, "aliases": sorted(aliases)})
                _add_story_entities(db, story_id, entity_counts)
                touched.add(story_id)
                replaced = [previous["id"]] if previous else []
                for old in replaced:
                    touched.add(self._drop(db, entities, old))
                kept, orphaned = self._carry_notes({parsed.id, *replaced}, article)
                reason = ""
                if previous:
                    reason = f"new version of {previous['id']}"
                if kept or orphaned:
                    reason += f"{'; ' if reason else ''}notes: {kept} placed, {orphaned} orphaned"
                status = "updated" if previous else "added"
                outcomes.append(ImportOutcome(parsed.name, status, info=info, reason=reason))
            for story_id in list(touched):
                if not _story_rows(db, story_id):
                    db.table("stories").remove(story_id)
                    self.links_path(story_id).unlink(missing_ok=True)
                    touched.discard(story_id)
            entities.save()
            self._index(indexed)
            if last:
                for story_id in touched:
                    self._relink(db, story_id)
                touched.clear()
        yield from outcomes

    def _write_article(self, article: Article) -> None:
        write_json_atomic(self.article_path(article.id), {"article": {"1": article.dump()}})

    def _choose_story(
        self,
        db: Document,
        entities: EntityStore,
        story: str | None,
        parsed: _Parsed,
        entity_counts: Counter[str],
    ) -> str:
        """The story an article joins: --story, else the one sharing most entities, else new."""
        from store.analysis.entities import slug

        stories = db.table("stories")
        if story:
            story_id = slug(story)[:48]
            if story_id not in stories:
                stories.put({"id": story_id, "name": story, "entities": ""})
            return story_id
        best, best_score = _best_story(db, entities, entity_counts)
        if best and best_score >= STORY_JOIN_THRESHOLD:
            return best
        name = (
            parsed.structure.title
            if any(p.kind == "title" for p in parsed.structure.paragraphs)
            else _story_name(entities, entity_counts)
        )
        story_id = f"{slug(name)[:40]}-{parsed.id[:4]}"
        stories.put({"id": story_id, "name": name, "entities": ""})
        return story_id

    def _relink(self, db: Document, story_id: str) -> None:
        """Recompute one story's links, entity list and its articles' linked/unique counts."""
        from store.analysis.linking import ClaimRef, link_claims

        rows = _story_rows(db, story_id)
        refs = []
        story_entities: set[str] = set()
        for row in rows:
            article = self.article(row["id"])
            story_entities.update(m.entity for m in article.mentions if m.entity)
            refs.extend(
                ClaimRef(article.id, claim, article.sentence_text(claim.sentence))
                for claim in article.claims
            )
        links = link_claims(refs)
        write_json_atomic(
            self.links_path(story_id),
            {"links": {str(i + 1): link for i, link in enumerate(links)}},  # orjson: dataclasses
        )
        db.table("stories").update(story_id, entities=" ".join(sorted(story_entities)))
        linked: dict[str, set[int]] = {row["id"]: set() for row in rows}
        for link in links:
            linked[link.a_article].add(link.a_sentence)
            linked[link.b_article].add(link.b_sentence)
        for row in rows:
            n = len(linked[row["id"]])
            if (row.get("linked"), row.get("unique")) != (n, row["sentences"] - n):
                db.table("articles").update(row["id"], linked=n, unique=row["sentences"] - n)

    # -- removing --------------------------------------------------------------
    def remove(self, article_id: str) -> tuple[ArticleInfo, int]:
        """Remove one article (document, catalog row, entity counts, links).

        Its notes are kept as orphans, with their quotes; returns how many.
        """
        info = self.find(article_id)
        with self._transaction() as db:
            entities = EntityStore(self.home)
            story = self._drop(db, entities, info.id)
            entities.save()
            if _story_rows(db, story):
                self._relink(db, story)
            else:
                db.table("stories").remove(story)
                self.links_path(story).unlink(missing_ok=True)
        self._index([], drop=[info.id])
        orphaned = self.notebook.move(
            lambda n: (
                replace(n, anchor=replace(n.anchor, confidence=0.0))
                if n.article == info.id and not n.orphan
                else None
            )
        )
        return info, orphaned

    def _drop(self, db: Document, entities: EntityStore, article_id: str) -> str:
        """Take an article out of the catalog, the entities and off disk; returns its story.

        The story is not relinked here. The article's own mentions say which
        entities to update; without a readable document every entity is checked.
        """
        row = db.table("articles").remove(article_id)
        try:
            mentioned = {m.entity for m in self.article(article_id).mentions if m.entity}
        except TreatyError:
            mentioned = {e.id for e in entities.all() if article_id in e.articles}
        for entity_id in mentioned:
            entity = entities.row(entity_id)
            if entity is None or article_id not in entity["articles"]:
                continue
            counts = {k: v for k, v in entity["articles"].items() if k != article_id}
            if counts:
                entities.put({**entity, "articles": counts})
            else:
                entities.discard(entity)
        self.article_path(article_id).unlink(missing_ok=True)
        return row["story"] if row else ""

    # -- search ----------------------------------------------------------------
    @property
    def search_index(self) -> SearchIndex:
        return SearchIndex(self.home)

    def _index(self, articles: list, drop: Iterable[str] = ()) -> None:
        """Keep the search index in step with a write; a damaged index never blocks one.

        (Searching reports the damage and points to `doctor`, which rebuilds it.)
        """
        try:
            if drop:
                self.search_index.remove(drop)
            if articles:
                self.search_index.add(articles)
        except StoreDamaged:
            pass

    def search(
        self,
        text: str,
        limit: int = SEARCH_LIMIT,
        progress: Callable[[int, int], None] | None = None,
    ) -> tuple[int, list[SearchHit]]:
        """(how many sentences match, the best `limit`) for words, "phrases" and prefix*."""
        self.catch_up_index(progress)
        return self.search_index.search(text, limit)

    def catch_up_index(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Bring the search index in line with the catalog; returns how many were indexed.

        Normally a no-op: imports index as they go. It catches up after an
        interrupted import, a library from before the index, or a deleted
        index file; `progress(done, total)` is called as it goes.
        """
        index = self.search_index
        wanted = {a.id for a in self.articles()}
        have = index.indexed()
        if have - wanted:
            index.remove(have - wanted)
        missing = sorted(wanted - have)
        entities = EntityStore(self.home)
        for start in range(0, len(missing), INDEX_BATCH):
            batch = []
            for article_id in missing[start : start + INDEX_BATCH]:
                try:
                    article = self.article(article_id)
                except (NotFound, StoreDamaged):
                    continue  # gone meanwhile, or for `doctor` to deal with
                ids = {m.entity for m in article.mentions if m.entity}
                names = {e.id: e.name for e in entities.get_many(ids).values()}
                batch.append((article, names))
            index.add(batch)
            if progress:
                progress(min(start + INDEX_BATCH, len(missing)), len(missing))
        return len(missing)

    # -- notes -----------------------------------------------------------------
    @property
    def notebook(self) -> NoteBook:
        return NoteBook(self.home)

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
            wanted = {s.id for s in self.stories() if story.casefold() in (s.id, s.name.casefold())}
            if not wanted:
                raise NotFound(f"no story {story!r}")
            articles = frozenset(a.id for a in self.articles() if a.story in wanted)
        pick = NoteFilter(text=text, tag=tag, article=article, articles=articles, orphans=orphans)
        return [n for n in self.notebook.all() if pick(n)]

    def add_note(
        self,
        article_id: str,
        start: int,
        end: int,
        body: str = "",
        tags: Iterable[str] = (),
        link: tuple[str, int, int] | None = None,
    ) -> Note:
        """A new note on article text[start:end]; `link` = (other article, start, end)."""
        from store.anchoring import make_anchor

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

    def edit_note(
        self, note_id: str, body: str | None = None, tags: Iterable[str] | None = None
    ) -> Note:
        full_id = note_id if len(note_id) == NOTE_ID_LENGTH else self.notebook.get(note_id).id
        return self.notebook.change(full_id, lambda n: edited(n, body, tags))

    def delete_note(self, note_id: str) -> Note:
        return self.notebook.delete(self.notebook.get(note_id).id)

    def restore_note(self, note: Note) -> Note:
        """Put a deleted note back exactly as it was (undo)."""
        return self.notebook.put(note)

    def export_notes(self, notes: Iterable[Note], fmt: str) -> str:
        """Notes as md, jsonld or csv (store/note_formats.py)."""
        from store.note_formats import NoteContext, export

        context = NoteContext(
            {a.id: a for a in self.articles()}, {s.id: s.name for s in self.stories()}
        )
        return export(notes, fmt, context)

    def import_notes(self, text: str, name: str = "input") -> tuple[int, int]:
        """Notes from a JSON-LD export; returns (added, already present)."""
        from store.note_formats import from_jsonld

        notes = from_jsonld(text, name)
        added = self.notebook.put_many(notes)
        return added, len(notes) - added

    def _carry_notes(self, old_ids: set[str], article: Article) -> tuple[int, int]:
        """Re-anchor notes on earlier versions of `article` (or on it before a removal)."""
        from store.anchoring import reanchor

        counts: Counter[str] = Counter()

        def rewrite(note: Note) -> Note | None:
            if note.article not in old_ids and note.link_article not in old_ids:
                return None
            if note.article in old_ids:
                start = note.anchor
                if note.orphan:  # an orphan gets another chance at full confidence
                    start = replace(start, confidence=1.0)
                anchor = reanchor(start, article.text)
                note = replace(note, article=article.id, anchor=anchor)
                counts["orphaned" if note.orphan else "placed"] += 1
            if note.link_article in old_ids and note.link_anchor is not None:
                anchor = reanchor(replace(note.link_anchor, confidence=1.0), article.text)
                note = replace(note, link_article=article.id, link_anchor=anchor)
            return note

        self.notebook.move(rewrite)
        return counts["placed"], counts["orphaned"]


def _previous_version(articles: Table, parsed: _Parsed) -> dict | None:
    """The catalog row of an earlier version of the same file or URL, if any."""
    origin = parsed.doc.origin
    if not origin or origin.startswith("<"):
        return None
    return next(
        (r for r in articles.rows() if r.get("origin") == origin and r["id"] != parsed.id), None
    )


def _file_stamp(path: Path) -> tuple[int, int, int]:
    """What changes whenever the file is replaced (writes are renames): inode, mtime, size."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return (0, 0, 0)
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def _story_rows(db: Document, story_id: str) -> list[dict]:
    return [row for row in db.table("articles").rows() if row["story"] == story_id]


def _add_story_entities(db: Document, story_id: str, counts: Counter[str]) -> None:
    """Add an article's entities to its story's list (used to choose stories)."""
    row = db.table("stories").get(story_id)
    if row is not None:
        known = set(row.get("entities", "").split())
        if not set(counts) <= known:
            db.table("stories").update(story_id, entities=" ".join(sorted(known | set(counts))))


class _StoredNames:
    """The library's entities as the resolver looks them up (store.analysis.entities.KnownNames)."""

    def __init__(self, entities: EntityStore) -> None:
        self.entities = entities

    def named(self, entity_id: str):
        from store.analysis.entities import KnownEntity

        row = self.entities.row(entity_id)
        return KnownEntity(row["id"], row["name"], row["type"]) if row else None

    def people(self, part: str) -> list:
        from store.analysis.entities import KnownEntity

        return [
            KnownEntity(i, name, "PERSON") for i, name in self.entities.people_named(part).items()
        ]


def _source_name(doc: SourceDocument) -> str:
    if doc.site:
        return doc.site
    if "://" in doc.origin:
        host = urllib.parse.urlsplit(doc.origin).hostname or doc.origin
        return host.removeprefix("www.")
    return Path(doc.origin).stem


def _claims(analysis, mentions: tuple[Mention, ...]) -> tuple[Claim, ...]:
    """Claim records: sentence facts plus canonical entities; speakers as entity ids."""
    by_sentence: dict[int, list[Mention]] = {}
    by_text: dict[str, str] = {}
    by_name_part: dict[str, str] = {}  # "putin" -> the first PERSON whose name has that word
    for m in mentions:
        if m.label == "PERSON":
            for part in m.text.casefold().split():
                by_name_part.setdefault(part, m.entity)
    for m in mentions:
        by_sentence.setdefault(m.sentence, []).append(m)
        by_text.setdefault(m.text.casefold(), m.entity)
    claims = []
    for index, facts in enumerate(analysis.facts):
        entities = tuple(dict.fromkeys(m.entity for m in by_sentence.get(index, ()) if m.entity))
        speaker = facts.speaker
        if speaker:
            from store.analysis.entities import clean_span

            cleaned = clean_span(speaker, 0, "PERSON")
            key = (cleaned[1] if cleaned else speaker).casefold()
            speaker = by_text.get(key) or by_name_part.get(key) or key
        claims.append(Claim(index, speaker, entities, facts.numbers, facts.dates, facts.terms))
    return tuple(claims)


def _best_story(
    db: Document, entities: EntityStore, entity_counts: Counter[str]
) -> tuple[str | None, float]:
    """The story whose entities cover the article's best.

    Score: idf-weighted shared entities over the smaller side's total, so a
    short article about the same event scores high and entities every story
    mentions ("United States") count little. Only the article's own entities
    are read; a story's entity list lives in its catalog row.
    """
    articles = db.table("articles")
    total = len(articles)
    weight: dict[str, float] = {}
    candidates: set[str] = set()
    for entity_id in entity_counts:
        row = entities.row(entity_id)
        mentioned_in = row["articles"] if row else {}
        weight[entity_id] = math.log((total + 1) / (len(mentioned_in) + 1)) + 1
        for article_id in mentioned_in:
            article = articles.get(article_id)
            if article is not None:
                candidates.add(article["story"])
    mine = set(entity_counts)
    my_weight = sum(weight.values())
    best, best_score = None, 0.0
    for story in sorted(candidates):
        row = db.table("stories").get(story)
        theirs = set((row or {}).get("entities", "").split())
        shared_weight = sum(weight[e] for e in theirs & mine)
        # Every weight is at least 1: the story's own total is only needed when it may be smaller.
        if my_weight <= shared_weight + len(theirs - mine):
            smaller = my_weight
        else:
            for entity_id in theirs - set(weight):
                mentioned_in = (entities.row(entity_id) or {}).get("articles", {})
                weight[entity_id] = math.log((total + 1) / (len(mentioned_in) + 1)) + 1
            smaller = min(my_weight, sum(weight[e] for e in theirs))
        score = shared_weight / smaller if smaller else 0.0
        if score > best_score:
            best, best_score = story, score
    return best, best_score


def _story_name(entities: EntityStore, entity_counts: Counter[str]) -> str:
    top = [e for e, _ in entity_counts.most_common() if not e.startswith("group:")][:3]
    names = [(entities.row(e) or {}).get("name", e) for e in top]
    return " / ".join(names) or "Untitled story"


__all__ = ["Library", "ImportOutcome", "TreatyError", "content_id"]
