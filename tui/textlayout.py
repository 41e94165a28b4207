"""Pure text layout for the article view: wrapping into screen lines, word-wise selection.

No widget here: the view asks these functions where lines break and how a
selection grows, and only paints. That keeps the rules testable without an app.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rich.cells import cell_len

if TYPE_CHECKING:  # records arrive from workers; not imported for the first frame
    from store.models import Paragraph, Sentence

Span = tuple[int, int]


@dataclass(frozen=True)
class LineSpan:
    """One screen line: a slice of the article text and what it belongs to."""

    start: int
    end: int
    paragraph: int  # -1 for the blank line between paragraphs


@dataclass
class TextLayout:
    """Wrapped lines, the first line of each sentence, and the reverse map."""

    lines: list[LineSpan] = field(default_factory=list)
    sentence_line: list[int] = field(default_factory=list)
    first_sentence_at: dict[int, int] = field(default_factory=dict)


def wrap_spans(text: str, start: int, end: int, width: int) -> list[Span]:
    """Word-wrap text[start:end] into spans of at most `width` cells."""
    spans: list[Span] = []
    line_start = start
    line_cells = 0
    last_break: int | None = None
    for match in re.finditer(r"\S+\s*", text[start:end]):
        w_start, w_end = start + match.start(), start + match.end()
        word_cells = cell_len(text[w_start:w_end].rstrip())
        if line_cells and line_cells + word_cells > width and last_break is not None:
            spans.append((line_start, last_break))
            line_start, line_cells = w_start, 0
        while word_cells > width:  # a word longer than the line is cut
            cut = w_start + max(1, width)
            spans.append((w_start, cut))
            w_start, line_start = cut, cut
            word_cells = cell_len(text[w_start:w_end].rstrip())
        line_cells += cell_len(text[w_start:w_end])
        last_break = w_end
    if last_break is not None and last_break > line_start:
        spans.append((line_start, last_break))
    return spans or [(start, start)]


def lay_out(
    shown: str, paragraphs: Sequence[Paragraph], sentences: Sequence[Sentence], width: int
) -> TextLayout:
    """The article's text (as shown) wrapped at `width`, a blank line between paragraphs."""
    layout = TextLayout(sentence_line=[0] * len(sentences))
    for p_index, para in enumerate(paragraphs):
        if layout.lines:
            layout.lines.append(LineSpan(para.start, para.start, -1))
        for start, end in wrap_spans(shown, para.start, para.end, width):
            layout.lines.append(LineSpan(start, end, p_index))
    line_no = 0
    for index, sentence in enumerate(sentences):
        # the first text line that ends after the sentence starts
        while line_no < len(layout.lines) and (
            layout.lines[line_no].paragraph < 0 or layout.lines[line_no].end <= sentence.start
        ):
            line_no += 1
        line_no = min(line_no, len(layout.lines) - 1)
        layout.sentence_line[index] = line_no
        layout.first_sentence_at.setdefault(line_no, index)
    return layout


# -- selection -----------------------------------------------------------------------------
def word_spans(text: str) -> list[Span]:
    return [m.span() for m in re.finditer(r"\S+", text)]


def _word_index(words: Sequence[Span], offset: int, ends: bool) -> int:
    """Index of the word that ends (or starts) at or around `offset`."""
    key = 1 if ends else 0
    return min(range(len(words)), key=lambda i: abs(words[i][key] - offset))


def first_word(words: Sequence[Span], sentence: Sentence) -> Span:
    """The selection a new selection starts with: the sentence's first word."""
    word = next((w for w in words if w[0] >= sentence.start), (sentence.start, sentence.start))
    return word[0], min(word[1], sentence.end)


def extend_by_word(words: Sequence[Span], selection: Span, step: int) -> Span | None:
    """The selection with its end moved `step` words; None where it cannot move."""
    start, end = selection
    i = _word_index(words, end, ends=True) + step
    if 0 <= i < len(words) and words[i][1] > start:
        return start, words[i][1]
    return None


def move_start_by_word(words: Sequence[Span], selection: Span, step: int) -> Span | None:
    """The selection with its start moved `step` words; None where it cannot move."""
    start, end = selection
    i = _word_index(words, start, ends=False) + step
    if 0 <= i < len(words) and words[i][0] < end:
        return words[i][0], end
    return None


def extend_by_sentence(
    sentences: Sequence[Sentence], here: int, selection: Span, step: int
) -> Span | None:
    """The selection ending at the end of the next (or previous) sentence; `here` holds its end."""
    start, end = selection
    target: int | None
    if step > 0:
        target = sentences[here].end if end < sentences[here].end else None
        if target is None and here + 1 < len(sentences):
            target = sentences[here + 1].end
    else:
        target = sentences[here - 1].end if here > 0 else None
    if target is None or target <= start:
        return None
    return start, target
