"""Where the library lives on disk and how its files are read and written.

Every file is a small TinyDB JSON document. Writes go to a temporary file that
is flushed, fsynced and renamed over the old one, so a crash leaves either the
old or the new file, never half of one. A lock file serialises
read-modify-write cycles between processes. A file that does not parse is
never written over: StoreDamaged names it and the caller stops.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
from tinydb.storages import Storage

from store.errors import StoreDamaged
from store.paths import data_home

__all__ = ["data_home"]  # re-exported: callers find the folder and open files together

FILE_MODE = 0o600
DIR_MODE = 0o700


def ensure_dir(path: Path) -> Path:
    """Create a private folder (0700) if it is missing."""
    path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    return path


def read_json(path: Path) -> Any:
    """The parsed content of a store file; None when it is missing or empty."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    if not raw.strip():
        return None
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise StoreDamaged(path, f"not valid JSON: {exc.__class__.__name__}") from None


def write_json_atomic(path: Path, data: Any) -> None:
    """Replace `path` with `data` as JSON: temp file, fsync, rename, fsync of the folder."""
    ensure_dir(path.parent)
    payload = orjson.dumps(data)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


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


@contextlib.contextmanager
def locked(home: Path, name: str = ".lock") -> Iterator[None]:
    """Hold one of the library's write locks (an flock on HOME/NAME) for a read-modify-write."""
    ensure_dir(home)
    fd = os.open(home / name, os.O_RDWR | os.O_CREAT, FILE_MODE)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
