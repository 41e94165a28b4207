"""Where the library lives. Kept apart from store.db so that finding the folder
(as the reader does before its first paint) does not import TinyDB."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "treaty-tui"
HOME_ENV = "TREATY_TUI_HOME"


def data_home(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The library folder: --data-dir, else $TREATY_TUI_HOME, else the platform's data dir."""
    if explicit:
        return Path(explicit).expanduser()
    if os.environ.get(HOME_ENV):
        return Path(os.environ[HOME_ENV]).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME))
