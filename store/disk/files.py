"""How store files are read and written: one atomic writer, one JSON reader, one lock.

Writes go to a temporary file that is flushed, fsynced and renamed over the
old one, so a crash leaves either the old or the new file, never half of
one. A lock file serialises read-modify-write cycles between processes. A
file that does not parse is never written over: StoreDamaged names it and
the caller stops.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import orjson

from store.disk.layout import LIBRARY_LOCK, Layout
from store.errors import StoreDamaged

T = TypeVar("T")
FILE_MODE = 0o600
DIR_MODE = 0o700
SYNC_BATCH = 64  # files open at once while appending (well under any limit of open files)
SYNC_THREADS = 16
Stamp = tuple[int, int, int]


def ensure_dir(path: Path) -> Path:
    """Create a private folder (0700) if it is missing, and any missing parents 0700 too.

    (mkdir's `parents=True` would make the parents 0777 less the umask.)
    """
    missing = []
    folder = path
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):
            folder.mkdir(mode=DIR_MODE)
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


def write_bytes_atomic(path: Path, payload: bytes, durable: bool = True) -> None:
    """Replace `path` with `payload`: temp file (0600), fsync, rename, fsync of the folder.
    Not `durable` (a file made again from others when lost): no fsync, still never half."""
    ensure_dir(path.parent)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:  # name the file being written, not its temporary twin
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise OSError(exc.errno, exc.strerror, str(path)) from None
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    if durable:
        _fsync_folder(path.parent)


def write_files_atomic(payloads: Mapping[Path, bytes]) -> None:
    """`write_bytes_atomic` for many files: each written to its temporary file, these
    fsynced a batch at a time side by side, then renamed, then each folder fsynced once
    (a story's 150 link files: a few waits for the disk, not two per file)."""
    batch: list[tuple[Path, int]] = []
    renames: list[tuple[str, Path]] = []
    try:
        for path, payload in payloads.items():
            ensure_dir(path.parent)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            batch.append((path, fd))
            renames.append((tmp, path))
            try:
                os.fchmod(fd, FILE_MODE)
                view = memoryview(payload)
                while view:
                    view = view[os.write(fd, view) :]
            except OSError as exc:
                raise OSError(exc.errno, exc.strerror, str(path)) from None
            if len(batch) >= SYNC_BATCH:
                _sync_and_close(batch)
        _sync_and_close(batch)
        for tmp, path in renames:
            try:
                os.replace(tmp, path)
            except OSError as exc:
                raise OSError(exc.errno, exc.strerror, str(path)) from None
        renames.clear()
    finally:
        for _, fd in batch:
            os.close(fd)
        for tmp, _ in renames:  # (those renamed already are not found)
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
    for folder in dict.fromkeys(path.parent for path in payloads):
        _fsync_folder(folder)


def _fsync_folder(folder: Path) -> None:
    """Make the renames into `folder` durable."""
    dir_fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def append_lines(path: Path, payload: bytes) -> None:
    """Add lines at the end of `path` (made 0600 if new), then fsync it.

    A write cut short leaves the lines before it intact and a partial last
    line, which readers leave out and the next append cuts off first.
    """
    append_to_files({path: payload})


def append_to_files(payloads: Mapping[Path, bytes]) -> None:
    """`append_lines` for many files: each written in turn, then all fsynced, a batch at a
    time (the disk commits a batch's writes together; a story of 150 files: 20 ms, not 30)."""
    batch: list[tuple[Path, int]] = []
    try:
        for path, payload in payloads.items():
            if not payload and path.exists():
                continue
            ensure_dir(path.parent)
            try:
                fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW, FILE_MODE)
            except OSError as exc:
                raise OSError(exc.errno, exc.strerror, str(path)) from None
            batch.append((path, fd))
            _write_all(path, fd, payload)
            if len(batch) >= SYNC_BATCH:
                _sync_and_close(batch)
    finally:
        _sync_and_close(batch)


def _write_all(path: Path, fd: int, payload: bytes) -> None:
    try:
        _cut_partial_line(fd)
        view = memoryview(payload)
        while view:
            view = view[os.write(fd, view) :]
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(path)) from None


