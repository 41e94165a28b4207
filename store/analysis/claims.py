"""What a sentence claims: its speaker, its figures and its dates, and the content
terms by which it is linked to other sources' sentences.
"""

from __future__ import annotations

import functools
import re
from datetime import date
from typing import TYPE_CHECKING

from text_to_num import text2num

from store.analysis.dates import normalise_dates
from store.analysis.entities import clean_span
from store.models import Claim, Mention, Quantity

if TYPE_CHECKING:
    from spacy.tokens import Span, Token
    from spacy.vocab import Vocab

    from store.analysis.pipeline import Analysis

SPEECH_VERBS = {
    "say",
    "state",
    "stress",
    "emphasize",
    "emphasise",
    "affirm",
    "add",
    "tell",
    "note",
    "remark",
    "announce",
    "claim",
    "assert",
    "insist",
    "warn",
    "declare",
    "explain",
    "describe",
    "assess",
    "confirm",
    "deny",
    "argue",
    "report",
    "write",
    "tweet",
    "reiterate",
    "underline",
    "underscore",
    "acknowledge",
    "admit",
    "comment",
    "suggest",
    "predict",
    "promise",
    "pledge",
    "vow",
    "accuse",
    "urge",
    "call",
    "express",
    "highlight",
    "point",
    "mention",
    "indicate",
    "reveal",
    "disclose",
    "estimate",
    "believe",
    "think",
}
PRONOUNS = {"he", "she", "they", "him", "her", "them", "it", "we", "i", "you"}
CONTENT_POS = {"NOUN", "PROPN", "VERB", "ADJ", "NUM"}
# "Hundreds of people": at least two of the unit, and fewer than the next power of ten.
VAGUE_PLURALS = {"dozens": 12, "hundreds": 100, "thousands": 1_000, "millions": 1_000_000}
# "Shot multiple times": two or more, however many. Read only as a count of the event
# ("several hours" and "several days" are no figures worth comparing).
VAGUE_FEW = {"multiple", "several"}
# The most words one number takes ("one hundred and twenty-five thousand" is 7): a longer
# run of number words ("one one one ...") is read in pieces, not tried whole word by word.
NUMBER_WORDS_MAX = 12
# What a figure in a news report counts, by a word next to it or above it in the parse.
QUANTITY_KINDS = {
    **dict.fromkeys(("kill", "die", "dead", "death", "fatality", "toll", "life", "perish"), "dead"),
    **dict.fromkeys(("body", "bodies"), "bodies"),  # found so far: not the toll
    **dict.fromkeys(("injure", "injured", "wound", "wounded", "hurt", "injury"), "injured"),
    **dict.fromkeys(("trap", "trapped", "strand", "stranded"), "trapped"),
    **dict.fromkeys(("miss", "missing", "unaccounted", "search"), "missing"),
    **dict.fromkeys(("evacuate", "evacuee", "displace", "homeless"), "evacuated"),
    **dict.fromkeys(("rescue", "rescued", "save"), "rescued"),
    **dict.fromkeys(("arrest", "detain", "detained"), "arrested"),
    **dict.fromkeys(("shot", "round", "gunshot", "bullet"), "shots"),  # fired
    **dict.fromkeys(("hits", "hit"), "hits"),  # "shot five times", "one hitting him"
    "magnitude": "magnitude",
    "aftershock": "aftershocks",
}
# "shot five times": five hits; "fired five times": five shots, which may have missed
SHOOTING = {"shoot": "hits", "hit": "hits", "wound": "hits", "strike": "hits", "fire": "shots"}
# After "N bodies": those not found yet, who are the missing, not the bodies recovered.
UNFOUND = re.compile(
    r"\s*(?:bod(?:y|ies)\s+)?(?:(?:are|were|have|has)\s+)?(?:yet|still|not yet|still not)\b"
    r"[^,.;]{0,15}?"
    r"\b(?:found|recovered|located|retrieved|missing)\b",
    re.IGNORECASE,
)
# Figures of the event itself that change as it unfolds: two sources giving one of
# these differently tell of one count at two moments, or disagree about it.
EVENT_COUNTS = frozenset(QUANTITY_KINDS.values()) - {"magnitude"}
BOUNDS = {
    ("at", "least"): "min",
    ("more", "than"): "min",
    ("over",): "min",
    ("upwards", "of"): "min",
    ("up", "to"): "max",
    ("as", "many", "as"): "max",
    ("fewer", "than"): "max",
    ("less", "than"): "max",
    ("under",): "max",
    ("nearly",): "max",
    ("almost",): "max",
    ("about",): "about",
    ("around",): "about",
    ("some",): "about",
    ("roughly",): "about",
    ("approximately",): "about",
    ("an", "estimated"): "about",
}
PEOPLE = {
    "person",
    "people",
    "resident",
    "civilian",
    "worker",
    "miner",
    "passenger",
    "child",
    "student",
    "tourist",
    "soldier",
    "officer",
    "victim",
    "crew",
    "member",
    "citizen",
    "national",
    "other",  # "six others were still missing"
    "man",
    "woman",
}
NEAR = 6  # words either side of a figure that may say what it counts
SCALES = {
    "dozen": 12,  # "two dozen"
    "hundred": 1e2,
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
}
MULTIPLIERS = {
    "twofold": 2,
    "threefold": 3,
    "fourfold": 4,
    "fivefold": 5,
    "tenfold": 10,
    "double": 2,
    "doubled": 2,
    "triple": 3,
    "tripled": 3,
    "quadrupled": 4,
}
UNIT_NAMES = {
    "km": "kilometer",
    "mi": "mile",
    "ft": "foot",
    "cm": "centimeter",
    "mm": "millimeter",
    "kg": "kilogram",
    "lb": "pound",
    "mph": "mile per hour",
    "kph": "kilometer per hour",
}
MAGNITUDE_JOINED = re.compile(r"(?i)magnitude-(\d(?:\.\d+)?)")
NOT_QUANTITIES = {"DATE", "TIME", "ORDINAL"}  # entity types whose numbers are not figures
# The words other than numbers a figure may start with ("hundreds", "a dozen", "doubled")
FIGURE_WORDS = {*MULTIPLIERS, *VAGUE_PLURALS, *VAGUE_FEW, "dozen"}
CURRENCY = {"$": "USD", "\u20ac": "EUR", "\u00a3": "GBP", "\u00a5": "JPY"}


