"""Records of the library: plain frozen dataclasses that round-trip through JSON.

Offsets are character offsets into the article's verbatim text, so every
record points back at exactly what the source wrote.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any, Literal, NamedTuple, TypeVar, get_args

T = TypeVar("T")

ParagraphKind = Literal["title", "deck", "heading", "dateline", "body", "credit"]
# What a sentence is: a claim, or a line that states none (never linked, never "only here").
SentenceKind = Literal[
    "claim",
    "dateline",
    "byline",
    "credit",
    "caption",
    "timestamp",
    "boilerplate",
    "embed",
    "fragment",
]
SENTENCE_KINDS: tuple[SentenceKind, ...] = get_args(SentenceKind)
# How two linked sentences stand: the same claim, a related one, or the same with other values.
Relation = Literal["same", "related", "differs"]
RELATIONS: tuple[Relation, ...] = get_args(Relation)


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def field_names(cls: type) -> tuple[str, ...]:
    """A record class's field names (dataclasses.fields rebuilds them on every call)."""
    names = _FIELD_NAMES.get(cls)
    if names is None:
        named = getattr(cls, "_fields", None)  # a named tuple's
        names = _FIELD_NAMES[cls] = named or tuple(f.name for f in fields(cls))
    return names


def to_dict(record: Any) -> dict[str, Any]:
    """A JSON-ready dict of a record, nested records and tuples included.

    (dataclasses.asdict deep-copies every value; records hold only plain values.)
    """
    return {name: _plain(getattr(record, name)) for name in field_names(type(record))}


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float)):
        return value
    if hasattr(value, "__dataclass_fields__"):
        return to_dict(value)
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def from_dict(cls: type[T], data: dict[str, Any]) -> T:
    """Build a record from a dict, ignoring keys the record does not know."""
    names = field_names(cls)
    return cls(**{k: v for k, v in data.items() if k in names})


@dataclass(frozen=True)
class Paragraph:
    """A block of the article: its kind and where it stands in the text.

    `lead`: how many characters at its start are a dateline written on the
    same line as the story ("TAIPEI — ", "SEOUL (Reuters) - "). They belong
    to the paragraph's first sentence, as the reader reads it, but to none of
    its claim: their place and date are the report's, not the event's.
    """

    kind: ParagraphKind
    start: int
    end: int
    lead: int = 0


@dataclass(frozen=True)
class Sentence:
    """One sentence; `paragraph` indexes Article.paragraphs."""

    start: int
    end: int
    paragraph: int
    kind: SentenceKind = "claim"


@dataclass(frozen=True)
class Mention:
    """An entity mention: its span, spaCy label and canonical entity id."""

    start: int
    end: int
    text: str
    label: str
    entity: str
    sentence: int


@dataclass(frozen=True)
class Quantity:
    """A number stated in a sentence, with its unit ("%", "times", "troops", ...).

    `what` names what it counts where the words around it tell ("dead",
    "injured", "magnitude", else its unit); `bound` says whether the source
    gave it as a bound: "min" (at least, more than), "max" (up to, nearly),
    "about" (about, some, a dozen), "vague" (dozens, hundreds: from twice the
    unit to the next power of ten), "several" (multiple: two or more), or ""
    (exactly).
    """

    value: float
    unit: str
    text: str
    what: str = ""
    bound: str = ""


@dataclass(frozen=True)
class Claim:
    """What one sentence asserts: who says it, about whom, with which figures."""

    sentence: int
    speaker: str = ""
    entities: tuple[str, ...] = ()
    numbers: tuple[Quantity, ...] = ()
    dates: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()

    @classmethod
    def load(cls, data: dict[str, Any]) -> Claim:
        return cls(
            sentence=data["sentence"],
            speaker=data.get("speaker", ""),
            entities=tuple(data.get("entities", ())),
            numbers=tuple(from_dict(Quantity, q) for q in data.get("numbers", ())),
            dates=tuple(data.get("dates", ())),
            terms=tuple(data.get("terms", ())),
        )


class ArticleInfo(NamedTuple):
    """Catalog row of an article: everything the library list needs, nothing heavy.

    A named tuple: the reader makes one per article at start-up (10,000 in 22 ms,
    not 38 as a frozen dataclass), and it is as immutable.
    """

    id: str
    title: str
    source: str = ""
    story: str = ""
    date: str = ""
    author: str = ""
    origin: str = ""
    added: str = ""
    sentences: int = 0
    entities: int = 0
    linked: int = 0
    unique: int = 0


