"""Shared fixtures: real stores in temp dirs, the real CLI, the shared eval data."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tui.cli import main
from tui.screens.reader import ReaderScreen
from tui.widgets.article_view import ArticleView

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def shared_path(*parts: str) -> Path:
    """A file under ../shared; the test is skipped with a reason when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not present on this machine")
    return path


@pytest.fixture(autouse=True)
def private_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test's log file in its own temp folder: the user's log is never written."""
    folder = tmp_path / "log"
    monkeypatch.setenv("TREATY_TUI_LOG_DIR", str(folder))
    return folder


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "library"


@pytest.fixture
def cli(home: Path, capsys: pytest.CaptureFixture[str]):
    """Run `treaty-tui --data-dir HOME ...` in-process; returns (code, stdout, stderr)."""

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--data-dir", str(home), *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def run_process(
    *args: str, home: Path | None = None, cwd: Path | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """The CLI in a child process, as a user runs it."""
    env = dict(os.environ)
    env.pop("TREATY_TUI_HOME", None)
    cmd = [sys.executable, "-m", "tui.cli"]
    if home is not None:
        cmd += ["--data-dir", str(home)]
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [*cmd, *args], capture_output=True, text=True, env=env, cwd=cwd or ROOT, timeout=timeout
    )


@pytest.fixture
def private_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The reader's config folder, private to the test (the user's own is never read)."""
    folder = tmp_path / "config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(folder))
    monkeypatch.delenv("TEXTUAL_THEME", raising=False)
    return folder / "treaty-tui"


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A library holding the two seed articles, analysed once per test session."""
    from store import Library

    home = tmp_path_factory.mktemp("seeded") / "library"
    Library.open(home).ensure_seeds()
    return home


@pytest.fixture
def seeded_home(seeded_template: Path, home: Path) -> Path:
    """A private copy of the seeded library."""
    shutil.copytree(seeded_template, home)
    return home


# -- the reader under Pilot --------------------------------------------------------------
async def ready(pilot: Any) -> ReaderScreen:
    """Wait until the first article is on screen."""
    app = pilot.app
    for _ in range(200):
        await pilot.pause(0.02)
        screen = app.screen
        if isinstance(screen, ReaderScreen) and screen.opened is not None:
            await app.workers.wait_for_complete()
            await pilot.pause()
            return screen
    raise AssertionError("the reader never showed an article")


async def settle(pilot: Any) -> None:
    """Let workers finish and the screen catch up."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def view(app: Any) -> ArticleView:
    return app.screen.query_one(ArticleView)


def current_sentence(app: Any) -> str:
    v = view(app)
    return v.article.sentence_text(v.cursor)


class Messages:
    """The app's Messages as they are handled: pass `hook` as run_test(message_hook=...)."""

    def __init__(self) -> None:
        self.seen: list[object] = []
        self._ids: set[int] = set()  # ids stay unique: `seen` keeps every message alive

    def hook(self, message: object) -> None:
        if id(message) not in self._ids:  # a bubbling message is seen again, later
            self._ids.add(id(message))
            self.seen.append(message)

    def of(self, kind: type) -> list[Any]:
        return [m for m in self.seen if isinstance(m, kind)]

    async def wait_for(self, pilot: Any, kind: type, count: int = 1) -> Any:
        """The `count`-th Message of `kind`, once the screen has handled it."""
        for _ in range(500):
            if len(self.of(kind)) >= count:
                await pilot.pause()
                return self.of(kind)[count - 1]
            await pilot.pause(0.02)
        raise AssertionError(f"no {kind.__name__} (#{count}) arrived; saw {len(self.seen)}")


async def until(pilot: Any, done: Any, seconds: float = 5.0) -> None:
    """Pause until `done()` holds (work the app does after a refresh), at most `seconds`."""
    for _ in range(int(seconds / 0.02)):
        if done():
            return
        await pilot.pause(0.02)
    raise AssertionError("the screen never reached the state the test waits for")


@pytest.fixture
def small_disk(tmp_path: Path):
    """A real 4 MiB file system (tmpfs) that a test can fill up or make read-only.

    Mounting needs root (as in CI's container); elsewhere the test is skipped
    with that reason. Yields a function `remount(read_only)`.
    """
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m,mode=0700", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
    )
    if done.returncode:
        pytest.skip(f"cannot mount a small file system here: {done.stderr.strip()}")

    def remount(read_only: bool) -> None:
        mode = "ro" if read_only else "rw"
        subprocess.run(["mount", "-o", f"remount,{mode}", str(mount)], check=True)

    try:
        yield mount, remount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def fill(folder: Path) -> Path:
    """Fill the file system of `folder` to the last byte; returns the filler file."""
    filler = folder / "filler"
    with open(filler, "wb", buffering=0) as out:
        for size in (65536, 1):
            try:
                while out.write(b"\0" * size):
                    pass
            except OSError:
                pass
    return filler
