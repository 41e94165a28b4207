"""A worker's result that the UI thread waits a moment for, to put it in the first frame."""

from __future__ import annotations

import threading
from typing import Generic, TypeVar

T = TypeVar("T")


class Handoff(Generic[T]):
    """One value passed from a worker thread to the UI thread, or not at all.

    The UI thread `take`s with a short wait; a worker that `offer`s in time
    hands the value over (and posts nothing), one that comes later is told
    to post its Messages as usual. A worker that knows it will be slow
    (a first start that seeds the library) `decline`s, so nobody waits.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._ready = threading.Event()
        self._value: T | None = None
        self._closed = False

    def offer(self, value: T) -> bool:
        """Whether the UI thread takes `value`; if not, the worker shows it itself."""
        with self._lock:
            if self._closed:
                return False
            self._value = value
            self._closed = True
            self._ready.set()
            return True

    def decline(self) -> None:
        """Stop the UI thread's wait: nothing will be offered."""
        with self._lock:
            self._closed = True
            self._ready.set()

    def take(self, timeout: float) -> T | None:
        """The value if it is offered within `timeout` seconds; after this, none is."""
        self._ready.wait(timeout)
        with self._lock:
            self._closed = True
            return self._value
