"""Notes out of (and back into) the tool: Markdown, W3C Web Annotation JSON-LD, CSV.

JSON-LD follows the W3C Web Annotation Data Model: one Annotation per note,
a TextualBody for the text (purpose "commenting") and one per tag (purpose
"tagging"), and a target naming the article with a TextQuoteSelector and a
TextPositionSelector. A note on a link has two targets. Re-anchoring
confidence travels as an extension property under a full IRI, so the export
reads back without loss.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal, get_args

from store.errors import ImportFailed
from store.models import Anchor, ArticleInfo, Note
from store.plain import visible, visible_line

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
ARTICLE_IRI = "urn:treaty-tui:article:"
CONFIDENCE_IRI = "urn:treaty-tui:confidence"
NoteFormat = Literal["md", "jsonld", "csv"]
FORMATS: tuple[NoteFormat, ...] = get_args(NoteFormat)


@dataclass(frozen=True)
class NoteContext:
    """What an export says about the articles notes sit on."""

    articles: dict[str, ArticleInfo] = field(default_factory=dict)
    stories: dict[str, str] = field(default_factory=dict)  # story id -> name

    def story_of(self, note: Note) -> str:
        info = self.articles.get(note.article)
        return self.stories.get(info.story, info.story) if info else ""


def export(notes: Iterable[Note], fmt: NoteFormat, context: NoteContext) -> str:
    notes = list(notes)
    if fmt == "md":
        return to_markdown(notes, context)
    if fmt == "jsonld":
        return json.dumps(to_jsonld(notes, context), ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        return to_csv(notes, context)
    raise ValueError(f"unknown format {fmt!r}")


# -- Markdown -------------------------------------------------------------------------
def to_markdown(notes: list[Note], context: NoteContext) -> str:
    """Grouped by story, then article; control characters shown, never passed through."""
    lines = [f"# Notes ({len(notes)})", ""]
    groups: dict[str, dict[str, list[Note]]] = {}
    for note in notes:
        story = context.story_of(note) or "Articles no longer in the library"
        groups.setdefault(story, {}).setdefault(note.article, []).append(note)
    for story in sorted(groups):
        lines += [f"## {visible_line(story)}", ""]
        for article_id, article_notes in groups[story].items():
            info = context.articles.get(article_id)
            heading = f"{info.source}: {info.title}" if info else f"article {article_id}"
            lines += [f"### {visible_line(heading)}", ""]
            for note in sorted(article_notes, key=lambda n: n.anchor.start):
                lines += _markdown_note(note, context)
    return "\n".join(lines).rstrip() + "\n"


def _markdown_note(note: Note, context: NoteContext) -> list[str]:
    lines = [f"> {visible_line(note.anchor.exact)}"]
    if note.orphan:
        lines.append("> (orphaned: this passage is no longer in the article)")
    if note.link_anchor is not None:
        other = context.articles.get(note.link_article)
        where = visible_line(other.source) if other else note.link_article
        lines += [">", f"> linked with {where}: {visible_line(note.link_anchor.exact)}"]
    lines.append("")
    if note.body:
        lines += [visible(note.body), ""]
    meta = f"note {note.id[:8]}, {note.updated or note.created}"
    if note.tags:
        meta = " ".join(f"#{visible_line(t)}" for t in note.tags) + f"  ({meta})"
    lines += [f"*{meta}*", ""]
    return lines


# -- CSV --------------------------------------------------------------------------------
CSV_COLUMNS = (
    "id",
    "story",
    "article",
    "source",
    "title",
    "quote",
    "note",
    "tags",
    "start",
    "end",
    "confidence",
    "linked_article",
    "linked_quote",
    "created",
    "updated",
)


def to_csv(notes: list[Note], context: NoteContext) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for note in notes:
        info = context.articles.get(note.article)
        writer.writerow(
            [
                note.id,
                context.story_of(note),
                note.article,
                info.source if info else "",
                info.title if info else "",
                note.anchor.exact,
                note.body,
                " ".join(note.tags),
                note.anchor.start,
                note.anchor.end,
                note.anchor.confidence,
                note.link_article,
                note.link_anchor.exact if note.link_anchor else "",
                note.created,
                note.updated,
            ]
        )
    return out.getvalue()


# -- W3C Web Annotation JSON-LD ----------------------------------------------------------
def to_jsonld(notes: list[Note], context: NoteContext | None = None) -> list[dict]:
    context = context or NoteContext()
    return [annotation(note, context) for note in notes]


def web_address(info: ArticleInfo | None) -> str:
    """The article's address on the web, when it came from one (files have none)."""
    origin = info.origin if info else ""
    return origin if origin.startswith(("http://", "https://")) else ""


