"""Short garbage collections while the reader is in use.

A story of 160 reports keeps a large heap alive: its articles and claim
groups, and Textual's rendered lines (each Strip holds seven small caches).
Python's full collection walks all of it, and with such a story open it took
150-300 ms, landing on a random key press. Once the reader has been left
alone for a moment, `HeapTidier.tidy` collects what is new since the last
tidy and moves the survivors out of the collector's walk (gc.freeze), so
the collections that run while keys are pressed walk only recent objects.
Objects frozen stay freed by reference counting when let go; a cycle frozen
while alive would stay, so the tidy runs only on the reader's own screen
(other screens are gone by then), every FULL_EVERY-th tidy walks the
whole heap again, and the app lets everything go when it exits.

Start-up makes a great many objects (Textual's widgets and styles, the
library's records) and almost no garbage, yet the collector ran on it
again and again: about 150 ms of a 0.85 s start with a 160-report story
open. So the reader `hold`s collections from the start until its first tidy
(or HOLD_LIMIT seconds, if no article is ever shown).
"""

from __future__ import annotations

import gc

FULL_EVERY = 30  # every so many tidies, the whole heap is collected (frozen cycles too)
HOLD_LIMIT = 5.0  # seconds: collections held at start-up run again by then at the latest


class HeapTidier:
    """Collects and freezes the heap when asked (while the reader waits for a key)."""

    def __init__(self) -> None:
        self.tidies = 0

    def hold(self) -> None:
        """No automatic collections until the first tidy (start-up)."""
        gc.disable()

    def let_go(self) -> None:
        """Automatic collections run again."""
        gc.enable()

    def tidy(self) -> None:
        if self.tidies % FULL_EVERY == FULL_EVERY - 1:
            gc.unfreeze()
        gc.collect()
        gc.freeze()
        gc.enable()
        self.tidies += 1

    def release(self) -> None:
        """Everything frozen back to the collector (the app is closing: a process that
        runs readers one after another, as tests do, gets their memory back)."""
        gc.unfreeze()
        gc.enable()
