"""The library pane: stories, each with its articles (source, date, title, link counts)."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Tree

from store.plain import visible_line
from tui.data import Snapshot


class LibraryPane(Tree[str]):
    """Stories -> articles. Enter opens an article.

    An article reads "[linked|only here] source date: title".
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
        super().__init__("Library", **kwargs)
        self.show_root = False
        self.show_guides = False
        self.guide_depth = 2

    def fill(self, snapshot: Snapshot, current: str = "") -> None:
        self.clear()
        for story in sorted(snapshot.stories, key=lambda s: s.name.casefold()):
            articles = snapshot.story_articles(story.id)
            label = Text(visible_line(story.name), style="bold")
            label.append(f"  ({len(articles)})", style="dim")
            node = self.root.add(label, data=story.id, expand=True)
            for a in articles:
                line = Text(f"[{a.linked}|{a.unique}] ", style="dim")
                line.append(visible_line(a.source or "?"), style="bold")
                if a.date:
                    line.append(f" {a.date}", style="dim")
                line.append(f": {visible_line(a.title)}")
                leaf = node.add_leaf(line, data=a.id)
                if a.id == current:
                    self.move_cursor(leaf)

    def on_tree_node_selected(self, event: Tree.NodeSelected[str]) -> None:
        event.stop()
        is_article = event.node.parent is not None and event.node.parent is not self.root
        if is_article and event.node.data:
            self.post_message(self.ArticleChosen(event.node.data))
