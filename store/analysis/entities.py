"""Entity mentions: trimming spaCy's spans to names, and resolving names to
canonical entities shared by the whole library.

"Mr. Putin", "President Putin", "Vladimir Putin" and "Putin" become one
entity: titles and honorifics are not part of a name, a short name resolves
to the full name it is the first or last part of (in the same article, else
in the library), and a small alias table joins "U.S." and "United States".
"""

from __future__ import annotations

import functools
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from importlib.resources import files
from typing import TYPE_CHECKING, Literal, Protocol

import pycountry

from store.labels import label_of
from store.names import name_key, person_parts, slug

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

TITLES = {
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "dr",
    "prof",
    "professor",
    "sir",
    "dame",
    "lord",
    "lady",
    "president",
    "vice",
    "prime",
    "minister",
    "premier",
    "chancellor",
    "king",
    "queen",
    "prince",
    "princess",
    "pope",
    "sen",
    "senator",
    "rep",
    "representative",
    "gov",
    "governor",
    "mayor",
    "gen",
    "general",
    "col",
    "colonel",
    "lt",
    "capt",
    "captain",
    "adm",
    "admiral",
    "sgt",
    "judge",
    "justice",
    "secretary",
    "ambassador",
    "chairman",
    "chairwoman",
    "leader",
    "rev",
    "reverend",
    "st",
    "saint",
    "sheikh",
    "ayatollah",
    "supreme",
    "comrade",
    "dictator",
    "spokesman",
    "spokeswoman",
    "assistant",
    "presidential",
    "foreign",
    "defense",
    "defence",
    "deputy",
    "former",
    "state",
    "chief",
    "sr",
    "jr",
}
LAW_WORDS = {
    "treaty",
    "declaration",
    "accord",
    "accords",
    "agreement",
    "convention",
    "act",
    "charter",
    "pact",
    "protocol",
    "resolution",
    "constitution",
    "amendment",
    "memorandum",
}
# The last word of a facility's name: the small model calls "Francis Scott Key Bridge" an ORG.
FACILITY_HEADS = {
    "airport",
    "avenue",
    "boulevard",
    "bridge",
    "canal",
    "dam",
    "expressway",
    "freeway",
    "highway",
    "motorway",
    "pier",
    "stadium",
    "street",
    "tunnel",
}
# Nouns that put a vessel's name after them ("the container ship Dali"): not a person.
VESSEL_NOUNS = {
    "barge",
    "boat",
    "carrier",
    "containership",
    "destroyer",
    "ferry",
    "freighter",
    "frigate",
    "liner",
    "ship",
    "submarine",
    "tanker",
    "trawler",
    "tugboat",
    "vessel",
    "yacht",
}
# Labels a country's name may wrongly get (never PERSON: "Jordan", "Chad" are also people).
NOT_A_COUNTRY = {"ORG", "LOC", "FAC"}
PLACE_LABELS = {"GPE", "LOC", "FAC"}
# Labels whose mentions become entities; numbers and times are claims' business.
ENTITY_LABELS = {
    "PERSON",
    "NORP",
    "ORG",
    "GPE",
    "LOC",
    "FAC",
    "LAW",
    "EVENT",
    "PRODUCT",
    "WORK_OF_ART",
    "DATE",
}
# Mentions of these become library entities; dates are highlighted but not entities.
CANONICAL_LABELS = ENTITY_LABELS - {"DATE"}
POSSESSIVE = re.compile(r"(?:'s|\u2019s|'|\u2019)$")


@dataclass
class RawMention:
    """A trimmed spaCy entity, before it has a canonical entity."""

    start: int
    end: int
    text: str
    label: str
    sentence: int
    # a label the words around the name decided ("Minister X", "the town of X") outweighs
    # one the tagger gave alone when an article's mentions of the name vote
    votes: int = 1


