"""Anchoring notes to text, and finding their place again when the text changes.

The order follows Hypothesis's re-anchoring: the stored position if the quote
is still there, else the exact quote (the occurrence whose context fits best,
nearest the old place), else an approximate match of the quote near the old
position, then anywhere. An approximate place keeps its match score as the
note's confidence; below MIN_SCORE the note becomes an orphan. An approximate
match must also sit in a context like the note's own (its prefix and suffix):
a phrase that recurs in another sentence is not the place the note was on,
and a misplaced note is lost data that looks safe. A note on a whole
sentence lands on a whole sentence of the new text, or becomes an orphan.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from store.models import Anchor

CONTEXT = 32
MIN_SCORE = 75.0
MIN_ALIKE = 50.0  # wording kept between an unchanged prefix and suffix
MIN_CONTEXT = 60.0  # how alike the text around an approximate match and the note's context are
SENTENCE_END = (".", "?", "!", '"', "\u201d", "'")
NEAR = 2000  # characters either side of the old position searched first


def make_anchor(text: str, start: int, end: int) -> Anchor:
    """An anchor on text[start:end] with CONTEXT characters of context each side."""
    start, end = max(0, start), min(len(text), end)
    return Anchor(
        exact=text[start:end],
        start=start,
        end=end,
        prefix=text[max(0, start - CONTEXT) : start],
        suffix=text[end : end + CONTEXT],
    )


def reanchor(anchor: Anchor, text: str, sentences: Sequence[tuple[int, int]] = ()) -> Anchor:
    """The anchor placed in `text`; confidence 0.0 (an orphan) when it cannot be placed.

    `sentences` (start, end) of the new text, when known, keep a note made
    on a whole sentence on a whole sentence.
    """
    placed = _reanchor(anchor, text)
    if sentences and placed.confidence > 0 and _whole_sentence(anchor.exact):
        return _on_sentence(placed, anchor.exact, text, sentences)
    return placed


def _reanchor(anchor: Anchor, text: str) -> Anchor:
    if not anchor.exact:
        return replace(anchor, confidence=0.0)
    if text[anchor.start : anchor.end] == anchor.exact:
        return _placed(text, anchor.start, anchor.end, anchor.confidence)
    exact = _exact_quote(anchor, text)
    if exact is not None:
        return _placed(text, exact, exact + len(anchor.exact), anchor.confidence)
    fuzzy = _fuzzy_quote(anchor, text)
    if fuzzy is not None and not _context_fits(anchor, text, fuzzy[0], fuzzy[1]):
        fuzzy = None
    fuzzy = fuzzy or _between_context(anchor, text)
    if fuzzy is not None:
        start, end, score = fuzzy
        return _placed(text, start, end, min(anchor.confidence, round(score / 100, 3)))
    return replace(anchor, confidence=0.0)


def _whole_sentence(quote: str) -> bool:
    """Does the quote read as a whole sentence (capital first, a stop last)?"""
    quote = quote.strip()
    return len(quote) > 1 and quote[0].isupper() and quote.endswith(SENTENCE_END)


def _on_sentence(
    placed: Anchor, quote: str, text: str, sentences: Sequence[tuple[int, int]]
) -> Anchor:
    """The whole sentence holding the placed span, if it is still the quoted one; else an orphan."""
    from rapidfuzz import fuzz

    middle = (placed.start + placed.end) // 2
    for start, end in sentences:
        if start <= middle < end:
            if (start, end) == (placed.start, placed.end):
                return placed
            score = fuzz.ratio(quote, text[start:end])
            if score >= MIN_SCORE:
                return _placed(text, start, end, min(placed.confidence, round(score / 100, 3)))
            break
    return replace(placed, confidence=0.0)


def _context_fits(anchor: Anchor, text: str, start: int, end: int) -> bool:
    """Is the text around text[start:end] like the note's prefix and suffix (where it had any)?"""
    from rapidfuzz import fuzz

    scores = []
    if anchor.prefix:
        scores.append(fuzz.ratio(anchor.prefix, text[max(0, start - len(anchor.prefix)) : start]))
    if anchor.suffix:
        scores.append(fuzz.ratio(anchor.suffix, text[end : end + len(anchor.suffix)]))
    return not scores or max(scores) >= MIN_CONTEXT


