"""An import, step by step: read, structure, analyse, resolve, claims, story, write, relink.

`Importer.run` takes sources (files, folders, URLs, or documents already in
memory) and yields one ImportOutcome per source. Articles are analysed in
chunks; each chunk is written in one catalog transaction, while the next one
is being parsed, and the stories an import touched are relinked once, with
the last chunk: in full, or, where new articles join a large story, only the
new articles' links (see `link_stories`).
"""

from __future__ import annotations

import hashlib
import urllib.parse
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from store import spread
from store.analysis import stories
from store.analysis.entities import KnownEntity
from store.disk import catalog as cat
from store.disk.catalog import Catalog
from store.disk.entities import EntityStore, new_entity_row
from store.disk.layout import Layout
from store.disk.records import (
    append_links,
    read_article,
    read_article_claims,
    read_story_claims,
    remove_article,
    remove_groups,
    remove_links,
    stored_as_lines,
    write_articles,
    write_groups,
    write_links,
)
from store.disk.search_index import SearchIndex
from store.disk.tables import Document, Row
from store.errors import ImportFailed, TreatyError, reason
from store.heap import collections_held
from store.ingest.sources import Skipped, SourceDocument, collect_sources, read_source
from store.ingest.structure import Structure, find_structure
from store.models import Article, ArticleInfo, ClaimGroup, Mention, SentenceRef
from store.notes.service import NoteService

if TYPE_CHECKING:
    from store.analysis.linking import ClaimRef
    from store.analysis.pipeline import Analysis

ID_LENGTH = 12
ANALYSIS_CHUNK = 32
# A story of EXTEND_FROM articles or more, linked in full before, takes new articles by
# linking only theirs, against the whole story's index; once it has grown by REGROW
# times since it was last linked in full, it is linked in full again (the words and
# names its articles share have shifted by then).
EXTEND_FROM = 20
REGROW = 1.25
# An import's stories after the largest are linked meanwhile by a helper process when
# they take at least this much work (LinkJob.work): below it, the helper costs more.
SPREAD_FROM = 40
SPREAD_LINKS = 20_000  # a story's links from which a helper writes them (linking.SPREAD_PAIRS)

# added | updated (a new version of an article) | duplicate | failed | skipped (other files)
ImportStatus = Literal["added", "updated", "duplicate", "failed", "skipped"]


@dataclass(frozen=True)
class ImportOutcome:
    """What happened to one import argument."""

    name: str
    status: ImportStatus
    info: ArticleInfo | None = None
    reason: str = ""


@dataclass
class Touched:
    """The stories an import changed: the articles each gained, and those that lost one
    (replaced by a new version), which are linked in full."""

    added: dict[str, set[str]] = field(default_factory=dict)
    reworked: set[str] = field(default_factory=set)

    def stories(self) -> set[str]:
        return set(self.added) | self.reworked

    def forget(self, story_id: str) -> None:
        self.added.pop(story_id, None)
        self.reworked.discard(story_id)


@dataclass
class Parsed:
    """A source read and structured, waiting for analysis."""

    name: str
    doc: SourceDocument
    structure: Structure
    id: str

    @property
    def published(self) -> date | None:
        from store.analysis.dates import article_date

        return article_date(self.doc.date or "", self.structure.dateline_date, self.structure.text)


def beyond_a_report(text: str, paragraphs: int = 0) -> str:
    """Why a text is too large to be one news report ("" when it is not).

    A long report has some 100,000 characters in a few hundred paragraphs;
    analysis time and memory grow with both, so a log file or a data dump
    is refused at once with the reason, instead of running for minutes.
    """
    chars = len(text)
    if chars > MAX_TEXT_CHARS:
        return f"{chars:,} characters of text: more than one report ({MAX_TEXT_CHARS:,} at most)"
    if paragraphs > MAX_PARAGRAPHS:
        return (
            f"{paragraphs:,} paragraphs or lines: more than one report ({MAX_PARAGRAPHS:,} at most)"
        )
    return ""