def clean_span(text: str, start: int, label: str) -> tuple[int, str] | None:
    """Trim a leading "the", titles and honorifics, and a trailing possessive.

    Returns (new start, new text), or None when nothing name-like is left.
    """
    offset = 0
    words = text.split(" ")
    while words:
        key = words[0].rstrip(".").casefold()
        is_title = label == "PERSON" and key in TITLES and len(words) > 1
        if key == "the" or is_title:
            offset += len(words[0]) + 1
            words = words[1:]
            continue
        break
    name = " ".join(words)
    match = POSSESSIVE.search(name)
    if match and label != "DATE" and len(name) > 3:
        name = name[: match.start()]
    name = name.strip(" ,;:-\u2013\u2014\"'\u201c\u201d\u2018\u2019()[]")
    if not name or not any(ch.isalpha() for ch in name):
        return None
    lead = text.find(name, offset) if name else -1
    return (start + (lead if lead >= 0 else offset), name)


PlaceCue = Literal["", "preposition", "noun"]
# what a name after "the town of", "the capital(,)" is
PLACE_NOUNS = {"town", "city", "village", "capital", "province", "region", "district", "port"}
# prepositions that put a "person" at a place: "in Handlova", "outside Handlova"
PLACE_PREPOSITIONS = {"in", "outside", "near"}
# the office a name holds, written before it ("Interior Minister ...")
OFFICES = {"minister", "secretary", "president", "chancellor", "premier", "governor", "mayor"}


@dataclass(frozen=True)
class NameContext:
    """What the words around a name tell of it (see `name_context`)."""

    vessel: bool = False  # "the ship Dali", "Dali container ship"
    adjective: bool = False  # a one-word name tagged as an adjective ("Slovak media")
    place: PlaceCue = ""  # "the town of X" (noun), "in X" (preposition)
    after_office: bool = False  # "Interior Minister X": X is the office holder
    before_office: bool = False  # "Interior Minister": a one-word name of the office


def name_context(ent: Span) -> NameContext:
    """The context of one of spaCy's entity spans, for `fix_label`."""
    doc = ent.doc
    before = [t.lower_ for t in doc[max(0, ent.start - 3) : ent.start]]
    after = doc[ent.end] if ent.end < len(doc) else None
    owned = after is not None and after.lower_ in {"'s", "\u2019s", "'"}
    place: PlaceCue = ""
    if before[-2:-1] != ["the"] and before[-1:] and before[-1] in PLACE_PREPOSITIONS and not owned:
        place = "preposition"
    if before[-2:] and before[-1] == "of" and before[-2] in PLACE_NOUNS:
        place = "noun"
    if [w for w in before if w != ","][-1:] == ["capital"]:
        place = "noun"
    return NameContext(
        vessel=ent.label_ == "PERSON" and vessel_context(ent),
        adjective=len(ent) == 1 and ent[0].tag_ == "JJ",
        place=place,
        after_office=bool(before) and before[-1] in OFFICES,
        before_office=len(ent) == 1 and after is not None and after.lower_ in OFFICES,
    )


def fix_label(name: str, label: str, context: NameContext = NameContext()) -> str:
    """Correct the labels spaCy gets wrong in a regular way ("" where it is no name).

    Names the alias table knows take its type; a country's name (ISO 3166) is a
    GPE; named treaties and declarations are LAW; a name ending in "Bridge",
    "Airport", ... is a facility; a "person" that `vessel_context` finds naming
    a ship is a vessel (PRODUCT); a one-word name used as an adjective ("Slovak
    media", "Slovak PM") or formed from a country's name as nationalities are
    ("Slovak", "Taiwanese") names a people or nation (NORP). A "person" or
    "organisation" after "the town of" or "the capital", or a "person" after "in",
    is a place (GPE); an "organisation" after an office ("Interior Minister
    Matus Sutaj Estok") is a person, and one word before an office ("Interior"
    Minister) is no name.
    """
    if label != "NORP" and (known := alias_type(name)):
        return known
    if label in NOT_A_COUNTRY and name_key(name) in country_names():
        return "GPE"
    words = name.split()
    last = words[-1].casefold() if words else ""
    if label in {"ORG", "GPE", "PERSON"} and last in FACILITY_HEADS and len(words) > 1:
        return "FAC"
    if label in {"ORG", "GPE", "PERSON"} and (context.adjective or name in demonyms()):
        return "NORP"
    if label == "PERSON" and context.vessel:
        return "PRODUCT"
    if label == "ORG" and context.before_office:
        return ""
    if label == "ORG" and context.after_office:
        return "PERSON"
    if (label == "PERSON" and context.place) or (label == "ORG" and context.place == "noun"):
        return "GPE"
    if (
        label in {"ORG", "EVENT", "WORK_OF_ART", "PRODUCT", "GPE"}
        and last in LAW_WORDS
        and len(words) > 1
        and name[0].isupper()
    ):
        return "LAW"
    return label


