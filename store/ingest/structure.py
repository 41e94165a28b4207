"""Find the parts of an article in its verbatim text: title, deck, headings,
dateline, body paragraphs and credit lines.

The text is never rewritten (only line endings are unified); each part is a
span over it, so the reader shows exactly what the source wrote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from store.analysis.dates import MONTH_PATTERN
from store.models import Paragraph

PLACE = r"[A-Z][A-Za-z.'\u2019-]*(?:[ -][A-Z][A-Za-z.'\u2019-]*){0,3}"
# "Seoul, June 19", "SEOUL, South Korea, June 19, 2024 —", "PYONGYANG (Reuters) -"
DATELINE = re.compile(
    rf"^(?P<place>{PLACE}(?:, {PLACE})?)"
    rf"(?:(?:,\s+(?P<date>{MONTH_PATTERN}\s+\d{{1,2}}(?:,?\s+\d{{4}})?))"
    rf"|(?:\s+\((?P<agency>[A-Z][A-Za-z. ]{{1,30}})\)))"
    r"(?:\s*(?:\([A-Z][A-Za-z. ]{1,30}\)))?"
    r"(?P<sep>\s*(?:[-\u2013\u2014:]+\s*|$))"
)
# "MOSCOW, November 6. /TASS/." (an agency between slashes, then the story)
SLASH_DATELINE = re.compile(
    rf"^(?P<place>{PLACE}),\s+(?P<date>{MONTH_PATTERN}\s+\d{{1,2}}(?:,?\s+\d{{4}})?)\.?"
    r"\s*/(?P<agency>[A-Z][A-Za-z-]{1,20})/\.?(?P<sep>\s*)"
)
# "TAIPEI —", "BALTIMORE -": a place in capitals and a dash (a hyphen only after a space:
# "U.N. Secretary-General" opens a sentence, not a dateline)
CAPS_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z.'\u2019-]{2,}(?:,? [A-Z][A-Za-z.'\u2019-]+){0,3})"
    r"(?P<sep>\s*[\u2013\u2014]+\s*|\s+-+\s*|\s*$)"
)
CREDIT = re.compile(
    r"(contributed (?:reporting|to (?:this|the) (?:report|story|article))"
    r"|^\(?(?:additional )?(?:reporting|writing|editing|compiled|edited|written) by\b"
    r"|^\(?(?:with )?reporting from\b)",
    re.IGNORECASE,
)
FINAL_PUNCT = ".!?;:,"
CLOSERS = "\"'\u2019\u201d)]"
MD_HEADING = re.compile(r"^(#{1,6})\s+")
MAX_TITLE = 160
MAX_HEADING = 70
MAX_DECK = 300


@dataclass(frozen=True)
class Structure:
    """The parts found in a text, and the title to show for it."""

    text: str
    paragraphs: tuple[Paragraph, ...]
    title: str
    dateline_date: str = ""


def normalise_newlines(text: str) -> str:
    """Unify line endings and drop trailing blank space; nothing else changes."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip("\n ").rstrip()


def _ends_sentence(line: str) -> bool:
    stripped = line.rstrip().rstrip(CLOSERS)
    return bool(stripped) and stripped[-1] in FINAL_PUNCT


def _blocks(text: str) -> list[tuple[int, int, bool]]:
    """Paragraph spans: blank-line blocks of hard-wrapped lines, else one per line.

    A line break ends a sentence, except inside a hard-wrapped paragraph:
    lines of about one width that run on. Such a block stays one span (the
    third value says so) and its line breaks are then read as spaces.
    """
    spans: list[tuple[int, int, bool]] = []
    for block in re.finditer(r"[^\n](?:.|\n(?!\s*\n))*", text):
        lines = block.group().split("\n")
        if _hard_wrapped(lines):
            spans.append((block.start(), block.end(), True))
            continue
        pos = block.start()
        for line in lines:
            if line.strip():
                lead = len(line) - len(line.lstrip())
                spans.append((pos + lead, pos + len(line.rstrip()), False))
            pos += len(line) + 1
    return spans


