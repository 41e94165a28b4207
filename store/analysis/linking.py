"""Cross-source claim links.

Candidates come from an inverted index over content lemmas and canonical
entities (never all pairs): each claim looks up only its most specific keys,
and keys found in more than MAX_POSTING sentences are skipped, so
linking grows near-linearly with the story. Each candidate pair is scored by
a small boosted-tree model over overlap features (trees in
store/data/link_scorer.json, see store/analysis/train_scorer.py), kept above
the threshold, and labelled same / related / differs.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from importlib.resources import files

from store.models import Claim, Link, Quantity

KEYS_PER_CLAIM = 32
# Keys in more sentences than this are too common to find candidates by; a constant
# (not a share of the story) keeps linking linear in the story's size.
MAX_POSTING = 400
MAX_CANDIDATES = 100
MIN_SHARED = 0.05
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
    "doc_similarity",
    "doc_entities",
    "context",
    "word_f1",
    "bigram_f1",
    "trigram_f1",
    "negation_mismatch",
    "length_gap",
    "numbers_equal",
)
# differences() finds something only where one of these features is set
NUMBER_CONFLICT, DATE_CONFLICT = FEATURES.index("number_conflict"), FEATURES.index("date_conflict")
NEGATIONS = {"not", "no", "never", "n't", "nor", "none", "nobody", "nothing", "neither", "without"}
WORD = re.compile(r"\w+(?:'\w+)?")
CONTEXT_SENTENCES = 50


@dataclass(frozen=True)
class ClaimRef:
    """A claim together with the article it belongs to and its sentence's text."""

    article: str
    claim: Claim
    text: str = ""


@dataclass(frozen=True)
class Tree:
    """One regression tree of the boosted scorer, as parallel node arrays (leaf: feature "")."""

    feature: tuple[str, ...]
    threshold: tuple[float, ...]
    left: tuple[int, ...]
    right: tuple[int, ...]
    value: tuple[float, ...]


@dataclass
class Scorer:
    """Gradient-boosted trees over pair features; `threshold` decides a link, `same` a close one.

    Pairs are scored in batches with numpy: every tree walks all rows at once.
    """

    trees: tuple[Tree, ...]
    init: float
    rate: float
    threshold: float
    same: float
    compiled: list = field(default_factory=list, repr=False, compare=False)

    def probabilities(self, rows: Sequence[Sequence[float]]):
        """The link probability of each row of features (in FEATURES order).

        Trees are evaluated a column at a time: each split's comparison is made
        once for all rows, a tree's leaves are told apart with boolean masks, and
        its leaf values are gathered once (np.where is slow on big arrays).
        """
        import numpy as np

        if not len(rows):
            return np.zeros(0)
        columns = np.ascontiguousarray(np.asarray(rows, dtype=float).T)
        splits: dict[tuple[int, float], object] = {}
        z = np.full(columns.shape[1], self.init)
        for feature, threshold, left, right, leaf in self._compiled():
            leaf_of = np.zeros(columns.shape[1], dtype=np.intp)
            values = []
            stack: list[tuple[int, object]] = [(0, True)]
            while stack:
                node, reaches = stack.pop()
                if feature[node] < 0:
                    if values:
                        leaf_of += reaches * len(values)
                    values.append(leaf[node])
                    continue
                key = (feature[node], threshold[node])
                if key not in splits:
                    splits[key] = columns[key[0]] <= key[1]
                stack.append((left[node], reaches & splits[key]))
                stack.append((right[node], reaches & ~splits[key]))
            z += self.rate * np.array(values)[leaf_of]
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))

    def _compiled(self) -> list[tuple]:
        """The trees with feature indices (-1 at leaves) instead of names."""
        if not self.compiled:
            index = {name: i for i, name in enumerate(FEATURES)}
            self.compiled = [
                (
                    [index[f] if f else -1 for f in t.feature],
                    t.threshold,
                    t.left,
                    t.right,
                    t.value,
                )
                for t in self.trees
            ]
        return self.compiled


