"""The reader's settings file: theme and key overrides.

    ~/.config/treaty-tui/config.json   (platformdirs.user_config_dir("treaty-tui"))
    {"theme": "nord", "keymap": {"article.next_sentence": "j,down,ctrl+n"},
     "editor": "external"}

"editor": "external" writes note text in $VISUAL or $EDITOR instead of the
built-in editor. "library_order": "newest" (the default), "oldest" or "name"
orders the library pane's stories and articles.

Keys of "keymap" are binding ids (the help screen, `?`, lists them); values
are comma-separated keys that replace the defaults.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, cast, get_args

CONFIG_NAME = "config.json"
LibraryOrder = Literal["newest", "oldest", "name"]
ORDERS: tuple[LibraryOrder, ...] = get_args(LibraryOrder)


def config_dir() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir("treaty-tui"))


@dataclass
class Config:
    theme: str = ""
    keymap: dict[str, str] = field(default_factory=dict)
    problem: str = ""
    editor: str = ""  # "external": note text in $VISUAL/$EDITOR
    library_order: LibraryOrder = "newest"

    @classmethod
    def load(cls, folder: Path | None = None) -> Config:
        path = (folder or config_dir()) / CONFIG_NAME
        try:
            data = json.loads(path.read_text("utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError) as exc:
            return cls(problem=f"{path}: ignored ({exc.__class__.__name__})")
        if not isinstance(data, dict):
            return cls(problem=f"{path}: ignored (not a JSON object)")
        keymap = data.get("keymap", {})
        if not isinstance(keymap, dict):
            keymap = {}
        order = data.get("library_order", "newest")
        problem = ""
        if order not in ORDERS:
            problem = f"{path}: library_order {order!r} ignored (use {', '.join(ORDERS)})"
            order = "newest"
        return cls(
            str(data.get("theme", "")),
            {str(k): str(v) for k, v in keymap.items()},
            problem,
            editor=str(data.get("editor", "")),
            library_order=cast(LibraryOrder, order),
        )

    def save_theme(self, theme: str, folder: Path | None = None) -> None:
        """Remember the theme, keeping whatever else the file holds."""
        folder = folder or config_dir()
        path = folder / CONFIG_NAME
        try:
            data = json.loads(path.read_text("utf-8")) if path.exists() else {}
            if not isinstance(data, dict):
                return
            data["theme"] = theme
            from store.disk.files import write_bytes_atomic

            write_bytes_atomic(path, (json.dumps(data, indent=2) + "\n").encode("utf-8"))
        except (OSError, ValueError):
            pass
