"""Fit the link scorer's weights and choose its threshold.

    python -m store.analysis.train_scorer --pairs MRPC.tsv --gold GOLD.json ... \\
        [-o store/data/link_weights.json]

The weights are a logistic regression over the features of
store.analysis.linking.pair_features, fitted on two kinds of labelled pairs:
paraphrase pairs (MRPC format: 1 when two sentences state the same thing) and
the candidate sentence pairs of gold stories (FORMAT.md: 1 when the two
sentences share a claim). Each kind weighs equally. The threshold is the one
that best serves both uses at once: pair accuracy and story-link F1.
Needs numpy (installed with spaCy).
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from datetime import date
from itertools import combinations
from pathlib import Path

from store.analysis.linking import FEATURES, ClaimRef, Scorer, StoryIndex
from store.evaluate import (
    import_gold,
    load_gold,
    locate,
    pair_feature_rows,
    read_mrpc,
    temporary_library,
)

SAME_THRESHOLD_MARGIN = 0.25


def story_rows(path: str) -> tuple[list[tuple[int, dict[str, float]]], int]:
    """Candidate pairs of a gold story with labels, and the number of gold links."""
    corpus = load_gold(path)
    with temporary_library() as lib:
        ids = import_gold(lib, corpus)
        articles = {gid: lib.article(aid) for gid, aid in ids.items()}
        back = {aid: gid for gid, aid in ids.items()}
        listed: dict[tuple[str, int], set[str]] = defaultdict(set)
        for entry in corpus.data.get("sentences", []):
            art = articles.get(entry["article"])
            index = locate(art, entry["quote"]) if art else None
            if index is not None:
                listed[(entry["article"], index)].update(entry.get("claims", []))
        gold = {
            frozenset((a, b))
            for a, b in combinations(listed, 2)
            if a[0] != b[0] and listed[a] & listed[b]
        }
        scope_all = corpus.data.get("scope", "all") == "all"
        refs = [ClaimRef(a.id, c) for a in articles.values() for c in a.claims]
        index = StoryIndex(refs)
        rows = []
        for i, ref in enumerate(index.claims):
            for j in index.candidates(i):
                a = (back[ref.article], ref.claim.sentence)
                b = (back[index.claims[j].article], index.claims[j].claim.sentence)
                if scope_all or (a in listed and b in listed):
                    rows.append((int(frozenset((a, b)) in gold), index.features(i, j)))
    return rows, len(gold)


def fit(datasets: list[list[tuple[int, dict[str, float]]]], l2: float = 1e-2):
    """Weighted L2 logistic regression by Newton's method; each dataset weighs the same."""
    import numpy as np

    xs, ys, ws = [], [], []
    for rows in datasets:
        for label, feats in rows:
            xs.append([feats[f] for f in FEATURES] + [1.0])
            ys.append(label)
            ws.append(1.0 / len(rows))
    x, y, w = np.array(xs), np.array(ys, dtype=float), np.array(ws)
    w = w / w.sum()
    theta = np.zeros(x.shape[1])
    reg = l2 * np.eye(x.shape[1])
    reg[-1, -1] = 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-(x @ theta)))
        grad = x.T @ (w * (p - y)) + reg @ theta
        hess = (x * (w * p * (1 - p))[:, None]).T @ x + reg
        step = np.linalg.solve(hess, grad)
        theta -= step
        if np.abs(step).max() < 1e-8:
            break
    weights = dict(zip(FEATURES, (round(float(t), 4) for t in theta[:-1])))
    return weights, round(float(theta[-1]), 4)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", required=True)
    parser.add_argument("--gold", nargs="+", required=True)
    parser.add_argument(
        "-o", "--output", default=str(Path(__file__).parent.parent / "data" / "link_weights.json")
    )
    parser.add_argument("--cache", help="reuse/save computed feature rows here (JSON)")
    args = parser.parse_args()
    if args.cache and Path(args.cache).exists():
        cached = json.loads(Path(args.cache).read_text())
        pairs, stories = cached["pairs"], cached["stories"]
    else:
        pairs = pair_feature_rows(read_mrpc(args.pairs))
        stories = [story_rows(p) for p in args.gold]
        if args.cache:
            Path(args.cache).write_text(json.dumps({"pairs": pairs, "stories": stories}))
    story_all = [row for rows, _ in stories for row in rows]
    weights, bias = fit([pairs, story_all])
    best = None
    for t100 in range(20, 81, 2):
        t = t100 / 100
        scorer = Scorer(weights, bias, t, 1.0)
        acc = sum((scorer.probability(f) >= t) == bool(y) for y, f in pairs) / len(pairs)
        tp = fp = fn = 0
        for rows, n_gold in stories:
            hits = [y for y, f in rows if scorer.probability(f) >= t]
            tp += sum(hits)
            fp += len(hits) - sum(hits)
            fn += n_gold - sum(hits)
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        print(f"threshold={t:.2f} pairs_accuracy={acc:.3f} story_f1={f1:.3f}")
        if best is None or acc + f1 > best[0]:
            best = (acc + f1, t)
    threshold = best[1]
    out = {
        "_about": "Logistic link scorer fitted by store/analysis/train_scorer.py on MRPC "
        "training pairs and gold story pairs (ECB+ topics, seed pair); "
        f"fitted {date.today().isoformat()}.",
        "features": list(FEATURES),
        "weights": weights,
        "bias": bias,
        "threshold": threshold,
        "same_threshold": round(min(0.95, threshold + SAME_THRESHOLD_MARGIN), 2),
    }
    Path(args.output).write_text(json.dumps(out, indent=2) + "\n")
    print(f"weights written to {args.output} (threshold {threshold})")


if __name__ == "__main__":
    main()