@functools.lru_cache(maxsize=1)
def default_scorer() -> Scorer:
    data = json.loads(files("store").joinpath("data/link_scorer.json").read_text("utf-8"))
    trees = tuple(
        Tree(
            tuple(t["feature"]),
            tuple(t["threshold"]),
            tuple(t["left"]),
            tuple(t["right"]),
            tuple(t["value"]),
        )
        for t in data["trees"]
    )
    return Scorer(trees, data["init"], data["rate"], data["threshold"], data["same_threshold"])


class Idf:
    """Inverse document frequency of keys over a set of sentences."""

    def __init__(self, bags: Iterable[Iterable[str]]) -> None:
        self.df: Counter[str] = Counter()
        self.n = 0
        for bag in bags:
            self.df.update(set(bag))
            self.n += 1
        self._cache: dict[str, float] = {}

    def __call__(self, key: str) -> float:
        value = self._cache.get(key)
        if value is None:
            value = math.log((self.n + 1) / (self.df.get(key, 0) + 1)) + 1.0
            self._cache[key] = value
        return value


def claim_keys(claim: Claim) -> set[str]:
    return set(claim.terms) | {f"@{e}" for e in claim.entities}


def _numbers_conflict(a: Sequence[Quantity], b: Sequence[Quantity]) -> bool:
    """Both sides give a figure in the same unit, and one side's figure is not the other's."""
    values: dict[str, set[float]] = defaultdict(set)
    for q in a:
        if q.unit:
            values[q.unit].add(q.value)
    return any(q.unit in values and q.value not in values[q.unit] for q in b)


def differences(a: Claim, b: Claim) -> tuple[str, ...]:
    """What two otherwise matching claims state differently: "9 times | 7 times"."""
    out = []
    if a.numbers and b.numbers and _numbers_conflict(a.numbers, b.numbers):
        for unit in sorted({q.unit for q in a.numbers} & {q.unit for q in b.numbers}):
            va = ", ".join(q.text for q in a.numbers if q.unit == unit)
            vb = ", ".join(q.text for q in b.numbers if q.unit == unit)
            if {q.value for q in a.numbers if q.unit == unit} != {
                q.value for q in b.numbers if q.unit == unit
            }:
                out.append(f"{va} | {vb}")
    if _dates_conflict(a.dates, b.dates):
        da, db = _comparable_dates(a.dates, b.dates)
        out.append(
            f"{', '.join(map(readable_date, sorted(da)))} | "
            f"{', '.join(map(readable_date, sorted(db)))}"
        )
    return tuple(out)


MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def readable_date(norm: str) -> str:
    """A normalised date as a reader writes it: "2024-06-19" -> "June 19, 2024"."""
    if norm.startswith("wd-"):
        return norm[3:].capitalize()
    year, _, rest = (
        norm.lstrip("-").partition("-") if not norm.startswith("--") else ("", "", norm[2:])
    )
    parts = rest.split("-") if rest else []
    if len(parts) == 2:
        text = f"{MONTH_NAMES[int(parts[0]) - 1]} {int(parts[1])}"
        return f"{text}, {year}" if year else text
    if len(parts) == 1:
        return f"{MONTH_NAMES[int(parts[0]) - 1]} {year}"
    return year or norm


DATE_KINDS = (  # full days, months, years, bare days, weekdays
    lambda d: len(d) == 10 and d[0] != "-",
    lambda d: len(d) == 7 and d[0] != "-",
    lambda d: len(d) == 4,
    lambda d: d.startswith("--"),
    lambda d: d.startswith("wd-"),
)


def date_kinds(dates: Sequence[str]) -> tuple[frozenset[str], ...]:
    """Normalised dates sorted by kind (DATE_KINDS): only dates of one kind compare."""
    return tuple(frozenset(d for d in dates if kind(d)) for kind in DATE_KINDS)


