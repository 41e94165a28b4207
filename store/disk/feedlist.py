"""The feeds file: the feeds a library follows, one row each (store.models.Feed)."""

from __future__ import annotations

from dataclasses import asdict

from store.disk.files import read_json, write_json_atomic
from store.disk.layout import Layout
from store.errors import StoreDamaged
from store.models import Feed


def read_feeds(layout: Layout) -> list[Feed]:
    """The feeds followed, in the order they were added; StoreDamaged if a row is not one."""
    rows = read_json(layout.feeds) or []
    if not isinstance(rows, list):
        raise StoreDamaged(layout.feeds, "not a list of feeds")
    try:
        return [Feed.load(row) for row in rows]
    except ValueError as exc:
        raise StoreDamaged(layout.feeds, str(exc)) from None


def write_feeds(layout: Layout, feeds: list[Feed]) -> None:
    write_json_atomic(layout.feeds, [asdict(feed) for feed in feeds])
