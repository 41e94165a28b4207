"""The reader's Messages, posted by workers to their screens, and Place, where the reader is.

One module, so a test (or a newcomer) finds in one place what the app says
to itself: each Message is a typed dataclass, handled as on_<name>.
Widgets keep their own input messages (ArticleView.FollowRequested, ...).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:  # records arrive from workers; not imported for the first frame
    from store.models import Article, ClaimGroup, Entity, Link, Note, SentenceRef
    from tui.client import Opened, Snapshot
    from tui.widgets.grid import GridRow


@dataclass(frozen=True)
class Place:
    """A sentence of an article: where the reader is, or wants to go."""

    article: str
    sentence: int


@dataclass
class SnapshotLoaded(Message):
    """The library's stories and articles were read."""

    snapshot: Snapshot
    first_story: str = ""  # the story of the first article, opened with it: ArticleOpened follows

    @property
    def first_follows(self) -> bool:
        return bool(self.first_story)


@dataclass
class ArticleOpened(Message):
    """An article was read to be shown at a sentence (or the sentence holding `offset`)."""

    opened: Opened
    sentence: int
    offset: int | None = None


@dataclass
class EntitiesRead(Message):
    """The entities the `opened` article names were read (after it was first shown)."""

    opened: Opened
    entities: dict[str, Entity]


@dataclass
class ArticleRefreshed(Message):
    """The open article was read again (another session wrote): the reader stays where it is."""

    opened: Opened


@dataclass
class NotesChanged(Message):
    """A note was written; `notes` are the article's notes as now stored."""

    article: str
    notes: list[Note]
    message: str


@dataclass
class LoadFailed(Message):
    """The store could not be read (a damaged file, say): the reader leaves with this line."""

    error: str


@dataclass
class Compared(Message):
    """Two articles and the links between them, for the compare screen."""

    left: Article
    right: Article
    links: list[Link]
    candidates: list[str] = field(default_factory=list)  # other articles, most links first


@dataclass
class OverviewLoaded(Message):
    """A story's claims, for the story overview: its articles, groups, lone claims, links."""

    articles: list[Article]
    groups: list[ClaimGroup]
    single: list[SentenceRef]
    links: list[Link]


@dataclass
class CoverageLoaded(Message):
    """The coverage matrix, built off the UI thread: the story's sources, a grid row per
    claim group, and per row its representative, reach, `differs` and members; a grid
    row per entity, its name, and per cell the first sentence that names it."""

    articles: list[Article]
    rows: list[GridRow]
    claims: list[tuple[SentenceRef, int, bool, dict[str, SentenceRef]]]
    claim_width: int
    entity_rows: list[GridRow]
    entity_names: list[str]
    entity_cells: dict[tuple[int, int], Place]


@dataclass
class StoryRead(Message):
    """A story's overview or coverage, read before its screen is pushed, so that the
    screen's first paint shows it; or why it could not be read."""

    story: str
    read: OverviewLoaded | CoverageLoaded | None
    error: str = ""


@dataclass
class StoriesChanged(Message):
    """A story was renamed or merged, or an article moved: one line saying what happened."""

    said: str
    failed: bool = False


@dataclass
class ChildOutput(Message):
    """A line printed by a child `treaty-tui` command (an import, a refresh)."""

    line: str


@dataclass
class ChildDone(Message):
    """A child command ended: what it was, its exit code and its last line (a summary)."""

    what: str
    code: int
    last: str
