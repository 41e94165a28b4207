"""`treaty-tui doctor`: find damaged store files, set them aside, rebuild what can be rebuilt.

Nothing is deleted: a damaged file is renamed to NAME.damaged-TIMESTAMP next
to where it was. The catalog is rebuilt from the article documents (which
hold each article's metadata, mentions and claims), links are recomputed
from the claims (no NLP needed), and a damaged notes file is set aside for
the user to recover by hand, since notes exist nowhere else.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from store.disk import catalog as cat
from store.disk.entities import EntityStore, new_entity_row
from store.disk.files import locked, read_json, symlinks
from store.disk.layout import NOTES_LOCK, Layout
from store.disk.notebook import NoteBook
from store.disk.records import (
    LINES,
    article_files,
    article_from_document,
    article_link_files,
    group_files,
    groups_from_document,
    link_files,
    links_from_document,
    reach_files,
    reach_from_document,
    read_link_lines,
    remove_links,
    single_from_document,
)
from store.disk.search_index import SearchIndex
from store.disk.tables import Document
from store.disk.upgrade import upgrade
from store.errors import StoreDamaged
from store.models import ArticleInfo, Entity, Feed, Story
from store.plain import counted


@dataclass(frozen=True)
class Finding:
    """One thing the doctor saw or did, as a line for the user."""

    path: Path
    what: str


def examine(home: Path) -> list[tuple[Path, str]]:
    """(file, reason) for every store file that does not parse as what it should be."""
    layout = Layout(home)
    damaged: list[tuple[Path, str]] = []
    checks = [(layout.catalog, _check_catalog), (layout.notes, _check_notes)]
    checks += [(layout.feeds, _check_feeds)]
    checks += [(p, _check_notes) for p in NoteBook(layout).shard_files()]
    checks += [(p, _check_note_ids) for p in sorted(layout.note_ids_folder.glob("*.json"))]
    checks += [(p, _check_article) for p in article_files(layout)]
    checks += [(p, _check_links) for p in sorted(link_files(layout))]
    checks += [(p, _check_links) for p in sorted(article_link_files(layout))]
    checks += [(p, _check_groups) for p in sorted(group_files(layout))]
    checks += [(p, _check_reach) for p in sorted(reach_files(layout))]
    checks += [(p, _check_entities) for p in sorted(layout.entities.glob("??.json"))]
    try:
        SearchIndex(layout).check()
    except StoreDamaged as exc:
        damaged.append((Path(str(exc.path)), exc.reason))
    for path, check in checks:
        if not path.exists():
            continue
        try:
            check(read_link_lines(path, strict=True) if path.suffix == LINES else read_json(path))
        except StoreDamaged as exc:
            damaged.append((path, exc.reason))
        except (KeyError, TypeError, ValueError, AttributeError, StopIteration) as exc:
            damaged.append((path, f"not a store record ({exc.__class__.__name__})"))
    return damaged


def _check_feeds(data) -> None:
    if not isinstance(data or [], list):
        raise ValueError("not a list of feeds")
    for row in data or []:
        Feed.load(row)


def _check_catalog(data) -> None:
    data = data or {}
    for row in data.get("articles", {}).values():
        ArticleInfo(**row)
    for row in data.get("stories", {}).values():
        Story(row["id"], row["name"])
        str(row.get("entities", "")).split()
    for row in data.get("entities", {}).values():  # libraries from before entity shards
        Entity(**row)


def _check_note_ids(data) -> None:
    for row in (data or {}).get("ids", {}).values():
        str(row["id"]), str(row["article"])


def _check_entities(data) -> None:
    for row in (data or {}).get("entities", {}).values():
        Entity(**row)
    for row in (data or {}).get("parts", {}).values():
        str(row["part"]), dict(row["people"])


def _check_notes(data) -> None:
    """The file's shape only: a bad row is quarantined on its own (NoteBook.quarantine)."""
    if data is not None and not isinstance(data.get("notes", {}), dict):
        raise ValueError("notes is not a table")


def _check_article(data) -> None:
    if not data:
        raise ValueError("empty")
    article_from_document(data)


def _check_groups(data: Any) -> None:
    groups_from_document(data)
    single_from_document(data)


def _check_reach(data: Any) -> None:
    reach_from_document(data)


def _check_links(data) -> None:
    if not isinstance(data, list):  # a links document of a library from before JSON Lines
        links_from_document(data)


def leftovers(layout: Layout) -> list[Finding]:
    """What an interrupted write left inconsistent: files that parse but do not agree.

    A catalog missing while article documents exist; documents the catalog
    does not list (an import killed before its catalog write); rows whose
    document is gone; entities counting articles the catalog does not hold.
    """
    documents = {p.stem: p for p in article_files(layout)}
    if not layout.catalog.exists():
        if documents:
            return [
                Finding(
                    layout.catalog, f"missing, while {counted(len(documents), 'article')} exist"
                )
            ]
        return []
    try:
        listed = {row["id"] for row in cat.Catalog(layout).document().table("articles").rows()}
    except (StoreDamaged, KeyError, TypeError, AttributeError):
        return []  # examine() reports the damage
    found = [
        Finding(path, "an article the catalog does not list (an interrupted import)")
        for stem, path in documents.items()
        if stem not in listed
    ]
    found += [
        Finding(layout.article(a), "listed in the catalog, but its document is missing")
        for a in sorted(listed - set(documents))
    ]
    try:
        stray = {a for e in EntityStore(layout).all() for a in e.articles if a not in listed}
    except StoreDamaged:
        stray = set()
    if stray:
        found.append(
            Finding(
                layout.entities,
                f"entities count {counted(len(stray), 'article')} the catalog lacks",
            )
        )
    return found


