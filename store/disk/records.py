"""Article documents (articles/<id>.json), story links (links/<story>.jsonl and, per
article, links/<story>/<article>.jsonl, with links/<story>/added-since.jsonl for
articles added later), claim groups (groups/<story>.json) and how widely each
sentence's claim is reported (reach/<story>.json).

An article document holds everything heavy about one article (text,
structure, mentions, claims) and is read only when the article is opened;
it is a TinyDB file. A links file holds one story's cross-source links, one
JSON array a line (`Link.load`), so that an article added to a large story
appends its links instead of rewriting every file of the story.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from store.disk.files import (
    append_to_files,
    file_stamp,
    read_json,
    write_bytes_atomic,
    write_files_atomic,
    write_json_atomic,
    write_json_files_atomic,
)
from store.disk.layout import Layout
from store.errors import NotFound, StoreDamaged
from store.models import (
    RELATIONS,
    Article,
    Claim,
    ClaimGroup,
    Difference,
    Link,
    SentenceRef,
    relations_of,
    sentence_reach,
)

if TYPE_CHECKING:  # (numpy stays out of the reader's start: only writing links needs it)
    from store.link_table import LinkTable

LINES = ".jsonl"  # links files: one link a line
LINK_SUFFIXES = {LINES, ".json"}  # ".json": libraries from before
GROUPS_FORMAT = 2  # groups/<story>.json: sentences and differences named once (groups_document)


def article_from_document(data: Any) -> Article:
    """The article a document holds; KeyError/TypeError/StopIteration when it holds none."""
    return Article.load(next(iter(data["article"].values())))


def read_article(layout: Layout, article_id: str) -> Article:
    path = layout.article(article_id)
    data = read_json(path)
    if not data:
        raise NotFound(f"no article with id {article_id!r}")
    try:
        return article_from_document(data)
    except (KeyError, StopIteration, TypeError) as exc:
        raise StoreDamaged(path, f"missing {exc}") from None


@dataclass(frozen=True)
class ArticleClaims:
    """What linking a story needs of one article: its linkable claims with their
    sentences' text, how many of its sentences state a claim, the entities it names."""

    id: str
    claims: tuple[Claim, ...]
    texts: tuple[str, ...]
    claim_count: int
    named: frozenset[str]


def read_article_claims(layout: Layout, article_id: str) -> ArticleClaims:
    """`read_article` for linking: the claims only, without building the article's
    mentions, sentences and paragraphs (a 160-report story: 35 ms, not 110)."""
    path = layout.article(article_id)
    data = read_json(path)
    if not data:
        raise NotFound(f"no article with id {article_id!r}")
    try:
        stored = next(iter(data["article"].values()))
        text, sentences = stored["text"], stored.get("sentences", ())
        kinds = [s.get("kind", "claim") for s in sentences]
        claims = tuple(
            Claim.load(c) for c in stored.get("claims", ()) if kinds[c["sentence"]] == "claim"
        )
        texts = tuple(
            text[sentences[c.sentence]["start"] : sentences[c.sentence]["end"]] for c in claims
        )
        named = frozenset(m["entity"] for m in stored.get("mentions", ()) if m.get("entity"))
        return ArticleClaims(article_id, claims, texts, kinds.count("claim"), named)
    except (KeyError, StopIteration, TypeError, IndexError, AttributeError) as exc:
        raise StoreDamaged(path, f"missing {exc}") from None


def write_article(layout: Layout, article: Article) -> None:
    write_articles(layout, [article])


def write_articles(layout: Layout, articles: Iterable[Article]) -> None:
    """Each article's document, atomically; their fsyncs side by side."""
    write_json_files_atomic({layout.article(a.id): {"article": {"1": a.dump()}} for a in articles})


def remove_article(layout: Layout, article_id: str) -> None:
    layout.article(article_id).unlink(missing_ok=True)


def article_files(layout: Layout) -> list[Path]:
    """The article documents on disk (symbolic links are not the library's own)."""
    return sorted(p for p in layout.articles.glob("*.json") if not p.is_symlink())


