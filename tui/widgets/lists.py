"""Lists and scrolled text that answer the reader's keys: j/k as well as the arrows."""

from __future__ import annotations

from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import OptionList


class KeyList(OptionList):
    """An OptionList that also moves with j/k, g/G, like the article.

    Its content is replaced as the reader moves (the claims of each sentence):
    a new length changes only its own scrolling, never the screen's layout, so
    the rest of the screen is not laid out and drawn again on every move.
    """

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    BINDINGS = [
        Binding("j", "cursor_down", "Down", id="list.down", show=False),
        Binding("k", "cursor_up", "Up", id="list.up", show=False),
        Binding("g", "first", "First", id="list.first", show=False),
        Binding("G", "last", "Last", id="list.last", show=False),
    ]

    def watch_has_focus(self, has_focus: bool) -> None:
        """Restyle for focus (the border) in the frame that shows it.

        Restyling also asks the scrollbars to repaint, though they look the same;
        they are painted with the list's own repaint, so a second frame for them
        alone is dropped (it made Tab take two frames).
        """
        super().watch_has_focus(has_focus)
        for bar in (self._vertical_scrollbar, self._horizontal_scrollbar):
            if bar is not None:
                bar._repaint_required = False

    def watch_show_vertical_scrollbar(self, shown: bool) -> None:
        """Style the scrollbar as it first shows, in the layout that shows it.

        Textual styles a scrollbar only when its widget is restyled; the first
        focus would then lay the screen out again for the scrollbar's size.
        """
        if shown:
            self.app.stylesheet.apply(self.vertical_scrollbar)

    def take_focus(self) -> bool:
        """Focus the list on its first entry (Down from a filter above it); False if empty."""
        if not self.option_count:
            return False
        self.focus()
        if self.highlighted is None:
            self.highlighted = 0
        return True


class KeyScroll(VerticalScroll):
    """Scrolled text (help) that moves with j/k and space/b, like the article."""

    BINDINGS = [
        Binding("j", "scroll_down", "Scroll down", id="scroll.down", show=False),
        Binding("k", "scroll_up", "Scroll up", id="scroll.up", show=False),
        Binding("space", "page_down", "Page down", id="scroll.page_down", show=False),
        Binding("b", "page_up", "Page up", id="scroll.page_up", show=False),
    ]
