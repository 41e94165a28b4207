"""Keyed tables over a TinyDB file: read once, change in memory, written back once.

TinyDB's own Table re-reads and converts the whole table on every get, insert
and update, so one import into a 10,000-article catalog cost seconds. A
Document reads the file once through TinyDB's storage layer
(AtomicJSONStorage: damaged files refused, writes atomic), indexes each
table's rows by a key field, and writes the file back once if anything
changed. The file stays a TinyDB database, {table: {doc_id: row}}, and
TinyDB opens it as before.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from store.disk.files import read_json, write_json_atomic, write_json_files_atomic
from store.errors import StoreDamaged

Row = dict[str, Any]


class AtomicJSONStorage(Storage):
    """TinyDB storage that refuses damaged files and writes atomically."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def read(self) -> dict[str, dict[str, Any]] | None:
        data = read_json(self.path)
        if data is not None and not isinstance(data, dict):
            raise StoreDamaged(self.path, "not a TinyDB document")
        return data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        write_json_atomic(self.path, data)

    def close(self) -> None:
        pass


class Table:
    """One table of a Document: rows by their key field, each change O(1)."""

    def __init__(self, raw: dict[str, Row], key: str, on_change: Callable[[], None]) -> None:
        self.raw = raw  # doc_id -> row, TinyDB's layout; shared with the Document
        self.key = key
        self._on_change = on_change
        self._index: dict[Any, str] | None = None
        self._next_id = 0

    @property
    def index(self) -> dict[Any, str]:
        if self._index is None:  # a row whose key is a list or dict (damaged) is not indexed
            self._index = {
                key: doc_id
                for doc_id, row in self.raw.items()
                if isinstance(row, dict) and isinstance(key := row.get(self.key), (str, int, float))
            }
        return self._index

    def __len__(self) -> int:
        return len(self.raw)

    def __contains__(self, key: object) -> bool:
        return key in self.index

    def get(self, key: Any) -> Row | None:
        doc_id = self.index.get(key)
        return None if doc_id is None else self.raw[doc_id]

    def rows(self) -> list[Row]:
        return list(self.raw.values())

    def put(self, row: Row) -> None:
        """Insert the row, or replace the one with the same key."""
        doc_id = self.index.get(row[self.key])
        if doc_id is None:
            if not self._next_id:
                self._next_id = max((int(i) for i in self.raw), default=0) + 1
            doc_id = str(self._next_id)
            self._next_id += 1
            self.index[row[self.key]] = doc_id
        self.raw[doc_id] = row
        self._on_change()

    def update(self, key: Any, **fields: Any) -> None:
        row = self.get(key)
        if row is not None:
            self.raw[self.index[key]] = {**row, **fields}
            self._on_change()

    def pop_doc(self, doc_id: str) -> Any:
        """Take out a row by its place in the file, whatever it holds (for quarantine)."""
        self._index = None
        self._on_change()
        return self.raw.pop(doc_id)

    def remove(self, key: Any) -> Row | None:
        doc_id = self.index.pop(key, None)
        if doc_id is None:
            return None
        self._on_change()
        return self.raw.pop(doc_id)


class Document:
    """A whole TinyDB file in memory."""

    def __init__(self, path: Path, data: dict[str, dict[str, Row]] | None) -> None:
        self.path = path
        self.data = data or {}
        self.changed = False
        self._tables: dict[str, Table] = {}

    @classmethod
    def load(cls, path: Path) -> Document:
        """Read the file (missing or empty: no tables); StoreDamaged if it does not parse."""
        return cls(path, AtomicJSONStorage(path).read())

    def table(self, name: str, key: str = "id") -> Table:
        """The table `name`, its rows found by the field `key` (one key per table)."""
        if name not in self._tables:
            self._tables[name] = Table(self.data.setdefault(name, {}), key, self._touch)
        elif self._tables[name].key != key:  # a second index would go stale on writes
            raise ValueError(f"table {name!r} is keyed by {self._tables[name].key!r}")
        return self._tables[name]

    def _touch(self) -> None:
        self.changed = True

    def save(self) -> None:
        AtomicJSONStorage(self.path).write(self.data)
        self.changed = False


def save_changed(documents: Iterable[Document]) -> None:
    """Write back the documents that changed, each atomically, their fsyncs side by side."""
    changed = [doc for doc in documents if doc.changed]
    write_json_files_atomic({doc.path: doc.data for doc in changed})
    for doc in changed:
        doc.changed = False


@contextlib.contextmanager
def transaction(path: Path) -> Iterator[Document]:
    """Yield the file as a Document; write it back once if it changed. Hold the lock."""
    doc = Document.load(path)
    yield doc
    if doc.changed:
        doc.save()
