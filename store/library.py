"""Library: the one facade the reader and the CLI use to read and change the store.

On disk (under data_home()):
    catalog.json            articles (metadata only), stories, canonical entities
    articles/<id>.json      one article's text, structure, mentions and claims
    links/<story>.json      the cross-source links of one story
    notes.json              the reader's notes (store/notes.py)
Each write is atomic and made under the library lock; nothing that is
written often touches a big file.
"""

from __future__ import annotations

import hashlib
import math
import urllib.parse
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

from tinydb import Query

from store import catalog
from store.db import data_home, ensure_dir, locked, read_json, write_json_atomic
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

ID_LENGTH = 12
STORY_JOIN_THRESHOLD = 0.3
ANALYSIS_CHUNK = 32


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

    @classmethod
    def open(cls, data_dir: str | Path | None = None) -> Library:
        """Open (creating if needed) the library; StoreDamaged if the catalog does not parse."""
        home = data_home(data_dir)
        if home.exists() and not home.is_dir():
            raise TreatyError(f"library folder {home} is a file, not a folder")
        ensure_dir(home)
        lib = cls(home)
        lib._catalog()
        return lib

    # -- paths ---------------------------------------------------------------
    @property
    def catalog_path(self) -> Path:
        return self.home / "catalog.json"

    def article_path(self, article_id: str) -> Path:
        return self.home / "articles" / f"{article_id}.json"

    def links_path(self, story_id: str) -> Path:
        return self.home / "links" / f"{story_id}.json"

    def _catalog(self):
        return catalog.load(self.catalog_path)

    # -- reading ---------------------------------------------------------------
    def articles(self) -> list[ArticleInfo]:
        """Every article's catalog row, newest story first, then by date."""
        rows = [ArticleInfo(**row) for row in self._catalog().table("articles").all()]
        return sorted(rows, key=lambda a: (a.story, a.date, a.added, a.id))

    def stories(self) -> list[Story]:
        return [Story(**row) for row in self._catalog().table("stories").all()]

    def entities(self) -> list[Entity]:
        return [_entity(row) for row in self._catalog().table("entities").all()]

    def find(self, prefix: str) -> ArticleInfo:
        """The article whose id starts with `prefix` (unique), else NotFound."""
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
        if self._catalog().table("meta").get(Query().key == "seeded"):
            return []
        if self._catalog().table("articles").all():
            self._set_meta("seeded", True)
            return []
        import seeds

        paths = [str(f) for f in seeds.seed_files()]
        outcomes = list(self.add(paths))
        self._set_meta("seeded", True)
        return outcomes

    def _set_meta(self, key: str, value: object) -> None:
        with locked(self.home), catalog.transaction(self.catalog_path) as db:
            db.table("meta").upsert({"key": key, "value": value}, Query().key == key)

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
        known = {a.id for a in self.articles()}
        pending: list[_Parsed] = []
        touched: set[str] = set()

        def flush() -> Iterator[ImportOutcome]:
            from store.analysis.claims import parse_article_date
            from store.analysis.pipeline import analyse_many

            dates = [parse_article_date(p.doc.date or p.structure.dateline_date) for p in pending]
            analyses = analyse_many((p.structure, d) for p, d in zip(pending, dates))
            yield from self._commit(list(zip(pending, analyses)), story, source, touched)
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
            if article_id in known:
                yield ImportOutcome(name, "duplicate", info=self.find(article_id))
                continue
            known.add(article_id)
            pending.append(_Parsed(name, doc, structure, article_id))
            if len(pending) >= ANALYSIS_CHUNK:
                yield from flush()
        if pending:
            yield from flush()
        if touched:
            with locked(self.home), catalog.transaction(self.catalog_path) as db:
                for story_id in touched:
                    self._relink(db, story_id)

    def _commit(
        self, items, story: str | None, source: str | None, touched: set[str]
    ) -> Iterator[ImportOutcome]:
        """Write analysed articles; a new version of a known file or URL replaces the old one."""
        from store.analysis.entities import KnownEntity, Resolver

        outcomes: list[ImportOutcome] = []
        with locked(self.home), catalog.transaction(self.catalog_path) as db:
            articles, entities = db.table("articles"), db.table("entities")
            resolver = Resolver(KnownEntity(e["id"], e["name"], e["type"]) for e in entities.all())
            now = datetime.now(timezone.utc).isoformat(timespec="seconds")
            for parsed, analysis in items:
                if articles.get(Query().id == parsed.id):
                    outcomes.append(
                        ImportOutcome(
                            parsed.name,
                            "duplicate",
                            info=ArticleInfo(**articles.get(Query().id == parsed.id)),
                        )
                    )
                    continue
                ids, new_entities = resolver.resolve_article(analysis.mentions)
                for entity in new_entities:
                    entities.insert(
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
                    else self._choose_story(db, story, parsed, entity_counts)
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
                articles.insert(to_dict(info))
                for entity_id, count in entity_counts.items():
                    row = entities.get(Query().id == entity_id)
                    counts = dict(row["articles"])
                    counts[parsed.id] = count
                    aliases = sorted(
                        set(row["aliases"])
                        | {
                            m.text
                            for m in mentions
                            if m.entity == entity_id and m.text != row["name"]
                        }
                    )
                    entities.update(
                        {"articles": counts, "aliases": aliases}, Query().id == entity_id
                    )
                touched.add(story_id)
                replaced = [previous["id"]] if previous else []
                for old in replaced:
                    touched.add(self._drop(db, old))
                kept, orphaned = self._carry_notes({parsed.id, *replaced}, article)
                reason = ""
                if previous:
                    reason = f"new version of {previous['id']}"
                if kept or orphaned:
                    reason += f"{'; ' if reason else ''}notes: {kept} placed, {orphaned} orphaned"
                status = "updated" if previous else "added"
                outcomes.append(ImportOutcome(parsed.name, status, info=info, reason=reason))
            for story_id in list(touched):
                if not articles.search(Query().story == story_id):
                    db.table("stories").remove(Query().id == story_id)
                    self.links_path(story_id).unlink(missing_ok=True)
                    touched.discard(story_id)
        yield from outcomes

    def _write_article(self, article: Article) -> None:
        write_json_atomic(self.article_path(article.id), {"article": {"1": article.dump()}})

    def _choose_story(
        self, db, story: str | None, parsed: _Parsed, entity_counts: Counter[str]
    ) -> str:
        """The story an article joins: --story, else the one sharing most entities, else new."""
        from store.analysis.entities import slug

        stories = db.table("stories")
        if story:
            story_id = slug(story)[:48]
            if not stories.get(Query().id == story_id):
                stories.insert({"id": story_id, "name": story})
            return story_id
        best, best_score = _best_story(db, entity_counts)
        if best and best_score >= STORY_JOIN_THRESHOLD:
            return best
        name = (
            parsed.structure.title
            if any(p.kind == "title" for p in parsed.structure.paragraphs)
            else _story_name(db, entity_counts)
        )
        story_id = f"{slug(name)[:40]}-{parsed.id[:4]}"
        stories.insert({"id": story_id, "name": name})
        return story_id

    def _relink(self, db, story_id: str) -> None:
        """Recompute the links of one story and the linked/unique counts of its articles."""
        from store.analysis.linking import ClaimRef, link_claims

        rows = db.table("articles").search(Query().story == story_id)
        refs = []
        for row in rows:
            article = self.article(row["id"])
            refs.extend(
                ClaimRef(article.id, claim, article.sentence_text(claim.sentence))
                for claim in article.claims
            )
        links = link_claims(refs)
        write_json_atomic(
            self.links_path(story_id),
            {"links": {str(i + 1): to_dict(link) for i, link in enumerate(links)}},
        )
        linked: dict[str, set[int]] = {row["id"]: set() for row in rows}
        for link in links:
            linked[link.a_article].add(link.a_sentence)
            linked[link.b_article].add(link.b_sentence)
        for row in rows:
            n = len(linked[row["id"]])
            db.table("articles").update(
                {"linked": n, "unique": row["sentences"] - n}, Query().id == row["id"]
            )

    # -- removing --------------------------------------------------------------
    def remove(self, article_id: str) -> tuple[ArticleInfo, int]:
        """Remove one article (document, catalog row, entity counts, links).

        Its notes are kept as orphans, with their quotes; returns how many.
        """
        info = self.find(article_id)
        with locked(self.home), catalog.transaction(self.catalog_path) as db:
            story = self._drop(db, info.id)
            if db.table("articles").search(Query().story == story):
                self._relink(db, story)
            else:
                db.table("stories").remove(Query().id == story)
                self.links_path(story).unlink(missing_ok=True)
        orphaned = self.notebook.move(
            lambda n: (
                replace(n, anchor=replace(n.anchor, confidence=0.0))
                if n.article == info.id and not n.orphan
                else None
            )
        )
        return info, orphaned

    def _drop(self, db, article_id: str) -> str:
        """Take an article out of the catalog and off disk; returns its story (not relinked)."""
        row = db.table("articles").get(Query().id == article_id)
        db.table("articles").remove(Query().id == article_id)
        entities = db.table("entities")
        for entity in entities.all():
            if article_id in entity["articles"]:
                counts = {k: v for k, v in entity["articles"].items() if k != article_id}
                if counts:
                    entities.update({"articles": counts}, Query().id == entity["id"])
                else:
                    entities.remove(Query().id == entity["id"])
        self.article_path(article_id).unlink(missing_ok=True)
        return row["story"] if row else ""

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


def _entity(row: dict) -> Entity:
    return Entity(
        row["id"],
        row["name"],
        row["type"],
        tuple(row.get("aliases", ())),
        dict(row.get("articles", {})),
    )


def _previous_version(articles, parsed: _Parsed) -> dict | None:
    """The catalog row of an earlier version of the same file or URL, if any."""
    origin = parsed.doc.origin
    if not origin or origin.startswith("<"):
        return None
    return articles.get((Query().origin == origin) & (Query().id != parsed.id))


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


def _best_story(db, entity_counts: Counter[str]) -> tuple[str | None, float]:
    """The story whose entities cover the article's best.

    Score: idf-weighted shared entities over the smaller side's total, so a
    short article about the same event scores high and entities every story
    mentions ("United States") count little.
    """
    rows = db.table("entities").all()
    total = len(db.table("articles"))
    article_story = {row["id"]: row["story"] for row in db.table("articles").all()}
    weight = {e["id"]: math.log((total + 1) / (len(e["articles"]) + 1)) + 1 for e in rows}
    story_entities: dict[str, set[str]] = {}
    for e in rows:
        for article_id in e["articles"]:
            story = article_story.get(article_id)
            if story:
                story_entities.setdefault(story, set()).add(e["id"])
    mine = set(entity_counts)
    best, best_score = None, 0.0
    for story, theirs in story_entities.items():
        smaller = min(
            sum(weight.get(e, 1.0) for e in mine), sum(weight.get(e, 1.0) for e in theirs)
        )
        score = sum(weight.get(e, 1.0) for e in mine & theirs) / smaller if smaller else 0.0
        if score > best_score:
            best, best_score = story, score
    return best, best_score


def _story_name(db, entity_counts: Counter[str]) -> str:
    names = {row["id"]: row["name"] for row in db.table("entities").all()}
    top = [names.get(e, e) for e, _ in entity_counts.most_common() if not e.startswith("group:")][
        :3
    ]
    return " / ".join(top) or "Untitled story"


__all__ = ["Library", "ImportOutcome", "TreatyError", "content_id"]