def links_from_document(data: Any) -> list[Link]:
    """The links of a story links document as libraries before JSON Lines wrote it."""
    return [Link.load(row) for row in (data or {}).get("links", {}).values()]


def read_link_lines(path: Path, strict: bool = False, mentioning: bytes = b"") -> list[Link] | None:
    """The links of a JSON Lines links file (only lines `mentioning` these bytes, where
    given: only those are parsed); None when it is missing.

    An append cut short (the machine stopped mid-write) leaves a last line
    without its newline: that line is left out, the links before it stand
    (`strict`: StoreDamaged, so the doctor can say so).
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    cut = raw.rfind(b"\n") + 1
    if strict and raw[cut:].strip():
        raise StoreDamaged(path, "its last line was cut short (an interrupted write)")
    whole = raw[:cut].strip()
    if mentioning:
        whole = b"\n".join(line for line in whole.split(b"\n") if mentioning in line)
    if not whole:
        return []
    try:  # one parse for the whole file: the lines as the items of one JSON list
        rows = orjson.loads(b"[" + whole.replace(b"\n", b",") + b"]")
    except orjson.JSONDecodeError as exc:
        raise StoreDamaged(path, f"not valid JSON lines: {exc.__class__.__name__}") from None
    try:
        return [Link.load(row) for row in rows]
    except (KeyError, TypeError, ValueError) as exc:
        raise StoreDamaged(path, f"a line is not a link: {exc.__class__.__name__}") from None


def read_links(layout: Layout, story_id: str) -> list[Link]:
    found = read_link_lines(layout.story_links(story_id))
    if found is None:  # a library from before JSON Lines
        return links_from_document(read_json(layout.old_story_links(story_id)))
    return found


def read_article_links(layout: Layout, story_id: str, article_id: str) -> list[Link] | None:
    """One article's links; None where the story has no per-article files (older libraries)."""
    found = read_link_lines(layout.article_links(story_id, article_id))
    if found is None:
        data = read_json(layout.old_article_links(story_id, article_id))
        found = None if data is None else links_from_document(data)
    return found


def _lines(links: LinkTable, articles: Iterable[str]) -> tuple[bytes, dict[str, bytes]]:
    """The story's lines and each article's (one JSON array a link, as `Link.load` reads
    it; the `articles` get theirs even without links). Each link is encoded once, for all
    three files, from the table's columns: a large story has hundreds of thousands."""
    a_articles, a_sentences, b_articles, b_sentences, scores = links.columns()
    quoted = {article: orjson.dumps(article) for article in {*a_articles, *b_articles}}
    written = {score: _json_number(score) for score in set(scores)}  # rounded: few distinct
    ends = {relation: b"%s]\n" % orjson.dumps(relation) for relation in RELATIONS}
    tails = list(map(ends.__getitem__, links.relations()))
    for k, differences in links.differences.items():  # orjson writes dataclasses
        tails[k] = b'"differs",%s]\n' % orjson.dumps(differences)
    encoded = [
        b"[%s,%d,%s,%d,%s,%s" % row
        for row in zip(
            map(quoted.__getitem__, a_articles),
            a_sentences,
            map(quoted.__getitem__, b_articles),
            b_sentences,
            map(written.__getitem__, scores),
            tails,
        )
    ]
    mine: dict[str, list[bytes]] = {article: [] for article in articles}
    for a, b, line in zip(a_articles, b_articles, encoded):
        mine.setdefault(a, []).append(line)
        mine.setdefault(b, []).append(line)
    return b"".join(encoded), {article: b"".join(lines) for article, lines in mine.items()}


def _json_number(score: float) -> bytes:
    """A score as JSON writes it (Python's shortest form is JSON's; a score is never
    infinite or NaN, but a line that could not be read back would lose the file)."""
    return repr(score).encode() if math.isfinite(score) else b"0.0"


