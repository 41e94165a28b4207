"""Load-modify-write of one TinyDB store file as a single atomic write.

TinyDB writes its whole file on every insert or update; a batch import would
rewrite the catalog hundreds of times. A transaction loads the file into an
in-memory TinyDB, lets the caller use the normal TinyDB API, and writes the
file back once, atomically, if anything changed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.storages import MemoryStorage

from store.db import read_json, write_json_atomic


class _TrackedMemory(MemoryStorage):
    def __init__(self) -> None:
        super().__init__()
        self.changed = False

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        self.changed = True
        super().write(data)


def load(path: Path) -> TinyDB:
    """A read-only in-memory copy of a store file."""
    db = TinyDB(storage=_TrackedMemory)
    data = read_json(path)
    if data is not None:
        if not isinstance(data, dict):
            from store.errors import StoreDamaged

            raise StoreDamaged(path, "not a TinyDB document")
        db.storage.memory = data
    return db


@contextlib.contextmanager
def transaction(path: Path) -> Iterator[TinyDB]:
    """Yield the file as a TinyDB; write it back once if it was changed. Hold the lock."""
    db = load(path)
    yield db
    if db.storage.changed:
        write_json_atomic(path, db.storage.read() or {})
