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
"""

from __future__ import annotations

import gc

FULL_EVERY = 30  # every so many tidies, the whole heap is collected (frozen cycles too)


class HeapTidier:
    """Collects and freezes the heap when asked (while the reader waits for a key)."""

    def __init__(self) -> None:
        self.tidies = 0

    def tidy(self) -> None:
        if self.tidies % FULL_EVERY == FULL_EVERY - 1:
            gc.unfreeze()
        gc.collect()
        gc.freeze()
        self.tidies += 1

    def release(self) -> None:
        """Everything frozen back to the collector (the app is closing: a process that
        runs readers one after another, as tests do, gets their memory back)."""
        gc.unfreeze()
