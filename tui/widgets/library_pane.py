"""The library pane: stories, each with its articles (source, date, title, link counts)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from store.plain import visible_line
from tui.client import Snapshot
from tui.config import LibraryOrder

if TYPE_CHECKING:
    from store.models import ArticleInfo, Story

EXPAND_ALL_UP_TO = 300  # articles; above this only the current story starts open
FIRST_ROWS = 100  # stories added at once (a tall terminal's pane); the rest after the frame
SOURCE_CHARS = 16  # a source name is cut here so the title still shows in a narrow pane


def article_label(info: ArticleInfo) -> Text:
    """ "source  2024-06-19  title  12/3": source and date first, so a narrow pane still
    shows them and as much title as fits; linked / only-here counts last."""
    source = visible_line(info.source or "?")
    if len(source) > SOURCE_CHARS:
        source = source[: SOURCE_CHARS - 1] + "…"
    line = Text(source, style="bold")
    if info.date:
        line.append(f" {info.date}", style="dim")
    line.append(f" {visible_line(info.title)}")
    line.append(f"  {info.linked}/{info.unique}", style="dim")
    return line


def ordered_articles(articles: list[ArticleInfo], order: LibraryOrder) -> list[ArticleInfo]:
    """Newest (or oldest) first, undated last; by source where dates tie or with "name"."""
    by_source = sorted(articles, key=lambda a: (a.source.casefold(), a.title.casefold()))
    if order == "name":
        return by_source
    dated = sorted((a for a in by_source if a.date), key=lambda a: a.date)
    if order == "newest":
        dated.reverse()
    return dated + [a for a in by_source if not a.date]


def ordered_stories(snapshot: Snapshot, order: LibraryOrder) -> list[Story]:
    """Stories by their newest article's date (oldest: by their first), undated last."""
    by_name = sorted(snapshot.stories, key=lambda s: s.name.casefold())
    if order == "name":
        return by_name
    dates = {s.id: [a.date for a in snapshot.story_articles(s.id) if a.date] for s in by_name}
    dated = [s for s in by_name if dates[s.id]]
    if order == "newest":
        dated.sort(key=lambda s: max(dates[s.id]), reverse=True)
    else:
        dated.sort(key=lambda s: min(dates[s.id]))
    return dated + [s for s in by_name if not dates[s.id]]


def first_listed(snapshot: Snapshot, order: LibraryOrder) -> ArticleInfo | None:
    """The article the reader opens at start: the first report (by date, then day added)
    of the story the pane lists first, so the first frame shows the top of the pane."""
    stories = ordered_stories(snapshot, order)
    articles = snapshot.story_articles(stories[0].id) if stories else []
    return articles[0] if articles else (snapshot.articles[0] if snapshot.articles else None)


