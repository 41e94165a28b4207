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

from store.analysis.claims import dates_of, numbers_of, speaker_of, terms_of
from store.analysis.entities import ENTITY_LABELS, RawMention, clean_span, fix_label, harmonise
from store.analysis.nlp import pipeline
from store.ingest.structure import Structure
from store.models import Quantity, Sentence

BATCH_SIZE = 64
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

    def paragraph_texts() -> Iterator[str]:
        for structure, _ in items:
            for p in structure.paragraphs:
                # A hard-wrapped paragraph's line breaks read as spaces (same length).
                yield structure.text[p.start : p.end].replace("\n", " ")

    docs = nlp.pipe(paragraph_texts(), batch_size=BATCH_SIZE)
    for structure, article_date in items:
        result = Analysis()
        title_spans = []
        speaker = ""
        for index, para in enumerate(structure.paragraphs):
            doc = next(docs)
            if para.kind in HEADLINE_KINDS:
                title_spans.append((para.start, para.end))
            for sent in doc.sents:
                if not sent.text.strip():
                    continue
                number = len(result.sentences)
                result.sentences.append(
                    Sentence(para.start + sent.start_char, para.start + sent.end_char, index)
                )
                for ent in sent.ents:
                    if ent.label_ not in ENTITY_LABELS:
                        continue
                    cleaned = clean_span(ent.text, para.start + ent.start_char, ent.label_)
                    if cleaned is None:
                        continue
                    start, text = cleaned
                    label = fix_label(text, ent.label_)
                    result.mentions.append(
                        RawMention(start, start + len(text), text, label, number)
                    )
                speaker = speaker_of(sent, speaker) if para.kind == "body" else ""
                result.facts.append(
                    SentenceFacts(
                        speaker, numbers_of(sent), dates_of(sent, article_date), terms_of(sent)
                    )
                )
        result.mentions = harmonise(result.mentions, title_spans)
        yield result
