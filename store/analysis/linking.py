"""Cross-source claim links.

Candidates come from an inverted index over content lemmas and canonical
entities (never all pairs): each claim looks up only its most specific keys,
and keys found in more than MAX_POSTING sentences are skipped, so
linking grows near-linearly with the story. Each candidate pair is scored by
a small boosted-tree model over overlap features (computed for all candidate
pairs at once, store/analysis/features.py; trees in store/data/link_scorer.json,
see store/analysis/train_scorer.py), kept above the threshold, and labelled
same / related / differs.
"""

from __future__ import annotations

import functools
import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from importlib.resources import files
from typing import Any

import numpy as np

from store import spread
from store.analysis.claims import PEOPLE, QUANTITY_KINDS
from store.analysis.dates import MONTH_PATTERN, readable_date
from store.analysis.features import (
    FEATURES,
    ClaimTable,
    Idf,
    SparseRows,
    by_first,
    claim_keys,
    context_of,
    counts_of,
    date_kinds,
    feature_matrix,
    kinds_conflict,
    ranges,
)
from store.link_table import STRENGTH, LinkTable
from store.models import Claim, ClaimGroup, Difference, Quantity, SentenceRef

KEYS_PER_CLAIM = 32
# Keys in more sentences than this are too common to find candidates by; a constant
# (not a share of the story) keeps linking linear in the story's size.
MAX_POSTING = 400
MAX_CANDIDATES = 100
MIN_SHARED = 0.05
PAIRS_AT_ONCE = 1 << 22  # (claim, claim) sums counted at once in finding candidates
SPREAD_PAIRS = 20_000  # pairs from which a helper scores every other claim's (a fork: ~10 ms)
COMMON_SHARE = 0.5  # a key in half a story's articles or more is common
COMMON_MIN_ARTICLES = 2
COMMON_PREFIX = "@"  # only common names are never looked up; common words are weighed by idf
# Figures each agency measures for itself: they differ only when one agency is named on both sides.
MEASURED = {"magnitude"}
# A place only one article of a story names, in a story of at least this many articles, is
# somewhere within the event: a figure beside it ("four dead in the national park") may be
# a part of the figure of the place most articles name ("nine dead in Taiwan").
LOCAL_MIN_ARTICLES = 3
MONTH_NAMED = re.compile(MONTH_PATTERN)  # a date written out, not a weekday or "yesterday"
KINDS = frozenset(QUANTITY_KINDS.values())  # what figures count, against what they measure
ROUNDED = 1.02  # two figures of a measure this near are one figure rounded
ONE_MEASURE = 1.5  # ... and further apart than this, measures of two things


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
    closure: float = 1.0  # a pair scored this high links when both link strongly to a third
    # ... to this share of the sentences the less linked of the two links strongly to
    closure_share: float = 0.0
    # How far the two articles' likeness may move a pair's score (never more than shift_max).
    shift_scale: float = 0.0
    shift_max: float = 0.0
    compiled: list = field(default_factory=list, repr=False, compare=False)

    def probabilities(self, rows: Sequence[Sequence[float]] | np.ndarray) -> np.ndarray:
        """The link probability of each row of features (in FEATURES order).

        Trees are evaluated a column at a time: each split's comparison is made
        once for all rows, a tree's leaves are told apart with boolean masks and
        numbered in one byte per row (trees have at most 8 leaves), and its leaf
        values are gathered once (np.where is slow on big arrays).
        """
        if not len(rows):
            return np.zeros(0)
        columns = np.ascontiguousarray(np.asarray(rows, dtype=float).T)
        splits: dict[tuple[int, float], Any] = {}
        z = np.full(columns.shape[1], self.init)
        for feature, threshold, left, right, leaf in self._compiled():
            leaf_of = np.zeros(columns.shape[1], dtype=np.uint8)
            values: list[float] = []
            stack: list[tuple[int, Any]] = [(0, True)]
            while stack:
                node, reaches = stack.pop()
                if feature[node] < 0:
                    if values:
                        leaf_of += reaches.view(np.uint8) * np.uint8(len(values))
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
    return Scorer(
        trees,
        data["init"],
        data["rate"],
        data["threshold"],
        data["same_threshold"],
        data.get("closure_threshold", 1.0),
        data.get("closure_share", 0.0),
        data.get("shift_scale", 0.0),
        data.get("shift_max", 0.0),
    )