def speaker_of(sent: Span, previous: str, ents: list[Span] | None = None) -> str:
    """Who the sentence reports as speaking: a name or noun phrase, "" when nobody.

    Reads "X said ...", "... , X said", "according to X"; a pronoun speaker
    ("he said") is the previous sentence's speaker. `ents`: the sentence's
    entities, when the caller has them (Span.ents rescans the whole doc).
    """
    ents = list(sent.ents) if ents is None else ents
    for token in sent:
        if (
            token.lower_ == "according"
            and token.i + 1 < sent.end
            and token.doc[token.i + 1].lower_ == "to"
        ):
            objects = [c for c in token.doc[token.i + 1].children if c.dep_ == "pobj"]
            if objects:
                return _phrase(objects[0], previous, ents)
    for token in sent:
        if token.pos_ in {"VERB", "AUX"} and token.lemma_.lower() in SPEECH_VERBS:
            subjects = [c for c in token.children if c.dep_ in {"nsubj", "nsubjpass"}]
            if subjects:
                return _phrase(subjects[0], previous, ents)
    return ""


def _phrase(head: Token, previous: str, ents: list[Span]) -> str:
    """The name a subject stands for: its entity if it has one, else its noun phrase."""
    if head.lower_ in PRONOUNS:
        return previous
    for ent in ents:
        if ent.start <= head.i < ent.end and ent.label_ in {"PERSON", "ORG", "NORP", "GPE"}:
            return ent.text
    words = [t for t in head.subtree if not t.is_punct and t.dep_ not in {"det", "relcl"}]
    return " ".join(t.text for t in words[:6])


