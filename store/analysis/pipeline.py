"""Run spaCy over an article's parts and collect sentences, mentions and claim parts.

Consecutive paragraphs (title, deck, heading, body ...) go to spaCy together,
up to MAX_PIECE characters a doc, since spaCy's cost per doc is high for short
paragraphs. Each paragraph's first token is preset as a sentence start, which
the parser respects, so a line break is always a sentence boundary. Canonical
entity ids are given later, under the library lock (see store.library), since
they depend on what the library already knows.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from store import spread
from store.analysis.claims import dates_of, numbers_of, speaker_of, terms_of
from store.analysis.entities import (
    ENTITY_LABELS,
    RawMention,
    clean_span,
    fix_label,
    harmonise,
    name_context,
    unnamed_demonym,
    whole_name,
)
from store.analysis.kinds import sentence_kind
from store.analysis.nlp import pipeline
from store.ingest.structure import Structure
from store.models import Quantity, Sentence

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

BATCH_SIZE = 4  # docs per nlp.pipe batch: at most 20,000 characters (memory grows with it)
MAX_PIECE = 5_000  # characters a doc: memory grows with the doc, so long text goes in pieces
# From this many characters, a helper process parses while this one reads what it parsed
# (a fork costs about what parsing a thousand characters does).
HELPED_FROM = 20_000
HEADLINE_KINDS = {"title", "heading", "deck"}
SENTENCE_STOPS = {".", "?", "!"}
NOT_SENT = ("tensor", "user_data")  # of a doc a helper parsed: what analysis never reads


@dataclass
class SentenceFacts:
    """Claim parts of one sentence that need no library knowledge."""

    speaker: str = ""
    numbers: tuple[Quantity, ...] = ()
    dates: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()
    claim_start: int = 0  # where its claim begins: after a dateline lead (Paragraph.lead)


@dataclass
class Analysis:
    """Everything spaCy tells about one article."""

    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[RawMention] = field(default_factory=list)
    facts: list[SentenceFacts] = field(default_factory=list)


@dataclass(frozen=True)
class Segment:
    """A paragraph, or a part of a long one: always the start of a sentence."""

    paragraph: int
    start: int
    end: int
    headline: bool = False
    lead: int = 0  # characters of a dateline at its start (the paragraph's first piece)


def analyse(structure: Structure, article_date: date | None = None) -> Analysis:
    return next(analyse_many([(structure, article_date)]))


def analyse_many(
    items: Iterable[tuple[Structure, date | None]],
    progress: Callable[[int, int], None] | None = None,
) -> Iterator[Analysis]:
    """Analyse articles in order, streaming their pieces through nlp.pipe in batches.

    spaCy starts at once, in a helper process where there is a spare core (see
    `parsed`); `progress(done, total)` is told the characters analysed so far,
    piece by piece.
    """
    prepared_items = [(s, when, grouped(segments(s))) for s, when in items]
    total = sum(g[-1].end - g[0].start for _, _, groups in prepared_items for g in groups)
    nlp = pipeline()

    def prepared() -> Iterator[Doc]:
        for structure, _, groups in prepared_items:
            for group in groups:
                yield _doc_of(nlp, structure.text, group)

    docs = parsed(nlp, prepared, total)
    return _analysed(prepared_items, docs, total, progress)


def parsed(nlp: Language, docs: Callable[[], Iterable[Doc]], size: int) -> Iterator[Doc]:
    """The docs through nlp.pipe. From HELPED_FROM characters (`size`) on, a helper parses
    them (store.spread) and sends each over as bytes, while this process reads the
    ones before: what is read of a doc is then done beside spaCy, not after it."""
    if size < HELPED_FROM or not spread.can_help():
        return nlp.pipe(docs(), batch_size=BATCH_SIZE)
    from spacy.tokens import Doc

    sent = spread.streamed(
        lambda: (d.to_bytes(exclude=NOT_SENT) for d in nlp.pipe(docs(), batch_size=BATCH_SIZE))
    )
    return (Doc(nlp.vocab).from_bytes(data) for data in sent)


def _analysed(
    prepared_items: list[tuple[Structure, date | None, list[list[Segment]]]],
    docs: Iterator[Doc],
    total: int,
    progress: Callable[[int, int], None] | None,
) -> Iterator[Analysis]:
    done = 0
    for structure, article_date, groups in prepared_items:
        result = Analysis()
        speaker = ""
        for group in groups:
            speaker = _read_piece(next(docs), group, structure, speaker, result, article_date)
            done += group[-1].end - group[0].start
            if progress is not None:
                progress(done, total)
        title_spans = [(p.start, p.end) for p in structure.paragraphs if p.kind in HEADLINE_KINDS]
        result.mentions = harmonise(result.mentions, title_spans)
        yield result


def segments(structure: Structure) -> list[Segment]:
    """The article's paragraphs, long ones cut into pieces of at most MAX_PIECE characters."""
    return [
        Segment(
            index, start, end, para.kind in HEADLINE_KINDS, para.lead if start == para.start else 0
        )
        for index, para in enumerate(structure.paragraphs)
        for start, end in pieces(structure.text, para.start, para.end)
    ]