def _comparable_dates(a: Sequence[str], b: Sequence[str]) -> tuple[set[str], set[str]]:
    """Dates of the first kind that both sides give."""
    for da, db in zip(date_kinds(a), date_kinds(b)):
        if da and db:
            return set(da), set(db)
    return set(), set()


def _kinds_conflict(a: tuple[frozenset[str], ...], b: tuple[frozenset[str], ...]) -> bool:
    for da, db in zip(a, b):
        if da and db:
            return not da & db
    return False


def _bigrams(terms: Sequence[str]) -> set[tuple[str, str]]:
    return set(zip(terms, terms[1:]))


def _group(entities: set[str], prefix: str) -> set[str]:
    return {e for e in entities if e.startswith(prefix)}


def context_of(sentences_a: int, sentences_b: int) -> float:
    """How much article context the pair has: 0 for one-sentence texts, 1 for long articles.

    Without context a match must stand on the sentences alone; with it, related
    wording in articles about the same event is more likely the same claim.
    """
    n = min(sentences_a, sentences_b)
    return min(1.0, math.log(max(n, 1)) / math.log(CONTEXT_SENTENCES))


def words_of(text: str) -> list[str]:
    return WORD.findall(text.lower().replace("\u2019", "'"))


@dataclass(frozen=True)
class Prepared:
    """What pair features need of one claim, computed once per claim.

    Word n-grams are sets of (n-gram, occurrence) so that the size of an
    intersection is the multiset overlap, counted in C.
    """

    claim: Claim
    terms: Counter[str]
    term_set: frozenset[str]
    idf: dict[str, float]
    term_weight: float
    term_norm: float
    bigrams: frozenset[tuple[str, str]]
    grams: tuple[frozenset, frozenset, frozenset]
    n_words: int
    negated: bool
    entities: frozenset[str]
    people: frozenset[str]
    places: frozenset[str]
    values: frozenset[float]
    dates: tuple[frozenset[str], ...]

    @classmethod
    def of(cls, claim: Claim, text: str, idf: Idf) -> Prepared:
        terms = Counter(claim.terms)
        weights = {t: idf(t) for t in terms}
        words = words_of(text)
        entities = frozenset(claim.entities)
        return cls(
            claim,
            terms,
            frozenset(terms),
            weights,
            sum(weights.values()),
            math.sqrt(sum((c * weights[t]) ** 2 for t, c in terms.items())),
            frozenset(zip(claim.terms, claim.terms[1:])),
            tuple(_occurrences(zip(*(words[i:] for i in range(n)))) for n in (1, 2, 3)),
            len(words),
            bool(NEGATIONS & set(words)),
            entities,
            frozenset(e for e in entities if e.startswith("person:")),
            frozenset(e for e in entities if e.startswith("place:")),
            frozenset(q.value for q in claim.numbers),
            date_kinds(claim.dates),
        )


def _occurrences(grams: Iterable) -> frozenset:
    seen: Counter = Counter()
    out = []
    for gram in grams:
        seen[gram] += 1
        out.append((gram, seen[gram]))
    return frozenset(out)


def _gram_f1(a: frozenset, b: frozenset) -> float:
    """F1 of shared n-grams (as multisets), as machine-translation metrics count them."""
    total = len(a) + len(b)
    return 2 * len(a & b) / total if total else 0.0


def pair_features(
    a: Claim,
    b: Claim,
    idf: Idf,
    doc_similarity: float = 1.0,
    context: float = 0.0,
    text_a: str = "",
    text_b: str = "",
    doc_entities: float = 1.0,
) -> tuple[float, ...]:
    """The scorer's inputs for one pair of claims (and their sentences' text)."""
    return prepared_features(
        Prepared.of(a, text_a, idf),
        Prepared.of(b, text_b, idf),
        doc_similarity,
        context,
        doc_entities,
    )


