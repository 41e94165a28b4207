"""Fit the link scorer and write it to store/data/link_scorer.json.

    pip install scikit-learn   # needed here only, not by treaty-tui itself
    python -m store.evaluation.train_scorer --pairs MRPC.tsv --gold GOLD.json ... \\
        [-o store/data/link_scorer.json] [--cache FILE]

The scorer is a small gradient-boosted tree ensemble over the features of
store.analysis.features.FEATURES, fitted on three kinds of labelled pairs
that weigh the same: paraphrase pairs (MRPC format: 1 when two sentences
state the same thing), and the candidate sentence pairs of gold stories
(FORMAT.md: 1 when the two sentences share a claim), exhaustive ones
(scope "all") and those that list only some sentences (scope "listed"). The `context` feature
(whether the two sentences stand in articles) lets one model and one threshold
serve both: with no article around them, sentences must say the same thing;
within articles about one event, they need only report the same claim. Trees
are exported as plain arrays, so treaty-tui scores pairs without scikit-learn.
"""

from __future__ import annotations

import argparse
import json
import math
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

import numpy as np

from store.analysis.features import FEATURES
from store.analysis.linking import (
    ClaimRef,
    Scorer,
    StoryIndex,
    Tree,
    closed,
    shifted,
)
from store.evaluation.gold import gold_links, import_gold, load_gold, temporary_library
from store.evaluation.scores import pair_claims, pair_feature_rows, prf, read_mrpc
from store.models import Claim, to_dict

SAME_THRESHOLD = 0.75
THRESHOLD = 0.5


def story_material(path: str) -> dict:
    """A gold story's claims (by gold article id), listed sentences and gold links, as JSON."""
    corpus = load_gold(path)
    with temporary_library() as lib:
        ids = import_gold(lib, corpus)
        articles = {gid: lib.article(aid) for gid, aid in ids.items()}
        found = gold_links(corpus, articles)
        listed = found.listed
        gold = [sorted(pair) for pair in found.links]
        refs = [
            [gid, to_dict(c), a.sentence_text(c.sentence)]
            for gid, a in articles.items()
            for c in a.linkable_claims()
        ]
    return {
        "scope_all": found.scope_all,
        "refs": refs,
        "listed": [list(k) for k in listed],
        "gold": gold,
    }


@dataclass
class StoryRows:
    """A gold story's scored candidate pairs: labels, features, and the gold count."""

    name: str
    scope_all: bool
    labels: list[int]
    features: list[tuple[float, ...]]
    first: np.ndarray
    second: np.ndarray
    likeness: np.ndarray  # how alike each pair's two articles are
    n_gold: int

    def rows(self) -> Rows:
        return list(zip(self.labels, self.features))


def story_rows(material: dict, name: str = "") -> StoryRows:
    """Candidate pairs of a gold story with labels, as the linker finds and scores them."""
    refs = [ClaimRef(gid, Claim.load(c), text) for gid, c, text in material["refs"]]
    listed = {tuple(k) for k in material["listed"]}
    gold = {frozenset(tuple(x) for x in pair) for pair in material["gold"]}
    index = StoryIndex(refs)
    first, second = index.candidate_pairs()
    features = index.features(first, second)
    keep, labels = [], []
    for k, (i, j) in enumerate(zip(first.tolist(), second.tolist())):
        a = (index.claims[i].article, index.claims[i].claim.sentence)
        b = (index.claims[j].article, index.claims[j].claim.sentence)
        if material["scope_all"] or (a in listed and b in listed):
            keep.append(k)
            labels.append(int(frozenset((a, b)) in gold))
    rows = [tuple(r) for r in features[keep].tolist()]
    likeness = index.likeness(first, second)[keep]
    return StoryRows(
        name,
        material["scope_all"],
        labels,
        rows,
        first[keep],
        second[keep],
        likeness,
        len(gold),
    )


def link_counts(scorer: Scorer, story: StoryRows) -> tuple[int, int, int]:
    """(true, false, missed) links of a story, linked as link_claims links."""
    if not story.labels:
        return 0, 0, story.n_gold
    scores = shifted(scorer.probabilities(story.features), story.likeness, scorer)
    kept = closed(story.first, story.second, scores, scorer)
    labels = np.array(story.labels, dtype=bool)
    tp = int((kept & labels).sum())
    return tp, int((kept & ~labels).sum()), story.n_gold - tp


TREES = {"n_estimators": 100, "max_depth": 3, "learning_rate": 0.1, "min_samples_leaf": 50}


Rows = list[tuple[int, tuple[float, ...]]]
# How much each kind of data weighs in total: paraphrase pairs, gold stories that list
# some sentences (ECB+), exhaustive gold stories (every pair a real label, as a user's
# story; the total is shared equally between them).
WEIGHTS = (1.0, 1.0, 2.0)
CLOSURE_THRESHOLD = 0.25
CLOSURE_SHARE = 0.25  # see store.analysis.linking.closed
SHIFT_SCALE = 1.0
SHIFT_MAX = 0.15


