"""How a note is shown in a list: quote, how sure its place is, linked claim, text, tags.

Shared by the side panel's Notes tab and the all-notes screen.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.text import Text

from store.plain import visible, visible_line

if TYPE_CHECKING:
    from rich.markdown import Markdown

    from store.models import Note
    from tui.client import Snapshot


_TAG_OPEN = re.compile(r"(?<!\\)<")  # a "<" the writer did not escape


def note_body(body: str) -> Markdown:
    """A note's text rendered as the Markdown it is written in (bold, lists, links shown
    with their address). HTML is escaped so it shows as typed instead of vanishing."""
    from rich.markdown import Markdown  # markdown-it loads with the first note shown

    return Markdown(_TAG_OPEN.sub(r"\\<", visible(body)), hyperlinks=False)


def note_prompt(note: Note, snapshot: Snapshot | None, with_source: bool = False) -> Group:
    """A note as a list entry: its quote, its text, its tags."""
    parts: list[RenderableType] = []
    if with_source:
        info = snapshot.info(note.article) if snapshot else None
        where = f"{info.source}: {info.title}" if info else f"article {note.article}"
        parts.append(Text(visible_line(where), style="bold"))
    quote = Text(f'"{visible_line(note.anchor.exact)}"', style="italic")
    if note.orphan:
        quote = Text("(orphan: no longer in the text) ", style="bold red") + quote
    elif note.anchor.confidence < 1.0:
        quote = Text(f"(moved, {note.anchor.confidence:.0%} sure) ", style="yellow") + quote
    parts.append(quote)
    if note.link_anchor is not None:
        other = snapshot.info(note.link_article) if snapshot else None
        name = visible_line(other.source) if other else note.link_article
        parts.append(Text(f"  linked with {name}: {visible_line(note.link_anchor.exact)}"))
    if note.body:
        parts.append(note_body(note.body))
    if note.tags:
        parts.append(Text(" ".join(f"#{visible_line(t)}" for t in note.tags), style="bold"))
    parts.append(Text(""))
    return Group(*parts)