def prepared_features(
    pa: Prepared,
    pb: Prepared,
    doc_similarity: float,
    context: float,
    doc_entities: float,
) -> tuple[float, ...]:
    """The features of a pair, in FEATURES order."""
    a, b = pa.claim, pb.claim
    ta, tb = pa.terms, pb.terms
    shared = pa.term_set & pb.term_set
    weight = pa.idf
    dot = sum(ta[t] * tb[t] * weight[t] ** 2 for t in shared)
    ws = sum(weight[t] for t in shared)
    wa, wb = pa.term_weight, pb.term_weight
    ba, bb = pa.bigrams, pb.bigrams
    ea, eb = pa.entities, pb.entities
    va, vb = pa.values, pb.values
    la, lb = len(ta), len(tb)
    only_a, only_b = la - len(shared), lb - len(shared)
    either = len(ea | eb)
    both = len(ea & eb)
    return (
        dot / (pa.term_norm * pb.term_norm) if pa.term_norm and pb.term_norm else 0.0,
        ws / min(wa, wb) if wa and wb else 0.0,
        ws / max(wa, wb) if wa and wb else 0.0,
        len(ba & bb) / min(len(ba), len(bb)) if ba and bb else 0.0,
        math.log1p(only_a + only_b),
        math.log1p(max(only_a, only_b)),
        both / either if either else 0.0,
        1.0 if both else 0.0,
        1.0 if pa.people and pb.people and not pa.people & pb.people else 0.0,
        1.0 if pa.places and pb.places and not pa.places & pb.places else 0.0,
        1.0 if a.speaker and a.speaker == b.speaker else 0.0,
        1.0 if va and vb and _numbers_conflict(a.numbers, b.numbers) else 0.0,
        1.0 if va and vb and va != vb else 0.0,
        1.0 if bool(va) != bool(vb) else 0.0,
        1.0 if a.dates and b.dates and _kinds_conflict(pa.dates, pb.dates) else 0.0,
        min(la, lb) / max(la, lb) if la and lb else 0.0,
        doc_similarity,
        doc_entities,
        context,
        _gram_f1(pa.grams[0], pb.grams[0]),
        _gram_f1(pa.grams[1], pb.grams[1]),
        _gram_f1(pa.grams[2], pb.grams[2]),
        1.0 if pa.negated != pb.negated else 0.0,
        math.log1p(abs(pa.n_words - pb.n_words)),
        1.0 if va and va == vb else 0.0,
    )


def _dates_conflict(a: Sequence[str], b: Sequence[str]) -> bool:
    return bool(a and b) and _kinds_conflict(date_kinds(a), date_kinds(b))


def relation_of(probability: float, diffs: tuple[str, ...], scorer: Scorer) -> str:
    if diffs:
        return "differs"
    return "same" if probability >= scorer.same else "related"


def evidence_of(a: Prepared, b: Prepared) -> tuple[str, ...]:
    """What two claims share: entities first, then content terms."""
    return (*sorted(a.entities & b.entities), *sorted(a.term_set & b.term_set))


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(k, 0.0) for k, v in a.items())


