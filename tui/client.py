"""The reader's typed client of store.Library: what the screens need, cached, for worker threads.

This module imports store.library (and so TinyDB) only inside its methods,
which run in workers: the first screen paints before the store is opened.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from store.disk.layout import Layout
from store.plain import counted, visible_line

if TYPE_CHECKING:  # records arrive from workers; not imported for the first frame
    from collections.abc import Callable, Collection, Iterable

    from store.disk.search_index import SearchHit
    from store.library import Library
    from store.models import (
        Article,
        ArticleInfo,
        ClaimGroup,
        Entity,
        Link,
        Note,
        Relation,
        SentenceRef,
        Story,
    )


@dataclass(frozen=True)
class Snapshot:
    """The library as the library pane shows it (entities are read per article)."""

    stories: list[Story]
    articles: list[ArticleInfo]
    read_only: bool = False  # the user cannot write the folder: notes cannot be saved
    by_id: dict[str, ArticleInfo] = field(default_factory=dict)
    by_story: dict[str, list[ArticleInfo]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for a in self.articles:
            self.by_id[a.id] = a
            self.by_story.setdefault(a.story, []).append(a)

    def story_articles(self, story: str) -> list[ArticleInfo]:
        return list(self.by_story.get(story, ()))

    def info(self, article_id: str) -> ArticleInfo | None:
        return self.by_id.get(article_id)


@dataclass(frozen=True)
class Opened:
    """An article with its links, and a way to read the other articles they point into."""

    article: Article
    links: list[Link]
    read: Callable[[str], Article]  # another article, cached by ReaderData
    notes: list[Note] = field(default_factory=list)
    reach: dict[int, int] = field(default_factory=dict)  # sentence -> sources in its claim group

    def entity_ids(self) -> set[str]:
        """The entities its mentions name."""
        return {m.entity for m in self.article.mentions if m.entity}

    def other(self, article_id: str) -> Article | str:
        """A linked article, or why it cannot be read (a one-line reason)."""
        from store.errors import TreatyError, reason

        try:
            return self.read(article_id)
        except (TreatyError, OSError) as exc:
            return reason(exc)

    def linked_articles(self, near: int) -> list[str]:
        """The other articles its links point into, those of the sentences nearest the
        sentence `near` first."""
        me = self.article.id
        ends = []
        for x in self.links:
            mine, other = (
                (x.a_sentence, x.b_article) if x.a_article == me else (x.b_sentence, x.a_article)
            )
            ends.append((abs(mine - near), other))
        return list(dict.fromkeys(other for _, other in sorted(ends)))

    def notes_at(self, start: int, end: int) -> list[Note]:
        """Placed notes whose span overlaps text[start:end]."""
        return [
            n for n in self.notes if not n.orphan and n.anchor.start < end and n.anchor.end > start
        ]

    def links_of(self, sentence: int) -> list[Link]:
        me = self.article.id
        return sorted(
            (
                link
                for link in self.links
                if (link.a_article, link.a_sentence) == (me, sentence)
                or (link.b_article, link.b_sentence) == (me, sentence)
            ),
            key=lambda link: -link.score,
        )


class ReaderData:
    """A cache in front of store.Library; safe to call from worker threads."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.layout = Layout(home)
        self._library: Library | None = None
        self._articles: dict[str, Article] = {}
        self._entities: dict[str, Entity | None] = {}  # None: no record of that id
        self._lock = threading.Lock()

    @property
    def library(self) -> Library:
        if self._library is None:
            from store.library import Library

            self._library = Library.open(self.home)
        return self._library

    def snapshot(
        self, seed: bool = False, on_seeding: Callable[[], None] | None = None
    ) -> Snapshot:
        """The library; with `seed`, a library that never held anything gets the samples
        (`on_seeding` is called first: that takes a while).

        Seeding runs `treaty-tui seed` as a child process: the reader's own
        process never loads spaCy.
        """
        lib = self.library
        if seed and lib.needs_seeds():
            if on_seeding is not None:
                on_seeding()
            self.run_command(["seed"], lambda line: None)
        return Snapshot(lib.stories(), lib.articles(), lib.read_only)

    def run_command(self, args: list[str], on_line: Callable[[str], None]) -> int:
        """Run `treaty-tui --data-dir HOME ARGS` as a child process (imports load spaCy
        there, never in the reader), handing each line it prints to `on_line`, made safe
        to show; its exit code."""
        import os
        import subprocess
        import sys

        env = dict(os.environ, PYTHONUNBUFFERED="1")
        command = [sys.executable, "-m", "tui.cli", "--data-dir", str(self.home), *args]
        with subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
            env=env,
        ) as child:
            assert child.stdout is not None
            for line in child.stdout:
                if line.strip():
                    on_line(visible_line(line.rstrip("\n")))
            return child.wait()

    def article(self, article_id: str) -> Article:
        with self._lock:
            if article_id not in self._articles:
                self._articles[article_id] = self.library.article(article_id)
            return self._articles[article_id]

    def open(self, article_id: str) -> Opened:
        """The article with its links and notes. The articles its links point into are
        read as the reader first shows one of them (a sentence of a 160-report story
        links into most of the story: reading them all delayed every open), and its
        entities once it is on screen (`entities_of`: a shard file each, 15 ms for an
        article of a 10,000-article library, which every open and the first frame waited for)."""
        article = self.article(article_id)
        mine = self.library.article_links(article_id)
        reach = self.library.reach(article_id)
        notes = self.notes_of(article_id)
        return Opened(article, mine, self.article, notes, reach)

    def entities_of(self, ids: Iterable[str]) -> dict[str, Entity]:
        """The entities with these ids (those with a record), each read once until `forget`."""
        wanted = set(ids)
        with self._lock:
            missing = sorted(wanted - self._entities.keys())
        if missing:
            found = self.library.entities_of(missing)
            with self._lock:
                self._entities.update({i: found.get(i) for i in missing})
        with self._lock:
            return {i: e for i in wanted if (e := self._entities.get(i)) is not None}

    def known_entities(self, ids: Collection[str]) -> dict[str, Entity] | None:
        """The entities with these ids if every one was read before, else None: the UI
        thread asks, and never waits on a file."""
        with self._lock:
            if any(i not in self._entities for i in ids):
                return None
            return {i: e for i in ids if (e := self._entities[i]) is not None}

    # -- notes (each call reads notes.json afresh: another session may have written) --
    def notes_of(self, article_id: str) -> list[Note]:
        return self.library.notes(article=article_id)

    def find_notes(self, query: str) -> list[Note]:
        """Notes matching a filter line: words, #tag, story:NAME, article:ID, is:orphan."""
        words: list[str] = []
        filters: dict[str, Any] = {}
        for token in query.split():
            if token.startswith("#") and len(token) > 1:
                filters["tag"] = token[1:]
            elif token == "is:orphan":
                filters["orphans"] = True
            elif token.startswith(("story:", "article:")):
                key, _, value = token.partition(":")
                filters[key] = value
            else:
                words.append(token)
        return self.library.notes(text=" ".join(words), **filters)

    def add_note(
        self,
        article_id: str,
        start: int,
        end: int,
        body: str,
        tags: Iterable[str],
        link: tuple[str, int, int] | None = None,
    ) -> Note:
        return self.library.add_note(article_id, start, end, body, tags, link)

    def edit_note(
        self, note_id: str, body: str | None = None, tags: Iterable[str] | None = None
    ) -> Note:
        return self.library.edit_note(note_id, body, tags)

    def delete_note(self, note_id: str) -> Note:
        return self.library.delete_note(note_id)

    def restore_note(self, note: Note) -> Note:
        return self.library.restore_note(note)

    def search(
        self, text: str, progress: Callable[[int, int], None] | None = None
    ) -> tuple[int, list[SearchHit]]:
        """(matches, best hits) from the library's search index (store.search_index)."""
        return self.library.search(text, progress=progress)

    def story_links(self, story: str) -> list[Link]:
        return self.library.links(story)

    def article_links(self, article_id: str) -> list[Link]:
        return self.library.article_links(article_id)

    def story_differences(self, story: str) -> list[Link]:
        """The story's `differs` links, from its claim groups (its links in older libraries)."""
        groups = self.library.claim_groups(story)
        if all(g.complete for g in groups):
            return [link for g in groups for link in g.differs_links()]
        return [x for x in self.library.links(story) if x.relation == "differs"]

    def member_relations(self, story: str) -> dict[SentenceRef, Relation] | None:
        """Each claim group member's strongest link inside its group; None where the
        groups were stored without them (older libraries: work them out from the links)."""
        groups = self.library.claim_groups(story)
        if not all(g.complete for g in groups):
            return None
        return {m: r for g in groups for m, r in zip(g.members, g.relations)}

    def story_claims(self, story: str) -> tuple[list[ClaimGroup], list[SentenceRef]]:
        """The story's claim groups and the claim sentences of one source only."""
        return self.library.claim_groups(story), self.library.single_source(story)

    def stamps(self) -> tuple[float, float]:
        """Change times of the catalog and the notes file (0.0 when missing).

        A stat per file, cheap enough to poll from the UI thread; TinyDB is not needed.
        """
        out = []
        for path in self.layout.watched():
            try:
                out.append(path.stat().st_mtime)
            except OSError:
                out.append(0.0)
        return out[0], out[1]

    # -- shaping stories (stored claims only: relinking needs no NLP) ---------------
    def rename_story(self, story: str, name: str) -> str:
        renamed = self.library.rename_story(story, name)
        return f"Story renamed: {visible_line(renamed.name)}"

    def merge_story(self, story: str, into: str) -> str:
        target, moved = self.library.merge_stories(into, [story])
        return f"Merged {counted(moved, 'article')} into {visible_line(target.name)}"

    def move_article(self, article: str, story: str) -> str:
        _, target, new = self.library.move_article(article, story)
        where = "a new story" if new else "the story"
        return f"Moved to {where} {visible_line(target.name)}"

    def forget(self) -> None:
        """Drop cached articles (after another process changed the library)."""
        with self._lock:
            self._articles.clear()
            self._entities.clear()