def _placed(text: str, start: int, end: int, confidence: float) -> Anchor:
    return replace(make_anchor(text, start, end), confidence=confidence)


def _exact_quote(anchor: Anchor, text: str) -> int | None:
    """Start of the occurrence of the quote whose context matches best, nearest the old place."""
    starts = [m.start() for m in re.finditer(re.escape(anchor.exact), text)]
    if not starts:
        return None

    def fit(start: int) -> tuple[int, int]:
        before = text[max(0, start - len(anchor.prefix)) : start]
        after = text[start + len(anchor.exact) : start + len(anchor.exact) + len(anchor.suffix)]
        context = _common_suffix(before, anchor.prefix) + _common_prefix(after, anchor.suffix)
        return (-context, abs(start - anchor.start))

    return min(starts, key=fit)


def _fuzzy_quote(anchor: Anchor, text: str) -> tuple[int, int, float] | None:
    """(start, end, score) of the best approximate match of the quote, near the old place first."""
    from rapidfuzz import fuzz

    lo = max(0, anchor.start - NEAR)
    hi = min(len(text), anchor.end + NEAR)
    best: tuple[int, int, float] | None = None
    for window_start, window in ((lo, text[lo:hi]), (0, text)):
        if len(window) < len(anchor.exact):
            continue
        found = fuzz.partial_ratio_alignment(anchor.exact, window, score_cutoff=MIN_SCORE)
        if found is not None and (best is None or found.score > best[2]):
            best = (window_start + found.dest_start, window_start + found.dest_end, found.score)
        if best is not None or window_start == 0 and hi - lo == len(text):
            break
    if best is None:
        return None
    start, end = _refine(anchor.exact, text, best[0], best[1])
    start, end = _snap_to_words(text, start, end)
    return start, end, best[2]


def _between_context(anchor: Anchor, text: str) -> tuple[int, int, float] | None:
    """The rewritten span between the note's unchanged prefix and suffix, if both remain.

    Score: half for the context, half for how alike the old and new wording are.
    """
    from rapidfuzz import fuzz

    if len(anchor.prefix) < CONTEXT // 2 or len(anchor.suffix) < CONTEXT // 2:
        return None
    best = None
    for m in re.finditer(re.escape(anchor.prefix), text):
        start = m.end()
        end = text.find(anchor.suffix, start, start + 2 * len(anchor.exact) + CONTEXT)
        alike = fuzz.ratio(anchor.exact, text[start:end]) if end > start else 0.0
        if alike >= MIN_ALIKE:
            candidate = (start, end, 50 + alike / 2)
            if best is None or abs(start - anchor.start) < abs(best[0] - anchor.start):
                best = candidate
    return best


def _refine(exact: str, text: str, start: int, end: int, slack: int = 8) -> tuple[int, int]:
    """Move each end of an approximate match a few characters to where the quote fits best."""
    from rapidfuzz import fuzz

    end = max(
        range(max(start + 1, end - slack), min(len(text), end + slack) + 1),
        key=lambda e: (fuzz.ratio(exact, text[start:e]), -abs(e - end)),
    )
    start = max(
        range(max(0, start - slack), min(end - 1, start + slack) + 1),
        key=lambda s: (fuzz.ratio(exact, text[s:end]), -abs(s - start)),
    )
    return start, end


def _snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a span so it does not begin or end inside a word."""
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and end > 0 and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def _common_suffix(a: str, b: str) -> int:
    return _common_prefix(a[::-1], b[::-1])
