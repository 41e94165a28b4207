"""Where each file of a library lives: every file and folder name in one place.

Kept free of TinyDB and of any parsing, so that finding the folder (as the
reader does before its first paint) costs nothing.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "treaty-tui"
HOME_ENV = "TREATY_TUI_HOME"

CATALOG_FILE = "catalog.json"
CATALOG_DIGEST_FILE = "catalog.digest.json"  # what the catalog lists, as arrays: read at start
NOTES_FILE = "notes.json"  # one file of every note: libraries before notes/ per article
NOTES_FOLDER = "notes"
NOTE_IDS_FOLDER = "ids"
NOTES_QUARANTINE_FILE = "notes.quarantine.json"
SEARCH_FILE = "search.sqlite"
FEEDS_FILE = "feeds.json"
ARTICLES_FOLDER = "articles"
LINKS_FOLDER = "links"
ADDED_LINKS_FILE = "added-since.jsonl"  # in a story's links folder; never an article id
GROUPS_FOLDER = "groups"
REACH_FOLDER = "reach"
ENTITIES_FOLDER = "entities"
LIBRARY_LOCK = ".lock"
_PLAIN_NAME = re.compile(r"[0-9A-Za-z_-]{1,64}")
_HEX = set("0123456789abcdef")
NOTES_LOCK = ".notes.lock"
FEEDS_LOCK = ".feeds.lock"


def data_home(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The library folder: --data-dir, else $TREATY_TUI_HOME, else the platform's data dir."""
    if explicit:
        return Path(explicit).expanduser()
    if os.environ.get(HOME_ENV):
        return Path(os.environ[HOME_ENV]).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME))


@dataclass(frozen=True)
class Layout:
    """The paths of one library folder."""

    home: Path

    @property
    def catalog(self) -> Path:
        return self.home / CATALOG_FILE

    @property
    def catalog_digest(self) -> Path:
        return self.home / CATALOG_DIGEST_FILE

    @property
    def notes(self) -> Path:
        """The single notes file of older libraries, moved into notes/ on first open."""
        return self.home / NOTES_FILE

    @property
    def notes_folder(self) -> Path:
        return self.home / NOTES_FOLDER

    @property
    def note_ids_folder(self) -> Path:
        return self.notes_folder / NOTE_IDS_FOLDER

    def note_folder(self, article_id: str) -> Path:
        """The notes of one article; an id that is no plain name gets a hashed folder name."""
        if not _PLAIN_NAME.fullmatch(article_id) or article_id == NOTE_IDS_FOLDER:
            digest = hashlib.blake2b(article_id.encode("utf-8"), digest_size=8).hexdigest()
            article_id = f"x-{digest}"
        return self.notes_folder / article_id

    def note_shard(self, article_id: str, note_id: str) -> Path:
        """One of the (up to 17) files of an article's notes: by the first character of the id."""
        head = note_id[:1].lower()
        return self.note_folder(article_id) / f"{head if head in _HEX else 'other'}.json"

    def note_index(self, shard: str) -> Path:
        return self.note_ids_folder / f"{shard}.json"

    @property
    def notes_quarantine(self) -> Path:
        """Note rows `doctor` took out of notes.json because they are not valid notes."""
        return self.home / NOTES_QUARANTINE_FILE

    @property
    def search_index(self) -> Path:
        return self.home / SEARCH_FILE

    @property
    def articles(self) -> Path:
        return self.home / ARTICLES_FOLDER

    @property
    def links(self) -> Path:
        return self.home / LINKS_FOLDER

    @property
    def groups(self) -> Path:
        return self.home / GROUPS_FOLDER

    @property
    def reach(self) -> Path:
        return self.home / REACH_FOLDER

    @property
    def entities(self) -> Path:
        return self.home / ENTITIES_FOLDER

    def article(self, article_id: str) -> Path:
        return self.articles / f"{article_id}.json"

    def story_links(self, story_id: str) -> Path:
        """All of a story's links, one JSON line each (an import of one more article
        appends its links)."""
        return self.links / f"{story_id}.jsonl"

    def old_story_links(self, story_id: str) -> Path:
        """Where libraries from before JSON Lines kept a story's links (one JSON document)."""
        return self.links / f"{story_id}.json"

    def article_links_folder(self, story_id: str) -> Path:
        """One file per article of the story with that article's links: the reader opens
        an article of a 160-report story without reading every link of the story."""
        return self.links / story_id

    def article_links(self, story_id: str, article_id: str) -> Path:
        return self.article_links_folder(story_id) / f"{article_id}.jsonl"

    def added_links(self, story_id: str) -> Path:
        """The links of the articles added to the story since it was last linked in full:
        read beside each article's own file (so an added article's links are written
        to three files, not to every file of the story it links to)."""
        return self.article_links_folder(story_id) / ADDED_LINKS_FILE

    def old_article_links(self, story_id: str, article_id: str) -> Path:
        return self.article_links_folder(story_id) / f"{article_id}.json"

    def story_groups(self, story_id: str) -> Path:
        return self.groups / f"{story_id}.json"

    def story_reach(self, story_id: str) -> Path:
        """Per article and sentence, how many sources report its claim: what opening an
        article needs of the story's claim groups, without reading them all."""
        return self.reach / f"{story_id}.json"

    def entity_shard(self, shard: str) -> Path:
        return self.entities / f"{shard}.json"

    @property
    def feeds(self) -> Path:
        """The feeds followed, with what each refresh needs to ask only for news."""
        return self.home / FEEDS_FILE

    def folders(self) -> tuple[Path, ...]:
        return (
            self.articles,
            self.links,
            self.groups,
            self.reach,
            self.entities,
            self.notes_folder,
            self.note_ids_folder,
        )

    def own_paths(self) -> tuple[Path, ...]:
        """Every fixed file and folder name the store reads or writes under `home`."""
        return (
            self.catalog,
            self.notes,
            self.notes_quarantine,
            self.search_index,
            self.feeds,
            *self.folders(),
        )

    def watched(self) -> tuple[Path, Path]:
        """What tells the reader, by its change time, that another session wrote.

        Every write replaces a file by a rename, which also changes its folder's time.
        """
        return self.catalog, self.notes_folder
