"""Gold files (shared/eval/FORMAT.md), read once: their articles imported, their sentences placed.

Every gold corpus is imported exactly as `treaty-tui add` would import it,
into a temporary store that is thrown away afterwards.
"""

from __future__ import annotations

import contextlib
import json
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

from store.errors import TreatyError
from store.importing import content_id
from store.ingest.sources import SourceDocument, read_file
from store.ingest.structure import find_structure
from store.library import Library
from store.models import Article

EVAL_STORY = "gold"
QUOTE_MAP = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " "}
)
SentenceKey = tuple[str, int]  # (gold article id, sentence index)


@contextlib.contextmanager
def temporary_library() -> Iterator[Library]:
    with tempfile.TemporaryDirectory(prefix="treaty-eval-") as home:
        yield Library.open(home)


# -- gold corpora -----------------------------------------------------------------
@dataclass
class GoldCorpus:
    path: Path
    data: dict[str, Any]
    docs: dict[str, SourceDocument]


def load_gold(path: str | Path) -> GoldCorpus:
    path = Path(path)
    try:
        data = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise TreatyError(f"no such gold file: {path}") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise TreatyError(f"gold file {path} is not valid JSON ({exc})") from None
    docs = {}
    for entry in data.get("articles", []):
        if "file" in entry:
            docs[entry["id"]] = read_file(path.parent / entry["file"])
        else:
            docs[entry["id"]] = SourceDocument(
                entry.get("text", ""), f"gold:{entry['id']}", "text", entry.get("title", "")
            )
    return GoldCorpus(path, data, docs)


def import_gold(lib: Library, corpus: GoldCorpus) -> dict[str, str]:
    """Import a corpus as one story; gold article id -> library article id."""
    outcomes = list(lib.add_documents(corpus.docs.values(), story=EVAL_STORY))
    failed = [o for o in outcomes if o.status == "failed"]
    if failed:
        raise TreatyError(f"{corpus.path}: {failed[0].name}: {failed[0].reason}")

    return {
        gold_id: content_id(find_structure(doc.text, doc.title).text)
        for gold_id, doc in corpus.docs.items()
    }


def _normalise_with_map(text: str) -> tuple[str, list[int]]:
    """Quotes unified and whitespace runs collapsed; index map back to `text`."""
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text.translate(QUOTE_MAP)):
        if ch.isspace():
            if out and out[-1] == " ":
                continue
            ch = " "
        out.append(ch)
        where.append(i)
    return "".join(out), where


def locate(article: Article, quote: str) -> int | None:
    """Index of the sentence holding the quote's first character, or None."""
    norm_text, where = _normalise_with_map(article.text)
    norm_quote, _ = _normalise_with_map(quote.strip())
    at = norm_text.find(norm_quote)
    if at < 0 or not norm_quote:
        return None
    char = where[at]
    for index, s in enumerate(article.sentences):
        if s.start <= char < s.end:
            return index
    # between sentences (e.g. leading space): the next sentence
    return next((i for i, s in enumerate(article.sentences) if s.start >= char), None)


@dataclass
class GoldLinks:
    """A gold story's sentences placed in the imported articles, and the links they imply."""

    listed: dict[SentenceKey, set[str]]  # sentence -> the claims it states
    links: set[frozenset[SentenceKey]]
    unplaced: list[str]  # detail lines for quotes found in no sentence
    scope_all: bool


def gold_links(corpus: GoldCorpus, articles: dict[str, Article]) -> GoldLinks:
    """Place every listed sentence; a gold link joins two articles' sentences sharing a claim."""
    listed: dict[SentenceKey, set[str]] = defaultdict(set)
    unplaced = []
    for entry in corpus.data.get("sentences", []):
        art = articles.get(entry["article"])
        index = locate(art, entry["quote"]) if art else None
        if index is None:
            unplaced.append(f"unplaced quote {entry['article']}: {entry['quote'][:80]}")
            continue
        listed[(entry["article"], index)].update(entry.get("claims", []))
    links = {
        frozenset((a, b))
        for a, b in combinations(listed, 2)
        if a[0] != b[0] and listed[a] & listed[b]
    }
    return GoldLinks(dict(listed), links, unplaced, corpus.data.get("scope", "all") == "all")