def fit(datasets: list[Rows], weights: tuple[float, ...] | None = None) -> Scorer:
    """Boosted trees over all datasets, each weighing `weights` (the same by default) in total."""
    from sklearn.ensemble import GradientBoostingClassifier

    rows = [row for data in datasets for row in data]
    x = np.array([feats for _, feats in rows])
    y = np.array([label for label, _ in rows])
    shares = weights or (1.0,) * len(datasets)
    w = np.concatenate(
        [
            np.full(len(d), share * len(rows) / (sum(shares) * len(d)))
            for d, share in zip(datasets, shares)
        ]
    )
    model = GradientBoostingClassifier(random_state=0, **TREES).fit(x, y, sample_weight=w)
    prior = float(model.init_.class_prior_[1])
    trees = []
    for estimator in model.estimators_[:, 0]:
        t = estimator.tree_
        trees.append(
            Tree(
                tuple(FEATURES[f] if f >= 0 else "" for f in t.feature),
                tuple(round(float(v), 6) for v in t.threshold),
                tuple(int(v) for v in t.children_left),
                tuple(int(v) for v in t.children_right),
                tuple(round(float(v), 6) for v in t.value[:, 0, 0]),
            )
        )
    scorer = Scorer(
        tuple(trees),
        math.log(prior / (1 - prior)),
        TREES["learning_rate"],
        THRESHOLD,
        SAME_THRESHOLD,
        CLOSURE_THRESHOLD,
        CLOSURE_SHARE,
        SHIFT_SCALE,
        SHIFT_MAX,
    )
    check = model.predict_proba(x[:500])[:, 1]
    mine = scorer.probabilities(x[:500])
    assert max(abs(a - b) for a, b in zip(check, mine)) < 1e-4, "tree export does not match"
    return scorer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", required=True)
    parser.add_argument("--gold", nargs="+", required=True)
    parser.add_argument(
        "-o", "--output", default=str(Path(__file__).parent.parent / "data" / "link_scorer.json")
    )
    parser.add_argument("--cache", help="reuse/save the analysed claims here (JSON)")
    parser.add_argument(
        "--leave-one-out",
        action="store_true",
        help="also report links on each exhaustive story with the scorer fitted without it",
    )
    args = parser.parse_args()
    if args.cache and Path(args.cache).exists():
        cached = json.loads(Path(args.cache).read_text())
    else:
        read = read_mrpc(args.pairs)
        cached = {
            "pairs": read,
            "claims": [[to_dict(a), to_dict(b)] for a, b in pair_claims(read)],
            "stories": [story_material(p) for p in args.gold],
            "names": [Path(p).name for p in args.gold],
        }
        if args.cache:
            Path(args.cache).write_text(json.dumps(cached))
    pair_list = [(int(label), a, b) for label, a, b in cached["pairs"]]
    claims = [(Claim.load(a), Claim.load(b)) for a, b in cached["claims"]]
    pairs = pair_feature_rows(pair_list, claims)
    stories = [story_rows(m, name) for m, name in zip(cached["stories"], cached["names"])]
    listed = [r for st in stories if not st.scope_all for r in st.rows()]
    exhaustive = [st for st in stories if st.scope_all]

    def datasets(leave_out: str = "") -> list[Rows]:
        """Paraphrase pairs, listed stories, then each exhaustive story (but `leave_out`)."""
        return [pairs, listed, *(st.rows() for st in exhaustive if st.name != leave_out)]

    def weights(leave_out: str = "") -> tuple[float, ...]:
        kept = [st for st in exhaustive if st.name != leave_out]
        return (*WEIGHTS[:2], *(WEIGHTS[2] / len(kept),) * len(kept))

    scorer = fit(datasets(), weights())
    pair_p = scorer.probabilities([f for _, f in pairs]).tolist()
    acc = sum((p >= scorer.threshold) == bool(y) for (y, _), p in zip(pairs, pair_p)) / len(pairs)
    print(f"in-sample pairs accuracy {acc:.3f}")
    report("in-sample", {st.name: link_counts(scorer, st) for st in exhaustive})
    listed_counts = [link_counts(scorer, st) for st in stories if not st.scope_all]
    if listed_counts:
        total = tuple(sum(c[k] for c in listed_counts) for k in range(3))
        print(f"in-sample: stories listing some sentences, micro {_figures(total)}")
    if args.leave_one_out:
        report(
            "leave one story out",
            {
                st.name: link_counts(fit(datasets(st.name), weights(st.name)), st)
                for st in exhaustive
            },
        )
    out = {
        "_about": "Gradient-boosted trees fitted by store/evaluation/train_scorer.py "
        f"({TREES}) on MRPC training pairs, ECB+ topics and exhaustive gold stories, "
        f"weighing {WEIGHTS}; fitted {date.today().isoformat()}.",
        "features": list(FEATURES),
        "init": scorer.init,
        "rate": scorer.rate,
        "threshold": scorer.threshold,
        "same_threshold": SAME_THRESHOLD,
        "closure_threshold": scorer.closure,
        "closure_share": scorer.closure_share,
        "shift_scale": scorer.shift_scale,
        "shift_max": scorer.shift_max,
        "trees": [asdict(t) for t in scorer.trees],
    }
    Path(args.output).write_text(json.dumps(out, separators=(",", ":")) + "\n")
    print(f"scorer written to {args.output}")


def report(what: str, counts: dict[str, tuple[int, int, int]]) -> None:
    """Each story's link precision, recall and F1, then all of them micro-averaged."""
    for name, found in counts.items():
        print(f"{what}: {name} {_figures(found)}")
    total = tuple(sum(c[k] for c in counts.values()) for k in range(3))
    print(f"{what}: micro {_figures(total)}")


def _figures(counts: tuple[int, ...]) -> str:
    p, r, f = prf(*counts)
    return f"links precision={p:.3f} recall={r:.3f} f1={f:.3f}"


if __name__ == "__main__":
    main()
