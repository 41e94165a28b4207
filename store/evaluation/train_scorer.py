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
(how long the two articles are) lets one model and one threshold serve both:
with no article around them, sentences must say the same thing; within
articles about one event, they need only report the same claim. Trees are
exported as plain arrays, so treaty-tui scores pairs without scikit-learn.
"""

from __future__ import annotations

import argparse
import json
import math
from dataclasses import asdict
from datetime import date
from pathlib import Path

from store.analysis.features import FEATURES
from store.analysis.linking import ClaimRef, Scorer, StoryIndex, Tree
from store.evaluation.gold import gold_links, import_gold, load_gold, temporary_library
from store.evaluation.scores import pair_claims, pair_feature_rows, read_mrpc
from store.models import Claim, to_dict

SAME_THRESHOLD = 0.75


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
            for c in a.claims
        ]
    return {
        "scope_all": found.scope_all,
        "refs": refs,
        "listed": [list(k) for k in listed],
        "gold": gold,
    }


def story_rows(material: dict) -> tuple[list[tuple[int, tuple[float, ...]]], int]:
    """Candidate pairs of a gold story with labels, and the number of gold links."""
    refs = [ClaimRef(gid, Claim.load(c), text) for gid, c, text in material["refs"]]
    listed = {tuple(k) for k in material["listed"]}
    gold = {frozenset(tuple(x) for x in pair) for pair in material["gold"]}
    index = StoryIndex(refs)
    first, second = index.candidate_pairs()
    features = index.features(first, second)
    rows = []
    for i, j, row in zip(first.tolist(), second.tolist(), features.tolist()):
        a = (index.claims[i].article, index.claims[i].claim.sentence)
        b = (index.claims[j].article, index.claims[j].claim.sentence)
        if material["scope_all"] or (a in listed and b in listed):
            rows.append((int(frozenset((a, b)) in gold), tuple(row)))
    return rows, len(gold)


TREES = {"n_estimators": 100, "max_depth": 3, "learning_rate": 0.1, "min_samples_leaf": 50}


def fit(datasets: list[list[tuple[int, tuple[float, ...]]]]) -> Scorer:
    """Boosted trees over all datasets, each weighing the same in total."""
    import numpy as np
    from sklearn.ensemble import GradientBoostingClassifier

    rows = [row for data in datasets for row in data]
    x = np.array([feats for _, feats in rows])
    y = np.array([label for label, _ in rows])
    w = np.concatenate([np.full(len(d), len(rows) / (len(datasets) * len(d))) for d in datasets])
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
    scorer = Scorer(tuple(trees), math.log(prior / (1 - prior)), TREES["learning_rate"], 0.5, 0.75)
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
    parser.add_argument("--threshold", type=float, default=0.5)
    args = parser.parse_args()
    if args.cache and Path(args.cache).exists():
        cached = json.loads(Path(args.cache).read_text())
    else:
        read = read_mrpc(args.pairs)
        cached = {
            "pairs": read,
            "claims": [[to_dict(a), to_dict(b)] for a, b in pair_claims(read)],
            "stories": [story_material(p) for p in args.gold],
        }
        if args.cache:
            Path(args.cache).write_text(json.dumps(cached))
    pair_list = [(int(label), a, b) for label, a, b in cached["pairs"]]
    claims = [(Claim.load(a), Claim.load(b)) for a, b in cached["claims"]]
    pairs = pair_feature_rows(pair_list, claims)
    stories = [story_rows(m) for m in cached["stories"]]
    # Exhaustive gold (scope "all") and gold that lists only event sentences ("listed")
    # teach different base rates; each kind weighs as much as the paraphrase pairs.
    by_scope: dict[bool, list[tuple[int, tuple[float, ...]]]] = {True: [], False: []}
    for material, (rows, _) in zip(cached["stories"], stories):
        by_scope[material["scope_all"]].extend(rows)
    story_all = by_scope[True] + by_scope[False]
    scorer = fit([pairs, *(rows for rows in by_scope.values() if rows)])
    threshold = args.threshold
    pair_p = scorer.probabilities([f for _, f in pairs]).tolist()
    story_p = scorer.probabilities([f for _, f in story_all]).tolist()
    acc = sum((p >= threshold) == bool(y) for (y, _), p in zip(pairs, pair_p)) / len(pairs)
    tp = sum(y for (y, _), p in zip(story_all, story_p) if p >= threshold)
    fp = sum(1 - y for (y, _), p in zip(story_all, story_p) if p >= threshold)
    n_gold = sum(n for _, n in stories)
    print(
        f"in-sample at threshold {threshold}: pairs accuracy {acc:.3f}, "
        f"story link f1 {2 * tp / (2 * tp + fp + (n_gold - tp)):.3f}"
    )
    out = {
        "_about": "Gradient-boosted trees fitted by store/analysis/train_scorer.py "
        f"({TREES}) on MRPC training pairs and gold story pairs (ECB+ topics, seed pair); "
        f"fitted {date.today().isoformat()}.",
        "features": list(FEATURES),
        "init": scorer.init,
        "rate": scorer.rate,
        "threshold": threshold,
        "same_threshold": SAME_THRESHOLD,
        "trees": [asdict(t) for t in scorer.trees],
    }
    Path(args.output).write_text(json.dumps(out, separators=(",", ":")) + "\n")
    print(f"scorer written to {args.output}")


if __name__ == "__main__":
    main()
