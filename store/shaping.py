"""Stories are the user's to shape: rename one, merge several, move an article to another.

Automatic story choice can split one event or join two; these changes put
it right. Each runs in one catalog transaction: the catalog rows and each
moved article's document say the new story (so a rebuild by `doctor` keeps
it), and only the stories that changed are relinked.
"""

from __future__ import annotations

from dataclasses import replace

from store.analysis.stories import given_story_id
from store.disk import catalog as cat
from store.disk.catalog import Catalog
from store.disk.layout import Layout
from store.disk.records import read_article, remove_groups, remove_links, write_article
from store.disk.tables import Document
from store.errors import TreatyError
from store.importing import relink_story


def rename_story(catalog: Catalog, story_id: str, name: str) -> None:
    name = name.strip()
    if not name:
        raise TreatyError("a story needs a name")
    with catalog.transaction() as db:
        db.table("stories").update(story_id, name=name)


def move_articles(
    layout: Layout, catalog: Catalog, article_ids: list[str], target: str, name: str = ""
) -> set[str]:
    """Move articles into story `target` (made, named `name`, if new); the stories changed."""
    with catalog.transaction() as db:
        if target not in db.table("stories"):
            cat.put_story(db, target, name or target)
        touched = {target}
        for article_id in article_ids:
            row = db.table("articles").get(article_id)
            if row is None or row["story"] == target:
                continue
            touched.add(row["story"])
            db.table("articles").update(article_id, story=target)
            article = read_article(layout, article_id)
            write_article(layout, replace(article, info=article.info._replace(story=target)))
        _relink(layout, db, touched)
    return touched


def new_story_id(catalog: Catalog, name: str) -> str:
    """An id for a story the user names, unused in this library."""
    base = given_story_id(name) or "story"
    known = {s.id for s in catalog.stories()}
    story_id, n = base, 2
    while story_id in known:
        story_id, n = f"{base}-{n}", n + 1
    return story_id


def _relink(layout: Layout, db: Document, stories: set[str]) -> None:
    for story_id in sorted(stories):
        if cat.story_rows(db, story_id):
            relink_story(layout, db, story_id)
        else:  # emptied: the story goes, with its derived files
            cat.remove_story(db, story_id)
            remove_links(layout, story_id)
            remove_groups(layout, story_id)
