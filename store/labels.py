"""Vocabularies the reader shows: entity labels (one table), and sentence kinds by name.

The label table maps spaCy's label to group, display name, style class and
CoNLL type. The resolver groups entities by it (a person and a place of one name are
two entities), the reader names and colours them by it, and the NER
evaluation maps spaCy's labels to CoNLL's by it. One table, so they agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from store.models import SentenceKind

ConllType = Literal["PER", "LOC", "ORG"]


@dataclass(frozen=True)
class EntityLabel:
    """How one spaCy entity label is grouped, shown and scored."""

    group: str  # the prefix of entity ids: "person:vladimir-putin"
    display: str  # the heading the Entities tab lists it under
    style: str  # the article view's style class (colour and underline)
    conll: ConllType | None = None


LABELS: dict[str, EntityLabel] = {
    "PERSON": EntityLabel("person", "People", "person", "PER"),
    "ORG": EntityLabel("org", "Organisations", "org", "ORG"),
    "GPE": EntityLabel("place", "Places", "place", "LOC"),
    "LOC": EntityLabel("place", "Places", "place", "LOC"),
    "FAC": EntityLabel("place", "Places", "place", "LOC"),
    "NORP": EntityLabel("group", "Groups", "group"),
    "LAW": EntityLabel("law", "Laws and treaties", "org"),
    "EVENT": EntityLabel("event", "Events", "org"),
    "DATE": EntityLabel("date", "Other", "figure"),
}
OTHER = "Other"
# The order of the Entities tab's headings.
DISPLAY_ORDER = tuple(dict.fromkeys(lb.display for lb in LABELS.values() if lb.display != OTHER))


def label_of(label: str) -> EntityLabel:
    """The entry for a spaCy label; labels without one are their own group, shown as Other."""
    return LABELS.get(label) or EntityLabel(label.lower(), OTHER, "org")


def is_person(label: str) -> bool:
    return label_of(label).group == "person"


# What the reader calls each kind that is not a claim.
KIND_NAMES: dict[SentenceKind, str] = {
    "claim": "claim",
    "dateline": "a dateline",
    "byline": "a byline",
    "credit": "a credit line",
    "caption": "a photo caption or credit",
    "timestamp": "a time stamp",
    "boilerplate": "page boilerplate",
    "embed": "an embedded post or link",
    "fragment": "a fragment",
}
