"""Regular expressions a user types, run with a time limit and without holding the GIL.

Python's `re` can take minutes on a pattern like `(a|aa)+$` and holds the
GIL all the while, so even a worker thread freezes the screen. The `regex`
package (same syntax) takes a total time limit per search and, with
`concurrent=True`, lets other threads run while it matches.
"""

from __future__ import annotations

import regex

Span = tuple[int, int]
FIND_SECONDS = 0.25  # the find bar runs on the screen's thread: keys wait at most this long
SCAN_SECONDS = 2.0  # per article, for a library-wide scan in a worker


class PatternError(ValueError):
    """A pattern that is not valid or takes too long; str() is the line for the user."""


def compile_pattern(text: str) -> regex.Pattern[str]:
    """The pattern, case-insensitive; PatternError if it is not a valid regular expression."""
    try:
        return regex.compile(text, regex.IGNORECASE | regex.VERSION0)
    except (regex.error, OverflowError, RecursionError) as exc:
        raise PatternError(f"Not a valid regular expression: {exc}") from None


def spans(pattern: regex.Pattern[str], text: str, seconds: float = FIND_SECONDS) -> list[Span]:
    """The non-empty matches of `pattern` in `text`; PatternError when it runs out of time."""
    try:
        return [
            m.span()
            for m in pattern.finditer(text, timeout=seconds, concurrent=True)
            if m.end() > m.start()
        ]
    except TimeoutError:
        raise PatternError(
            f"The pattern took longer than {seconds:g} s on this text: make it simpler"
        ) from None