def write_links(layout: Layout, story_id: str, links: LinkTable, articles: Iterable[str]) -> None:
    """The story's links, and each of its `articles`' own (an article without links too);
    files of articles no longer in the story, and those of older libraries, go."""
    story, mine = _lines(links, articles)
    write_files_atomic(
        {layout.article_links(story_id, article): lines for article, lines in mine.items()}
    )
    for stale in _link_files_in(layout.article_links_folder(story_id)):
        if stale.suffix != LINES or stale.stem not in mine:
            stale.unlink()
    write_bytes_atomic(layout.story_links(story_id), story)
    layout.old_story_links(story_id).unlink(missing_ok=True)


def append_links(layout: Layout, story_id: str, links: LinkTable, articles: Iterable[str]) -> None:
    """Add links of `articles` new to a story written by `write_links`: each line is
    appended to the story's file and to its added links (`read_added_links`), and the
    new articles get their own files. Nothing else of the story is written."""
    articles = list(articles)
    story, mine = _lines(links, articles)
    payloads = {layout.article_links(story_id, article): mine[article] for article in articles}
    append_to_files(
        {**payloads, layout.added_links(story_id): story, layout.story_links(story_id): story}
    )


def read_added_links(layout: Layout, story_id: str, article_id: str) -> list[Link]:
    """An article's links among those appended since its story was linked in full (not
    in the files of the articles it held then); only the lines naming it are parsed."""
    found = read_link_lines(layout.added_links(story_id), mentioning=f'"{article_id}"'.encode())
    return [x for x in found or () if article_id in (x.a_article, x.b_article)]


def remove_links(layout: Layout, story_id: str) -> None:
    layout.story_links(story_id).unlink(missing_ok=True)
    layout.old_story_links(story_id).unlink(missing_ok=True)
    folder = layout.article_links_folder(story_id)
    for path in _link_files_in(folder):
        path.unlink()
    if folder.is_dir() and not folder.is_symlink() and not any(folder.iterdir()):
        folder.rmdir()


def _link_files_in(folder: Path) -> list[Path]:
    if folder.is_symlink() or not folder.is_dir():
        return []
    return [p for p in folder.glob("*.json*") if p.suffix in LINK_SUFFIXES and not p.is_symlink()]


def link_files(layout: Layout) -> Iterator[Path]:
    """The stories' link files (their per-article files: `article_link_files`)."""
    return (
        p for p in layout.links.glob("*.json*") if p.suffix in LINK_SUFFIXES and not p.is_symlink()
    )


def article_link_files(layout: Layout) -> Iterator[Path]:
    for folder in layout.links.glob("*/"):
        yield from _link_files_in(folder)


def stored_as_lines(layout: Layout, story_id: str) -> bool:
    """Whether a story's links are JSON Lines (so more can be appended)."""
    return layout.story_links(story_id).is_file()


def groups_document(groups: Iterable[ClaimGroup], single: Iterable[SentenceRef]) -> dict:
    """A story's groups as stored: each sentence and each difference is written once, in
    `sentences` and `differences`, and the groups name them by number. A story of many
    sources names the same sentences and the same few differences tens of thousands of
    times (a 160-report story: 1.9 MB as records, 290 KB so)."""
    sentences: dict[SentenceRef, int] = {}
    differences: dict[Difference, int] = {}
    number, said = sentences.setdefault, differences.setdefault  # a new one: the next number
    rows = [
        {
            "members": [number(m, len(sentences)) for m in group.members],
            "representative": number(group.representative, len(sentences)),
            "relations": list(group.relations),
            "differing": [
                [number(a, len(sentences)), number(b, len(sentences))] for a, b in group.differing
            ],
            "differences": [
                [said(d, len(differences)) for d in pair] for pair in group.differences
            ],
        }
        for group in groups
    ]
    return {
        "format": GROUPS_FORMAT,
        "sentences": [[ref.article, ref.sentence] for ref in sentences],
        "differences": [[d.what, d.this, d.other] for d in differences],
        "groups": rows,
        "single": [[ref.article, ref.sentence] for ref in single],
    }