def lemma_of(t: Token) -> str:
    """A word's lemma, lowercased and spelt the American way ("epicentre" is "epicenter",
    "kilometres" "kilometer"), so British and American reports share their words. The
    spellings come from the model's own table of word norms."""
    return _american(t.lemma_.lower(), t.vocab)


@functools.lru_cache(maxsize=1 << 16)
def _american(lemma: str, vocab: Vocab) -> str:
    norms = vocab.lookups.get_table("lexeme_norm", None)
    return norms.get(lemma, lemma) if norms is not None else lemma


def terms_of(sent: Span) -> tuple[str, ...]:
    """Content lemmas of a sentence (lemma_of), without stop words and speech verbs."""
    out = []
    for t in sent:
        if t.pos_ in CONTENT_POS and not t.is_stop and (t.is_alpha or t.like_num):
            lemma = lemma_of(t)
            if lemma not in SPEECH_VERBS and len(lemma) > 1:
                out.append(lemma)
    return tuple(out)


def numbers_of(sent: Span) -> tuple[Quantity, ...]:
    """Figures with their units: "54%", "9 times", "$5 billion", "300 troops"."""
    found: list[Quantity] = []
    tokens = list(sent)
    i = 0
    while i < len(tokens):
        t = tokens[i]
        lower = t.lower_
        if not (t.like_num or lower in FIGURE_WORDS or "magnitude-" in lower):
            i += 1  # (most words: no figure starts here, whatever follows)
            continue
        if t.ent_type_ in NOT_QUANTITIES:
            i += 1
            continue
        if lower in MULTIPLIERS:
            found.append(Quantity(float(MULTIPLIERS[lower]), "times", t.text))
            i += 1
            continue
        joined = MAGNITUDE_JOINED.fullmatch(t.text)  # "a magnitude-7.4 quake": one token
        if joined:
            found.append(Quantity(float(joined[1]), "magnitude", t.text, "magnitude"))
            i += 1
            continue
        read = _figure_at(tokens, i)
        if read is None:
            i += 1
            continue
        value, j, worded = read
        start = i
        while j < len(tokens) and tokens[j].lower_ in SCALES:
            value *= SCALES[tokens[j].lower_]
            j += 1
        last = tokens[j - 1]  # "two dozen people": "dozen" is what counts the people
        head = last.head
        modifies_noun = last.dep_ in {"nummod", "amod"} and head.pos_ == "NOUN" and head.i > last.i
        unit = ""
        if start > 0 and tokens[start - 1].text in CURRENCY:
            unit = CURRENCY[tokens[start - 1].text]
        elif start > 0 and tokens[start - 1].lower_ == "magnitude":  # "a magnitude 7.2 quake"
            unit = "magnitude"
        elif j < len(tokens):
            nxt = tokens[j]
            if nxt.text == "%" or nxt.lower_ in {"percent", "per"}:
                unit = "%"
                j += 2 if nxt.lower_ == "per" else 1
            elif nxt.lower_ in {"times", "fold", "-fold"}:
                unit = SHOOTING.get(nxt.head.lemma_.lower(), "times")
                j += 1
            elif worded == "vague" and nxt.lower_ == "of":  # "hundreds of people": people
                nouns = [w for w in tokens[j + 1 : j + 4] if w.pos_ in {"NOUN", "PROPN"}]
                unit = lemma_of(nouns[0]) if nouns else ""
            elif nxt.text == "-" and j + 1 < len(tokens) and tokens[j + 1].pos_ == "NOUN":
                unit = _unit(tokens[j + 1])  # "a 985-foot ship", "the 22-member crew"
            elif modifies_noun:
                # "two construction workers": workers; "four gunshot wounds": gunshots
                kinds = [c for c in head.children if c.dep_ == "compound"]
                counted = [c for c in kinds if c.lemma_.lower() in QUANTITY_KINDS]
                unit = lemma_of(counted[0]) if counted else _unit(head)
                if head.lemma_.lower() == "wound" and QUANTITY_KINDS.get(unit) == "shots":
                    unit = "hits"  # "four gunshot wounds": four shots that hit
            elif nxt.pos_ in {"NOUN", "PROPN"} and nxt.is_alpha:
                unit = _unit(nxt)
        text = sent.doc[tokens[start].i : tokens[j - 1].i + 1].text if j > start else t.text
        what = QUANTITY_KINDS.get(unit, "")
        partitive = not unit and j < len(tokens) and tokens[j].lower_ == "of"
        if partitive:  # "one of the shots", "two of the missing": a part, not the count
            what = ""
        elif not what:  # "300 troops", "two mines": the unit says; "nine people" died or were hurt
            what = _counted(tokens, start, j) if unit in PEOPLE or not unit else unit
        if what == "bodies" and UNFOUND.match(sent.doc[tokens[j - 1].i + 1 : sent.end].text):
            what = "missing"  # "four bodies yet to be found": not bodies recovered
        if t.lower_ in VAGUE_FEW and what not in EVENT_COUNTS:
            i = j
            continue
        found.append(Quantity(value, unit, text, what, worded or _bound(tokens, start)))
        i = max(j, i + 1)
    return tuple(found)