def content_id(text: str) -> str:
    """An article's id: a short hash of its (normalised) text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:ID_LENGTH]


SEED_STORY_KEY = "seed_story"  # catalog meta: the story of the bundled sample reports
Progress = Callable[[int, int, int], None]  # (articles, characters analysed, of how many)
MAX_TEXT_CHARS = 500_000
MAX_PARAGRAPHS = 2_000


def read_sources(args: Iterable[str]) -> Iterator[tuple[str, SourceDocument | str | Skipped]]:
    """(name, document) for each file, folder entry and URL; (name, reason) where it failed."""
    for name, error in collect_sources(list(args)):
        if error:
            yield name, error
            continue
        try:
            document = read_source(name)
        except ImportFailed as exc:
            yield name, str(exc)
        except Exception as exc:  # noqa: BLE001 - one source's failure never stops the others
            yield name, reason(exc)
        else:
            yield name, document


class Importer:
    """Imports into one library; the Library facade makes one per call."""

    def __init__(self, layout: Layout, catalog: Catalog, notes: NoteService) -> None:
        self.layout = layout
        self.catalog = catalog
        self.notes = notes

    def run(
        self,
        items: Iterable[tuple[str, SourceDocument | str | Skipped]],
        story: str | None,
        source: str | None,
        progress: Progress | None = None,
    ) -> Iterator[ImportOutcome]:
        """Outcomes as each chunk of articles is written; `progress` hears of the analysis."""
        pending: list[Parsed] = []
        analysed: list[tuple[Parsed, Analysis]] = []  # the chunk before, to be written
        touched = Touched()
        queued: dict[str, Parsed] = {}

        def flush(last: bool) -> Iterator[ImportOutcome]:
            """Analyse the pending chunk, writing the chunk before meanwhile: spaCy starts
            on this one first (in a helper process where it can: analyse_many). The last
            chunk is written at once, and relinks the stories."""
            from store.analysis.pipeline import analyse_many

            chunk = pending[:]
            pending.clear()
            dates = [p.published for p in chunk]
            count = len(chunk)
            told = None if progress is None else lambda done, total: progress(count, done, total)
            analyses = analyse_many(((p.structure, d) for p, d in zip(chunk, dates)), told)
            if analysed:
                yield from self._commit(analysed[:], story, source, touched, last and not chunk)
                analysed.clear()
            analysed.extend(zip(chunk, analyses))
            if last and analysed:
                yield from self._commit(analysed[:], story, source, touched, last)
                analysed.clear()

        for name, doc in items:
            if isinstance(doc, Skipped):
                yield ImportOutcome(name, "skipped", reason=str(doc))
                continue
            if isinstance(doc, str):
                yield ImportOutcome(name, "failed", reason=doc)
                continue
            if problem := beyond_a_report(doc.text):  # before any work on the text
                yield ImportOutcome(name, "failed", reason=problem)
                continue
            structure = find_structure(doc.text, doc.title)
            if not structure.paragraphs:
                yield ImportOutcome(name, "failed", reason="no text")
                continue
            if problem := beyond_a_report(structure.text, len(structure.paragraphs)):
                yield ImportOutcome(name, "failed", reason=problem)
                continue
            article_id = content_id(structure.text)
            known = self.catalog.article(article_id)
            if known is None and doc.unrepaired:  # imported before its mojibake was repaired
                as_read = find_structure(doc.unrepaired, doc.title).text
                known = self.catalog.article(content_id(as_read))
            if known is not None:
                yield ImportOutcome(name, "duplicate", info=known)
                continue
            if article_id in queued:  # the same text twice in one import
                first = queued[article_id]
                info = ArticleInfo(
                    article_id, first.structure.title, source or source_name(first.doc)
                )
                yield ImportOutcome(name, "duplicate", info=info)
                continue
            queued[article_id] = Parsed(name, doc, structure, article_id)
            pending.append(queued[article_id])
            if len(pending) >= ANALYSIS_CHUNK:
                yield from flush(last=False)
        if pending or analysed:  # the last chunk relinks its stories in the same catalog write
            yield from flush(last=True)
        if touched.stories():
            with self.catalog.transaction() as db:
                link_stories(self.layout, db, touched)

    def _commit(
        self, items: list, story: str | None, source: str | None, touched: Touched, last: bool
    ) -> Iterator[ImportOutcome]:
        """Write analysed articles; a new version of a known file or URL replaces the old one.

        Stories are relinked once, after the last chunk of an import (`last`).
        """
        from store.analysis.claims import build_claims
        from store.analysis.entities import Resolver

        outcomes: list[ImportOutcome] = []
        indexed: list[tuple[Article, dict[str, str]]] = []  # for the search index, in one go
        with self.catalog.transaction() as db:
            articles = db.table("articles")
            entities = EntityStore(self.layout)
            resolver = Resolver(library=StoredNames(entities))
            now = datetime.now(timezone.utc).isoformat(timespec="seconds")
            for parsed, analysis in items:
                stored = articles.get(parsed.id)
                if stored is not None:
                    info = ArticleInfo(**stored)
                    outcomes.append(ImportOutcome(parsed.name, "duplicate", info=info))
                    continue
                ids, new_entities = resolver.resolve_article(analysis.mentions)
                for entity in new_entities:
                    entities.add(new_entity_row(entity.id, entity.name, entity.type))
                mentions = tuple(
                    Mention(m.start, m.end, m.text, m.label, eid, m.sentence)
                    for m, eid in zip(analysis.mentions, ids)
                )
                claims = build_claims(analysis, mentions)
                entity_counts = Counter(m.entity for m in mentions if m.entity)
                previous = previous_version(db, parsed)
                story_id = (
                    previous["story"]
                    if previous and not story
                    else choose_story(db, entities, story, parsed, entity_counts)
                )
                published = parsed.published
                info = ArticleInfo(
                    id=parsed.id,
                    title=parsed.structure.title,
                    source=source or source_name(parsed.doc),
                    story=story_id,
                    date=published.isoformat() if published else "",
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
                indexed.append((article, {e: entities.known(e)["name"] for e in entity_counts}))
                cat.put_article(db, info)
                for entity_id, count in entity_counts.items():
                    row = entities.known(entity_id)
                    aliases = set(row["aliases"]) | {
                        m.text for m in mentions if m.entity == entity_id and m.text != row["name"]
                    }
                    counts = {**row["articles"], parsed.id: count}
                    entities.put({**row, "articles": counts, "aliases": sorted(aliases)})
                cat.add_story_entities(db, story_id, entity_counts)
                touched.added.setdefault(story_id, set()).add(parsed.id)
                replaced = [previous["id"]] if previous else []
                for old in replaced:
                    touched.reworked.add(drop_article(self.layout, db, entities, old))
                kept, orphaned = self.notes.carry({parsed.id, *replaced}, article)
                reason = parsed.doc.notice
                if previous:
                    reason += f"{'; ' if reason else ''}new version of {previous['id']}"
                if kept or orphaned:
                    reason += f"{'; ' if reason else ''}notes: {kept} placed, {orphaned} orphaned"
                status: ImportStatus = "updated" if previous else "added"
                outcomes.append(ImportOutcome(parsed.name, status, info=info, reason=reason))
            write_articles(self.layout, (article for article, _ in indexed))
            for story_id in touched.stories():
                if not cat.story_rows(db, story_id):
                    db.table("stories").remove(story_id)
                    remove_links(self.layout, story_id)
                    remove_groups(self.layout, story_id)
                    touched.forget(story_id)
            entities.save()
            SearchIndex(self.layout).keep_up(indexed)
            if last:
                link_stories(self.layout, db, touched)
        yield from outcomes


def choose_story(
    db: Document,
    entities: EntityStore,
    story: str | None,
    parsed: Parsed,
    entity_counts: Counter[str],
) -> str:
    """The story an article joins: --story, else the one sharing most entities, else new."""
    known = db.table("stories")
    if story:
        if story in known:  # an existing story, given by its id
            return story
        story_id = stories.given_story_id(story)
        if story_id not in known:
            cat.put_story(db, story_id, story)
        return story_id
    articles = db.table("articles")
    apart = cat.get_meta(db, SEED_STORY_KEY)  # the sample reports: joined only when named

    def mentioned_in(entity_id: str) -> Mapping[str, int]:
        row = entities.row(entity_id)
        return row["articles"] if row else {}

    def story_of(article_id: str) -> str | None:
        row = articles.get(article_id)
        return None if row is None or row["story"] == apart else row["story"]

    sizes: Counter[str] = Counter()

    def story_size(story_id: str) -> int:
        if not sizes:  # counted once, when a story is first scored
            sizes.update(row["story"] for row in articles.rows())
        return sizes[story_id]

    best, best_score = stories.best_story(
        entity_counts,
        len(articles),
        mentioned_in,
        story_of,
        lambda s: cat.story_entities(db, s),
        story_size,
    )
    if best and stories.joins(best_score):
        return best
    name = (
        parsed.structure.title
        if any(p.kind == "title" for p in parsed.structure.paragraphs)
        else stories.story_name(entity_counts, lambda e: (entities.row(e) or {}).get("name", e))
    )
    story_id = stories.new_story_id(name, parsed.id)
    cat.put_story(db, story_id, name)
    return story_id


def link_stories(layout: Layout, db: Document, touched: Touched) -> None:
    """Link the stories an import changed, each in full or by its new articles' links.

    Stories are independent: where those after the largest take real work
    (SPREAD_FROM), a helper process on a spare core links them meanwhile.
    """
    jobs = []
    for story_id in sorted(touched.stories()):
        added = frozenset(touched.added.get(story_id, ()))
        grouped = None if story_id in touched.reworked else extendable(layout, db, story_id, added)
        jobs.append(LinkJob(story_id, cat.story_rows(db, story_id), added, grouped))
    jobs.sort(key=lambda job: -job.work)  # stable: stories in order among equals
    here, there = (
        (jobs[:1], jobs[1:]) if sum(j.work for j in jobs[1:]) >= SPREAD_FROM else (jobs, [])
    )
    linked_there = (
        spread.in_helper(lambda: [linked_story(layout, j) for j in there]) if there else list
    )
    for done in [*(linked_story(layout, job) for job in here), *linked_there()]:
        record_links(db, done)
    touched.added.clear()
    touched.reworked.clear()


@dataclass(frozen=True)
class LinkJob:
    """One story to link: in full, or, with its stored `grouped` claims, by the links of
    its `added` articles only."""

    story_id: str
    rows: list[Row]
    added: frozenset[str] = frozenset()
    grouped: tuple[list[ClaimGroup], list[SentenceRef]] | None = None

    @property
    def work(self) -> int:
        """How much linking it takes, roughly: the articles linked."""
        return len(self.rows) if self.grouped is None else len(self.added)


@dataclass(frozen=True)
class StoryLinked:
    """What linking a story leaves for the catalog: per article, its sentences linked and
    found in it alone; after linking in full, the story's entities and size too."""

    story_id: str
    counts: dict[str, tuple[int, int]]
    entities: frozenset[str] | None = None