def _sync_and_close(batch: list[tuple[Path, int]]) -> None:
    """fsync and close every file of `batch` (each closed even when one fails), emptied.

    The fsyncs run side by side on threads: the disk's journal commits fsyncs that
    wait together in one go (150 files of a story: 12 ms, not 18-36 one by one).
    """
    try:
        if len(batch) > 1:
            with ThreadPoolExecutor(min(len(batch), SYNC_THREADS)) as pool:
                failures = list(pool.map(_fsync, batch))
        else:
            failures = [_fsync(entry) for entry in batch]
    finally:
        for _, fd in batch:
            os.close(fd)
        batch.clear()
    failed = next((f for f in failures if f is not None), None)
    if failed is not None:
        raise failed


def _fsync(entry: tuple[Path, int]) -> OSError | None:
    path, fd = entry
    try:
        os.fsync(fd)
    except OSError as exc:
        return OSError(exc.errno, exc.strerror, str(path))
    return None


def _cut_partial_line(fd: int) -> None:
    """Truncate the file after its last newline (a line an earlier append left unfinished)."""
    end = os.fstat(fd).st_size
    if not end or os.pread(fd, 1, end - 1) == b"\n":
        return
    at = end
    while at > 0:
        start = max(0, at - 65536)
        found = os.pread(fd, at - start, start).rfind(b"\n")
        if found >= 0:
            os.ftruncate(fd, start + found + 1)
            return
        at = start
    os.ftruncate(fd, 0)


def write_json_atomic(path: Path, data: Any) -> None:
    """Replace `path` with `data` as JSON (dataclasses included), atomically."""
    write_bytes_atomic(path, orjson.dumps(data))


def write_json_files_atomic(documents: Mapping[Path, Any]) -> None:
    """`write_json_atomic` for many files, written as `write_files_atomic` writes."""
    write_files_atomic({path: orjson.dumps(data) for path, data in documents.items()})


def symlinks(layout: Layout, deep: bool = False) -> list[Path]:
    """The store's own paths that are symbolic links (and, if `deep`, links inside its folders).

    The store never follows one: a link could lead writes, renames and
    deletions out of the library folder.
    """
    found = [p for p in layout.own_paths() if p.is_symlink()]
    if deep:
        for folder in layout.folders():
            if folder.is_dir() and not folder.is_symlink():
                found += sorted(p for p in folder.iterdir() if p.is_symlink())
    return found


def file_stamp(path: Path) -> Stamp:
    """What changes whenever the file is replaced (writes are renames): inode, mtime, size."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return (0, 0, 0)
    return (st.st_ino, st.st_mtime_ns, st.st_size)


class StampCache:
    """Parsed files kept while their stamp is unchanged (every write is a rename, so a
    new version always has a new stamp). Safe to share between threads."""

    def __init__(self, size: int = 8) -> None:
        self.size = size
        self._kept: dict[Path, tuple[Stamp, Any]] = {}
        self._lock = threading.Lock()

    def get(self, path: Path, load: Callable[[], T]) -> T:
        """What `load()` gives for the file at `path`, parsed once per version."""
        stamp = file_stamp(path)
        with self._lock:
            kept = self._kept.get(path)
            if kept is not None and kept[0] == stamp:
                return kept[1]
        value = load()
        with self._lock:
            self._kept[path] = (stamp, value)
            while len(self._kept) > self.size:  # the oldest first
                del self._kept[next(iter(self._kept))]
        return value


@contextlib.contextmanager
def locked(home: Path, name: str = LIBRARY_LOCK, wait: bool = True) -> Iterator[bool]:
    """Hold one of the library's write locks (an flock on HOME/NAME) for a read-modify-write.

    Yields whether it is held: with `wait=False`, False at once if another holds it.
    """
    ensure_dir(home)
    fd = os.open(home / name, os.O_RDWR | os.O_CREAT, FILE_MODE)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
