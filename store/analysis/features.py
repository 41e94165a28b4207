"""The scorer's inputs: features of many claim pairs, computed at once.

Every feature (FEATURES) comes from what two claims share: content terms
(idf-weighted), lemma bigrams, word n-grams, entities and figures, plus the
speaker, dates, what both sides' figures count and how long their articles are
(never how alike the articles are: see linking.shifted). Each claim's items are
numbered in one vocabulary (ClaimTable). For one claim and all its candidates,
the shared items are counted by marking the claim's items in an array and
reading the marks at the candidates' items: a few numpy calls per claim
instead of a dozen set operations per pair.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from store.models import Claim, Quantity

FEATURES = (
    "cosine",
    "overlap",
    "coverage",
    "bigram_overlap",
    "unmatched",
    "extra",
    "entity_jaccard",
    "shared_entity",
    "person_conflict",
    "place_conflict",
    "same_speaker",
    "number_conflict",
    "number_mismatch",
    "number_one_side",
    "date_conflict",
    "length_ratio",
    "context",
    "word_f1",
    "bigram_f1",
    "trigram_f1",
    "negation_mismatch",
    "length_gap",
    "numbers_equal",
    "specific_shared",
    "specific_overlap",
    "common_only",
    "same_count",
)
# what a claim's items are, in the order each claim lists them
CHANNELS = (
    "term",
    "bigram",
    "word1",
    "word2",
    "word3",
    "entity",
    "person",
    "place",
    "value",
    "specific",
    "count",
)
TERM, BIGRAM, WORD1, WORD2, WORD3, ENTITY, PERSON, PLACE, VALUE, SPECIFIC, COUNT = range(
    len(CHANNELS)
)
WORD_CHANNELS = (WORD1, WORD2, WORD3)  # numbered with numpy: _word_gram_items
NEGATIONS = {"not", "no", "never", "n't", "nor", "none", "nobody", "nothing", "neither", "without"}
WORD = re.compile(r"\w+(?:'\w+)?")
DATE_KINDS = (  # full days, months, years, bare days, weekdays
    lambda d: len(d) == 10 and d[0] != "-",
    lambda d: len(d) == 7 and d[0] != "-",
    lambda d: len(d) == 4,
    lambda d: d.startswith("--"),
    lambda d: d.startswith("wd-"),
)


class Idf:
    """Inverse document frequency of keys over a set of sentences."""

    def __init__(self, bags: Iterable[Iterable[str]]) -> None:
        self.df: Counter[str] = Counter()
        self.n = 0
        for bag in bags:
            self.df.update(set(bag))
            self.n += 1
        self._cache: dict[str, float] = {}

    @classmethod
    def of_counts(cls, df: dict[str, int], n: int) -> Idf:
        """From how many of n sentences each key is found in."""
        idf = cls(())
        idf.df.update(df)
        idf.n = n
        return idf

    def __call__(self, key: str) -> float:
        value = self._cache.get(key)
        if value is None:
            value = math.log((self.n + 1) / (self.df.get(key, 0) + 1)) + 1.0
            self._cache[key] = value
        return value


def claim_keys(claim: Claim, text: str = "", counts: Sequence[str] | None = None) -> set[str]:
    """What a claim is found by: its content lemmas, its entities (as "@id") and what
    the figures of its sentence (`text`) count (as "#missing", see counts_of; `counts`
    where they are known): "searching for as many as seven people" and "six workers
    missing" share no word, but each is found under the other's count."""
    counted = counts_of(claim, text) if counts is None else counts
    return set(claim.terms) | {f"@{e}" for e in claim.entities} | {f"#{w}" for w in counted}


def words_of(text: str) -> list[str]:
    return WORD.findall(text.lower().replace("\u2019", "'"))


def context_of(sentences_a, sentences_b):
    """Whether both sentences stand in articles (1) or either stands alone (0).

    Alone, a match must stand on the sentences; in articles about one event,
    related wording is more likely the same claim. How long the articles are
    never counts: a scorer that read it took each length's share of links from
    the training data behind it, and linked the same sentence pairs of a gold
    story three times as often had each of its articles held 30 claims.
    Takes sentence counts as numbers or arrays.
    """
    return (np.minimum(sentences_a, sentences_b) > 1).astype(float)