def linked_story(layout: Layout, job: LinkJob) -> StoryLinked:
    """Link one story and write its links and claim groups (never the catalog: see
    record_links); runs in a helper process too."""
    with collections_held():
        if job.grouped is None:
            return _relinked(layout, job.story_id, job.rows)
        return _extended(layout, job.story_id, job.rows, job.added, job.grouped)


def record_links(db: Document, done: StoryLinked) -> None:
    """The catalog's side of a story's linking."""
    if done.entities is not None:
        cat.set_story_entities(db, done.story_id, done.entities)
        cat.set_linked_articles(db, done.story_id, len(done.counts))
    for article_id, (linked, unique) in done.counts.items():
        cat.set_link_counts(db, article_id, linked, unique)


def extendable(
    layout: Layout, db: Document, story_id: str, added: Collection[str]
) -> tuple[list[ClaimGroup], list[SentenceRef]] | None:
    """A story's claim groups and one-source sentences where it takes the `added`
    articles by linking only theirs (see EXTEND_FROM); else None."""
    story = db.table("stories").get(story_id) or {}
    linked = int(story.get("linked_articles", 0))  # its size when last linked in full
    size = len(cat.story_rows(db, story_id))
    if min(size - len(added), linked) < EXTEND_FROM or size > REGROW * linked:
        return None
    if not stored_as_lines(layout, story_id):  # a library from before: linked in full once
        return None
    groups, single = read_story_claims(layout, story_id)
    return None if groups is None or single is None else (groups, single)


