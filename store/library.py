"""Library: the one facade the reader and the CLI use to read and change the store.

It holds no logic of its own beyond choosing who does the work: the
catalog, article documents and links files (store.disk), the import
pipeline (store.importing), notes (store.notes.service) and the search
index (store.disk.search_index). Every write is atomic and made under a lock.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from store.analysis.stories import given_story_id
from store.disk.catalog import Catalog, remove_story, set_meta, story_rows
from store.disk.entities import EntityStore
from store.disk.files import StampCache, ensure_dir, file_stamp, locked, symlinks
from store.disk.layout import FEEDS_LOCK, Layout, data_home
from store.disk.notebook import NoteBook
from store.disk.records import (
    article_files,
    read_added_links,
    read_article,
    read_article_links,
    read_links,
    read_reach,
    read_story_claims,
    remove_groups,
    remove_links,
    write_reach,
)
from store.errors import NotFound, StoreDamaged, TreatyError
from store.models import (
    Article,
    ArticleInfo,
    ClaimGroup,
    Entity,
    Feed,
    Link,
    Note,
    SentenceRef,
    Story,
    StorySummary,
    sentence_reach,
)
from store.notes.formats import NoteFormat
from store.notes.service import NoteService
from store.plain import counted

if TYPE_CHECKING:  # importing and search load what reading a library never needs
    from store.disk.search_index import SearchHit, SearchIndex
    from store.feeds import FeedCheck
    from store.importing import Importer, ImportOutcome, Progress
    from store.ingest.sources import SourceDocument

SEARCH_LIMIT = 200
SEED_STORY = "Sample reports"
INDEX_BATCH = 200


class Library:
    """A treaty-tui library in one folder."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.recovered = ""  # what open() had to repair, for the user to be told
        self._story_files = StampCache()  # links and claim groups, parsed once per version
        self._article_links = StampCache(size=32)  # the articles last opened: back, forth
        self.layout = Layout(home)
        self.catalog = Catalog(self.layout)
        self.notebook = NoteBook(self.layout)
        self.note_service = NoteService(self.notebook, self.catalog, self.article)

    @classmethod
    def open(cls, data_dir: str | Path | None = None) -> Library:
        """Open (creating if needed) the library; StoreDamaged if the catalog does not parse."""
        home = data_home(data_dir)
        if home.exists() and not home.is_dir():
            raise TreatyError(f"library folder {home} is a file, not a folder")
        ensure_dir(home)
        lib = cls(home)
        escapes = symlinks(lib.layout)
        if escapes:
            raise TreatyError(
                f"{escapes[0]} is a symbolic link; the library never follows a link out of "
                "its folder (make it a real file or folder, or point --data-dir elsewhere)"
            )
        if not lib.layout.catalog.exists() and article_files(lib.layout):
            lib.recovered = lib._rebuild_lost_catalog()
        from store.disk.upgrade import upgrade

        upgrade(lib.layout, lib.catalog)
        return lib

    def _rebuild_lost_catalog(self) -> str:
        """A catalog lost while its articles remain (a killed repair) is rebuilt, never seeded."""
        from store.doctor import rebuild_catalog

        with locked(self.home):
            if self.layout.catalog.exists():  # another process rebuilt it first
                return ""
            count = rebuild_catalog(self.layout)
        return f"the catalog was missing: rebuilt from {counted(count, 'article document')}"

    @property
    def read_only(self) -> bool:
        """True when this user cannot write the library folder: it is read, never changed."""
        return not os.access(self.home, os.W_OK)

    # -- reading ---------------------------------------------------------------
    def articles(self) -> list[ArticleInfo]:
        """Every article's catalog row, by story, then date."""
        return self.catalog.articles()

    def stories(self) -> list[Story]:
        return self.catalog.stories()

    def entities(self) -> list[Entity]:
        """Every canonical entity (reads every entity shard: not for hot paths)."""
        return list(EntityStore(self.layout).all())

    def entities_of(self, ids: Iterable[str]) -> dict[str, Entity]:
        """The entities with these ids (reads only their shards)."""
        return EntityStore(self.layout).get_many(ids)

    def find(self, prefix: str) -> ArticleInfo:
        """The article whose id starts with `prefix` (unique), else NotFound."""
        return self.catalog.find(prefix)

    def article(self, article_id: str) -> Article:
        return read_article(self.layout, article_id)

    def links(self, story_id: str) -> list[Link]:
        """The story's links (a shared list: do not change it), read once per version."""
        path = self.layout.story_links(story_id)
        return self._story_files.get(path, lambda: read_links(self.layout, story_id))

    def article_links(self, article_id: str) -> list[Link]:
        """The links one article takes part in: those of its own file where it has one,
        and those of articles added to its story since (see `Layout.added_links`)."""
        story = self.find(article_id).story
        path = self.layout.article_links(story, article_id)
        mine = self._article_links.get(
            path, lambda: read_article_links(self.layout, story, article_id)
        )
        if mine is None:  # a library from before per-article link files
            return [x for x in self.links(story) if article_id in (x.a_article, x.b_article)]
        added = read_added_links(self.layout, story, article_id)
        if not added:
            return mine
        held = {_ends(x) for x in mine}  # an article added since has its links in both
        return [*mine, *(x for x in added if _ends(x) not in held)]

    def story(self, name_or_id: str) -> Story:
        """The story with this id, or whose name is this (casefolded); NotFound if none."""
        wanted = name_or_id.strip().casefold()
        stories = self.stories()
        found = [s for s in stories if s.id == name_or_id.strip()]
        found = found or [s for s in stories if s.name.casefold() == wanted]
        found = found or [s for s in stories if s.id.startswith(name_or_id.strip())]
        if len(found) != 1:
            what = "ambiguous" if found else "not found"
            raise NotFound(f"story {name_or_id!r}: {what} (treaty-tui list shows the stories)")
        return found[0]

    def story_summaries(self) -> list[StorySummary]:
        """Every story with its article and source counts and dates, the latest first."""
        by_story: dict[str, list[ArticleInfo]] = {}
        for info in self.articles():
            by_story.setdefault(info.story, []).append(info)
        out = []
        for story in self.stories():
            infos = by_story.get(story.id, [])
            dates = sorted(a.date for a in infos if a.date)
            sources = len({a.source for a in infos})
            first, last = (dates[0], dates[-1]) if dates else ("", "")
            out.append(StorySummary(story.id, story.name, len(infos), sources, first, last))
        return sorted(out, key=lambda s: (s.last, s.name), reverse=True)

    # -- shaping stories -------------------------------------------------------------
    def rename_story(self, story: str, name: str) -> Story:
        from store.shaping import rename_story

        found = self.story(story)
        rename_story(self.catalog, found.id, name)
        return self.story(found.id)

    def merge_stories(self, into: str, others: Iterable[str]) -> tuple[Story, int]:
        """Move every article of `others` into story `into`; (that story, articles moved)."""
        from store.shaping import move_articles

        target = self.story(into)
        sources = {self.story(s).id for s in others} - {target.id}
        if not sources:
            raise TreatyError("name at least one other story to merge")
        moved = [a.id for a in self.articles() if a.story in sources]
        move_articles(self.layout, self.catalog, moved, target.id)
        return target, len(moved)

    def move_article(self, article: str, story: str) -> tuple[ArticleInfo, Story, bool]:
        """Move an article to a story (a new one if no story has that name or id).

        Returns the moved article, its story, and whether the story is new.
        """
        from store.shaping import move_articles, new_story_id

        info = self.find(article)
        try:
            target, new = self.story(story), False
        except NotFound:
            target, new = Story(new_story_id(self.catalog, story), story.strip()), True
        move_articles(self.layout, self.catalog, [info.id], target.id, target.name)
        return self.find(info.id), target, new

    def claim_groups(self, story_id: str) -> list[ClaimGroup]:
        """The story's claims across its sources, the most widely reported first."""
        groups = self._story_claims(story_id)[0]
        if groups is None:  # a library from before claim groups: group its links now
            from store.analysis.groups import group_claims

            groups = group_claims(self.links(story_id))
        return groups

    def _story_claims(
        self, story_id: str
    ) -> tuple[list[ClaimGroup] | None, list[SentenceRef] | None]:
        path = self.layout.story_groups(story_id)
        return self._story_files.get(path, lambda: read_story_claims(self.layout, story_id))

    def reach(self, article_id: str) -> dict[int, int]:
        """Per sentence of the article, how many sources report its claim (its widest
        claim group); sentences of no group are left out."""
        story = self.find(article_id).story
        path = self.layout.story_reach(story)
        stored = self._story_files.get(path, lambda: read_reach(self.layout, story))
        if stored is None:  # a library from before reach files, or a write cut short
            stored = sentence_reach(self.claim_groups(story))
            self._write_reach(story)
        return dict(stored.get(article_id, {}))

    def _write_reach(self, story: str) -> None:
        """The reach file of a story whose groups are stored without one (written by an
        older treaty-tui) or with an older one: the next article opened reads that, not
        the groups. A damaged one is left for `treaty-tui doctor`; while another process
        writes to the library, the reader does not wait for it: a later open writes it."""
        if self.read_only:
            return
        with locked(self.home, wait=False) as held:  # an import writes groups under it
            groups = file_stamp(self.layout.story_groups(story))[1]
            if held and groups > 0 and file_stamp(self.layout.story_reach(story))[1] < groups:
                write_reach(self.layout, story, self.claim_groups(story))

    def groups_of(self, article_id: str, sentence: int) -> list[ClaimGroup]:
        """The claim groups one sentence belongs to (one per claim it states)."""
        story = self.find(article_id).story
        return [g for g in self.claim_groups(story) if g.holds(article_id, sentence)]

    def single_source(self, story_id: str) -> list[SentenceRef]:
        """The sentences of a story that state a claim no other source reports."""
        stored = self._story_claims(story_id)[1]
        if stored is not None:
            return stored
        from store.analysis.groups import single_source  # a library from before: work it out

        sentences = [
            SentenceRef(a.id, i)
            for info in self.articles()
            if info.story == story_id
            for a in (self.article(info.id),)
            for i, s in enumerate(a.sentences)
            if s.kind == "claim"
        ]
        return single_source(sentences, self.links(story_id))

    # -- importing -------------------------------------------------------------
    def needs_seeds(self) -> bool:
        """Whether this library has never held anything (and can be written): a first start."""
        if self.read_only or self.catalog.meta("seeded"):
            return False
        return self.catalog.is_empty() and not article_files(self.layout)

    def ensure_seeds(self) -> list[ImportOutcome]:
        """Import the bundled sample reports into a library that has never held anything.

        They go into a story of their own, which the user's imports never join
        unless they name it with --story.
        """
        if not self.needs_seeds():
            if not self.read_only and not self.catalog.meta("seeded"):
                self._set_meta("seeded", True)  # it holds, or held, the user's own
            return []
        import seeds
        from store.importing import SEED_STORY_KEY

        outcomes = list(self.add((str(f) for f in seeds.seed_files()), story=SEED_STORY))
        with self.catalog.transaction() as db:
            set_meta(db, "seeded", True)
            set_meta(db, SEED_STORY_KEY, given_story_id(SEED_STORY))
        return outcomes

    def _set_meta(self, key: str, value: object) -> None:
        with self.catalog.transaction() as db:
            set_meta(db, key, value)

    def add(
        self,
        args: Iterable[str],
        story: str | None = None,
        source: str | None = None,
        progress: Progress | None = None,
    ) -> Iterator[ImportOutcome]:
        """Import files, folders and URLs; one outcome per article or failure.

        `story` names a story by its id or name; a name no story has starts a new one.
        """
        from store.importing import read_sources

        yield from self._importer().run(read_sources(args), self._story_id(story), source, progress)

    def _story_id(self, story: str | None) -> str | None:
        """The id of the story with this id or name, else the text given (a new story)."""
        if not story:
            return story
        wanted = story.strip()
        for each in self.stories():
            if each.id == wanted or each.name.casefold() == wanted.casefold():
                return each.id
        return story

    def add_documents(
        self, docs: Iterable[SourceDocument], story: str | None = None, source: str | None = None
    ) -> Iterator[ImportOutcome]:
        """Import documents already in memory (used by evaluation and tests)."""
        yield from self._importer().run(((d.origin, d) for d in docs), story, source)

    def _importer(self) -> Importer:
        from store.importing import Importer

        return Importer(self.layout, self.catalog, self.note_service)

    # -- removing --------------------------------------------------------------
    def remove(self, article_id: str) -> tuple[ArticleInfo, int]:
        """Remove one article (document, catalog row, entity counts, links).

        Its notes are kept as orphans, with their quotes; returns how many.
        """
        from store.importing import drop_article, relink_story

        info = self.find(article_id)
        with self.catalog.transaction() as db:
            if info.id not in db.table("articles"):  # another process removed it first
                raise NotFound(f"article {info.id} was already removed")
            entities = EntityStore(self.layout)
            story = drop_article(self.layout, db, entities, info.id)
            entities.save()
            if story_rows(db, story):
                relink_story(self.layout, db, story)
            else:
                remove_story(db, story)
                remove_links(self.layout, story)
                remove_groups(self.layout, story)
        self.search_index.keep_up([], dropped=[info.id])
        return info, self.note_service.orphan_article(info.id)

    # -- search ----------------------------------------------------------------
    @property
    def search_index(self) -> SearchIndex:
        from store.disk.search_index import SearchIndex

        return SearchIndex(self.layout)

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
        if self.read_only:
            return 0
        index = self.search_index
        wanted = {a.id for a in self.articles()}
        have = index.indexed()
        if have - wanted:
            index.remove(have - wanted)
        missing = sorted(wanted - have)
        entities = EntityStore(self.layout)
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

    # -- feeds ------------------------------------------------------------------
    def feeds(self) -> list[Feed]:
        from store.disk.feedlist import read_feeds

        return read_feeds(self.layout)

    def follow(self, url: str, story: str | None = None) -> Feed:
        """Follow a feed (read once now, to be sure it is one); its entries come with refresh."""
        from store.disk.feedlist import read_feeds, write_feeds
        from store.feeds import now, read_feed

        url = url.strip()
        feed = Feed(url, self._story_id(story) or "", added=now())
        _, title, _ = read_feed(feed, conditional=False)
        with locked(self.home, FEEDS_LOCK):
            feeds = read_feeds(self.layout)
            if any(f.url == url for f in feeds):
                raise TreatyError(f"already following {url}")
            feed = replace(feed, title=title)
            write_feeds(self.layout, [*feeds, feed])
        return feed

    def unfollow(self, url_or_title: str) -> Feed:
        from store.disk.feedlist import read_feeds, write_feeds

        wanted = url_or_title.strip()
        with locked(self.home, FEEDS_LOCK):
            feeds = read_feeds(self.layout)
            found = [f for f in feeds if f.url == wanted]
            found = found or [f for f in feeds if f.title.casefold() == wanted.casefold()]
            if len(found) != 1:
                what = "ambiguous" if found else "not followed"
                raise NotFound(f"feed {wanted!r}: {what} (treaty-tui follow --list shows them)")
            write_feeds(self.layout, [f for f in feeds if f is not found[0]])
        return found[0]

    def refresh(self) -> Iterator[FeedCheck | ImportOutcome]:
        """Ask every feed for news and import its new entries: a FeedCheck per feed, then
        an ImportOutcome per entry. A feed's row is saved once its entries are in."""
        from store.disk.feedlist import read_feeds, write_feeds
        from store.feeds import check

        feeds = self.feeds()
        for number, feed in enumerate(feeds, start=1):
            result, updated = check(feed)
            yield replace(result, number=number, of=len(feeds))
            if result.entries:
                yield from self.add((e.url for e in result.entries), story=feed.story or None)
            with locked(self.home, FEEDS_LOCK):  # another refresh may have run meanwhile
                feeds = read_feeds(self.layout)
                write_feeds(self.layout, [updated if f.url == feed.url else f for f in feeds])

    # -- notes -----------------------------------------------------------------
    def notes(
        self,
        text: str = "",
        tag: str = "",
        article: str = "",
        story: str = "",
        orphans: bool | None = None,
    ) -> list[Note]:
        """Notes matching every given filter; `story` is a story id or name."""
        return self.note_service.notes(text, tag, article, story, orphans)

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
        return self.note_service.add(article_id, start, end, body, tags, link)

    def edit_note(
        self, note_id: str, body: str | None = None, tags: Iterable[str] | None = None
    ) -> Note:
        return self.note_service.edit(note_id, body, tags)

    def delete_note(self, note_id: str) -> Note:
        return self.note_service.delete(note_id)

    def restore_note(self, note: Note) -> Note:
        """Put a deleted note back exactly as it was (undo)."""
        return self.note_service.restore(note)

    def export_notes(self, notes: Iterable[Note], fmt: NoteFormat) -> str:
        """Notes as md, jsonld or csv (store.notes.formats)."""
        return self.note_service.export(notes, fmt)

    def import_notes(self, text: str, name: str = "input") -> tuple[int, int, list[str]]:
        """Notes from a JSON-LD export: (added, already present, a line per rejected note)."""
        return self.note_service.import_jsonld(text, name)


__all__ = ["Library", "TreatyError"]


def _ends(link: Link) -> tuple[str, int, str, int]:
    return link.a_article, link.a_sentence, link.b_article, link.b_sentence