def groups_from_document(data: Any) -> list[ClaimGroup]:
    """The groups of a stored document, of this format or of libraries from before (one
    record per group, its sentences written out)."""
    if not isinstance(data, dict) or data.get("format") != GROUPS_FORMAT:
        shared: dict[Any, Any] = {}  # one SentenceRef per sentence, one Difference per values
        return [ClaimGroup.load(row, shared) for row in (data or {}).get("groups", {}).values()]
    refs = [SentenceRef(str(article), int(sentence)) for article, sentence in data["sentences"]]
    said = [
        Difference(str(what), str(this), str(other)) for what, this, other in data["differences"]
    ]
    try:
        return [
            ClaimGroup(
                tuple(map(refs.__getitem__, row["members"])),
                refs[row["representative"]],
                tuple([(refs[a], refs[b]) for a, b in row["differing"]]),
                relations_of(row["relations"]),
                tuple([tuple(map(said.__getitem__, pair)) for pair in row["differences"]]),
            )
            for row in data["groups"]
        ]
    except IndexError as exc:  # a number that names no sentence or difference
        raise ValueError(f"groups document: {exc}") from None


def read_story_claims(
    layout: Layout, story_id: str
) -> tuple[list[ClaimGroup] | None, list[SentenceRef] | None]:
    """A story's claim groups (most sources first) and its claim sentences of one source
    only; each None where not stored (libraries from before either)."""
    path = layout.story_groups(story_id)
    data = read_json(path)
    if data is None:
        return None, None
    try:
        return groups_from_document(data), single_from_document(data)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise StoreDamaged(
            path, f"not a claim groups document ({exc.__class__.__name__})"
        ) from None


def single_from_document(data: Any) -> list[SentenceRef] | None:
    """The one-source claims a groups document keeps; None where it keeps none."""
    single = (data or {}).get("single")
    if single is None:
        return None
    return [SentenceRef(str(article), int(sentence)) for article, sentence in single]


def write_groups(
    layout: Layout, story_id: str, groups: Iterable[ClaimGroup], single: Iterable[SentenceRef]
) -> None:
    """The story's groups, then the reach of its sentences (written after: see read_reach)."""
    groups = list(groups)
    write_json_atomic(layout.story_groups(story_id), groups_document(groups, single))
    write_reach(layout, story_id, groups)


def write_reach(layout: Layout, story_id: str, groups: Iterable[ClaimGroup]) -> None:
    """Per article, [sentence, sources] of each sentence in a claim group."""
    reach = sentence_reach(groups)
    write_json_atomic(
        layout.story_reach(story_id),
        {article: sorted(mine.items()) for article, mine in reach.items()},
    )


def reach_from_document(data: Any) -> dict[str, dict[int, int]]:
    return {
        str(article): {int(sentence): int(sources) for sentence, sources in rows}
        for article, rows in (data or {}).items()
    }


def read_reach(layout: Layout, story_id: str) -> dict[str, dict[int, int]] | None:
    """Per article and sentence, the sources of its claim; None where the file is missing,
    damaged or older than the groups it was made from (a write cut short between the two):
    the caller works it out from the groups then."""
    path = layout.story_reach(story_id)
    groups = file_stamp(layout.story_groups(story_id))
    if groups == (0, 0, 0) or file_stamp(path)[1] < groups[1]:
        return None
    try:
        return reach_from_document(read_json(path))
    except (StoreDamaged, TypeError, ValueError, AttributeError):
        return None


def remove_groups(layout: Layout, story_id: str) -> None:
    layout.story_groups(story_id).unlink(missing_ok=True)
    layout.story_reach(story_id).unlink(missing_ok=True)


def group_files(layout: Layout) -> Iterator[Path]:
    return (p for p in layout.groups.glob("*.json") if not p.is_symlink())


def reach_files(layout: Layout) -> Iterator[Path]:
    return (p for p in layout.reach.glob("*.json") if not p.is_symlink())
