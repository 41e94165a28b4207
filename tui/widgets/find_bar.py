"""Find in the article: the bar where a regular expression is typed, and the matches it gives."""

from __future__ import annotations

from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input

Span = tuple[int, int]


def find_matches(pattern: str, text: str) -> list[Span]:
    """Non-empty matches of `pattern` (case-insensitive) in `text`, within FIND_SECONDS.

    PatternError (one line for the user) when it is not valid or too slow. The
    regular expression engine is loaded at the first find, not at start-up.
    """
    from tui.patterns import compile_pattern, spans

    return spans(compile_pattern(pattern), text)


def next_match(matches: list[Span], start: int, end: int, step: int, inclusive: bool) -> Span:
    """The match after (or before) the sentence at start..end, wrapping around."""
    if step > 0:
        later = [m for m in matches if m[0] >= (start if inclusive else end)]
        return later[0] if later else matches[0]
    earlier = [m for m in matches if m[0] < start]
    return earlier[-1] if earlier else matches[-1]


class FindBar(Input):
    """Docked under the article; Esc closes it and clears the pattern."""

    BINDINGS = [Binding("escape", "close", "Close find bar", id="find.close")]

    class Closed(Message):
        """The bar was closed: the pattern is gone, focus goes back to the article."""

    def action_close(self) -> None:
        self.value = ""
        self.display = False
        self.post_message(self.Closed())