def whole_name(ent: Span) -> Span:
    """The span with the proper noun it modifies when the tagger stopped one word short
    ("Banska" of "Banska Bystrica")."""
    head = ent.root.head
    if (
        ent.root.dep_ == "compound"
        and head.i == ent.end
        and head.pos_ == "PROPN"
        and not head.ent_type_
        and head.text[:1].isupper()
        and head.lower_.rstrip(".") not in TITLES  # "U.S. President ..."
    ):
        return ent.doc[ent.start : ent.end + 1]
    return ent


def unnamed_demonym(token: Token) -> bool:
    """A nationality the tagger left out ("Slovak" in "Slovak officials"): a word formed
    from a country's name (see `demonyms`) that modifies a noun."""
    return (
        not token.ent_type_
        and token.text in demonyms()
        and token.dep_ in {"amod", "compound"}
        and token.head.pos_ in {"NOUN", "PROPN"}
    )


def vessel_context(ent: Span) -> bool:
    """Whether the words around a name make it a vessel's: "the ship Dali", "the
    Dali", "Dali container ship", "a vessel named Dali" (but not "the Biden
    administration", where the name modifies another noun)."""
    root = ent.root
    head = root.head
    before = ent.doc[ent.start - 1] if ent.start > 0 else None
    if root.dep_ == "compound":
        return head.lemma_.casefold() in VESSEL_NOUNS
    if before is not None and (before.lower_ == "the" or before.lemma_.casefold() in VESSEL_NOUNS):
        return True
    if head.lemma_ in {"name", "call", "dub"} and head.head.lemma_.casefold() in VESSEL_NOUNS:
        return True
    return root.dep_ == "appos" and head.lemma_.casefold() in VESSEL_NOUNS


def harmonise(mentions: list[RawMention], title_spans: list[tuple[int, int]]) -> list[RawMention]:
    """Make one article's mentions consistent with each other.

    - the same name gets its most frequent label throughout the article, except that a
      name seen naming a vessel once is not a person anywhere in it;
    - a one-word name that is the first or last word of a person's full name is that person;
    - in titles and headings (Title Case confuses the tagger), a mention that extends a
      name found elsewhere in the article by capitalised common words is cut back to it.
    """
    known = Counter(m.text for m in mentions)
    in_title = [any(s <= m.start < e for s, e in title_spans) for m in mentions]
    trimmed: list[RawMention] = []
    for m, titled in zip(mentions, in_title):
        if titled and known[m.text] == 1:
            words = m.text.split()
            for n in range(len(words) - 1, 0, -1):
                head = " ".join(words[:n])
                if known.get(head, 0) > 0 and head != m.text:
                    # the title's label was the longer span's ("Taiwan Reeling After ..." ORG)
                    label = fix_label(head, m.label)
                    m = RawMention(m.start, m.start + len(head), head, label, m.sentence)
                    break
        trimmed.append(m)
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for m in trimmed:
        votes[m.text][m.label] += m.votes
    full_people = {m.text for m in trimmed if m.label == "PERSON" and len(m.text.split()) > 1}
    out = []
    for m in trimmed:
        label = votes[m.text].most_common(1)[0][0]
        # a ship somewhere in the article ("vessel Dali") is the ship throughout
        if label == "PERSON" and votes[m.text]["PRODUCT"]:
            label = "PRODUCT"
        if label != "PERSON" and _part_of_any(m.text, full_people):
            label = "PERSON"
        out.append(RawMention(m.start, m.end, m.text, label, m.sentence))
    return out