def _unit(noun: Token) -> str:
    """The unit a noun after a figure names: its lemma, a unit's full name for its short
    one ("15 km": kilometer), and for members the group they are members of ("22 crew
    members", "the 22-member crew": crew)."""
    unit = lemma_of(noun)
    if unit == "member":  # of a group of people, so the figure may still tell their fate
        of = [c for c in noun.children if c.dep_ == "compound"]
        if noun.head.pos_ == "NOUN" and noun.head.i > noun.i:
            of.append(noun.head)
        return next((group for group in map(lemma_of, of) if group in PEOPLE), unit)
    return UNIT_NAMES.get(unit, unit)


def _counted(tokens: list[Token], start: int, end: int) -> str:
    """What a figure of people counts: a known kind above it in the parse, else near it."""
    head = tokens[start]
    for _ in range(4):  # "killing nine people": nine -> people -> killing
        below, head = head, head.head
        kind = QUANTITY_KINDS.get(head.lemma_.lower()) or QUANTITY_KINDS.get(head.lower_)
        if kind or (head.lemma_.lower(), below.lower_) == ("look", "for"):
            return kind or "missing"  # "looking for seven people"
        if head.head is head:
            break
    for distance in range(1, NEAR + 1):  # "more than 50 injured", "the death toll rose to 9"
        for at in (end - 1 + distance, start - distance):
            if 0 <= at < len(tokens):
                word = tokens[at]
                kind = QUANTITY_KINDS.get(word.lemma_.lower()) or QUANTITY_KINDS.get(word.lower_)
                if kind and not _hyphenated(tokens, at):
                    return kind
    return ""


def _hyphenated(tokens: list[Token], at: int) -> bool:
    """Whether a word is part of one joined by hyphens: the "rescue" of a
    "search-and-rescue operation" is the name of an effort, not a count of the rescued."""
    return any(0 <= n < len(tokens) and tokens[n].text == "-" for n in (at - 1, at + 1))


def _bound(tokens: list[Token], start: int) -> str:
    """Whether the words before a figure make it a bound ("at least 4", "more than 50")."""
    words = [t.lower_ for t in tokens[max(0, start - 3) : start]]
    for phrase, bound in BOUNDS.items():
        if tuple(words[-len(phrase) :]) == phrase:
            return bound
    return ""