def _extended(
    layout: Layout,
    story_id: str,
    rows: list[Row],
    added: Collection[str],
    grouped: tuple[list[ClaimGroup], list[SentenceRef]],
) -> StoryLinked:
    """Link the `added` articles' claims against the whole story's and extend its claim
    groups (`grouped`: as stored); the links among the articles it held stay as they were."""
    from store.analysis.groups import extend_groups
    from store.analysis.linking import link_claims

    refs, claims, _ = _story_claims(layout, rows)
    groups, single = grouped
    table = link_claims(refs, new=added, groups=groups)
    append_links(layout, story_id, table, added)
    ends = set(table.ends)
    now_linked = Counter(s.article for s in single if (s.article, s.sentence) in ends)
    now_linked.update(article for article, _ in ends if article in added)  # (alone until now)
    fresh = [SentenceRef(r.article, r.claim.sentence) for r in refs if r.article in added]
    kept = (s for s in [*single, *fresh] if (s.article, s.sentence) not in ends)
    single = _in_catalog_order(rows, kept)
    write_groups(layout, story_id, extend_groups(groups, table.links(), added), single)
    counts = {}
    for row in rows:
        n = (0 if row["id"] in added else int(row.get("linked", 0))) + now_linked[row["id"]]
        counts[row["id"]] = (n, claims[row["id"]] - n)
    return StoryLinked(story_id, counts)