def _part_of_any(name: str, full_names: Iterable[str]) -> bool:
    """Whether `name` begins or ends one of the full names ("Sutaj Estok" of "Matus Sutaj
    Estok")."""
    words = name.split()
    return any(
        words in (f.split()[: len(words)], f.split()[-len(words) :])
        for f in full_names
        if f != name
    )


@functools.lru_cache(maxsize=1)
def _aliases() -> tuple[dict[str, str], dict[str, str]]:
    """(alias key -> canonical name, canonical name -> type) from the shipped table."""
    data = json.loads(files("store").joinpath("data/aliases.json").read_text("utf-8"))
    names: dict[str, str] = {}
    types: dict[str, str] = {}
    for canonical, entry in data.items():
        if canonical.startswith("_"):
            continue
        types[canonical] = entry["type"]
        names[name_key(canonical)] = canonical
        for alias in entry["aliases"]:
            names[name_key(alias)] = canonical
    return names, types


@functools.lru_cache(maxsize=1)
def demonyms() -> dict[str, str]:
    """Words for a country's people formed from its one-word name as most are, each with
    that name: Russia -> Russian, Ukraine -> Ukrainian, Slovakia -> Slovak and
    Slovakian, Germany -> German, Taiwan -> Taiwanese, Israel -> Israeli. Forms that
    do not occur do no harm; a country's own name and stems under five letters
    ("Cub", "Malt") are left out."""
    suffixes = ("n", "an", "ian", "ese", "i")
    out: dict[str, str] = {}
    for country in pycountry.countries:
        for field_name in ("name", "common_name"):
            value = getattr(country, field_name, None)
            if not value or not value.isalpha():
                continue
            stems = {value[:-2]} if value.endswith("ia") else set()
            stems |= {value[:-1]} if value.endswith(("a", "e", "y")) else set()
            out.update((stem, value) for stem in stems if len(stem) >= 5)
            out.update((stem + suffix, value) for stem in stems | {value} for suffix in suffixes)
    return out | {form + "s": country for form, country in out.items()}  # "Slovaks", "Indians"


@functools.lru_cache(maxsize=1)
def country_names() -> frozenset[str]:
    """The name keys of every country: short, common and official names ("Slovakia",
    "Slovak Republic", "South Korea"), skipping the inverted ones with a comma."""
    names = set()
    for country in pycountry.countries:
        for field_name in ("name", "common_name", "official_name"):
            value = getattr(country, field_name, None)
            if value and "," not in value:
                names.add(name_key(value))
    return frozenset(names)


def alias_table() -> dict[str, str]:
    return _aliases()[0]


def alias_type(name: str) -> str | None:
    """The type the alias table gives a name ("DPRK" -> GPE), if it lists it."""
    names, types = _aliases()
    canonical = names.get(name_key(name))
    return types.get(canonical) if canonical else None


def _longer_body(name: str, bodies: Iterable[str]) -> str:
    """The one longer name of a body that ends with this name of two words or more
    ("Maryland State Police" for "State Police"), else the name itself."""
    words = name.split()
    longer = [b for b in bodies if len(words) > 1 and len(b.split()) > len(words)]
    longer = [b for b in longer if b.split()[-len(words) :] == words]
    return longer[0] if len(longer) == 1 else name


@dataclass
class KnownEntity:
    """What the resolver needs of a library entity."""

    id: str
    name: str
    type: str


def entity_id(name: str, label: str) -> str:
    """The id a new entity gets: its group and a slug of its canonical name."""
    return f"{label_of(label).group}:{slug(name)}"