@dataclass(frozen=True)
class Article:
    """A parsed article: verbatim text plus its structure and analysis."""

    info: ArticleInfo
    text: str
    paragraphs: tuple[Paragraph, ...] = ()
    sentences: tuple[Sentence, ...] = ()
    mentions: tuple[Mention, ...] = ()
    claims: tuple[Claim, ...] = ()

    @property
    def id(self) -> str:
        return self.info.id

    def linkable_claims(self) -> tuple[Claim, ...]:
        """The claims of sentences that state one (not datelines, captions, fragments, ...)."""
        kinds = self.sentences
        return tuple(c for c in self.claims if kinds[c.sentence].kind == "claim")

    def claim_count(self) -> int:
        """How many sentences state a claim."""
        return sum(s.kind == "claim" for s in self.sentences)

    def sentence_text(self, index: int) -> str:
        s = self.sentences[index]
        return self.text[s.start : s.end]

    def sentence_at(self, offset: int) -> int:
        """Index of the sentence holding (or first after) character `offset`."""
        ends = [s.end for s in self.sentences]
        return min(bisect.bisect_right(ends, offset), max(0, len(ends) - 1))

    def dump(self) -> dict[str, Any]:
        return {
            "info": to_dict(self.info),
            "text": self.text,
            "paragraphs": [to_dict(p) for p in self.paragraphs],
            "sentences": [to_dict(s) for s in self.sentences],
            "mentions": [to_dict(m) for m in self.mentions],
            "claims": [to_dict(c) for c in self.claims],
        }

    @classmethod
    def load(cls, data: dict[str, Any]) -> Article:
        return cls(
            info=from_dict(ArticleInfo, data["info"]),
            text=data["text"],
            paragraphs=tuple(from_dict(Paragraph, p) for p in data.get("paragraphs", ())),
            sentences=tuple(from_dict(Sentence, s) for s in data.get("sentences", ())),
            mentions=tuple(from_dict(Mention, m) for m in data.get("mentions", ())),
            claims=tuple(Claim.load(c) for c in data.get("claims", ())),
        )


@dataclass(frozen=True)
class Entity:
    """A canonical entity, shared by the whole library."""

    id: str
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    articles: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Story:
    """Articles about one event."""

    id: str
    name: str


@dataclass(frozen=True)
class StorySummary:
    """A story as `story list` shows it: its articles, sources and dates."""

    id: str
    name: str
    articles: int
    sources: int
    first: str  # the earliest article date ("" when none is known)
    last: str


@dataclass(frozen=True)
class Feed:
    """An RSS or Atom feed the user follows: new entries are imported by `refresh`.

    `etag` and `modified` come from the last answer, for a conditional request;
    `seen` holds the entry addresses already imported (or tried), newest last.
    """

    url: str
    story: str = ""  # the story its articles join; "" lets each article find its story
    etag: str = ""
    modified: str = ""
    seen: tuple[str, ...] = ()
    added: str = ""
    checked: str = ""
    title: str = ""

    @classmethod
    def load(cls, data: dict[str, Any]) -> Feed:
        if not isinstance(data, dict) or not isinstance(data.get("url"), str):
            raise ValueError("a feed row needs a url")
        seen = data.get("seen", ())
        if not isinstance(seen, (list, tuple)) or not all(isinstance(x, str) for x in seen):
            raise ValueError("seen: not a list of addresses")
        fields = {k: str(data.get(k, "") or "") for k in ("story", "etag", "modified", "added")}
        fields |= {k: str(data.get(k, "") or "") for k in ("checked", "title")}
        return cls(data["url"], seen=tuple(seen), **fields)


@dataclass(frozen=True)
class Difference:
    """What two linked sentences state differently: what it is, this side's value, the other's."""

    what: str  # a unit ("times", "troops"), "date", or "" where not known
    this: str
    other: str

    def swapped(self) -> Difference:
        """The same difference seen from the other sentence."""
        return Difference(self.what, self.other, self.this)

    @classmethod
    def load(cls, data: Any) -> Difference:
        """From a stored row; libraries before structured differences stored "this | other"."""
        if isinstance(data, str):
            this, _, other = data.partition(" | ")
            return cls("", this, other)
        return cls(data.get("what", ""), data["this"], data["other"])