def grouped(segs: list[Segment]) -> list[list[Segment]]:
    """Consecutive segments gathered into docs of at most MAX_PIECE characters."""
    groups: list[list[Segment]] = []
    for seg in segs:
        if groups and seg.end - groups[-1][0].start <= MAX_PIECE:
            groups[-1].append(seg)
        else:
            groups.append([seg])
    return groups


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


def _doc_of(nlp: Language, text: str, group: list[Segment]) -> Doc:
    """The group's text as one tokenised doc, each segment's first token a sentence start.

    Line breaks read as spaces (same length, so offsets hold): a newline
    token between paragraphs misleads the parser about the next sentence.
    """
    offset = group[0].start
    doc = nlp.make_doc(text[offset : group[-1].end].replace("\n", " "))
    starts = iter([seg.start - offset for seg in group[1:]] + [len(doc.text) + 1])
    start = next(starts)
    leads = [(seg.start - offset, seg.start - offset + seg.lead) for seg in group if seg.lead]
    at = 0  # the segment of the current token
    for token in doc:
        if any(lo < token.idx <= hi for lo, hi in leads):
            token.is_sent_start = False  # a dateline lead and its story are one sentence
        elif token.idx >= start and not token.is_space:
            token.is_sent_start = True
            while start <= token.idx:
                start = next(starts)
                at += 1
        elif token.i and group[at].headline:
            # A headline runs on into the next paragraph: only its own stops end it.
            token.is_sent_start = doc[token.i - 1].text in SENTENCE_STOPS and not token.is_punct
    return doc


def _read_piece(
    doc: Doc,
    group: list[Segment],
    structure: Structure,
    speaker: str,
    result: Analysis,
    article_date: date | None,
) -> str:
    """Add one spaCy doc's sentences, mentions and facts to `result`; returns the speaker."""
    offset = group[0].start
    seg_starts = [seg.start - offset for seg in group]
    doc_ents = list(doc.ents)  # Span.ents rescans the whole doc: fetch them once
    first = 0
    for whole in doc.sents:
        at = bisect_right(seg_starts, whole.start_char) - 1
        seg = group[at]
        sent = _within(doc, whole, seg.end - offset)
        if sent is None:  # only what lies between two segments
            continue
        while first < len(doc_ents) and doc_ents[first].end <= sent.start:
            first += 1
        ents = []
        for ent in doc_ents[first:]:
            if ent.start >= sent.end:
                break
            if ent.end <= sent.end:
                ents.append(ent)
        number = len(result.sentences)
        kind = structure.paragraphs[seg.paragraph].kind
        claim = _after_lead(doc, sent, seg, offset)
        result.sentences.append(
            Sentence(
                offset + sent.start_char,
                offset + sent.end_char,
                seg.paragraph,
                sentence_kind(claim.text, kind, claim) if len(claim) else "dateline",
            )
        )
        found = []
        for ent in ents:
            if ent.label_ not in ENTITY_LABELS:
                continue
            span = whole_name(ent)
            cleaned = clean_span(span.text, offset + span.start_char, ent.label_)
            if cleaned is None:
                continue
            start, text = cleaned
            context = name_context(ent)
            label = fix_label(text, ent.label_, context)
            if label:
                votes = 1 if label == fix_label(text, ent.label_) else 2  # (the words around)
                found.append(RawMention(start, start + len(text), text, label, number, votes))
        for token in sent:
            if unnamed_demonym(token):
                at = offset + token.idx
                found.append(RawMention(at, at + len(token), token.text, "NORP", number))
        result.mentions.extend(sorted(found, key=lambda m: m.start))
        ents = [ent for ent in ents if ent.start >= claim.start]
        speaker = speaker_of(claim, speaker, ents) if kind == "body" else ""
        result.facts.append(
            SentenceFacts(
                speaker,
                numbers_of(claim),
                dates_of(claim, article_date, ents),
                terms_of(claim),
                offset + claim.start_char if len(claim) else offset + sent.end_char,
            )
        )
    return speaker


def _after_lead(doc: Doc, sent: Span, seg: Segment, offset: int) -> Span:
    """What the sentence claims: all of it, or what follows the dateline it opens with."""
    if not seg.lead or sent.start_char != seg.start - offset:
        return sent
    cut = seg.start - offset + seg.lead
    first = sent.start
    while first < sent.end and doc[first].idx < cut:
        first += 1
    return doc[first : sent.end]


def _within(doc: Doc, sent: Span, end_char: int) -> Span | None:
    """The sentence without what runs past its segment's end or is blank at its ends."""
    first, last = sent.start, sent.end
    while last > first and (doc[last - 1].idx >= end_char or doc[last - 1].is_space):
        last -= 1
    while first < last and doc[first].is_space:
        first += 1
    return doc[first:last] if first < last else None