class KnownNames(Protocol):
    """The library's entities, as the resolver looks them up."""

    def named(self, entity_id: str) -> KnownEntity | None: ...

    def people(self, part: str) -> list[KnownEntity]: ...


class Resolver:
    """Gives canonical entity ids to mentions, consistently across the library.

    Names met in this import are remembered in memory; `library` answers for
    the entities already stored, so only the names in play are looked up.
    """

    def __init__(self, entities: Iterable[KnownEntity] = (), library: KnownNames | None = None):
        self.library = library
        self.by_key: dict[tuple[str, str], KnownEntity] = {}
        self.people_by_part: dict[str, list[KnownEntity]] = defaultdict(list)
        for entity in entities:
            self._remember(entity, entity.name)

    def _remember(self, entity: KnownEntity, name: str) -> None:
        group = label_of(entity.type).group
        self.by_key.setdefault((group, name_key(name)), entity)
        if group == "person":
            for part in person_parts(name):
                if entity not in self.people_by_part[part]:
                    self.people_by_part[part].append(entity)

    def resolve_article(self, mentions: list[RawMention]) -> tuple[list[str], list[KnownEntity]]:
        """Entity ids for `mentions` and the entities that are new to the library."""
        canonical = {m.text: alias_table().get(name_key(m.text), m.text) for m in mentions}
        people = Counter(canonical[m.text] for m in mentions if m.label == "PERSON")
        full = [n for n in people if len(n.split()) > 1]
        person_name: dict[str, str] = {}
        for name in people:
            person_name[name] = self._full_form(name, full, people)
        # "Coast Guard" in an article that names the "U.S. Coast Guard" is that body
        bodies = {canonical[m.text] for m in mentions if m.label == "ORG"}
        body_name = {name: _longer_body(name, bodies) for name in bodies}
        ids: list[str] = []
        new: list[KnownEntity] = []
        for m in mentions:
            if m.label not in CANONICAL_LABELS:
                ids.append("")
                continue
            name = canonical[m.text]
            if m.label == "PERSON":
                name = person_name[name]
            elif m.label == "ORG":
                name = body_name[name]
            # "Slovak" and "Slovakian" are one people: found by their country's name
            key = demonyms().get(name, name) if m.label == "NORP" else name
            entity = self._lookup(key, m.label)
            if entity is None:
                entity = KnownEntity(entity_id(key, m.label), name, m.label)
                new.append(entity)
            self._remember(entity, key)
            self._remember(entity, name)
            self._remember(entity, m.text)
            ids.append(entity.id)
        return ids, new

    @staticmethod
    def _full_form(name: str, full: list[str], counts: Counter[str]) -> str:
        """The fullest form of a person's name found in the same article."""
        words = name.split()
        matches = [
            f
            for f in full
            if f != name
            and len(f.split()) > len(words)
            and (
                f.split()[: len(words)] == words
                or f.split()[-len(words) :] == words
                or (len(words) > 1 and f.split()[0] == words[0] and f.split()[-1] == words[-1])
            )
        ]
        if not matches:
            return name
        return max(matches, key=lambda f: (counts[f], -len(f)))

    def _lookup(self, name: str, label: str) -> KnownEntity | None:
        group = label_of(label).group
        found = self.by_key.get((group, name_key(name)))
        if found is None and self.library is not None:
            found = self.library.named(entity_id(name, label))
        if found is not None:
            return found
        if group == "person":
            words = name.split()
            if len(words) == 1:
                candidates = self._people(name_key(name))
                if len(candidates) == 1:
                    return candidates[0]
            else:
                first = self._people(name_key(words[0]))
                last = {e.id for e in self._people(name_key(words[-1]))}
                both = [e for e in first if e.id in last]
                if len(both) == 1:
                    return both[0]
        return None

    def _people(self, part: str) -> list[KnownEntity]:
        """People known by this first or last name, in this import or in the library."""
        found = {e.id: e for e in self.people_by_part.get(part, [])}
        if self.library is not None:
            for entity in self.library.people(part):
                found.setdefault(entity.id, entity)
        return list(found.values())
