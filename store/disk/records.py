"""Article documents (articles/<id>.json), story links (links/<story>.json and, per
article, links/<story>/<article>.json), claim groups.

An article document holds everything heavy about one article (text,
structure, mentions, claims) and is read only when the article is opened;
a links file holds one story's cross-source links. Both are TinyDB files.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from store.disk.files import read_json, write_json_atomic
from store.disk.layout import Layout
from store.errors import NotFound, StoreDamaged
from store.models import Article, ClaimGroup, Link, SentenceRef


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


def write_article(layout: Layout, article: Article) -> None:
    write_json_atomic(layout.article(article.id), {"article": {"1": article.dump()}})


def remove_article(layout: Layout, article_id: str) -> None:
    layout.article(article_id).unlink(missing_ok=True)


def article_files(layout: Layout) -> list[Path]:
    """The article documents on disk (symbolic links are not the library's own)."""
    return sorted(p for p in layout.articles.glob("*.json") if not p.is_symlink())


def links_from_document(data: Any) -> list[Link]:
    return [Link.load(row) for row in (data or {}).get("links", {}).values()]


def read_links(layout: Layout, story_id: str) -> list[Link]:
    return links_from_document(read_json(layout.story_links(story_id)))


def read_article_links(layout: Layout, story_id: str, article_id: str) -> list[Link] | None:
    """One article's links; None where the story has no per-article files (older libraries)."""
    data = read_json(layout.article_links(story_id, article_id))
    return None if data is None else links_from_document(data)


def _links_document(links: Iterable[Link]) -> dict[str, Any]:
    # orjson writes the Link dataclasses directly
    return {"links": {str(i + 1): link for i, link in enumerate(links)}}


def write_links(layout: Layout, story_id: str, links: list[Link], articles: Iterable[str]) -> None:
    """The story's links, and each of its `articles`' own (an article without links too)."""
    mine: dict[str, list[Link]] = {article: [] for article in articles}
    for link in links:
        mine.setdefault(link.a_article, []).append(link)
        mine.setdefault(link.b_article, []).append(link)
    folder = layout.article_links_folder(story_id)
    for article, its_links in mine.items():
        write_json_atomic(layout.article_links(story_id, article), _links_document(its_links))
    for stale in _json_files(folder):
        if stale.stem not in mine:
            stale.unlink()
    write_json_atomic(layout.story_links(story_id), _links_document(links))


def remove_links(layout: Layout, story_id: str) -> None:
    layout.story_links(story_id).unlink(missing_ok=True)
    folder = layout.article_links_folder(story_id)
    for path in _json_files(folder):
        path.unlink()
    if folder.is_dir() and not folder.is_symlink() and not any(folder.iterdir()):
        folder.rmdir()


def _json_files(folder: Path) -> list[Path]:
    if folder.is_symlink() or not folder.is_dir():
        return []
    return [p for p in folder.glob("*.json") if not p.is_symlink()]


def link_files(layout: Layout) -> Iterator[Path]:
    """The stories' link files (their per-article files: `article_link_files`)."""
    return (p for p in layout.links.glob("*.json") if not p.is_symlink())


def article_link_files(layout: Layout) -> Iterator[Path]:
    for folder in layout.links.glob("*/"):
        yield from _json_files(folder)


def groups_from_document(data: Any) -> list[ClaimGroup]:
    refs: dict[tuple[str, int], SentenceRef] = {}
    return [ClaimGroup.load(row, refs) for row in (data or {}).get("groups", {}).values()]


def read_story_claims(
    layout: Layout, story_id: str
) -> tuple[list[ClaimGroup] | None, list[SentenceRef] | None]:
    """A story's claim groups (most sources first) and its claim sentences of one source
    only; each None where not stored (libraries from before either)."""
    data = read_json(layout.story_groups(story_id))
    if data is None:
        return None, None
    return groups_from_document(data), single_from_document(data)


def single_from_document(data: Any) -> list[SentenceRef] | None:
    """The one-source claims a groups document keeps; None where it keeps none."""
    single = (data or {}).get("single")
    if single is None:
        return None
    return [SentenceRef(str(article), int(sentence)) for article, sentence in single]


def write_groups(
    layout: Layout, story_id: str, groups: Iterable[ClaimGroup], single: Iterable[SentenceRef]
) -> None:
    write_json_atomic(
        layout.story_groups(story_id),
        {
            "groups": {str(i + 1): g for i, g in enumerate(groups)},  # orjson writes records
            "single": [[ref.article, ref.sentence] for ref in single],
        },
    )


def remove_groups(layout: Layout, story_id: str) -> None:
    layout.story_groups(story_id).unlink(missing_ok=True)


def group_files(layout: Layout) -> Iterator[Path]:
    return (p for p in layout.groups.glob("*.json") if not p.is_symlink())
