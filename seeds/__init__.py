"""Bundled seed articles: two reports of the June 19, 2024 Russia-North Korea treaty.

They are imported into an empty library on first start so a new reader sees a
working comparison at once.
"""

from __future__ import annotations

from importlib.resources import files
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from importlib.abc import Traversable


def seed_files() -> list[Traversable]:
    """The seed article files, in a stable order."""
    return sorted(
        (f for f in files(__name__).iterdir() if f.name.endswith(".txt")),
        key=lambda f: f.name,
    )