@dataclass(frozen=True)
class Stated:
    """What `differences` compares of one sentence, worked out once per sentence."""

    years: frozenset[str]  # the years its dates name
    orgs: frozenset[str]
    figures: dict[str, tuple[Quantity, ...]]  # by what they count (_what)
    dates: tuple[str, ...]
    local: bool = False  # it names a place no other article of the story names
    whole: bool = False  # it names a place most of the story's articles name

    @classmethod
    def of(cls, claim: Claim, places: PlaceScopes | None = None) -> Stated:
        figures: dict[str, list[Quantity]] = defaultdict(list)
        for q in claim.numbers:
            figures[_what(q)].append(q)
        places = places or PlaceScopes()
        return cls(
            frozenset(d[:4] for d in claim.dates if d[:4].isdigit()),
            frozenset(e for e in claim.entities if e.startswith("org:")),
            {what: tuple(qs) for what, qs in figures.items()},
            claim.dates,
            not places.local.isdisjoint(claim.entities),
            not places.whole.isdisjoint(claim.entities),
        )


@dataclass(frozen=True)
class PlaceScopes:
    """A story's places by how many of its articles name them (entity ids): `local`
    ones only one article names, `whole` ones most name (where the event is)."""

    local: frozenset[str] = frozenset()
    whole: frozenset[str] = frozenset()


def differences(a: Claim, b: Claim, dates: bool = True) -> tuple[Difference, ...]:
    """What two sentences of one claim state differently: ("dead", "4", "nine").

    Figures compare only when they count the same thing (the dead, the
    injured, a magnitude, else the same unit, but not a group of people: _what)
    and, where both sentences name organisations, only when they name one in
    common (the magnitude by the same agency). A bound holds a value inside it
    ("more than 1,000" and "1,400"), but not one far past it ("more than 50
    injured" and "711"). Figures of a measure (a length, a distance: no count of the
    event) differ only when near enough to measure one thing (_measures_differ).
    Sentences that name other years tell of other events: nothing differs.
    Dates compare only where `dates` (both sentences write a date out).
    """
    return stated_differences(Stated.of(a), Stated.of(b), dates)


def stated_differences(a: Stated, b: Stated, dates: bool = True) -> tuple[Difference, ...]:
    """`differences` of two sentences' Stated."""
    if a.years != b.years:  # "in 1999 ... killed 2,400" is another event, not a difference
        return ()
    out: list[Difference] = []
    # a part (a place only one report names) against the whole or another part
    partial = (a.local or b.local) and (a.local or a.whole) and (b.local or b.whole)
    if (
        a.figures
        and b.figures
        and not partial
        and not (a.orgs and b.orgs and a.orgs.isdisjoint(b.orgs))
    ):
        for what in sorted(a.figures.keys() & b.figures.keys()):
            if what in MEASURED and a.orgs.isdisjoint(b.orgs):
                continue  # each agency measures its own: 7.2 by one, 7.4 by another
            qa, qb = a.figures[what], b.figures[what]
            measure = what not in KINDS  # a length, a distance, a share: no count of the event
            if what and (_measures_differ(qa, qb) if measure else not _agree(qa, qb)):
                out.append(
                    Difference(what, ", ".join(q.text for q in qa), ", ".join(q.text for q in qb))
                )
    if dates and _dates_conflict(a.dates, b.dates):
        da, db = _comparable_dates(a.dates, b.dates)
        out.append(
            Difference(
                "date",
                ", ".join(map(readable_date, sorted(da))),
                ", ".join(map(readable_date, sorted(db))),
            )
        )
    return tuple(out)


def _what(q: Quantity) -> str:
    """What a figure counts, for comparing it: its kind (the dead, the missing...), else its
    unit; nothing for people whose fate it does not say ("seven people" searched for, "two
    people" pulled out, "22 crew members"), who may be any group."""
    return q.what or ("" if q.unit in PEOPLE else q.unit)


def _agree(a: Sequence[Quantity], b: Sequence[Quantity]) -> bool:
    """Whether two sides' figures of one thing can be one count: one figure of each side
    is the other's, or holds it as a bound, or one side's figures are parts of the other's."""
    return (
        any(x.value == y.value or _within(x, y.value) or _within(y, x.value) for x in a for y in b)
        or _adds_up(a, b)
        or _adds_up(b, a)
    )


