"""Making many small objects at once, without the collector walking them again and again.

Linking a story makes hundreds of thousands of links and the dicts that group
them, and almost no garbage; each time the count of new objects passes
Python's threshold, a collection walks the young ones, and now and then all
of them. Held off while a story is linked and grouped, 250,000 links are
made in 46 ms instead of 250-350 ms.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collections_held() -> Iterator[None]:
    """No automatic collections inside; as before after (one that was off stays off)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
