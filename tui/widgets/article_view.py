"""The article pane: verbatim text, entity highlights, a sentence cursor and gutter marks.

Rendered a line at a time (Textual's line API): the text is wrapped once per
width into line spans, and only the lines on screen are styled, so a long
article opens and scrolls at once.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import TYPE_CHECKING

from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from store.labels import label_of
from store.plain import visible_chars
from tui.textlayout import (
    TextLayout,
    extend_by_sentence,
    extend_by_word,
    first_word,
    lay_out,
    move_start_by_word,
    word_spans,
)

if TYPE_CHECKING:  # records arrive from workers; not imported for the first frame
    from store.models import Article, Link

GUTTER = 5


class ArticleView(ScrollView, can_focus=True, inherit_bindings=False):
    """Shows one article; its `cursor` (the sentence the reader is on) is watched by the reader."""

    COMPONENT_CLASSES = {
        "article--title",
        "article--deck",
        "article--heading",
        "article--dateline",
        "article--credit",
        "article--cursor",
        "article--cursor-focused",
        "article--gutter",
        "article--gutter-note",
        "article--person",
        "article--org",
        "article--place",
        "article--group",
        "article--figure",
        "article--selected",
        "article--match",
        "article--unlinked",
        "article--note",
        "article--selection",
    }
    DEFAULT_CSS = """
    ArticleView { background: $surface; padding: 0 1; overflow-x: hidden; }
    ArticleView > .article--title { text-style: bold; color: $text; }
    ArticleView > .article--deck { text-style: italic; color: $text-muted; }
    ArticleView > .article--heading { text-style: bold underline; }
    ArticleView > .article--dateline { text-style: bold; }
    ArticleView > .article--credit { text-style: italic; color: $text-muted; }
    ArticleView > .article--cursor { background: $primary 30%; }
    ArticleView > .article--cursor-focused { background: $primary 45%; text-style: bold; }
    ArticleView > .article--gutter { color: $success; text-style: bold; }
    ArticleView > .article--gutter-note { color: $warning; }
    ArticleView > .article--person { color: $accent; text-style: underline; }
    ArticleView > .article--org { color: $secondary; text-style: underline; }
    ArticleView > .article--place { color: $success; text-style: underline; }
    ArticleView > .article--group { color: $warning; text-style: underline; }
    ArticleView > .article--figure { color: $error; text-style: underline; }
    ArticleView > .article--selected { text-style: reverse underline; }
    ArticleView > .article--match { background: $warning 60%; text-style: bold; }
    ArticleView > .article--note { background: $warning 25%; }
    ArticleView > .article--selection { text-style: reverse bold; }
    ArticleView.-no-color > .article--cursor { text-style: reverse; }
    ArticleView.-no-color > .article--cursor-focused { text-style: reverse; }
    ArticleView.-no-color > .article--note { text-style: italic; }
    ArticleView.-no-color > .article--match { text-style: bold underline; }
    """
    BINDINGS = [
        Binding("j,down", "move(1)", "Next sentence", id="article.next_sentence", key_display="j"),
        Binding(
            "k,up", "move(-1)", "Previous sentence", id="article.previous_sentence", key_display="k"
        ),
        Binding(
            "J,right_curly_bracket",
            "paragraph(1)",
            "Next paragraph",
            id="article.next_paragraph",
            show=False,
        ),
        Binding(
            "K,left_curly_bracket",
            "paragraph(-1)",
            "Previous paragraph",
            id="article.previous_paragraph",
            show=False,
        ),
        Binding("g,home", "edge(0)", "Top", id="article.top", show=False),
        Binding("G,end", "edge(1)", "Bottom", id="article.bottom", show=False),
        Binding("space,pagedown", "page(1)", "Page down", id="article.page_down", show=False),
        Binding("b,pageup", "page(-1)", "Page up", id="article.page_up", show=False),
        Binding(
            "right_square_bracket",
            "linked(1)",
            "Next linked",
            id="article.next_linked",
            key_display="]",
        ),
        Binding(
            "left_square_bracket",
            "linked(-1)",
            "Previous linked",
            id="article.previous_linked",
            show=False,
        ),
        Binding("u", "unique(1)", "Next only-here", id="article.next_unique"),
        Binding("U", "unique(-1)", "Previous only-here", id="article.previous_unique", show=False),
        Binding("enter", "follow", "Follow link", id="article.follow", key_display="enter"),
        Binding("y", "copy", "Copy sentence", id="article.copy", show=False),
        Binding("v", "select", "Select text", id="article.select"),
        # Selection mode: these replace the keys above while a selection is open.
        Binding("l,right", "extend(1)", "Extend by word", id="select.extend_word", key_display="l"),
        Binding("h,left", "extend(-1)", "Shrink by word", id="select.shrink_word", key_display="h"),
        Binding(
            "j,down",
            "extend_sentence(1)",
            "Extend by sentence",
            id="select.extend_sentence",
            key_display="j",
        ),
        Binding(
            "k,up",
            "extend_sentence(-1)",
            "Shrink by sentence",
            id="select.shrink_sentence",
            key_display="k",
        ),
        Binding("w", "move_start(1)", "Start a word later", id="select.start_later"),
        Binding("b", "move_start(-1)", "Start a word earlier", id="select.start_earlier"),
        Binding("escape,v", "cancel_selection", "Cancel selection", id="select.cancel"),
    ]
    SELECTION_ACTIONS = frozenset({"extend", "extend_sentence", "move_start", "cancel_selection"})
    READING_ACTIONS = frozenset({"move", "page", "paragraph", "edge", "linked", "unique", "select"})

    cursor: reactive[int] = reactive(0, init=False, repaint=False)  # watch_cursor repaints

    class FollowRequested(Message):
        """The reader wants the strongest link of a sentence opened."""

        def __init__(self, sentence: int) -> None:
            super().__init__()
            self.sentence = sentence

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.article: Article | None = None
        self.shown = ""
        self.links_per_sentence: dict[int, int] = {}
        self.mentions_by_paragraph: dict[int, list] = {}
        self.note_spans: list[tuple[int, int]] = []
        self._note_lines: tuple[TextLayout, dict[int, list[tuple[int, int]]]] | None = None
        self.selection: tuple[int, int] | None = None
        self._words: list[tuple[int, int]] = []
        self.selected_entity = ""
        self.matches: list[tuple[int, int]] = []
        self.text_layout = TextLayout()
        self._painted_cursor: int | None = None  # the cursor as last painted

    def on_mount(self) -> None:
        # NO_COLOR drops colours on output: the cursor, notes and matches get other cues.
        self.set_class(self.app.no_color, "-no-color")
        self._layout_width = -1

    # -- content -------------------------------------------------------------
    def show_article(self, article: Article, links: list[Link], sentence: int = 0) -> None:
        self.article = article
        self.shown = visible_chars(article.text)
        counts: dict[int, int] = {}
        for link in links:
            for art, sent in ((link.a_article, link.a_sentence), (link.b_article, link.b_sentence)):
                if art == article.id:
                    counts[sent] = counts.get(sent, 0) + 1
        self.links_per_sentence = counts
        self.mentions_by_paragraph = {}
        for m in article.mentions:
            paragraph = article.sentences[m.sentence].paragraph
            self.mentions_by_paragraph.setdefault(paragraph, []).append(m)
        self.selected_entity = ""
        self.matches = []
        self.selection = None
        self._words = word_spans(article.text)
        self._layout_width = -1
        self._relayout()
        self.set_reactive(ArticleView.cursor, max(0, min(sentence, len(article.sentences) - 1)))
        self._painted_cursor = None  # a new text: paint it all
        self._cursor_moved()

    def _relayout(self) -> None:
        # Reserve the vertical scrollbar's columns whether or not it is showing yet.
        region = self.content_region.width - self.styles.scrollbar_size_vertical
        width = max(10, region - GUTTER)
        if self.article is None or width == self._layout_width:
            return
        self._layout_width = width
        layout = lay_out(self.shown, self.article.paragraphs, self.article.sentences, width)
        self.text_layout = layout
        self.virtual_size = Size(width + GUTTER, len(layout.lines))
        self.refresh()

    def on_resize(self) -> None:
        self._relayout()
        self._scroll_to_cursor(animate=False)

    # -- rendering -----------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        index = y + self.scroll_offset.y
        width = self.scrollable_content_region.width
        base = self.rich_style
        if self.article is None or index >= len(self.text_layout.lines):
            return Strip.blank(width, base)
        line = self.text_layout.lines[index]
        if line.paragraph < 0:
            return Strip.blank(width, base)
        article = self.article
        paragraph = article.paragraphs[line.paragraph]
        kind = paragraph.kind
        text = Text(self.shown[line.start : line.end].rstrip("\n"), no_wrap=True, end="")
        if kind != "body":
            text.stylize(self.get_component_rich_style(f"article--{kind}"))
        if paragraph.lead and line.start < paragraph.start + paragraph.lead:  # its dateline
            text.stylize(
                self.get_component_rich_style("article--dateline"),
                0,
                paragraph.start + paragraph.lead - line.start,
            )
        for m in self.mentions_by_paragraph.get(line.paragraph, ()):
            if m.end <= line.start or m.start >= line.end:
                continue
            group = label_of(m.label).style
            style = self.get_component_rich_style(f"article--{group}")
            if self.selected_entity and m.entity == self.selected_entity:
                style += self.get_component_rich_style("article--selected")
            text.stylize(
                style, max(m.start, line.start) - line.start, min(m.end, line.end) - line.start
            )
        cursor = article.sentences[self.cursor] if article.sentences else None
        if cursor and cursor.start < line.end and cursor.end > line.start:
            text.stylize(
                self.get_component_rich_style(
                    "article--cursor-focused" if self.has_focus else "article--cursor"
                ),
                max(cursor.start, line.start) - line.start,
                min(cursor.end, line.end) - line.start,
            )
        spans = [(span, "article--note") for span in self._notes_on_line(index)]
        spans += [(span, "article--match") for span in self.matches]
        if self.selection:
            spans.append((self.selection, "article--selection"))
        for (start, end), component in spans:
            if start < line.end and end > line.start:
                text.stylize(
                    self.get_component_rich_style(component),
                    max(start, line.start) - line.start,
                    min(end, line.end) - line.start,
                )
        segments = [self._gutter(index), *text.render(self.app.console, end="")]
        strip = Strip(segments).apply_style(base)
        return strip.crop_extend(self.scroll_offset.x, self.scroll_offset.x + width, base)

    def _gutter(self, index: int) -> Segment:
        """Link count ("3>") on a sentence's first line; "*" on every line with a note."""
        sentence = self.text_layout.first_sentence_at.get(index)
        count = self.links_per_sentence.get(sentence, 0) if sentence is not None else 0
        mark = (f"{count:>2}>" if count < 100 else "99+") if count else "   "  # 3 columns
        noted = bool(self._notes_on_line(index))
        note = "*" if noted else " "
        style = self.get_component_rich_style(
            "article--gutter-note" if note == "*" and not count else "article--gutter"
        )
        return Segment(f"{mark}{note} ", self.rich_style + style)

    # -- focus ---------------------------------------------------------------
    # Focus changes only the cursor's colour, so only the cursor's lines are painted
    # again (Textual's default repaints every line on screen). The cursor's colours
    # are two component classes, not a `:focus` rule, which would restyle it all too.
    def _on_focus(self, event: events.Focus) -> None:
        event.prevent_default()
        self._focus_changed(True)

    def _on_blur(self, event: events.Blur) -> None:
        event.prevent_default()
        self._focus_changed(False)

    def _focus_changed(self, focused: bool) -> None:
        """What Textual's own handlers do, with the cursor's lines repainted, not all."""
        self.has_focus = focused
        span = self._sentence_lines(self.cursor)
        if span is None:
            self.refresh()
        else:
            self.refresh_lines(span[0], span[1] - span[0] + 1)
        if self.parent is not None:
            told = events.DescendantFocus(self) if focused else events.DescendantBlur(self)
            self.parent.post_message(told)

    # -- cursor ----------------------------------------------------------------
    def watch_cursor(self) -> None:
        self._cursor_moved()

    def _cursor_moved(self) -> None:
        """Scroll to the cursor; when no scroll is needed, repaint only the lines of the
        sentence left and the sentence reached (a long article has hundreds on screen)."""
        before, self._painted_cursor = self._painted_cursor, self.cursor
        top = self.scroll_offset.y
        self._scroll_to_cursor()
        old = self._sentence_lines(before) if before is not None else None
        new = self._sentence_lines(self.cursor)
        if old is None or new is None or self.scroll_target_y != top:
            self.refresh()
        else:
            for first, last in (old, new):
                self.refresh_lines(first, last - first + 1)

    def _sentence_lines(self, index: int) -> tuple[int, int] | None:
        """The first and last laid-out line of a sentence."""
        layout = self.text_layout
        if self.article is None or not 0 <= index < min(
            len(self.article.sentences), len(layout.sentence_line)
        ):
            return None
        first = last = layout.sentence_line[index]
        end = self.article.sentences[index].end
        while (
            last + 1 < len(layout.lines)
            and layout.lines[last + 1].start < end
            and layout.lines[last + 1].paragraph >= 0
        ):
            last += 1
        return first, last

    def _scroll_to_cursor(self, animate: bool = False) -> None:
        span = self._sentence_lines(self.cursor)
        if span is None:
            return
        first, last = span
        height = self.scrollable_content_region.height
        top = self.scroll_offset.y
        if first < top:
            self.scroll_to(y=first, animate=animate)
        elif last >= top + height:
            self.scroll_to(y=max(first, last - height + 1), animate=animate)

    def go_to(self, sentence: int) -> None:
        if self.article and self.article.sentences:
            self.cursor = max(0, min(sentence, len(self.article.sentences) - 1))

    @property
    def sentence_count(self) -> int:
        return len(self.article.sentences) if self.article else 0

    def action_move(self, step: int) -> None:
        self.go_to(self.cursor + step)

    def action_paragraph(self, step: int) -> None:
        if not self.article or not self.article.sentences:
            return
        sentences = self.article.sentences
        here = sentences[self.cursor].paragraph
        indices = (
            range(self.cursor + 1, len(sentences)) if step > 0 else range(self.cursor - 1, -1, -1)
        )
        for i in indices:
            if sentences[i].paragraph != here:
                target = sentences[i].paragraph
                if step < 0:  # to the first sentence of that paragraph
                    while i > 0 and sentences[i - 1].paragraph == target:
                        i -= 1
                self.go_to(i)
                return
        self.go_to(len(sentences) - 1 if step > 0 else 0)

    def action_edge(self, end: int) -> None:
        self.go_to(self.sentence_count - 1 if end else 0)

    def action_page(self, step: int) -> None:
        if not self.article:
            return
        height = max(1, self.scrollable_content_region.height - 1)
        line = self.text_layout.sentence_line[self.cursor] + step * height
        target = min(
            range(self.sentence_count), key=lambda i: abs(self.text_layout.sentence_line[i] - line)
        )
        self.go_to(target)

    def _jump(self, step: int, wanted, what: str) -> None:
        indices = (
            range(self.cursor + 1, self.sentence_count)
            if step > 0
            else range(self.cursor - 1, -1, -1)
        )
        for i in indices:
            if wanted(i):
                self.go_to(i)
                return
        self.app.bell()
        where = "below" if step > 0 else "above"
        self.notify(f"No {what} {where} this sentence.", timeout=2)

    def action_linked(self, step: int) -> None:
        self._jump(step, lambda i: i in self.links_per_sentence, "linked sentence")

    def action_unique(self, step: int) -> None:
        """The next sentence that states a claim no other source reports."""
        sentences = self.article.sentences if self.article else ()
        self._jump(
            step,
            lambda i: i not in self.links_per_sentence and sentences[i].kind == "claim",
            "sentence only in this source",
        )

    def action_follow(self) -> None:
        if self.cursor in self.links_per_sentence:
            self.post_message(self.FollowRequested(self.cursor))
        else:
            self.notify("This sentence is only in this source.", timeout=2)

    def action_copy(self) -> None:
        if self.article and self.article.sentences:
            self.app.copy_to_clipboard(self.article.sentence_text(self.cursor))
            self.notify("Sentence copied to the clipboard.", timeout=2)

    # -- notes and selection --------------------------------------------------
    def set_notes(self, spans: list[tuple[int, int]]) -> None:
        self.note_spans = sorted(spans)
        self._note_lines = None
        self.refresh()

    def _notes_on_line(self, index: int) -> list[tuple[int, int]]:
        """The note spans on one wrapped line, from a map made once per notes and layout.

        An article can carry a thousand notes; testing each on every line drawn
        made every key press slow.
        """
        layout = self.text_layout
        if self._note_lines is None or self._note_lines[0] is not layout:
            starts = [line.start for line in layout.lines]
            by_line: dict[int, list[tuple[int, int]]] = {}
            for start, end in self.note_spans:
                first = max(0, bisect_right(starts, start) - 1)
                for at in range(first, len(layout.lines)):
                    if layout.lines[at].start >= end:
                        break
                    if layout.lines[at].end > start:
                        by_line.setdefault(at, []).append((start, end))
            self._note_lines = (layout, by_line)
        return self._note_lines[1].get(index, [])

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        selecting = self.selection is not None
        if action in self.SELECTION_ACTIONS:
            return selecting
        return not (selecting and action in self.READING_ACTIONS)

    def _set_selection(self, selection: tuple[int, int] | None) -> None:
        self.selection = selection
        self.refresh_bindings()
        self.refresh()
        if selection:
            self.go_to(self.sentence_at(selection[1] - 1))

    def action_select(self) -> None:
        """Start a selection on the first word of the current sentence."""
        if not self.article or not self.article.sentences:
            return
        self._set_selection(first_word(self._words, self.article.sentences[self.cursor]))

    def action_cancel_selection(self) -> None:
        self._set_selection(None)

    def _grow(self, selection: tuple[int, int] | None) -> None:
        if selection is None:
            self.app.bell()
        else:
            self._set_selection(selection)

    def action_extend(self, step: int) -> None:
        if self.selection:
            self._grow(extend_by_word(self._words, self.selection, step))

    def action_extend_sentence(self, step: int) -> None:
        if self.selection and self.article:
            here = self.sentence_at(self.selection[1] - 1)
            self._grow(extend_by_sentence(self.article.sentences, here, self.selection, step))

    def action_move_start(self, step: int) -> None:
        if self.selection:
            self._grow(move_start_by_word(self._words, self.selection, step))

    # -- search ----------------------------------------------------------------
    def set_matches(self, matches: list[tuple[int, int]]) -> None:
        self.matches = matches
        self.refresh()

    def sentence_at(self, offset: int) -> int:
        return self.article.sentence_at(offset) if self.article else 0

    def select_entity(self, entity: str) -> None:
        self.selected_entity = entity
        self.refresh()