def repair(home: Path, progress: Callable[[int, int], None] | None = None) -> list[Finding]:
    """Set damaged and stray files aside and rebuild the catalog; what was done, line by line.

    `progress(done, of)` hears how the search index catches up (the long part).

    Symbolic links among the store's files are reported and left alone, and
    nothing else is repaired while one is there: a write could follow it out.
    """
    layout = Layout(home)
    escapes = [Finding(p, "a symbolic link: left alone") for p in symlinks(layout, deep=True)]
    if any(f.path in layout.own_paths() for f in escapes):
        return escapes + [Finding(home, "nothing repaired while the store's own paths are links")]
    findings: list[Finding] = list(escapes)
    with locked(home), locked(home, NOTES_LOCK):
        for folder in (home, *layout.folders()):
            for temp in folder.glob(".*.tmp") if folder.is_dir() else ():
                temp.unlink(missing_ok=True)  # a write interrupted before its rename
                findings.append(Finding(temp, "removed an unfinished temporary file"))
        damaged = examine(home)
        stray = leftovers(layout)  # before the damaged files move: a damaged catalog is no gap
        stamp = time.strftime("%Y%m%d-%H%M%S")
        index = SearchIndex(layout)
        for path, reason in damaged:
            if path == index.path:
                aside = index.set_aside(f".damaged-{stamp}")
            else:
                aside = path.with_name(f"{path.name}.damaged-{stamp}")
                path.rename(aside)
            findings.append(Finding(path, f"{reason}: moved aside to {aside.name}"))
            if path == layout.notes or layout.notes_folder in path.parents:
                findings.append(
                    Finding(path, "notes cannot be rebuilt; the damaged file holds them")
                )
            if path == layout.feeds:
                findings.append(
                    Finding(path, "follow the feeds again; the damaged file names them")
                )
        for finding in stray:
            findings.append(finding)
            if finding.path.parent == layout.articles and finding.path.exists():
                aside = finding.path.with_name(f"{finding.path.name}.leftover-{stamp}")
                finding.path.rename(aside)
                findings.append(Finding(finding.path, f"moved aside to {aside.name}"))
        rebuilt_elsewhere = (layout.notes, layout.search_index, layout.feeds)
        if stray or any(
            p not in rebuilt_elsewhere and layout.notes_folder not in p.parents for p, _ in damaged
        ):
            count = rebuild_catalog(layout)
            findings.append(
                Finding(layout.catalog, f"rebuilt from {counted(count, 'article document')}")
            )
            if index.path.exists():  # entity names may have changed: index afresh
                old = index.set_aside(".old")
                for leftover in home.glob(f"{old.name}*"):
                    leftover.unlink()
    upgrade(layout, cat.Catalog(layout))  # a notes.json that parses moves into notes/
    book = NoteBook(layout)
    for row, why in book.quarantine(stamp):
        moved = f"moved unchanged to {layout.notes_quarantine.name}"
        findings.append(Finding(layout.notes_folder, f"note row {row}: {why}: {moved}"))
    fixed = book.rebuild_index()
    if fixed:
        findings.append(Finding(layout.note_ids_folder, f"note index: {fixed} entries set right"))
    from store.library import Library

    indexed = Library(home).catch_up_index(progress)
    if indexed:
        findings.append(Finding(index.path, f"search index: {counted(indexed, 'article')} indexed"))
    return findings


def rebuild_catalog(layout: Layout) -> int:
    """A new catalog, entity shards and links from the article documents. Hold the lock.

    Staged so that a kill at any point leaves a library that opens: every
    new file is written whole beside or over its old version, the catalog
    last, in one rename; only then are files of the old one removed. Story
    names and the library's flags are kept where the old catalog is readable.
    """
    from store.importing import relink_story

    names: dict[str, str] = {}
    try:
        old = read_json(layout.catalog) or {}
        names = {row["id"]: row["name"] for row in old.get("stories", {}).values()}
    except (StoreDamaged, KeyError, TypeError, AttributeError):
        pass
    articles = [article_from_document(read_json(path)) for path in article_files(layout)]
    texts: dict[str, Counter[str]] = {}
    labels: dict[str, str] = {}
    counts: dict[str, dict[str, int]] = {}
    entities = EntityStore(layout, blank=True)
    db = Document(layout.catalog, None)  # not read: the old catalog stays until the swap
    cat.set_meta(db, "seeded", True)
    for article in articles:
        cat.put_article(db, article.info)
        story = article.info.story
        if story not in db.table("stories"):
            cat.put_story(db, story, names.get(story, article.info.title))
        for m in article.mentions:
            if m.entity:
                texts.setdefault(m.entity, Counter())[m.text] += 1
                labels.setdefault(m.entity, m.label)
                per = counts.setdefault(m.entity, {})
                per[article.id] = per.get(article.id, 0) + 1
    for entity, seen in texts.items():
        name = max(seen, key=lambda t: (len(t.split()), seen[t], t))
        aliases = (t for t in seen if t != name)
        entities.add(new_entity_row(entity, name, labels[entity], aliases, counts[entity]))
    entities.save()
    stories = {a.info.story for a in articles}
    for story in stories:
        relink_story(layout, db, story)
    db.save()
    written = entities.shards()
    for shard in layout.entities.glob("??.json"):
        if shard.stem not in written:
            shard.unlink()
    for derived in (*link_files(layout), *group_files(layout), *reach_files(layout)):
        if derived.stem not in stories:
            derived.unlink()
    for folder in layout.links.glob("*/"):
        if folder.name not in stories:
            remove_links(layout, folder.name)
    return len(articles)
