"""Import and linking speed, as ratios measured side by side in one run.

    python tests/bench/bench_analysis.py [--articles 200] [--rounds 3] [--gold GOLD.json ...]

1. Importing N articles (analysis, entity resolution, claims, linking and the
   store writes) against bare spaCy `nlp.pipe` over the same texts with the
   same pipeline, in rounds (--rounds): each import between two pipes, the
   median round's ratio judged. Target: at most 1.3x. The articles are
   synthetic stories (tests/bench/synth.py), or with --gold the first N
   articles of gold files (FORMAT.md), imported as `add` would, stories
   chosen automatically.
2. Linking a story of N and of 2N articles (the analysed claims of each are
   linked from scratch). Target: the candidate pairs scored grow
   sub-quadratically, at most 2.5x when the story doubles (all pairs: 4x). The
   time of each is printed beside them; on a shared machine its ratio swings
   by more than the margin, so it is shown, not judged.
Prints its figures and exits non-zero when a target is missed.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from store import Library  # noqa: E402
from store.analysis.linking import ClaimRef, StoryIndex, link_claims  # noqa: E402
from store.analysis.nlp import pipeline  # noqa: E402
from store.evaluation.gold import load_gold  # noqa: E402
from store.ingest.sources import SourceDocument  # noqa: E402
from tests.bench.synth import story_articles  # noqa: E402

IMPORT_TARGET = 1.3
LINK_TARGET = 2.5


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def synthetic_articles(n: int) -> list[SourceDocument]:
    rng = random.Random(7)
    docs: list[SourceDocument] = []
    story = 0
    while len(docs) < n:
        docs += story_articles(story, rng.randint(5, 30), rng)
        story += 1
    return docs


def gold_articles(paths: list[str]) -> list[SourceDocument]:
    return [doc for path in paths for doc in load_gold(path).docs.values()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--gold", nargs="+", help="take the articles from these gold files")
    parser.add_argument("--rounds", type=int, default=3, help="imports, each between two pipes")
    args = parser.parse_args()
    docs = gold_articles(args.gold) if args.gold else synthetic_articles(args.articles)
    docs = docs[: args.articles]
    nlp = pipeline()
    list(nlp.pipe(["Warm-up sentence in Geneva."]))

    def bare_pipe() -> float:
        return timed(lambda: list(nlp.pipe([d.text for d in docs], batch_size=64)))

    # Rounds of one import each, every one timed against nlp.pipe just before and just
    # after it: a shared machine's speed drifts by more than the margin within minutes,
    # and a pair's ratio cancels the drift. The median round's ratio is judged.
    bare = [bare_pipe()]
    imports: list[float] = []
    for _ in range(args.rounds):
        with tempfile.TemporaryDirectory() as home:
            lib = Library.open(home)
            imports.append(timed(lambda lib=lib: list(lib.add_documents(docs))))
            n_stories = len(lib.stories())
        bare.append(bare_pipe())
    ratios = [t / ((a + b) / 2) for t, a, b in zip(imports, bare, bare[1:])]
    ratio = statistics.median(ratios)
    n_words = sum(len(d.text.split()) for d in docs)
    print(
        f"import {len(docs)} {'gold' if args.gold else 'synthetic'} articles "
        f"({n_words} words, {n_stories} stories): nlp.pipe {statistics.median(bare):.2f} s, "
        f"treaty-tui add {statistics.median(imports):.2f} s, ratio {ratio:.2f} (median of "
        f"{args.rounds} rounds: {', '.join(f'{r:.2f}' for r in ratios)}; "
        f"target <= {IMPORT_TARGET})"
    )

    big = story_articles(999, 2 * args.articles, random.Random(11), (15, 25))
    with tempfile.TemporaryDirectory() as home:
        lib = Library.open(home)
        list(lib.add_documents(big, story="big"))
        arts = [lib.article(a.id) for a in lib.articles()]
    refs = [[ClaimRef(a.id, c, a.sentence_text(c.sentence)) for c in a.claims] for a in arts]
    half = [r for rs in refs[: args.articles] for r in rs]
    whole = [r for rs in refs for r in rs]
    t_half = min(timed(lambda: link_claims(half)) for _ in range(2))
    t_whole = min(timed(lambda: link_claims(whole)) for _ in range(2))
    c_half, c_whole = (len(StoryIndex(refs).candidate_pairs()[0]) for refs in (half, whole))
    print(
        f"link one story: {args.articles} articles ({len(half)} claims) {c_half} candidate "
        f"pairs, {t_half:.2f} s; {2 * args.articles} articles ({len(whole)} claims) "
        f"{c_whole} candidate pairs, {t_whole:.2f} s; candidate pairs ratio "
        f"{c_whole / c_half:.2f} (target <= {LINK_TARGET}, all pairs 4.0), "
        f"time ratio {t_whole / t_half:.2f}"
    )
    ok = ratio <= IMPORT_TARGET and c_whole / c_half <= LINK_TARGET
    print("all targets met" if ok else "a target was missed")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
