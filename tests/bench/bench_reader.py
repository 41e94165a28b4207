"""Reader responsiveness on a long article, measured with Pilot.

    python tests/bench/bench_reader.py [--sentences 2000]

Builds an article of N sentences in a temporary library (no spaCy: the
records are written directly), opens it in the real app and times, per key
press, the handler work until the screen is idle again: next sentence, page
down, bottom, top. Also times the same keys on a 20-sentence article, and
prints the ratio (a long article should cost about the same per key).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from store.library import Library  # noqa: E402
from store.models import Article, ArticleInfo, Paragraph, Sentence  # noqa: E402
from tui.app import TreatyApp  # noqa: E402

SENTENCE = "Officials in Geneva said on Monday that talks on sentence {n} had made progress. "


def long_article(n: int, article_id: str) -> Article:
    text, paragraphs, sentences = "", [], []
    for p in range(0, n, 5):
        start = len(text)
        for k in range(p, min(n, p + 5)):
            s = SENTENCE.format(n=k)
            sentences.append(Sentence(len(text), len(text) + len(s) - 1, len(paragraphs)))
            text += s
        paragraphs.append(Paragraph("body", start, len(text) - 1))
        text = text[:-1] + "\n"
    info = ArticleInfo(article_id, f"{n} sentences", "bench", "bench", sentences=n)
    return Article(info, text.rstrip("\n"), tuple(paragraphs), tuple(sentences))


def make_library(home: Path, n: int) -> None:
    from store.disk.files import locked
    from store.disk.records import write_article
    from store.disk.tables import transaction
    from store.models import to_dict

    lib = Library.open(home)
    article = long_article(n, "bench")
    with locked(home), transaction(lib.layout.catalog) as db:
        write_article(lib.layout, article)  # records made without analysis
        db.table("articles").put(to_dict(article.info))
        db.table("stories").put({"id": "bench", "name": "bench", "entities": ""})
        db.table("meta", key="key").put({"key": "seeded", "value": True})


async def keys_cost(home: Path) -> dict[str, float]:
    app = TreatyApp(home)
    timings: dict[str, list[float]] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(500):
            await pilot.pause(0.01)
            if getattr(app.screen, "opened", None) is not None:
                break
        await app.workers.wait_for_complete()
        for key in ["j"] * 20 + ["space"] * 10 + ["G", "g"] * 5:
            start = time.perf_counter()
            await pilot.press(key)
            await pilot.pause()
            timings.setdefault(key, []).append((time.perf_counter() - start) * 1000)
    return {k: statistics.median(v) for k, v in timings.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sentences", type=int, default=2000)
    args = parser.parse_args()
    results = {}
    for n in (20, args.sentences):
        with tempfile.TemporaryDirectory() as home:
            make_library(Path(home), n)
            results[n] = asyncio.run(keys_cost(Path(home)))
    print(f"{'key':<8}{'20 sentences ms':>18}{f'{args.sentences} sentences ms':>22}{'ratio':>8}")
    for key in results[20]:
        small, big = results[20][key], results[args.sentences][key]
        print(f"{key:<8}{small:>18.1f}{big:>22.1f}{big / small:>8.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