def annotation(note: Note, context: NoteContext) -> dict:
    bodies = []
    if note.body:
        bodies.append(
            {
                "type": "TextualBody",
                "value": note.body,
                "format": "text/markdown",
                "purpose": "commenting",
            }
        )
    bodies += [{"type": "TextualBody", "value": tag, "purpose": "tagging"} for tag in note.tags]
    targets = [_target(note.article, note.anchor, context)]
    if note.link_anchor is not None:
        targets.append(_target(note.link_article, note.link_anchor, context))
    record = {
        "@context": ANNO_CONTEXT,
        "id": note.id if ":" in note.id else f"urn:uuid:{note.id}",
        "type": "Annotation",
        "motivation": "commenting" if note.body else "tagging",
        "created": note.created,
        "modified": note.updated,
        "body": bodies,
        "target": targets[0] if len(targets) == 1 else targets,
    }
    return record


def _target(article: str, anchor: Anchor, context: NoteContext) -> dict:
    """A SpecificResource: the article's web address as `source` where it has one, so other
    annotation tools can place the note; the article's own IRI is then the target's id."""
    own = ARTICLE_IRI + article
    address = web_address(context.articles.get(article))
    target: dict[str, object] = {"id": own, "type": "SpecificResource"} if address else {}
    target |= {
        "source": address or own,
        "selector": [
            {
                "type": "TextQuoteSelector",
                "exact": anchor.exact,
                "prefix": anchor.prefix,
                "suffix": anchor.suffix,
            },
            {"type": "TextPositionSelector", "start": anchor.start, "end": anchor.end},
        ],
    }
    if anchor.confidence != 1.0:
        target[CONFIDENCE_IRI] = anchor.confidence
    return target


def from_jsonld(text: str, name: str = "input") -> tuple[list[Note], list[str]]:
    """Notes from a JSON-LD export (a list, one Annotation, or an AnnotationCollection).

    Each annotation is checked field by field; a bad one is left out with a
    line saying which and why, and the others are read. Only a file that is
    not JSON at all fails whole.
    """
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ImportFailed(f"{name}: not JSON ({exc.__class__.__name__})") from None
    if isinstance(data, dict) and data.get("type") == "AnnotationCollection":
        data = (data.get("first") or {}).get("items", [])
    items = data if isinstance(data, list) else [data]
    notes: list[Note] = []
    rejected: list[str] = []
    for number, item in enumerate(items, 1):
        try:
            notes.append(_note_from(item))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            rejected.append(f"{name}: annotation {number}: {_why(exc)}")
    return notes, rejected


def _why(exc: Exception) -> str:
    if isinstance(exc, KeyError):
        return f"missing {exc.args[0]!s}"
    return str(exc) or exc.__class__.__name__


def _note_from(item: dict) -> Note:
    if item.get("type") != "Annotation":
        raise ValueError("not an Annotation")
    note_id = str(item["id"]).removeprefix("urn:uuid:")
    bodies = item.get("body", [])
    bodies = bodies if isinstance(bodies, list) else [bodies]
    text = [b["value"] for b in bodies if b.get("purpose", "commenting") != "tagging"]
    tags = tuple(b["value"] for b in bodies if b.get("purpose") == "tagging")
    targets = item["target"]
    targets = targets if isinstance(targets, list) else [targets]
    article, anchor = _anchor_from(targets[0])
    link_article, link_anchor = _anchor_from(targets[1]) if len(targets) > 1 else ("", None)
    return Note.load(  # the checks every stored note passes
        {
            "id": note_id,
            "article": article,
            "anchor": anchor,
            "body": "\n\n".join(str(t) for t in text),
            "tags": list(tags),
            "created": item.get("created", ""),
            "updated": item.get("modified", item.get("created", "")),
            "link_article": link_article,
            "link_anchor": link_anchor,
        }
    )


def _anchor_from(target: dict) -> tuple[str, dict]:
    own = str(target.get("id", ""))
    source = own if own.startswith(ARTICLE_IRI) else str(target["source"])
    article = source.removeprefix(ARTICLE_IRI)
    selectors = target["selector"]
    selectors = selectors if isinstance(selectors, list) else [selectors]
    by_type = {s.get("type"): s for s in selectors}
    quote = by_type.get("TextQuoteSelector")
    if quote is None:
        raise ValueError("no TextQuoteSelector")
    position = by_type.get("TextPositionSelector", {})
    return article, {
        "exact": quote["exact"],
        "start": position.get("start", 0),
        "end": position.get("end", 0),
        "prefix": quote.get("prefix", ""),
        "suffix": quote.get("suffix", ""),
        "confidence": target.get(CONFIDENCE_IRI, 1.0),
    }