def date_kinds(dates: Sequence[str]) -> tuple[frozenset[str], ...]:
    """Normalised dates sorted by kind (DATE_KINDS): only dates of one kind compare."""
    return tuple(frozenset(d for d in dates if kind(d)) for kind in DATE_KINDS)


def kinds_conflict(a: tuple[frozenset[str], ...], b: tuple[frozenset[str], ...]) -> bool:
    """The first kind of date both sides give has no date in common."""
    for da, db in zip(a, b):
        if da and db:
            return not da & db
    return False


def numbers_conflict(a: Sequence[Quantity], b: Sequence[Quantity]) -> bool:
    """Both sides give a figure in the same unit, and one side's figure is not the other's."""
    values: dict[str, set[float]] = defaultdict(set)
    for q in a:
        if q.unit:
            values[q.unit].add(q.value)
    return any(q.unit in values and q.value not in values[q.unit] for q in b)


YEAR_WRITTEN = re.compile(r"\b(?:1[89]|20)\d\d\b")
# Units that could count anyone: "an island of 23 million people", "60 people emerged alive".
ANYONE = {"person", "people", "other"}
CLOCK = re.compile(
    r"\b\d{1,2}(?:[:.]\d\d)?\s*[ap]\.?m\b|\b\d{1,2}:\d\d\b|\b\d{4}\s*GMT\b|\b\d\dH\d\d\b",
    re.IGNORECASE,
)  # "1:30 a.m.", "7.58am", "0000 GMT", "08H00"
# ... after which a clock time is when a figure was told ("as of 7 pm, nine dead"), not
# when something happened
REPORTED_AT = re.compile(r"\b(?:as of|by|until|till|since)\s*$", re.IGNORECASE)
CLOCK_TIME = "clock time"
# A superlative over a span of time: "the strongest quake in 25 years", "the most powerful
# in a quarter-century", "the worst since 1999", "the highest on record".
NOT_SUPERLATIVES = (
    "arrest",
    "contest",
    "digest",
    "forest",
    "harvest",
    "honest",
    "inquest",
    "interest",
    "invest",
    "latest",  # "the latest in a line since 1990"
    "manifest",
    "modest",
    "protest",
    "request",
    "suggest",
    "unrest",
)
SUPERLATIVE = rf"(?:most \w+|worst|best|(?!(?:{'|'.join(NOT_SUPERLATIVES)})\b)\w{{3,}}est)"
TIME_SPAN = (
    r"(?:in (?:more than |over |at least |nearly |almost |about )?(?:the (?:last|past) )?"
    r"(?:\d+|an?|two|three|four|five|six|seven|eight|nine|ten|several|many)?[- ]?"
    r"(?:years?|decades?|(?:quarter|half)[- ]century|century)"
    r"|since (?:[^.;:]|\.\d){0,40}?(?:1[89]|20)\d\d|on record|ever recorded)"
)
RECORD_SPAN = re.compile(rf"\b{SUPERLATIVE}\b[^.;:]{{0,60}}?\b{TIME_SPAN}\b", re.IGNORECASE)
RECORD = "record"


def counts_of(claim: Claim, text: str) -> list[str]:
    """What the claim's figures count: their kind (the dead, the missing, the magnitude),
    else their unit ("22 crew", "a 984-foot ship"); CLOCK_TIME where it says when
    something happened ("struck at 1:30 a.m."); RECORD where it calls the event the
    biggest in a span of time ("the strongest in 25 years"). Two sentences that count the
    same thing, whatever the figures, likely report one claim or its update. Only the
    record where the sentence writes out a year ("the strongest since 1999, which killed
    2,400"): its figures are another event's."""
    record = [RECORD] if RECORD_SPAN.search(text) else []
    if YEAR_WRITTEN.search(text):
        return record
    counted = {q.what or q.unit for q in claim.numbers} - ANYONE - {""} | set(record)
    if any(
        not REPORTED_AT.search(text[max(0, m.start() - 9) : m.start()])
        for m in CLOCK.finditer(text)
    ):
        counted.add(CLOCK_TIME)
    return sorted(counted)


def _owners(lengths: np.ndarray) -> np.ndarray:
    """The claim of each key, for keys listed claim after claim, `lengths` each."""
    return np.repeat(np.arange(len(lengths)), lengths)


def _left(lengths: np.ndarray) -> np.ndarray:
    """For keys listed claim after claim: how many of its claim's keys are left from each on."""
    return np.repeat(np.cumsum(lengths), lengths) - np.arange(int(lengths.sum()))