def _figure_at(tokens: list[Token], i: int) -> tuple[float, int, str] | None:
    """The figure that starts at tokens[i]: its value, the index after its words, and the
    bound its wording gives ("hundreds": "vague", "a dozen": "about"); None if no figure.

    Digits are read here; number words ("fifteen", "twenty-five", "one hundred and
    twenty") by text2num, over the longest run of them it reads as one number.
    """
    t = tokens[i]
    digits = t.text.replace(",", "")
    if re.fullmatch(r"\d+(?:\.\d+)?", digits):
        return float(digits), i + 1, ""
    if t.lower_ in VAGUE_PLURALS:
        return 2.0 * VAGUE_PLURALS[t.lower_], i + 1, "vague"
    if t.lower_ in VAGUE_FEW:
        return 2.0, i + 1, "several"
    if t.lower_ == "dozen" and i and tokens[i - 1].lower_ == "a":
        return 12.0, i + 1, "about"
    if not (t.like_num and t.is_alpha):
        return None
    run = [t.lower_]
    for word in tokens[i + 1 : i + NUMBER_WORDS_MAX]:
        if not ((word.like_num and word.is_alpha) or word.text == "-" or word.lower_ == "and"):
            break
        run.append(word.lower_)
    for end in range(len(run), 0, -1):
        if run[end - 1] not in {"-", "and"}:
            value = word_number(" ".join(run[:end]).replace(" - ", "-"))
            if value is not None:
                return value, i + end, ""
    return None


@functools.lru_cache(maxsize=4096)
def word_number(words: str) -> float | None:
    """The number written in words ("twenty-five"), else None ("first", "one and two")."""
    try:
        return float(text2num(words, "en"))
    except ValueError:
        return None


def dates_of(
    sent: Span, article_date: date | None, ents: list[Span] | None = None
) -> tuple[str, ...]:
    """Dates named in the sentence, normalised (ISO where the text allows); a weekday
    counts forward from the article's date where its verb speaks of the future. The day
    a statement was made ("Kalinak said on Sunday (May 19)") dates the report, not what
    it reports, as a dateline does: it is left out."""
    out: list[str] = []
    for ent in sent.ents if ents is None else ents:
        if ent.label_ in {"DATE", "TIME"}:  # "Monday night" is a TIME
            verb = _verb_of(ent)
            if verb.lemma_.lower() not in SPEECH_VERBS:
                out.extend(normalise_dates(ent.text, article_date, _ahead(verb)))
    return tuple(out)


FUTURE_AUXILIARIES = {"will", "shall", "'ll", "wo"}  # "wo" of "won't"


def _verb_of(ent: Span) -> Token:
    """The verb a date phrase belongs to (else the root of its sentence)."""
    verb = ent.root.head
    while verb.pos_ not in {"VERB", "AUX"} and verb.head.i != verb.i:  # up to the root
        verb = verb.head
    return verb


def _ahead(verb: Token) -> bool:
    """Whether the verb of a date phrase speaks of the future ("will meet on Friday",
    "is due to arrive on Friday", "is scheduled for Friday")."""
    if any(c.dep_ == "aux" and c.lower_ in FUTURE_AUXILIARIES for c in verb.children):
        return True
    return verb.lemma_ in {"schedule", "plan", "expect", "due"} or (
        verb.dep_ == "xcomp" and verb.head.lemma_ in {"schedule", "plan", "expect", "due", "set"}
    )


def build_claims(analysis: Analysis, mentions: tuple[Mention, ...]) -> tuple[Claim, ...]:
    """Claim records: sentence facts plus canonical entities; speakers as entity ids."""
    by_sentence: dict[int, list[Mention]] = {}
    by_text: dict[str, str] = {}
    by_name_part: dict[str, str] = {}  # "putin" -> the first PERSON whose name has that word
    for m in mentions:
        if m.label == "PERSON":
            for part in m.text.casefold().split():
                by_name_part.setdefault(part, m.entity)
    for m in mentions:
        by_sentence.setdefault(m.sentence, []).append(m)
        by_text.setdefault(m.text.casefold(), m.entity)
    claims = []
    for index, facts in enumerate(analysis.facts):
        entities = tuple(  # (not those of a dateline the sentence opens with)
            dict.fromkeys(
                m.entity
                for m in by_sentence.get(index, ())
                if m.entity and m.start >= facts.claim_start
            )
        )
        speaker = facts.speaker
        if speaker:
            cleaned = clean_span(speaker, 0, "PERSON")
            key = (cleaned[1] if cleaned else speaker).casefold()
            speaker = by_text.get(key) or by_name_part.get(key) or key
        claims.append(Claim(index, speaker, entities, facts.numbers, facts.dates, facts.terms))
    return tuple(claims)