@dataclass  # not frozen: made by the hundred thousand, and frozen init is slow
class Link:
    """Two sentences of different articles that report the same claim."""

    a_article: str
    a_sentence: int
    b_article: str
    b_sentence: int
    score: float
    relation: Relation
    differences: tuple[Difference, ...] = ()  # as seen from the a side

    def other(self, article: str, sentence: int) -> tuple[str, int]:
        """The end of the link that is not (article, sentence)."""
        if (self.a_article, self.a_sentence) == (article, sentence):
            return self.b_article, self.b_sentence
        return self.a_article, self.a_sentence

    def differences_from(self, article: str, sentence: int) -> tuple[Difference, ...]:
        """The differences with `this` on the side of (article, sentence)."""
        if (self.a_article, self.a_sentence) == (article, sentence):
            return self.differences
        return tuple(d.swapped() for d in self.differences)

    @classmethod
    def load(cls, data: list[Any] | dict[str, Any]) -> Link:
        """From a stored row: `[a_article, a_sentence, b_article, b_sentence, score,
        relation]`, a `differs` link's differences after them; libraries before wrote
        an object of the fields by name (some with "evidence" as well: not read)."""
        if isinstance(data, dict):
            data = [*map(data.__getitem__, LINK_FIELDS), data.get("differences", ())]
        a_article, a_sentence, b_article, b_sentence, score, relation, *said = data
        if relation not in RELATIONS:
            raise ValueError(f"unknown relation {relation!r}")
        differences = tuple(Difference.load(d) for d in said[0]) if said else ()
        return cls(a_article, a_sentence, b_article, b_sentence, score, relation, differences)


LINK_FIELDS = ("a_article", "a_sentence", "b_article", "b_sentence", "score", "relation")


class SentenceRef(NamedTuple):
    """One sentence of one article (ordered by article, then sentence). A named tuple:
    a story's groups name tens of thousands, hashed and compared as tuples are."""

    article: str
    sentence: int


@dataclass(frozen=True)
class ClaimGroup:
    """One claim across a story: the sentences of each source that state it.

    As a rule one sentence per source; a source that repeats the claim (a
    headline and its lede) may have two. `differing` are the member pairs
    whose link is `differs`.
    """

    members: tuple[SentenceRef, ...]
    representative: SentenceRef  # the member most strongly linked to the others
    differing: tuple[tuple[SentenceRef, SentenceRef], ...] = ()
    # Kept with the group so a story's overview and coverage never read its links:
    relations: tuple[Relation, ...] = ()  # per member, its strongest link inside the group
    differences: tuple[tuple[Difference, ...], ...] = ()  # per differing pair, from its first

    @property
    def sources(self) -> tuple[str, ...]:
        """The articles that report the claim, in member order."""
        return tuple(dict.fromkeys(m.article for m in self.members))

    def holds(self, article: str, sentence: int) -> bool:
        return SentenceRef(article, sentence) in self.members

    @property
    def complete(self) -> bool:
        """Whether it was stored with its members' relations (libraries from before were not)."""
        return len(self.relations) == len(self.members)

    def differs_links(self) -> list[Link]:
        """Its `differs` pairs as links, with the values that differ."""
        return [
            Link(a.article, a.sentence, b.article, b.sentence, 1.0, "differs", diffs)
            for (a, b), diffs in zip(self.differing, self.differences)
        ]

    @classmethod
    def load(cls, data: dict[str, Any], shared: dict[Any, Any] | None = None) -> ClaimGroup:
        """From a stored row; `shared` keeps one SentenceRef per sentence and one
        Difference per value pair across the groups of a story (a story of 160
        sources names tens of thousands, mostly the same few differences)."""
        made = {} if shared is None else shared

        def ref(row: dict[str, Any]) -> SentenceRef:
            key = (str(row["article"]), int(row["sentence"]))
            found = made.get(key)
            if found is None:
                found = made[key] = SentenceRef(*key)
            return found

        def difference(row: Any) -> Difference:
            key = (row.get("what", ""), row["this"], row["other"]) if isinstance(row, dict) else row
            found = made.get(key)
            if found is None:
                found = made[key] = Difference.load(row)
            return found

        relations = relations_of(data.get("relations", ()))
        return cls(
            tuple(ref(m) for m in data["members"]),
            ref(data["representative"]),
            tuple((ref(a), ref(b)) for a, b in data.get("differing", ())),
            relations,
            tuple(tuple(difference(d) for d in pair) for pair in data.get("differences", ())),
        )