def _story_claims(
    layout: Layout, rows: list[Row]
) -> tuple[list[ClaimRef], dict[str, int], set[str]]:
    """The claims a story's articles state (the linkable ones, with their sentences'
    text), how many sentences of each article state a claim, and the entities named."""
    from store.analysis.linking import ClaimRef

    refs: list[ClaimRef] = []
    claims: dict[str, int] = {}
    named: set[str] = set()
    for row in rows:
        article = read_article_claims(layout, row["id"])
        claims[article.id] = article.claim_count
        named.update(article.named)
        refs.extend(
            map(ClaimRef, [article.id] * len(article.claims), article.claims, article.texts)
        )
    return refs, claims, named


def _in_catalog_order(rows: list[Row], sentences: Iterable[SentenceRef]) -> list[SentenceRef]:
    """Sentences in the catalog's order of their articles (date, day added, id)."""
    order = {
        row["id"]: n
        for n, row in enumerate(
            sorted(rows, key=lambda r: (r.get("date", ""), r.get("added", "")[:10], r["id"]))
        )
    }
    return sorted(sentences, key=lambda s: (order[s.article], s.sentence))


def relink_story(layout: Layout, db: Document, story_id: str) -> None:
    """Recompute one story's links, claim groups, entity list and its articles'
    linked/unique counts."""
    with collections_held():
        record_links(db, _relinked(layout, story_id, cat.story_rows(db, story_id)))


def _relinked(layout: Layout, story_id: str, rows: list[Row]) -> StoryLinked:
    from store.analysis.groups import group_claims
    from store.analysis.linking import link_claims

    refs, claims, story_entities = _story_claims(layout, rows)
    table = link_claims(refs)
    articles = [row["id"] for row in rows]
    links_written: Callable[[], None] = partial(write_links, layout, story_id, table, articles)
    if len(table) >= SPREAD_LINKS:  # a helper writes them while they are grouped here
        links_written = spread.in_helper(links_written)
    ends = set(table.ends)
    fresh = (SentenceRef(r.article, r.claim.sentence) for r in refs)
    single = _in_catalog_order(rows, (s for s in fresh if (s.article, s.sentence) not in ends))
    groups = group_claims(table)
    links_written()  # the groups are written after the links they come from
    write_groups(layout, story_id, groups, single)
    linked = Counter(article for article, _ in ends)
    counts = {row["id"]: (linked[row["id"]], claims[row["id"]] - linked[row["id"]]) for row in rows}
    return StoryLinked(story_id, counts, frozenset(story_entities))


def drop_article(layout: Layout, db: Document, entities: EntityStore, article_id: str) -> str:
    """Take an article out of the catalog, the entities and off disk; returns its story.

    The story is not relinked here. The article's own mentions say which
    entities to update; without a readable document every entity is checked.
    """
    row = db.table("articles").remove(article_id)
    try:
        mentioned = {m.entity for m in read_article(layout, article_id).mentions if m.entity}
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
    remove_article(layout, article_id)
    return row["story"] if row else ""


def previous_version(db: Document, parsed: Parsed) -> Row | None:
    """The catalog row of an earlier version of the same file or URL, if any."""
    origin = parsed.doc.origin
    if not origin or origin.startswith("<"):
        return None
    return next(
        (r for r in cat.article_rows(db) if r.get("origin") == origin and r["id"] != parsed.id),
        None,
    )


def source_name(doc: SourceDocument) -> str:
    """The outlet an article came from: its site name, the URL's host, or the file's name."""
    if doc.site:
        return doc.site
    if "://" in doc.origin:
        host = urllib.parse.urlsplit(doc.origin).hostname or doc.origin
        return host.removeprefix("www.")
    return Path(doc.origin).stem


class StoredNames:
    """The library's entities as the resolver looks them up (store.analysis.entities.KnownNames)."""

    def __init__(self, entities: EntityStore) -> None:
        self.entities = entities

    def named(self, entity_id: str) -> KnownEntity | None:
        row = self.entities.row(entity_id)
        return KnownEntity(row["id"], row["name"], row["type"]) if row else None

    def people(self, part: str) -> list[KnownEntity]:
        return [
            KnownEntity(i, name, "PERSON") for i, name in self.entities.people_named(part).items()
        ]