class StoryIndex:
    """The claims of one story, indexed by their keys (content lemmas and entities)."""

    def __init__(self, claims: Sequence[ClaimRef]) -> None:
        self.claims = list(claims)
        self.keys = [claim_keys(ref.claim) for ref in self.claims]
        self.idf = Idf(self.keys)
        self.sizes = Counter(ref.article for ref in self.claims)
        self.postings: dict[str, list[int]] = defaultdict(list)
        for i, ks in enumerate(self.keys):
            for k in ks:
                self.postings[k].append(i)
        self.key_weight = [sum(self.idf(k) for k in ks) for ks in self.keys]
        self.prepared = [Prepared.of(ref.claim, ref.text, self.idf) for ref in self.claims]
        self.docs = self._article_vectors(lambda k: True)
        self.doc_entities = self._article_vectors(lambda k: k.startswith("@"))
        self._doc_sim: dict[tuple[str, str], tuple[float, float]] = {}

    def _article_vectors(self, keep: Callable[[str], bool]) -> dict[str, dict[str, float]]:
        """A normalised tf-idf vector per article over the keys `keep` accepts."""
        bags: dict[str, Counter[str]] = defaultdict(Counter)
        for ref, keys in zip(self.claims, self.keys):
            bags[ref.article].update(k for k in keys if keep(k))
        vectors = {}
        for article, bag in bags.items():
            vec = {k: c * self.idf(k) for k, c in bag.items()}
            norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
            vectors[article] = {k: v / norm for k, v in vec.items()}
        return vectors

    def candidates(self, i: int) -> list[int]:
        """Claims of other articles that share claim i's most specific keys, best first.

        Like a search engine: shared keys add their idf to a candidate's weight.
        A candidate whose shared weight is under MIN_SHARED of the lighter claim's
        key weight has too little in common to be the same claim; of the rest, only
        the MAX_CANDIDATES heaviest are scored in full.
        """
        specific = sorted(self.keys[i], key=lambda k: (-self.idf(k), k))[:KEYS_PER_CLAIM]
        weight: dict[int, float] = defaultdict(float)
        article = self.claims[i].article
        for k in specific:
            posting = self.postings[k]
            if len(posting) <= MAX_POSTING:
                w = self.idf(k)
                for j in posting:
                    weight[j] += w
        mine = self.key_weight[i]
        ranked = sorted(
            (
                j
                for j, w in weight.items()
                if self.claims[j].article != article
                and w >= MIN_SHARED * min(mine, self.key_weight[j])
            ),
            key=lambda j: (-weight[j], j),
        )
        return ranked[:MAX_CANDIDATES]

    def candidate_pairs(self) -> list[tuple[int, int]]:
        """Pairs (i < j) where either claim ranks the other among its candidates."""
        pairs = {
            (min(i, j), max(i, j)) for i in range(len(self.claims)) for j in self.candidates(i)
        }
        return sorted(pairs)

    def doc_similarity(self, a: str, b: str) -> tuple[float, float]:
        """Cosine of two articles over all keys, and over entities only."""
        pair = (a, b) if a <= b else (b, a)
        if pair not in self._doc_sim:
            self._doc_sim[pair] = (
                _cosine(self.docs[a], self.docs[b]),
                _cosine(self.doc_entities[a], self.doc_entities[b]),
            )
        return self._doc_sim[pair]

    def features(self, i: int, j: int) -> tuple[float, ...]:
        a, b = self.claims[i], self.claims[j]
        doc, doc_entities = self.doc_similarity(a.article, b.article)
        context = context_of(self.sizes[a.article], self.sizes[b.article])
        return prepared_features(self.prepared[i], self.prepared[j], doc, context, doc_entities)


def link_claims(claims: Sequence[ClaimRef], scorer: Scorer | None = None) -> list[Link]:
    """All links between claims of different articles, found through the index."""
    scorer = scorer or default_scorer()
    index = StoryIndex(claims)
    pairs = index.candidate_pairs()
    rows = [index.features(i, j) for i, j in pairs]
    scores = scorer.probabilities(rows)
    links: list[Link] = []
    for (i, j), row, p in zip(pairs, rows, scores.tolist()):
        ref, other = index.claims[i], index.claims[j]
        if p >= scorer.threshold:
            conflict = row[NUMBER_CONFLICT] or row[DATE_CONFLICT]
            diffs = differences(ref.claim, other.claim) if conflict else ()
            links.append(
                Link(
                    ref.article,
                    ref.claim.sentence,
                    other.article,
                    other.claim.sentence,
                    round(p, 4),
                    relation_of(p, diffs, scorer),
                    evidence_of(index.prepared[i], index.prepared[j]),
                    diffs,
                )
            )
    return links