def _measures_differ(a: Sequence[Quantity], b: Sequence[Quantity]) -> bool:
    """Whether two sides' figures of one measure differ: two of them are near enough to
    measure one thing (a ship's 948 and 984 feet), not so near that they are one figure
    rounded (985 and 984 feet, 2.57 and 2.6 km). Far apart, they measure two things:
    a ship's 985 feet and the 25 feet of water a truck was found in, a quake's depth of
    15.5 km and Taipei 150 km away."""
    ratios = [
        max(x.value, y.value) / min(x.value, y.value) for x in a for y in b if x.value > 0 < y.value
    ]
    return bool(ratios) and min(ratios) > ROUNDED and min(ratios) <= ONE_MEASURE


def _adds_up(parts: Sequence[Quantity], whole: Sequence[Quantity]) -> bool:
    """Whether several figures add up to one of the other side's: "64 trapped in one mine
    and six in another" and "70 trapped"."""
    if len(parts) < 2:
        return False
    total = sum(q.value for q in parts)
    return any(y.value == total or _within(y, total) for y in whole)


def _within(bound: Quantity, value: float) -> bool:
    """A value the bound holds, as sources round the same count ("more than 1,000": 1,400).
    An upper bound rounds only to a round figure: "as many as seven" missing and "six" are
    two counts. A round hundred without a bound is rounded down as "more than" is: "900
    injured" in a headline and "over 946" in the text. "Hundreds" holds 200 to 999;
    "multiple" any figure from two up."""
    if bound.bound == "min":
        return bound.value <= value <= 2 * bound.value
    if bound.bound == "max":
        return bound.value % 10 == 0 and 0.5 * bound.value <= value <= bound.value
    if bound.bound == "about":
        return abs(value - bound.value) <= 0.2 * bound.value
    if bound.bound == "vague":  # "hundreds" (200): up to 999; "dozens" (24): up to 99
        return bound.value <= value < 10 ** len(str(int(bound.value)))
    if bound.bound == "several":  # "shot multiple times": five times, or 25
        return value >= bound.value
    if not bound.bound and bound.value >= 100 and bound.value % 100 == 0:
        return bound.value <= value <= 1.1 * bound.value
    return False


def _comparable_dates(a: Sequence[str], b: Sequence[str]) -> tuple[set[str], set[str]]:
    """Dates of the first kind that both sides give."""
    for da, db in zip(date_kinds(a), date_kinds(b)):
        if da and db:
            return set(da), set(db)
    return set(), set()


def _dates_conflict(a: Sequence[str], b: Sequence[str]) -> bool:
    return bool(a and b) and kinds_conflict(date_kinds(a), date_kinds(b))