def _firsts(claim_of: np.ndarray, code: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each claim's distinct codes in the order they first come, and how often each does."""
    if not len(code):
        return claim_of, code, np.zeros(0, dtype=np.int64)
    key = claim_of.astype(np.int64) * (int(code.max()) + 1) + code
    _, first, count = np.unique(key, return_index=True, return_counts=True)
    order = np.argsort(first)
    return claim_of[first[order]], code[first[order]], count[order]


def _word_gram_items(words: np.ndarray, lengths: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """Word 1-, 2- and 3-grams as items of their claims: (claim, code) per item, a code
    per distinct gram. `words`: every claim's word numbers one after another, `lengths`
    words each. A gram's k-th repeat in a claim is an item of its own, so that shared
    items count a multiset overlap."""
    claim_of, left = _owners(lengths), _left(lengths)
    start = np.arange(len(words))  # where each gram starts
    base = int(words.max()) + 1 if len(words) else 1
    code = words
    out = []
    for n in (1, 2, 3):
        if n > 1:  # number the (n-1)-grams that go on, then add the next word
            at = np.flatnonzero(left >= n)
            shorter = np.unique(code[at], return_inverse=True)[1].reshape(-1)
            start, claim_of, left = start[at], claim_of[at], left[at]
            code = shorter * base + words[start + n - 1]
        out.append((claim_of, _repeats_apart(claim_of, code)))
    return out


def _repeats_apart(claim_of: np.ndarray, code: np.ndarray) -> np.ndarray:
    """The codes with the k-th repeat of a code within one claim made a code of its own."""
    if not len(code):
        return code
    order = np.lexsort((code, claim_of))
    key_c, key_g = claim_of[order], code[order]
    starts = np.flatnonzero(np.r_[True, (np.diff(key_c) != 0) | (np.diff(key_g) != 0)])
    rank = np.arange(len(order)) - np.repeat(starts, np.diff(np.r_[starts, len(order)]))
    ranks = np.empty_like(rank)
    ranks[order] = rank
    return code * (int(rank.max()) + 1) + ranks


@dataclass
class ClaimTable:
    """The items of a list of claims as flat arrays, each claim's grouped by channel.

    Row i of `bounds` holds where each channel of claim i starts in `items`,
    and last where the claim ends. Item ids are unique per (channel, key).
    """

    claims: list[Claim]
    items: np.ndarray
    bounds: np.ndarray  # (claims, channels + 1)
    mark: np.ndarray  # per item, what its claim marks: tf * idf for terms, 1 otherwise
    tfidf: np.ndarray  # per item: tf * idf of terms, 0 otherwise
    idf: np.ndarray  # per item: idf of terms, 0 otherwise
    term_weight: np.ndarray  # per claim: summed idf of its terms
    term_norm: np.ndarray  # per claim: length of its tf-idf vector
    n_words: np.ndarray
    negated: np.ndarray
    speaker: np.ndarray  # speaker ids, 0 for none
    dated: np.ndarray  # whether the claim gives dates
    dates: list[tuple[frozenset[str], ...]]
    vocabulary: int

    @classmethod
    def build(
        cls,
        claims: Sequence[Claim],
        texts: Sequence[str],
        idf: Idf,
        common: frozenset[str] = frozenset(),
        counted: Sequence[Sequence[str]] | None = None,
    ) -> ClaimTable:
        """The claims' items; `common` keys (what most articles say) are not specific;
        `counted`: each claim's counts_of, where they are known.

        Each claim's words, terms, entities and figures are numbered one claim at a
        time; the items of every channel are then made with numpy over all claims.
        """
        seen: list[dict] = [{}, {}, {}, {}, {}]  # words, terms, entities, figures, counts
        flat: list[list[int]] = [[], [], [], [], []]
        lengths: list[list[int]] = [[], [], [], [], []]
        speakers: dict[str, int] = {"": 0}
        negated, speaker = [], []
        for n, (claim, text) in enumerate(zip(claims, texts)):
            said = words_of(text)
            rows: tuple[Sequence[Hashable], ...] = (
                said,
                claim.terms,
                claim.entities,
                [q.value for q in claim.numbers],
                counts_of(claim, text) if counted is None else counted[n],
            )
            for numbers, out, length, row in zip(seen, flat, lengths, rows):
                out += [numbers.setdefault(k, len(numbers)) for k in row]
                length.append(len(row))
            negated.append(bool(NEGATIONS.intersection(said)))
            speaker.append(speakers.setdefault(claim.speaker, len(speakers)))
        words, terms, entities, values, counts = (np.array(f, dtype=np.int64) for f in flat)
        n_words, n_terms, n_entities, n_values, n_counts = (
            np.array(n, dtype=np.intp) for n in lengths
        )
        term_keys, entity_keys = list(seen[1]), list(seen[2])
        # terms: each claim's distinct terms in the order they come, with their counts
        term_of, term, tf = _firsts(_owners(n_terms), terms)
        idf_of = np.array([idf(t) for t in term_keys], dtype=float)
        weights = idf_of[term]
        tfidf = tf * weights
        squares = (tfidf * tfidf).tolist()
        term_ends = np.cumsum(np.bincount(term_of, minlength=len(claims))).tolist()
        spans = list(zip([0, *term_ends[:-1]], term_ends))
        listed = weights.tolist()
        term_weight = [sum(listed[a:b]) for a, b in spans]  # summed as the terms come
        term_norm = [math.sqrt(sum(squares[a:b])) for a, b in spans]
        next_term = np.flatnonzero(_left(n_terms) > 1)
        bigram_of, bigram, _ = _firsts(
            _owners(n_terms)[next_term], terms[next_term] * len(term_keys) + terms[next_term + 1]
        )
        entity_of, entity, _ = _firsts(_owners(n_entities), entities)
        person = np.array([e.startswith("person:") for e in entity_keys], dtype=bool)[entity]
        place = np.array([e.startswith("place:") for e in entity_keys], dtype=bool)[entity]
        value_of, value, _ = _firsts(_owners(n_values), values)
        specific_term = ~np.array([t in common for t in term_keys], dtype=bool)[term]
        specific_entity = ~np.array([f"@{e}" in common for e in entity_keys], dtype=bool)[entity]
        coded = {
            TERM: (term_of, term),
            BIGRAM: (bigram_of, bigram),
            ENTITY: (entity_of, entity),
            PERSON: (entity_of[person], entity[person]),
            PLACE: (entity_of[place], entity[place]),
            VALUE: (value_of, value),
            COUNT: (_owners(n_counts), counts),
            SPECIFIC: (
                np.concatenate([term_of[specific_term], entity_of[specific_entity]]),
                np.concatenate([term[specific_term], entity[specific_entity] + len(term_keys)]),
            ),
        }
        coded.update(zip(WORD_CHANNELS, _word_gram_items(words, n_words)))
        # every claim's items, channel after channel (a channel's own order kept)
        vocabulary = 0
        owner, numbered = [], []
        for channel in range(len(CHANNELS)):
            claim_of, code = coded[channel]
            distinct, number = np.unique(code, return_inverse=True)
            owner.append(claim_of)
            numbered.append(number.reshape(-1) + vocabulary)
            vocabulary += len(distinct)
        channel_of = np.repeat(np.arange(len(CHANNELS)), [len(o) for o in owner])
        slot = np.concatenate(owner) * len(CHANNELS) + channel_of
        order = np.argsort(slot, kind="stable")
        counts = np.bincount(slot, minlength=len(claims) * len(CHANNELS))
        ends = np.cumsum(counts).reshape(-1, len(CHANNELS))
        bounds = np.concatenate([ends - counts.reshape(-1, len(CHANNELS)), ends[:, -1:]], axis=1)
        items = np.concatenate(numbered)[order]
        is_term = channel_of[order] == TERM
        per_item = {name: np.zeros(len(items)) for name in ("tfidf", "idf")}
        per_item["tfidf"][is_term] = tfidf
        per_item["idf"][is_term] = weights
        return cls(
            list(claims),
            items.astype(np.intp),
            bounds.astype(np.intp),
            np.where(is_term, per_item["tfidf"], 1.0),
            per_item["tfidf"],
            per_item["idf"],
            np.array(term_weight, dtype=float),
            np.array(term_norm, dtype=float),
            n_words.astype(float),
            np.array(negated, dtype=bool),
            np.array(speaker, dtype=np.intp),
            np.array([bool(c.dates) for c in claims], dtype=bool),
            [date_kinds(c.dates) if c.dates else () for c in claims],
            vocabulary,
        )

    def sizes(self) -> np.ndarray:
        """(claims, channels): how many items of each channel a claim has."""
        return np.diff(self.bounds, axis=1)


@dataclass
class Shared:
    """What the two claims of each pair have in common."""

    counts: np.ndarray  # (pairs, channels): shared items per channel
    dot: np.ndarray  # tf-idf dot product of the terms
    weight: np.ndarray  # summed idf of the shared terms


def ranges(starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The positions of the ranges [start, end) one after another, and where each begins."""
    lengths = ends - starts
    offsets = np.cumsum(lengths) - lengths
    return np.arange(lengths.sum()) + np.repeat(starts - offsets, lengths), offsets


def _by_first(first: np.ndarray) -> Iterator[np.ndarray]:
    """The positions of the pairs, grouped by their first element."""
    order = np.argsort(first, kind="stable")
    yield from np.split(order, np.flatnonzero(np.diff(first[order])) + 1) if len(first) else ()


@dataclass
class SparseRows:
    """A sparse matrix by rows: row r has `values` at `columns`, from start[r] to start[r + 1]."""

    start: np.ndarray
    columns: np.ndarray
    values: np.ndarray
    width: int

    @classmethod
    def of(cls, rows: Sequence[dict[int, float]], width: int) -> SparseRows:
        sizes = [len(row) for row in rows]
        return cls(
            np.concatenate(([0], np.cumsum(sizes))).astype(np.intp),
            np.array([c for row in rows for c in row], dtype=np.intp),
            np.array([v for row in rows for v in row.values()], dtype=float),
            width,
        )

    def dots(self, first: np.ndarray, second: np.ndarray) -> np.ndarray:
        """The dot product of rows first[k] and second[k], for each k."""
        out = np.zeros(len(first))
        dense = np.zeros(self.width)
        for pairs in _by_first(first):
            lo, hi = self.start[first[pairs[0]]], self.start[first[pairs[0]] + 1]
            dense[self.columns[lo:hi]] = self.values[lo:hi]
            others = second[pairs]
            at, offsets = ranges(self.start[others], self.start[others + 1])
            lengths = self.start[others + 1] - self.start[others]
            out[pairs] = _segment_sums(dense[self.columns[at]] * self.values[at], offsets, lengths)
            dense[self.columns[lo:hi]] = 0.0
        return out


def by_first(first: np.ndarray, second: np.ndarray) -> bool:
    """Whether pairs are best counted one claim of `first` at a time: it has no more
    distinct claims than `second`."""
    return len(np.unique(first)) <= len(np.unique(second))


def shared_items(
    table: ClaimTable, first: np.ndarray, second: np.ndarray, one_by_one: bool | None = None
) -> Shared:
    """Count the shared items of each pair (first[k], second[k]), one claim at a time of
    the side with fewer distinct claims, or of `first` where `one_by_one` says so (what
    two claims share is the same both ways: a new article's few claims against a
    story's many are one pass per new claim; the sums' rounding follows the side)."""
    if not (by_first(first, second) if one_by_one is None else one_by_one):
        return shared_items(table, second, first, True)
    n = len(first)
    out = Shared(np.zeros((n, len(CHANNELS)), np.intp), np.zeros(n), np.zeros(n))
    marks = np.zeros(table.vocabulary)
    for rows in _by_first(first):
        lo, hi = table.bounds[first[rows[0]], [0, -1]]
        marks[table.items[lo:hi]] = table.mark[lo:hi]
        edges = table.bounds[second[rows]]
        at, offsets = ranges(edges[:, 0], edges[:, -1])
        hits = np.concatenate(([0], np.cumsum(marks[table.items[at]] > 0)))
        out.counts[rows] = np.diff(hits[edges - (edges[:, :1] - offsets[:, None])], axis=1)
        at, offsets = ranges(edges[:, TERM], edges[:, TERM + 1])
        marked = marks[table.items[at]]
        lengths = edges[:, TERM + 1] - edges[:, TERM]
        out.dot[rows] = _segment_sums(marked * table.tfidf[at], offsets, lengths)
        out.weight[rows] = _segment_sums((marked > 0) * table.idf[at], offsets, lengths)
        marks[table.items[lo:hi]] = 0.0
    return out


def _segment_sums(values: np.ndarray, offsets: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Sums of consecutive segments (each summed on its own, so no precision is lost)."""
    sums = np.add.reduceat(np.append(values, 0.0), offsets)
    return np.where(lengths > 0, sums, 0.0)


def _where_both(
    candidates: np.ndarray, first: np.ndarray, second: np.ndarray, test: Callable[[int, int], bool]
) -> np.ndarray:
    """A feature checked pair by pair, only where both sides have what it compares."""
    out = np.zeros(len(first), dtype=bool)
    for k in np.flatnonzero(candidates).tolist():
        out[k] = test(int(first[k]), int(second[k]))
    return out


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    return np.divide(num, den, out=np.zeros(len(num)), where=den > 0)


def feature_matrix(
    table: ClaimTable,
    first: np.ndarray,
    second: np.ndarray,
    context: np.ndarray,
    one_by_one: bool | None = None,
) -> np.ndarray:
    """(pairs, FEATURES): the scorer's inputs for each pair (first[k], second[k]);
    `one_by_one`: see shared_items."""
    first = np.asarray(first, dtype=np.intp)
    second = np.asarray(second, dtype=np.intp)
    shared = shared_items(table, first, second, one_by_one)
    size = table.sizes()
    a, b, s = size[first], size[second], shared.counts
    la, lb, st = a[:, TERM], b[:, TERM], s[:, TERM]
    wa, wb = table.term_weight[first], table.term_weight[second]
    va, vb, sv = a[:, VALUE], b[:, VALUE], s[:, VALUE]
    both_numbers = (va > 0) & (vb > 0)
    same_values = both_numbers & (sv == va) & (sv == vb)
    columns = {
        "cosine": _ratio(shared.dot, table.term_norm[first] * table.term_norm[second]),
        "overlap": _ratio(shared.weight, np.minimum(wa, wb)),
        "coverage": _ratio(shared.weight, np.maximum(wa, wb) * ((wa > 0) & (wb > 0))),
        "bigram_overlap": _ratio(s[:, BIGRAM], np.minimum(a[:, BIGRAM], b[:, BIGRAM])),
        "unmatched": np.log1p(la + lb - 2 * st),
        "extra": np.log1p(np.maximum(la, lb) - st),
        "entity_jaccard": _ratio(s[:, ENTITY], a[:, ENTITY] + b[:, ENTITY] - s[:, ENTITY]),
        "shared_entity": s[:, ENTITY] > 0,
        "person_conflict": (a[:, PERSON] > 0) & (b[:, PERSON] > 0) & (s[:, PERSON] == 0),
        "place_conflict": (a[:, PLACE] > 0) & (b[:, PLACE] > 0) & (s[:, PLACE] == 0),
        "same_speaker": (table.speaker[first] > 0)
        & (table.speaker[first] == table.speaker[second]),
        "number_conflict": _where_both(
            both_numbers,
            first,
            second,
            lambda i, j: numbers_conflict(table.claims[i].numbers, table.claims[j].numbers),
        ),
        "number_mismatch": both_numbers & ~same_values,
        "number_one_side": (va > 0) != (vb > 0),
        "date_conflict": _where_both(
            table.dated[first] & table.dated[second],
            first,
            second,
            lambda i, j: kinds_conflict(table.dates[i], table.dates[j]),
        ),
        "length_ratio": _ratio(np.minimum(la, lb), np.maximum(la, lb)),
        "context": context,
        "word_f1": _ratio(2 * s[:, WORD1], a[:, WORD1] + b[:, WORD1]),
        "bigram_f1": _ratio(2 * s[:, WORD2], a[:, WORD2] + b[:, WORD2]),
        "trigram_f1": _ratio(2 * s[:, WORD3], a[:, WORD3] + b[:, WORD3]),
        "negation_mismatch": table.negated[first] != table.negated[second],
        "length_gap": np.log1p(np.abs(table.n_words[first] - table.n_words[second])),
        "numbers_equal": same_values,
        "specific_shared": np.log1p(s[:, SPECIFIC]),
        "specific_overlap": _ratio(s[:, SPECIFIC], np.minimum(a[:, SPECIFIC], b[:, SPECIFIC])),
        "common_only": (s[:, TERM] + s[:, ENTITY] > 0) & (s[:, SPECIFIC] == 0),
        "same_count": s[:, COUNT] > 0,
    }
    # a feature's values side by side in memory: the scorer reads the matrix a column at a time
    return np.vstack([np.asarray(columns[name], dtype=float) for name in FEATURES]).T