def relations_of(stored: Iterable[Any]) -> tuple[Relation, ...]:
    """Stored relation names, checked: ValueError on a name that is none."""
    relations = tuple(stored)
    if any(r not in RELATIONS for r in relations):
        raise ValueError(f"unknown relation in {relations!r}")
    return relations


def sentence_reach(groups: Iterable[ClaimGroup]) -> dict[str, dict[int, int]]:
    """Per article and sentence, how many sources report the most widely reported claim
    the sentence states (sentences of no group are left out)."""
    reach: dict[str, dict[int, int]] = {}
    for group in groups:
        sources = len(group.sources)
        for ref in group.members:
            mine = reach.setdefault(ref.article, {})
            mine[ref.sentence] = max(mine.get(ref.sentence, 0), sources)
    return reach


@dataclass(frozen=True)
class Anchor:
    """Where a note sits: a W3C TextQuoteSelector plus a TextPositionSelector.

    The quote (exact text with some context either side) finds the place
    again after the article changes; the position is the fast path.
    `confidence` is 1.0 where the note was written and lower after a fuzzy
    re-anchoring; 0.0 marks an orphan, a note whose text could not be found.
    """

    exact: str
    start: int
    end: int
    prefix: str = ""
    suffix: str = ""
    confidence: float = 1.0


@dataclass(frozen=True)
class Note:
    """A reader's note on a span of an article, or on a link between two claims.

    `link_article`/`link_anchor` name the other claim of a link note.
    """

    id: str
    article: str
    anchor: Anchor
    body: str = ""
    tags: tuple[str, ...] = ()
    created: str = ""
    updated: str = ""
    link_article: str = ""
    link_anchor: Anchor | None = None

    @property
    def orphan(self) -> bool:
        return self.anchor.confidence <= 0.0

    @classmethod
    def load(cls, data: Any) -> Note:
        """A note from a stored or imported row, checked field by field.

        Notes come from files other programs wrote: a wrong type here would
        otherwise break the reader later, far from its cause. ValueError
        names the first field that is wrong.
        """
        if not isinstance(data, dict):
            raise ValueError("not a note record")
        link = data.get("link_anchor")
        return cls(
            id=_text(data, "id", required=True),
            article=_text(data, "article", required=True),
            anchor=_anchor(data.get("anchor"), "anchor"),
            body=_text(data, "body"),
            tags=_tags(data.get("tags", ())),
            created=_time(data, "created"),
            updated=_time(data, "updated"),
            link_article=_text(data, "link_article"),
            link_anchor=_anchor(link, "link_anchor") if link else None,
        )


MAX_OFFSET = 1 << 31  # far beyond any article; a larger offset is a damaged record


def _text(data: dict[str, Any], key: str, required: bool = False) -> str:
    value = data.get(key, "")
    if not isinstance(value, str):
        raise ValueError(f"{key}: not text")
    if required and not value:
        raise ValueError(f"{key}: missing")
    return value


def _tags(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list | tuple) or not all(isinstance(t, str) for t in value):
        raise ValueError("tags: not a list of words")
    return tuple(value)


def _time(data: dict[str, Any], key: str) -> str:
    value = _text(data, key)
    if value:
        try:
            datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(f"{key}: not an ISO 8601 time") from None
    return value


def _offset(value: dict[str, Any], name: str, key: str) -> int:
    number = value.get(name)
    if isinstance(number, bool) or not isinstance(number, int):
        raise ValueError(f"{key}: {name} is not a whole number")
    return number


def _anchor(value: Any, key: str) -> Anchor:
    if not isinstance(value, dict):
        raise ValueError(f"{key}: not a text position")
    start, end = _offset(value, "start", key), _offset(value, "end", key)
    if not 0 <= start <= end <= MAX_OFFSET:
        raise ValueError(f"{key}: start {start} and end {end} are no span of a text")
    confidence = value.get("confidence", 1.0)
    if isinstance(confidence, bool) or not isinstance(confidence, int | float):
        raise ValueError(f"{key}: confidence is not a number")
    if not (math.isfinite(confidence) and 0.0 <= confidence <= 1.0):
        raise ValueError(f"{key}: confidence {confidence} is not between 0 and 1")
    return Anchor(
        exact=_text(value, "exact"),
        start=start,
        end=end,
        prefix=_text(value, "prefix"),
        suffix=_text(value, "suffix"),
        confidence=float(confidence),
    )
