"""Run spaCy over an article's parts and collect sentences, mentions and claim parts.

Each paragraph (title, deck, heading, body ...) is its own spaCy doc, so a
line break is always a sentence boundary. Canonical entity ids are given
later, under the library lock (see store.library), since they depend on what
the library already knows.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from store.analysis.claims import dates_of, numbers_of, speaker_of, terms_of
from store.analysis.entities import ENTITY_LABELS, RawMention, clean_span, fix_label, harmonise
from store.analysis.nlp import pipeline
from store.ingest.structure import Structure
from store.models import Quantity, Sentence

if TYPE_CHECKING:
    from spacy.tokens import Doc

BATCH_SIZE = 64  # pieces per nlp.pipe batch: at most 320,000 characters in memory at once
MAX_PIECE = 5_000  # characters: longer paragraphs go to spaCy in pieces (memory grows with doc)
HEADLINE_KINDS = {"title", "heading", "deck"}


@dataclass
class SentenceFacts:
    """Claim parts of one sentence that need no library knowledge."""

    speaker: str = ""
    numbers: tuple[Quantity, ...] = ()
    dates: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()


@dataclass
class Analysis:
    """Everything spaCy tells about one article."""

    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[RawMention] = field(default_factory=list)
    facts: list[SentenceFacts] = field(default_factory=list)


def analyse(structure: Structure, article_date: date | None = None) -> Analysis:
    return next(analyse_many([(structure, article_date)]))


def analyse_many(items: Iterable[tuple[Structure, date | None]]) -> Iterator[Analysis]:
    """Analyse articles in order, streaming their paragraphs through nlp.pipe in batches."""
    items = list(items)
    nlp = pipeline()

    def piece_texts() -> Iterator[str]:
        for structure, _ in items:
            for p in structure.paragraphs:
                for start, end in pieces(structure.text, p.start, p.end):
                    # A hard-wrapped paragraph's line breaks read as spaces (same length).
                    yield structure.text[start:end].replace("\n", " ")

    docs = nlp.pipe(piece_texts(), batch_size=BATCH_SIZE)
    for structure, article_date in items:
        result = Analysis()
        title_spans = []
        speaker = ""
        for index, para in enumerate(structure.paragraphs):
            if para.kind in HEADLINE_KINDS:
                title_spans.append((para.start, para.end))
            for offset, _ in pieces(structure.text, para.start, para.end):
                speaker = _read_piece(
                    next(docs), offset, index, para.kind, speaker, result, article_date
                )
        result.mentions = harmonise(result.mentions, title_spans)
        yield result


def pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """text[start:end] cut at sentence-like breaks into spans of at most MAX_PIECE characters."""
    spans = []
    while end - start > MAX_PIECE:
        limit = start + MAX_PIECE
        cut = max(text.rfind(". ", start, limit), text.rfind("? ", start, limit))
        if cut <= start:
            cut = text.rfind(" ", start + 1, limit)
        cut = cut + 1 if cut > start else limit
        spans.append((start, cut))
        start = cut
    spans.append((start, end))
    return spans


def _read_piece(
    doc: Doc,
    offset: int,
    paragraph: int,
    kind: str,
    speaker: str,
    result: Analysis,
    article_date: date | None,
) -> str:
    """Add one spaCy doc's sentences, mentions and facts to `result`; returns the speaker."""
    doc_ents = list(doc.ents)  # Span.ents rescans the whole doc: fetch them once
    first = 0
    for sent in doc.sents:
        while first < len(doc_ents) and doc_ents[first].end <= sent.start:
            first += 1
        last = first
        while last < len(doc_ents) and doc_ents[last].start < sent.end:
            last += 1
        ents = doc_ents[first:last]
        if not sent.text.strip():
            continue
        number = len(result.sentences)
        result.sentences.append(
            Sentence(offset + sent.start_char, offset + sent.end_char, paragraph)
        )
        for ent in ents:
            if ent.label_ not in ENTITY_LABELS:
                continue
            cleaned = clean_span(ent.text, offset + ent.start_char, ent.label_)
            if cleaned is None:
                continue
            start, text = cleaned
            label = fix_label(text, ent.label_)
            result.mentions.append(RawMention(start, start + len(text), text, label, number))
        speaker = speaker_of(sent, speaker, ents) if kind == "body" else ""
        result.facts.append(
            SentenceFacts(
                speaker, numbers_of(sent), dates_of(sent, article_date, ents), terms_of(sent)
            )
        )
    return speaker