class StoryIndex:
    """The claims of one story, indexed by their keys (content lemmas and entities).

    Each key is numbered once (`vocabulary`); the postings, each claim's key
    weight, the story's common keys and the articles' vectors are then counted
    over one flat array of (claim, key number), not key by key.
    """

    def __init__(self, claims: Sequence[ClaimRef]) -> None:
        self.claims = list(claims)
        self.counts = [counts_of(ref.claim, ref.text) for ref in self.claims]
        self.keys = [claim_keys(r.claim, counts=c) for r, c in zip(self.claims, self.counts)]
        self.sizes = Counter(ref.article for ref in self.claims)
        articles = {a: n for n, a in enumerate(self.sizes)}
        self.article_of = np.array([articles[ref.article] for ref in self.claims], dtype=np.intp)
        flat = [k for ks in self.keys for k in ks]
        self.vocabulary: dict[str, int] = {k: n for n, k in enumerate(dict.fromkeys(flat))}
        self._key = np.array([self.vocabulary[k] for k in flat], dtype=np.intp)
        self._owner = np.repeat(np.arange(len(self.keys)), [len(ks) for ks in self.keys])
        found_in = np.bincount(self._key, minlength=len(self.vocabulary))  # keys are sets
        self.idf = Idf.of_counts(dict(zip(self.vocabulary, found_in.tolist())), len(self.keys))
        self._key_idf = np.log((len(self.keys) + 1) / (found_in + 1)) + 1.0
        order = np.argsort(self._key, kind="stable")
        bounds = np.searchsorted(self._key[order], np.arange(len(self.vocabulary) + 1))
        self._posted = self._owner[order]  # the claims under each key, key after key
        self._bounds = bounds
        self.key_weight = np.bincount(
            self._owner, weights=self._key_idf[self._key], minlength=len(self.keys)
        )
        width = len(self.vocabulary)
        used = np.unique(self.article_of[self._owner] * width + self._key) % width
        self._articles_using = np.bincount(used, minlength=width)  # per key
        self.widespread = self._widespread_keys()
        self.places = self._place_scopes()
        self.common = frozenset(k for k in self.widespread if k.startswith(COMMON_PREFIX))
        self._articles: SparseRows | None = None
        self._table: ClaimTable | None = None
        self._table_rows = np.zeros(0, dtype=np.intp)

    def _widespread_keys(self) -> frozenset[str]:
        """The keys most of the story's articles use: its main names ("Taiwan") and words
        ("quake"). They do not single out a claim: they never count as specific to one
        (features), and a claim is not looked up by such a name (`common`).

        A key is widespread when at least COMMON_SHARE of the articles, and at least
        COMMON_MIN_ARTICLES, use it.
        """
        floor = max(COMMON_MIN_ARTICLES, COMMON_SHARE * len(self.sizes))
        keys = list(self.vocabulary)
        return frozenset(keys[v] for v in np.flatnonzero(self._articles_using >= floor).tolist())

    def _place_scopes(self) -> PlaceScopes:
        """The story's places only one article names, and its widespread ones, in a story of
        LOCAL_MIN_ARTICLES or more: a figure counted in the first is a part of the event
        ("four fatalities" in a national park no other report names, against "nine dead"
        in Taiwan)."""
        if len(self.sizes) < LOCAL_MIN_ARTICLES:
            return PlaceScopes()
        keys = list(self.vocabulary)
        local = (keys[v] for v in np.flatnonzero(self._articles_using == 1).tolist())
        return PlaceScopes(
            frozenset(k[1:] for k in local if k.startswith("@place:")),
            frozenset(k[1:] for k in self.widespread if k.startswith("@place:")),
        )

    def likeness(self, first: np.ndarray, second: np.ndarray) -> np.ndarray:
        """Cosine of the claims' articles (idf-weighted keys), computed once per article pair."""
        if not len(first):
            return np.zeros(0)
        if self._articles is None:
            self._articles = self._article_vectors()
        n = len(self.sizes)
        codes, at = np.unique(
            self.article_of[first] * n + self.article_of[second], return_inverse=True
        )
        return self._articles.dots(codes // n, codes % n)[at]

    def _article_vectors(self) -> SparseRows:
        """A normalised tf-idf vector per article (`sizes` order) over all its claims' keys."""
        width = len(self.vocabulary)
        codes, counts = np.unique(
            self.article_of[self._owner] * width + self._key, return_counts=True
        )
        rows, columns = codes // width, codes % width
        values = counts * self._key_idf[columns]
        norms = np.sqrt(np.bincount(rows, weights=values * values, minlength=len(self.sizes)))
        values /= np.where(norms > 0, norms, 1.0)[rows]
        start = np.searchsorted(rows, np.arange(len(self.sizes) + 1))
        return SparseRows(start.astype(np.intp), columns.astype(np.intp), values, width)

    def candidate_pairs(
        self, lookers: Sequence[int] | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Pairs (i < j), sorted, where either claim ranks the other among its candidates.

        Like a search engine: each claim looks up its KEYS_PER_CLAIM most specific
        keys (skipping those in more than MAX_POSTING sentences), and every claim
        of another article found under a key gains the key's idf. A candidate whose
        shared weight is under MIN_SHARED of the lighter claim's key weight has too
        little in common to be the same claim; of the rest, only a claim's
        MAX_CANDIDATES heaviest are scored in full. All claims are looked up at once,
        or only the `lookers` (the claims of articles new to a linked story).
        """
        n = len(self.claims)
        keys, idf = list(self.vocabulary), self._key_idf
        alphabetical = np.empty(len(keys), dtype=np.intp)
        alphabetical[sorted(range(len(keys)), key=keys.__getitem__)] = np.arange(len(keys))
        common = np.array([k in self.common for k in keys], dtype=bool)
        # each looker's keys, most specific first (ties: alphabetical), the common ones left out
        looking = np.ones(n, dtype=bool) if lookers is None else np.isin(np.arange(n), lookers)
        at = np.flatnonzero(looking[self._owner] & ~common[self._key])
        key, owner = self._key[at], self._owner[at]
        ranked = np.lexsort((alphabetical[key], -idf[key], owner))
        key, owner = key[ranked], owner[ranked]
        first_of_owner = np.searchsorted(owner, owner)
        sizes = self._bounds[key + 1] - self._bounds[key]
        looked = (np.arange(len(owner)) - first_of_owner < KEYS_PER_CLAIM) & (sizes <= MAX_POSTING)
        key, owner, sizes = key[looked], owner[looked], sizes[looked]
        if not len(key):
            return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp)
        mine = np.repeat(owner, sizes)
        found = self._posted[ranges(self._bounds[key], self._bounds[key + 1])[0]]
        gained = np.repeat(idf[key], sizes)
        # sum what each (claim, found) pair gained, in the order the keys were looked up,
        # a slice of lookers at a time (a count per pair of the slice: idfs are never 0)
        step = max(1, PAIRS_AT_ONCE // n)
        cuts = np.searchsorted(mine, np.arange(0, n + step, step)).tolist()
        codes_of, weight_of = [], []
        for lo, (start, end) in enumerate(zip(cuts, cuts[1:])):
            summed = np.bincount(
                (mine[start:end] - lo * step) * n + found[start:end], gained[start:end]
            )
            at = np.flatnonzero(summed)
            codes_of.append(at + lo * step * n)
            weight_of.append(summed[at])
        codes, weight = np.concatenate(codes_of), np.concatenate(weight_of)
        mine, found = codes // n, codes % n
        keep = (self.article_of[mine] != self.article_of[found]) & (
            weight >= MIN_SHARED * np.minimum(self.key_weight[mine], self.key_weight[found])
        )
        mine, found, weight = mine[keep], found[keep], weight[keep]
        # each claim's heaviest candidates (ties: the earlier claim, as `found` is sorted)
        best = np.ones(len(mine), dtype=bool)
        bounds = [*np.flatnonzero(np.diff(mine, prepend=-1)).tolist(), len(mine)]
        for lo, hi in zip(bounds, bounds[1:]):
            if hi - lo > MAX_CANDIDATES:
                best[lo:hi] = _heaviest(weight[lo:hi], MAX_CANDIDATES)
        pairs = np.sort(np.minimum(mine, found)[best] * n + np.maximum(mine, found)[best])
        pairs = pairs[np.diff(pairs, prepend=-1) != 0]
        return pairs // n, pairs % n

    def features(
        self, first: np.ndarray, second: np.ndarray, one_by_one: bool | None = None
    ) -> np.ndarray:
        """(pairs, FEATURES) for the claim pairs (first[k], second[k]); `one_by_one`:
        see shared_items.

        Only what the two sentences say decides; of their articles, only that
        they are articles is known (`context`), never how long or how alike.
        """
        sizes = np.array(list(self.sizes.values()))
        table, rows = self._table_of(np.concatenate([first, second]))
        return feature_matrix(
            table,
            np.searchsorted(rows, first),
            np.searchsorted(rows, second),
            context_of(sizes[self.article_of[first]], sizes[self.article_of[second]]),
            one_by_one,
        )

    def probabilities(self, first: np.ndarray, second: np.ndarray, scorer: Scorer) -> np.ndarray:
        """The scorer's link probability of each pair. From SPREAD_PAIRS pairs on, a
        helper process (store.spread) meanwhile scores those of every other claim,
        counted the same way round as the whole (so the sums round alike)."""
        if len(first) < SPREAD_PAIRS:
            return scorer.probabilities(self.features(first, second))
        self._table_of(np.concatenate([first, second]))  # made once, before the helper
        one_by_one = by_first(first, second)
        # pairs are counted one claim at a time: each side takes every other claim's pairs
        theirs = ((first if one_by_one else second) % 2).astype(bool)
        later = spread.in_helper(
            lambda: scorer.probabilities(self.features(first[theirs], second[theirs], one_by_one))
        )
        out = np.empty(len(first))
        out[~theirs] = scorer.probabilities(
            self.features(first[~theirs], second[~theirs], one_by_one)
        )
        out[theirs] = later()
        return out

    def _table_of(self, wanted: np.ndarray) -> tuple[ClaimTable, np.ndarray]:
        """A ClaimTable holding at least the `wanted` claims, and the claims it holds in
        order: built once for the first pairs scored (a new article's candidates are
        part of a story), again only when later pairs need more."""
        rows = self._table_rows
        if self._table is None or not np.isin(wanted, rows).all():
            rows = np.union1d(rows, wanted)
            self._table = ClaimTable.build(
                [self.claims[i].claim for i in rows.tolist()],
                [self.claims[i].text for i in rows.tolist()],
                self.idf,
                self.widespread,
                [self.counts[i] for i in rows.tolist()],
            )
            self._table_rows = rows
        return self._table, rows


def _heaviest(weight: np.ndarray, k: int) -> np.ndarray:
    """A mask of the k heaviest (of equal weights, the first): a partition, not a sort."""
    cut = -np.partition(-weight, k - 1)[k - 1]  # the k-th heaviest weight
    out = weight > cut
    out[np.flatnonzero(weight == cut)[: k - int(out.sum())]] = True
    return out


def shifted(scores: np.ndarray, likeness: np.ndarray, scorer: Scorer) -> np.ndarray:
    """Scores moved by how alike the pairs' articles are against the median pair's.

    The sentences decide; their articles may only nudge, by at most shift_max
    either way: in a story about two similar events, the articles about the
    same event are more alike.
    """
    if not len(scores) or not scorer.shift_max:
        return scores
    move = scorer.shift_scale * (likeness - float(np.median(likeness)))
    return scores + np.clip(move, -scorer.shift_max, scorer.shift_max)


def closed(
    first: np.ndarray,
    second: np.ndarray,
    scores: np.ndarray,
    scorer: Scorer,
    linked_before: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None,
) -> np.ndarray:
    """Which pairs link: those over the threshold, and those over the closure threshold
    whose two sentences both link to third sentences (a claim three sources report):
    to at least `closure_share` of those the less linked of the two links to, so a
    chain through one sentence that links to much of the story (a headline) is not
    enough. In the three exhaustive gold stories, the links closure adds with any one
    third were right 37% of the time; asking for a quarter raised precision by three
    points, left out one point of recall, and held when each story was left out.

    `linked_before(i, j)` tells which pairs of sentences outside these pairs link
    (a story linked before, into which new articles come); of the story's own
    sentences, only the links to the new ones' thirds are known, so their share is
    taken of those.
    """
    kept = scores >= scorer.threshold
    maybe = np.flatnonzero(~kept & (scores >= scorer.closure))
    if not len(maybe):
        return kept
    strong: dict[int, set[int]] = defaultdict(set)
    for i, j in zip(first[kept].tolist(), second[kept].tolist()):
        strong[i].add(j)
        strong[j].add(i)
    if linked_before is not None:  # each maybe pair's end and the thirds the other links to
        lo, hi = _thirds_of(first, second, kept, maybe)
        found = linked_before(lo, hi)
        for i, t in zip(lo[found].tolist(), hi[found].tolist()):
            strong[i].add(t)
            strong[t].add(i)
    for k in maybe.tolist():
        mine, theirs = strong[int(first[k])], strong[int(second[k])]
        shared = len(mine & theirs)
        if shared and shared >= scorer.closure_share * min(len(mine), len(theirs)):
            kept[k] = True
    return kept


def _thirds_of(
    first: np.ndarray, second: np.ndarray, kept: np.ndarray, maybe: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The pairs (lower, higher, sorted, each once) of each `maybe` pair's one end and a
    third sentence its other end is `kept` linked to."""
    node = np.concatenate([first[kept], second[kept]])
    order = np.argsort(node, kind="stable")
    node, partner = node[order], np.concatenate([second[kept], first[kept]])[order]
    n = int(max(first.max(), second.max())) + 1
    start = np.searchsorted(node, np.arange(n + 1))
    ends, thirds = [], []
    for this, other in ((first[maybe], second[maybe]), (second[maybe], first[maybe])):
        at, _ = ranges(start[other], start[other + 1])
        ends.append(np.repeat(this, start[other + 1] - start[other]))
        thirds.append(partner[at])
    end, third = np.concatenate(ends), np.concatenate(thirds)
    apart = end != third
    codes = np.unique(np.minimum(end, third)[apart] * n + np.maximum(end, third)[apart])
    return codes // n, codes % n


def sharing_a_group(
    claims: Sequence[ClaimRef], groups: Sequence[ClaimGroup]
) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    """Which pairs of claims (by number) share one of the claim groups.

    Most sentences are in one group at most: pairs compare their first groups at
    once, and only sentences in several are looked at one by one.
    """
    at = {SentenceRef(ref.article, ref.claim.sentence): n for n, ref in enumerate(claims)}
    member_of: list[set[int]] = [set() for _ in claims]
    for g, group in enumerate(groups):
        for m in group.members:
            if m in at:
                member_of[at[m]].add(g)
    first_group = np.array([min(gs, default=-1) for gs in member_of], dtype=np.intp)
    several = np.array([len(gs) > 1 for gs in member_of], dtype=bool)

    def linked(i: np.ndarray, j: np.ndarray) -> np.ndarray:
        grouped = (first_group[i] >= 0) & (first_group[j] >= 0)
        out = grouped & (first_group[i] == first_group[j])
        for k in np.flatnonzero(grouped & ~out & (several[i] | several[j])).tolist():
            out[k] = not member_of[int(i[k])].isdisjoint(member_of[int(j[k])])
        return out

    return linked


def link_claims(
    claims: Sequence[ClaimRef],
    scorer: Scorer | None = None,
    new: Collection[str] | None = None,
    groups: Sequence[ClaimGroup] = (),
) -> LinkTable:
    """All links between claims of different articles, found through the index.

    With `new` (articles new to a story linked before), only the links of the new
    articles' claims: each looks up its candidates among all the story's claims,
    weighed by the whole story's idf; the rest of the story is not linked again.
    Two of the story's own sentences then count as linked (for closure) when they
    share one of its claim `groups`; they are never scored again.
    """
    scorer = scorer or default_scorer()
    index = StoryIndex(claims)
    lookers = None if new is None else [i for i, r in enumerate(index.claims) if r.article in new]
    first, second = index.candidate_pairs(lookers)
    likeness = index.likeness(first, second)
    scores = shifted(index.probabilities(first, second, scorer), likeness, scorer)
    linked_before = None if new is None else sharing_a_group(index.claims, groups)
    kept = closed(first, second, scores, scorer, linked_before)
    return labelled(index.claims, first[kept], second[kept], scores[kept], scorer, index.places)


def labelled(
    claims: Sequence[ClaimRef],
    first: np.ndarray,
    second: np.ndarray,
    scores: np.ndarray,
    scorer: Scorer,
    places: PlaceScopes | None = None,
) -> LinkTable:
    """The linked pairs as a LinkTable: `differs` where `differences` finds any, else `same`
    or `related` by score. A figure beside a place of the story's `places.local` counts
    only part of the event.

    Two claims that count nothing in common and do not both write a date out
    cannot differ: such pairs (most of them) are told apart with one bit per
    thing counted, and `differences` runs on the rest only.
    """
    used = np.union1d(first, second)  # (a new article's links name few of a story's claims)
    refs = [claims[n] for n in used.tolist()]
    counted, dated, has_dates = np.zeros(len(claims), np.int64), *np.zeros((2, len(claims)), bool)
    counted[used] = [sum({1 << (hash(_what(q)) % 63) for q in r.claim.numbers}) for r in refs]
    dated[used] = [bool(MONTH_NAMED.search(r.text)) for r in refs]
    has_dates[used] = [bool(r.claim.dates) for r in refs]
    has_dates &= dated
    may_differ = ((counted[first] & counted[second]) != 0) | (has_dates[first] & has_dates[second])
    found: dict[int, tuple[Difference, ...]] = {}
    stated: dict[int, Stated] = {}
    for k in np.flatnonzero(may_differ).tolist():
        i, j = int(first[k]), int(second[k])
        for n in (i, j):
            if n not in stated:
                stated[n] = Stated.of(claims[n].claim, places)
        diffs = stated_differences(stated[i], stated[j], dates=bool(dated[i] and dated[j]))
        if diffs:
            found[k] = diffs
    strength = np.where(scores >= scorer.same, STRENGTH["same"], STRENGTH["related"])
    strength[list(found)] = STRENGTH["differs"]
    return LinkTable.numbered(
        [SentenceRef(ref.article, ref.claim.sentence) for ref in claims],
        first,
        second,
        np.round(np.clip(scores, 0.0, 1.0), 4),
        strength,
        found,
    )