class LibraryPane(Tree[str]):
    """Stories -> articles. Enter opens an article.

    An article reads "source date title linked/only-here" (article_label).
    """

    ICON_NODE = "+ "
    ICON_NODE_EXPANDED = "- "

    BINDINGS = [
        Binding("enter", "select_cursor", "Open", id="library.open", show=False),
    ]

    class ArticleChosen(Message):
        def __init__(self, article_id: str) -> None:
            super().__init__()
            self.article_id = article_id

    def __init__(self, **kwargs) -> None:
        super().__init__(Text("Library"), **kwargs)  # a str label is read as markup
        self.show_root = False
        self.show_guides = False
        self.guide_depth = 2
        self.snapshot = Snapshot([], [])
        self.order: LibraryOrder = "newest"
        self._fills = 0  # how many times the pane was filled: stories added later check it

    def get_label_width(self, node: TreeNode[str]) -> int:
        """What Tree's own measure gives (icon and label), without rendering the label:
        Tree measures every row after each change, and a 10,000-article library has
        hundreds of rows."""
        icon = ""
        if node.allow_expand:
            icon = self.ICON_NODE_EXPANDED if node.is_expanded else self.ICON_NODE
        label = node.label
        return cell_len(icon) + (label.cell_len if isinstance(label, Text) else cell_len(label))

    def notify_style_update(self) -> None:
        """Focus and theme only recolour the lines: redraw them, without the relayout of the
        whole screen that Tree's own update asks for (the rows and their widths are the same)."""
        Widget.notify_style_update(self)
        self._clear_line_cache()
        self.refresh()

    def fill(self, snapshot: Snapshot, current: str = "", story: str = "") -> None:
        """Show the stories; a big library opens only `story` (or the current article's).

        The articles of a collapsed story are added when it is expanded, so a
        10,000-article library costs a few hundred rows, not 10,000; and the
        stories past the first screenful (and the cursor's) are added after the
        next frame, which then need not wait for them. Filled again (another
        session imported, a story was renamed), it keeps the stories the reader
        opened and the cursor on the row it was on.
        """
        was = self.cursor_node.data if self.cursor_node not in (None, self.root) else None
        opened = {n.data for n in self.root.children if n.is_expanded}
        self.clear()
        self.snapshot = snapshot
        self._fills += 1
        info = snapshot.info(current)
        open_story = info.story if info else story
        kept = snapshot.info(was or "")
        if kept or was is None:  # the story of the row it was on, else of the open article
            opened.add(kept.story if kept else open_story)
        target = was if kept or any(s.id == was for s in snapshot.stories) else current
        target_info = snapshot.info(target or "")
        pending = target_info.story if target_info else target  # the cursor's story
        expand_all = len(snapshot.articles) <= EXPAND_ALL_UP_TO
        cursor: TreeNode[str] | None = None
        stories = ordered_stories(snapshot, self.order)
        for n, each in enumerate(stories):
            node, found = self._add_story(each, expand_all or each.id in opened, target or "")
            cursor = found or cursor
            if each.id == target:  # the cursor was on this story's row
                cursor = node
            if each.id == pending:
                pending = None
            if n + 1 >= FIRST_ROWS and not pending and n + 1 < len(stories):
                later = (stories[n + 1 :], expand_all, opened, self._fills)
                self.call_after_refresh(self._add_stories, *later)
                break
        if cursor is not None:
            self._put_cursor(cursor)

    def _add_story(
        self, story: Story, expand: bool, current: str = ""
    ) -> tuple[TreeNode[str], TreeNode[str] | None]:
        """A story's row, and its articles' rows if it is to be open; the row of `current`,
        if among them."""
        articles = self.snapshot.story_articles(story.id)
        label = Text(visible_line(story.name), style="bold")
        label.append(f"  ({len(articles)})", style="dim")
        node = self.root.add(label, data=story.id, allow_expand=bool(articles))
        found = None
        if expand:
            found = self._add_articles(node, current)
            node.expand()
        return node, found

    def _add_stories(
        self, stories: list[Story], expand_all: bool, opened: set[str], fill: int
    ) -> None:
        """The rows `fill` left for after the frame, unless the pane was filled again since."""
        if fill == self._fills:
            for each in stories:
                self._add_story(each, expand_all or each.id in opened)

    def _put_cursor(self, node: TreeNode[str]) -> None:
        """The cursor on `node`, and scrolled to, in the frame being made: the tree's
        lines are built now (Textual builds them when idle, a frame or two later)."""
        if node.line < 0:
            self.last_line  # noqa: B018 (builds the lines)
        if node.line >= 0:  # only the cursor's two lines are redrawn
            self.move_cursor(node)
        else:
            self.call_after_refresh(self.move_cursor, node)  # once the tree has its lines

    def _add_articles(self, node: TreeNode[str], current: str = "") -> TreeNode[str] | None:
        """Add a story's articles under its row; the row of `current`, if among them."""
        found = None
        for a in ordered_articles(self.snapshot.story_articles(node.data or ""), self.order):
            leaf = node.add_leaf(article_label(a), data=a.id)
            if a.id == current:
                found = leaf
        return found

    def show_current(self, article_id: str, story: str) -> None:
        """Put the cursor on the open article, opening its story if it is closed."""
        node = next((n for n in self.root.children if n.data == story), None)
        if node is None:
            return
        if not node.children:
            self._add_articles(node)
        leaf = next((n for n in node.children if n.data == article_id), None)
        if not node.is_expanded:  # expanding redraws the tree: not done when it is open
            node.expand()
        if leaf is not None:
            self._put_cursor(leaf)

    def on_tree_node_expanded(self, event: Tree.NodeExpanded[str]) -> None:
        event.stop()
        if event.node.parent is self.root and not event.node.children:
            self._add_articles(event.node)

    def on_tree_node_selected(self, event: Tree.NodeSelected[str]) -> None:
        event.stop()
        is_article = event.node.parent is not None and event.node.parent is not self.root
        if is_article and event.node.data:
            self.post_message(self.ArticleChosen(event.node.data))