def _hard_wrapped(lines: list[str]) -> bool:
    """Lines that run on into each other at about one width (a wrapped paragraph).

    A headline over a dateline, or a title over its first paragraph, is no
    such block: two lines are one paragraph only when the second continues
    the first in lower case; more lines must be of about one width.
    """
    if len(lines) < 2:
        return False
    body = lines[:-1]
    if not all(
        len(line) >= 40 and not _ends_sentence(line) and not MD_HEADING.match(line) for line in body
    ):
        return False
    if len(lines) == 2:
        return lines[1].lstrip()[:1].islower()
    widths = [len(line.rstrip()) for line in body]
    return max(widths) - min(widths) <= max(widths) // 4


def _dateline(line: str) -> re.Match[str] | None:
    """The dateline a line opens with ("SEOUL, June 19 —", "PYONGYANG (Reuters) -"), if any."""
    found = DATELINE.match(line)
    if found and (found.group("date") or found.group("agency")):
        return found
    return SLASH_DATELINE.match(line) or CAPS_DATELINE.match(line)


def _is_headline(line: str) -> bool:
    return 0 < len(line) <= MAX_TITLE and not _ends_sentence(line)


def _is_heading(line: str) -> bool:
    words = line.split()
    return 0 < len(line) <= MAX_HEADING and len(words) <= 10 and not _ends_sentence(line)


def find_structure(raw: str, title_hint: str = "") -> Structure:
    """Split `raw` into typed paragraphs and choose the article's title."""
    text = normalise_newlines(raw)
    spans = _blocks(text)
    paragraphs: list[Paragraph] = []
    title = ""
    dateline_date = ""
    for i, (start, end, wrapped) in enumerate(spans):
        line = text[start:end]
        md = MD_HEADING.match(line)
        if md:
            start += md.end()
            line = text[start:end]
        first = not paragraphs
        if first and (
            md
            or line.strip() == title_hint.strip()
            or (not wrapped and _is_headline(line) and len(spans) > 1)
        ):
            paragraphs.append(Paragraph("title", start, end))
            title = line.strip()
            continue
        if md or (
            not wrapped
            and not first
            and i + 1 < len(spans)
            and _is_heading(line)
            and paragraphs[-1].kind not in ("title",)
        ):
            paragraphs.append(Paragraph("heading", start, end))
            continue
        if CREDIT.search(line) and len(line) < 300:
            paragraphs.append(Paragraph("credit", start, end))
            continue
        dateline = _dateline(line)
        if dateline is not None:
            cut = start + dateline.end()
            dateline_date = dateline_date or (dateline.groupdict().get("date") or "")
            if cut >= end or not line[dateline.end() :].strip():
                paragraphs.append(Paragraph("dateline", start, end))
                continue
            if dateline.group("sep").strip() or dateline.re is SLASH_DATELINE:
                # on the story's own line: the lead of its first sentence (Paragraph.lead)
                paragraphs.append(Paragraph("body", start, end, lead=cut - start))
                continue
        after_title = bool(paragraphs) and paragraphs[-1].kind == "title" and len(paragraphs) == 1
        if after_title and len(line) <= MAX_DECK and i + 1 < len(spans) and line.count(". ") == 0:
            paragraphs.append(Paragraph("deck", start, end))
            continue
        paragraphs.append(Paragraph("body", start, end))
    if not title:
        title = title_hint.strip() or _title_from_text(text, paragraphs)
    return Structure(text, tuple(paragraphs), title, dateline_date)


def _title_from_text(text: str, paragraphs: list[Paragraph]) -> str:
    """A display title for an untitled text: its first sentence, shortened."""
    if not paragraphs:
        return "(untitled)"
    first = text[paragraphs[0].start : paragraphs[0].end].strip()
    sentence = re.split(r"(?<=[.!?])\s", first, maxsplit=1)[0]
    if len(sentence) > 80:
        sentence = sentence[:79].rsplit(" ", 1)[0] + "\u2026"
    return sentence
