"""Cross-source claim links.

Candidates come from an inverted index over content lemmas and canonical
entities (never all pairs): each claim looks up only its most specific keys,
and keys that occur in a large share of a story's sentences are skipped, so
linking grows near-linearly with the story. Each candidate pair is scored by
a small logistic model over overlap features (weights in
store/data/link_weights.json, see store/analysis/train_scorer.py), kept above
the threshold, and labelled same / related / differs.
"""

from __future__ import annotations

import functools
import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib.resources import files

from store.models import Claim, Link, Quantity

KEYS_PER_CLAIM = 12
MAX_POSTING_SHARE = 0.2
MIN_POSTING_CAP = 40
FEATURES = (
    "cosine",
    "overlap",
    "entity_jaccard",
    "shared_entity",
    "person_conflict",
    "same_speaker",
    "number_conflict",
    "date_conflict",
    "length_ratio",
    "doc_similarity",
)


@dataclass(frozen=True)
class ClaimRef:
    """A claim together with the article it belongs to."""

    article: str
    claim: Claim


@dataclass(frozen=True)
class Scorer:
    """Logistic model over pair features; `threshold` decides a link, `same` a close one."""

    weights: dict[str, float]
    bias: float
    threshold: float
    same: float

    def probability(self, features: dict[str, float]) -> float:
        z = self.bias + sum(self.weights.get(k, 0.0) * v for k, v in features.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@functools.lru_cache(maxsize=1)
def default_scorer() -> Scorer:
    data = json.loads(files("store").joinpath("data/link_weights.json").read_text("utf-8"))
    return Scorer(data["weights"], data["bias"], data["threshold"], data["same_threshold"])


class Idf:
    """Inverse document frequency of keys over a set of sentences."""

    def __init__(self, bags: Iterable[Iterable[str]]) -> None:
        self.df: Counter[str] = Counter()
        self.n = 0
        for bag in bags:
            self.df.update(set(bag))
            self.n += 1

    def __call__(self, key: str) -> float:
        return math.log((self.n + 1) / (self.df.get(key, 0) + 1)) + 1.0


def claim_keys(claim: Claim) -> set[str]:
    return set(claim.terms) | {f"@{e}" for e in claim.entities}


def _numbers_conflict(a: Sequence[Quantity], b: Sequence[Quantity]) -> bool:
    units_a = {q.unit: set() for q in a if q.unit}
    for q in a:
        if q.unit:
            units_a[q.unit].add(q.value)
    for q in b:
        if q.unit in units_a and q.value not in units_a[q.unit]:
            return True
    return False


def differences(a: Claim, b: Claim) -> tuple[str, ...]:
    """What two otherwise matching claims state differently: "9 times | 7 times"."""
    out = []
    if _numbers_conflict(a.numbers, b.numbers):
        for unit in sorted({q.unit for q in a.numbers} & {q.unit for q in b.numbers}):
            va = ", ".join(q.text for q in a.numbers if q.unit == unit)
            vb = ", ".join(q.text for q in b.numbers if q.unit == unit)
            if {q.value for q in a.numbers if q.unit == unit} != {
                q.value for q in b.numbers if q.unit == unit
            }:
                out.append(f"{va} | {vb}")
    da, db = _comparable_dates(a.dates, b.dates)
    if da and db and not (da & db):
        out.append(f"{', '.join(sorted(da))} | {', '.join(sorted(db))}")
    return tuple(out)


def _comparable_dates(a: Sequence[str], b: Sequence[str]) -> tuple[set[str], set[str]]:
    """Dates of the same precision on both sides (full days, months or years)."""
    for size in (10, 7, 4):
        da = {d for d in a if len(d) == size and d[0] != "-"}
        db = {d for d in b if len(d) == size and d[0] != "-"}
        if da and db:
            return da, db
    da = {d for d in a if d.startswith("--")}
    db = {d for d in b if d.startswith("--")}
    return da, db


def pair_features(a: Claim, b: Claim, idf: Idf, doc_similarity: float = 1.0) -> dict[str, float]:
    """The scorer's inputs for one pair of claims."""
    ta, tb = Counter(a.terms), Counter(b.terms)
    shared = set(ta) & set(tb)
    dot = sum(ta[t] * tb[t] * idf(t) ** 2 for t in shared)
    na = math.sqrt(sum((c * idf(t)) ** 2 for t, c in ta.items()))
    nb = math.sqrt(sum((c * idf(t)) ** 2 for t, c in tb.items()))
    cosine = dot / (na * nb) if na and nb else 0.0
    wa = sum(idf(t) for t in set(ta))
    wb = sum(idf(t) for t in set(tb))
    overlap = sum(idf(t) for t in shared) / min(wa, wb) if wa and wb else 0.0
    ea, eb = set(a.entities), set(b.entities)
    jaccard = len(ea & eb) / len(ea | eb) if ea | eb else 0.0
    pa = {e for e in ea if e.startswith("person:")}
    pb = {e for e in eb if e.startswith("person:")}
    la, lb = len(ta), len(tb)
    return {
        "cosine": cosine,
        "overlap": overlap,
        "entity_jaccard": jaccard,
        "shared_entity": 1.0 if ea & eb else 0.0,
        "person_conflict": 1.0 if pa and pb and not pa & pb else 0.0,
        "same_speaker": 1.0 if a.speaker and a.speaker == b.speaker else 0.0,
        "number_conflict": 1.0 if _numbers_conflict(a.numbers, b.numbers) else 0.0,
        "date_conflict": 1.0
        if differences(Claim(0, dates=a.dates), Claim(0, dates=b.dates))
        else 0.0,
        "length_ratio": min(la, lb) / max(la, lb) if la and lb else 0.0,
        "doc_similarity": doc_similarity,
    }


def relation_of(probability: float, diffs: tuple[str, ...], scorer: Scorer) -> str:
    if diffs:
        return "differs"
    return "same" if probability >= scorer.same else "related"


def evidence_of(a: Claim, b: Claim) -> tuple[str, ...]:
    shared_entities = sorted(set(a.entities) & set(b.entities))
    shared_terms = sorted(set(a.terms) & set(b.terms))
    return tuple(shared_entities + shared_terms)


def article_vectors(claims: Sequence[ClaimRef], idf: Idf) -> dict[str, dict[str, float]]:
    """A normalised tf-idf vector of entities and terms per article."""
    bags: dict[str, Counter[str]] = defaultdict(Counter)
    for ref in claims:
        bags[ref.article].update(claim_keys(ref.claim))
    vectors = {}
    for article, bag in bags.items():
        vec = {k: c * idf(k) for k, c in bag.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        vectors[article] = {k: v / norm for k, v in vec.items()}
    return vectors


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(k, 0.0) for k, v in a.items())


def link_claims(claims: Sequence[ClaimRef], scorer: Scorer | None = None) -> list[Link]:
    """All links between claims of different articles, found through the index."""
    scorer = scorer or default_scorer()
    keys = [claim_keys(ref.claim) for ref in claims]
    idf = Idf(keys)
    cap = max(MIN_POSTING_CAP, int(MAX_POSTING_SHARE * len(claims)))
    postings: dict[str, list[int]] = defaultdict(list)
    for i, ks in enumerate(keys):
        for k in ks:
            postings[k].append(i)
    docs = article_vectors(claims, idf)
    doc_sim: dict[tuple[str, str], float] = {}
    links: list[Link] = []
    for i, ref in enumerate(claims):
        specific = sorted(keys[i], key=lambda k: -idf(k))[:KEYS_PER_CLAIM]
        candidates: set[int] = set()
        for k in specific:
            posting = postings[k]
            if len(posting) <= cap:
                candidates.update(j for j in posting if j > i)
        for j in sorted(candidates):
            other = claims[j]
            if other.article == ref.article:
                continue
            pair = (ref.article, other.article)
            if pair not in doc_sim:
                doc_sim[pair] = _cosine(docs[ref.article], docs[other.article])
            features = pair_features(ref.claim, other.claim, idf, doc_sim[pair])
            p = scorer.probability(features)
            if p < scorer.threshold:
                continue
            diffs = differences(ref.claim, other.claim)
            links.append(
                Link(
                    ref.article,
                    ref.claim.sentence,
                    other.article,
                    other.claim.sentence,
                    round(p, 4),
                    relation_of(p, diffs, scorer),
                    evidence_of(ref.claim, other.claim),
                    diffs,
                )
            )
    return links
