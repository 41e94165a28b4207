"""The $VISUAL/$EDITOR round trip for note text: suspend the app, edit a temp file, read it back."""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from textual.app import App, SuspendNotSupported


@dataclass(frozen=True)
class Edited:
    """What the editor gave back: `available` False when none could be run."""

    available: bool
    text: str | None = None  # None: cancelled (or no editor)
    problem: str = ""


def edit_externally(app: App[object], body: str) -> Edited:
    """Let the user's editor change `body`; the temp file is removed afterwards."""
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    fd, name = tempfile.mkstemp(prefix="treaty-note-", suffix=".md")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(body)
        with app.suspend():
            code = subprocess.call([*shlex.split(editor), name])
        if code != 0:
            return Edited(True, None, f"{editor} exited with {code}; the note was not saved.")
        return Edited(True, Path(name).read_text("utf-8").strip())
    except (SuspendNotSupported, OSError) as exc:
        return Edited(False, None, f"External editor unavailable ({exc.__class__.__name__}).")
    finally:
        Path(name).unlink(missing_ok=True)
