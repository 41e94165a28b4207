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
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from store.disk import catalog as cat
from store.disk.entities import EntityStore, new_entity_row
from store.disk.files import locked, read_json
from store.disk.layout import NOTES_LOCK, Layout
from store.disk.records import (
    article_files,
    article_from_document,
    group_files,
    groups_from_document,
    link_files,
)
from store.disk.search_index import SearchIndex
from store.disk.tables import transaction
from store.errors import StoreDamaged
from store.models import ArticleInfo, Entity, Link, Note, Story

if TYPE_CHECKING:
    from store.library import Library


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
    checks += [(p, _check_article) for p in article_files(layout)]
    checks += [(p, _check_links) for p in sorted(link_files(layout))]
    checks += [(p, _check_groups) for p in sorted(group_files(layout))]
    checks += [(p, _check_entities) for p in sorted(layout.entities.glob("*.json"))]
    try:
        SearchIndex(layout).check()
    except StoreDamaged as exc:
        damaged.append((Path(str(exc.path)), exc.reason))
    for path, check in checks:
        if not path.exists():
            continue
        try:
            check(read_json(path))
        except StoreDamaged as exc:
            damaged.append((path, exc.reason))
        except (KeyError, TypeError, ValueError, AttributeError, StopIteration) as exc:
            damaged.append((path, f"not a store record ({exc.__class__.__name__})"))
    return damaged


def _check_catalog(data) -> None:
    data = data or {}
    for row in data.get("articles", {}).values():
        ArticleInfo(**row)
    for row in data.get("stories", {}).values():
        Story(row["id"], row["name"])
        str(row.get("entities", "")).split()
    for row in data.get("entities", {}).values():  # libraries from before entity shards
        Entity(**row)


def _check_entities(data) -> None:
    for row in (data or {}).get("entities", {}).values():
        Entity(**row)
    for row in (data or {}).get("parts", {}).values():
        str(row["part"]), dict(row["people"])


def _check_notes(data) -> None:
    for row in (data or {}).get("notes", {}).values():
        Note.load(row)


def _check_article(data) -> None:
    if not data:
        raise ValueError("empty")
    article_from_document(data)


def _check_groups(data: Any) -> None:
    groups_from_document(data)


def _check_links(data) -> None:
    for row in (data or {}).get("links", {}).values():
        Link.load(row)


def repair(home: Path) -> list[Finding]:
    """Set damaged files aside and rebuild the catalog and links; what was done, line by line."""
    from store.library import Library

    layout = Layout(home)
    findings: list[Finding] = []
    with locked(home), locked(home, NOTES_LOCK):
        for leftover in home.rglob(".*.tmp"):  # a write interrupted before its rename
            leftover.unlink(missing_ok=True)
            findings.append(Finding(leftover, "removed an unfinished temporary file"))
        damaged = examine(home)
        stamp = time.strftime("%Y%m%d-%H%M%S")
        index = SearchIndex(layout)
        for path, reason in damaged:
            if path == index.path:
                aside = index.set_aside(f".damaged-{stamp}")
            else:
                aside = path.with_name(f"{path.name}.damaged-{stamp}")
                path.rename(aside)
            findings.append(Finding(path, f"{reason}: moved aside to {aside.name}"))
            if path == layout.notes:
                findings.append(
                    Finding(path, "notes cannot be rebuilt; the damaged file holds them")
                )
        lib = Library(home)
        if any(p not in (layout.notes, layout.search_index) for p, _ in damaged):
            count = _rebuild_catalog(lib)
            findings.append(Finding(layout.catalog, f"rebuilt from {count} article documents"))
            if index.path.exists():  # entity names may have changed: index afresh
                old = index.set_aside(".old")
                for leftover in home.glob(f"{old.name}*"):
                    leftover.unlink()
    indexed = lib.catch_up_index()
    if indexed:
        findings.append(Finding(index.path, f"search index: {indexed} articles indexed"))
    return findings


def _rebuild_catalog(lib: Library) -> int:
    """A new catalog (and links) from the article documents; story names kept where readable."""
    from store.importing import relink_story

    layout = lib.layout
    names: dict[str, str] = {}
    try:
        old = read_json(layout.catalog) or {}
        names = {row["id"]: row["name"] for row in old.get("stories", {}).values()}
    except (StoreDamaged, KeyError, TypeError, AttributeError):
        pass
    articles = [article_from_document(read_json(path)) for path in article_files(layout)]
    layout.catalog.unlink(missing_ok=True)
    for shard in layout.entities.glob("*.json"):
        shard.unlink()  # rebuilt below from the mentions
    texts: dict[str, Counter[str]] = {}
    labels: dict[str, str] = {}
    counts: dict[str, dict[str, int]] = {}
    entities = EntityStore(layout)
    with transaction(layout.catalog) as db:
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
        for story in {a.info.story for a in articles}:
            relink_story(layout, db, story)
    for derived in (*link_files(layout), *group_files(layout)):
        if derived.stem not in {a.info.story for a in articles}:
            derived.unlink()
    return len(articles)
