"""Full-text search over the library: an SQLite FTS5 index beside the TinyDB store.

A search over 10,000 articles cannot read 10,000 article documents. This
index holds one row per sentence (and one per title) with the names of the
entities the sentence mentions, and answers word, prefix and phrase queries
ranked by BM25 in milliseconds. It is derived data, never the only copy:
each article is indexed when it is added and dropped when it goes, the
library checks it against the catalog before searching (an interrupted
import or a deleted index file is caught up there), and `doctor` rebuilds
it. SQLite (in the standard library) gives an on-disk inverted index with
atomic commits and concurrent readers that no file of ours would match.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from store.disk.layout import Layout
from store.errors import StoreDamaged, TreatyError
from store.models import Article

TITLE = -1  # the sentence number of a title row
RANK_LIMIT = 10_000
SCHEMA = """
CREATE TABLE IF NOT EXISTS indexed (article TEXT PRIMARY KEY, first INTEGER, last INTEGER);
CREATE VIRTUAL TABLE IF NOT EXISTS sentences USING fts5(
    article UNINDEXED, sentence UNINDEXED, text, entities,
    tokenize = 'unicode61 remove_diacritics 2'
);
"""
WORD = re.compile(r"\w+\*?")
PHRASE = re.compile(r'"([^"]*)"')


MAX_TERMS = 32  # all must occur in one sentence: more terms than this can only narrow to nothing


@dataclass(frozen=True)
class SearchHit:
    """One matching sentence (TITLE for the title) and the entity names that matched."""

    article: str
    sentence: int
    text: str
    entities: str


def fts_query(text: str) -> str:
    """The user's words as an FTS5 query: every word and "quoted phrase" must occur.

    Each term is quoted, so punctuation and FTS5 operators in what the user
    typed are only ever words; a trailing * keeps its meaning (prefix).
    Repeated terms count once, and only the first MAX_TERMS are used: a
    pasted page of text would otherwise keep SQLite busy for many seconds.
    """
    terms: list[str] = []
    for phrase in PHRASE.findall(text):
        words = [w.rstrip("*") for w in WORD.findall(phrase)][:MAX_TERMS]
        if words:
            terms.append('"' + " ".join(words) + '"')
    for word in WORD.findall(PHRASE.sub(" ", text)):
        stem = word.rstrip("*")
        terms.append(f'"{stem}"' + ("*" if word.endswith("*") else ""))
    return " ".join(list(dict.fromkeys(terms))[:MAX_TERMS])


class SearchIndex:
    """The search index of one library folder."""

    def __init__(self, layout: Layout) -> None:
        self.path = layout.search_index

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        if not os.access(self.path.parent, os.W_OK):  # a read-only library: read what is there
            if not self.path.exists():
                raise TreatyError("the library is read-only and has no search index to read")
            conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=30)
            try:
                with conn:
                    yield conn
            finally:
                conn.close()
            return
        if not self.path.exists():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
        try:
            conn = sqlite3.connect(self.path, timeout=30)
        except sqlite3.Error as exc:
            raise StoreDamaged(self.path, f"search index unreadable ({exc})") from None
        try:
            conn.executescript(SCHEMA)
            with conn:
                yield conn
        except sqlite3.DatabaseError as exc:
            raise StoreDamaged(self.path, f"search index unreadable ({exc})") from None
        finally:
            conn.close()

    def check(self) -> None:
        """StoreDamaged unless the index file is a readable, intact index (missing is fine)."""
        if not self.path.exists():
            return
        with self._connect() as conn:
            problem = conn.execute("PRAGMA quick_check").fetchone()[0]
            conn.execute("SELECT count(*) FROM indexed").fetchone()
        if problem != "ok":
            raise StoreDamaged(self.path, f"search index damaged ({problem})")

    def set_aside(self, suffix: str) -> Path:
        """Rename the index and its journals out of the way; returns the new name."""
        aside = self.path.with_name(self.path.name + suffix)
        for extra in ("-journal", "-wal", "-shm"):
            journal = self.path.with_name(self.path.name + extra)
            if journal.exists():
                journal.rename(aside.with_name(aside.name + extra))
        self.path.rename(aside)
        return aside

    def indexed(self) -> set[str]:
        with self._connect() as conn:
            return {row[0] for row in conn.execute("SELECT article FROM indexed")}

    def add(self, articles: Iterable[tuple[Article, dict[str, str]]]) -> None:
        """Index articles, each with its entity names by id (hold the library lock)."""
        with self._connect() as conn:
            for article, names in articles:
                self._drop(conn, article.id)
                rows = [(article.id, TITLE, article.info.title, "")]
                by_sentence: dict[int, list[str]] = {}
                for m in article.mentions:
                    if m.entity in names:
                        by_sentence.setdefault(m.sentence, []).append(names[m.entity])
                for i in range(len(article.sentences)):
                    entities = " ; ".join(dict.fromkeys(by_sentence.get(i, ())))
                    rows.append((article.id, i, article.sentence_text(i), entities))
                # Rows get consecutive rowids, so an article is removed by its range.
                first = conn.execute("SELECT coalesce(max(rowid), 0) + 1 FROM sentences")
                first = first.fetchone()[0]
                conn.executemany(
                    "INSERT INTO sentences (rowid, article, sentence, text, entities) "
                    "VALUES (?, ?, ?, ?, ?)",
                    [(first + k, *row) for k, row in enumerate(rows)],
                )
                conn.execute(
                    "INSERT INTO indexed VALUES (?, ?, ?)",
                    (article.id, first, first + len(rows) - 1),
                )

    def keep_up(
        self, added: list[tuple[Article, dict[str, str]]], dropped: Iterable[str] = ()
    ) -> None:
        """Follow a write of the store; a damaged index never blocks one.

        (Searching reports the damage and points to `doctor`, which rebuilds it.)
        """
        try:
            if dropped:
                self.remove(dropped)
            if added:
                self.add(added)
        except StoreDamaged:
            pass

    def remove(self, article_ids: Iterable[str]) -> None:
        with self._connect() as conn:
            for article_id in article_ids:
                self._drop(conn, article_id)

    @staticmethod
    def _drop(conn: sqlite3.Connection, article_id: str) -> None:
        span = conn.execute(
            "SELECT first, last FROM indexed WHERE article = ?", (article_id,)
        ).fetchone()
        if span:
            conn.execute("DELETE FROM sentences WHERE rowid BETWEEN ? AND ?", span)
            conn.execute("DELETE FROM indexed WHERE article = ?", (article_id,))

    def search(self, text: str, limit: int) -> tuple[int, list[SearchHit]]:
        """(how many sentences match, `limit` of them, best first).

        Ranking costs time per match, so a query matching more than
        RANK_LIMIT sentences (a word every article has) lists its first
        matches in library order instead: the user narrows it anyway.
        """
        query = fts_query(text)
        if not query:
            return 0, []
        with self._connect() as conn:
            try:
                total = conn.execute(
                    "SELECT count(*) FROM sentences WHERE sentences MATCH ?", (query,)
                ).fetchone()[0]
                order = "ORDER BY bm25(sentences, 0, 0, 1.0, 2.0)" if total <= RANK_LIMIT else ""
                rows = conn.execute(
                    "SELECT article, sentence, text, entities FROM sentences "
                    f"WHERE sentences MATCH ? {order} LIMIT ?",
                    (query, limit),
                ).fetchall()
            except sqlite3.OperationalError:  # a query FTS5 cannot parse: nothing matches
                return 0, []
        return total, [SearchHit(a, int(s), t, e) for a, s, t, e in rows]
