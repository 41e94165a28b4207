"""A synthetic library of N articles for scale benchmarks, built without spaCy per article.

    python tests/bench/library_gen.py DIR --articles 10000

A pool of synthetic stories (tests/bench/synth.py: shared core facts, each
article with its own filler) is analysed once through the real pipeline.
Each generated story takes one pool story and gives its entities a
story-specific id; each of its 5-30 articles takes one pool article of it,
drops some sentences, swaps sentences with other pool articles and grows or
shrinks to 300-1,500 words. Sentences keep their analysed mentions and
claims, moved to their new offsets. Two sentences of a story that came from
the same pool sentence are linked, and the links grouped into claims as an
import groups them. Records are written straight into the store, then
indexed for search.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from store.analysis.groups import group_claims, single_source  # noqa: E402
from store.disk.entities import EntityStore  # noqa: E402
from store.disk.files import write_json_atomic  # noqa: E402
from store.disk.layout import Layout  # noqa: E402
from store.disk.records import write_groups, write_links  # noqa: E402
from store.library import Library  # noqa: E402
from store.link_table import LinkTable  # noqa: E402
from store.models import (  # noqa: E402
    Article,
    ArticleInfo,
    Link,
    Mention,
    Paragraph,
    Sentence,
    SentenceRef,
    to_dict,
)
from tests.bench.synth import story_articles  # noqa: E402

POOL_STORIES = 6
POOL_ARTICLES = 6


def make_pool(seed: int = 5) -> list[list[Article]]:
    """The one spaCy run: a few synthetic stories imported through the real pipeline."""
    rng = random.Random(seed)
    stories = []
    with tempfile.TemporaryDirectory() as home:
        lib = Library.open(home)
        for s in range(POOL_STORIES):
            docs = story_articles(s, POOL_ARTICLES, rng, (20, 40))
            infos = [o.info for o in lib.add_documents(docs, story=f"pool {s}")]
            stories.append([lib.article(i.id) for i in infos])
    return stories


def build_article(
    picks: list[tuple[Article, int]], suffix: str
) -> tuple[Article, list[tuple[str, int]]]:
    """An article made of the picked pool sentences; also where each sentence came from."""
    text, paragraphs, sentences, mentions, claims = "", [], [], [], []
    for article, index in picks:
        s = article.sentences[index]
        if len(sentences) % 3 == 0:
            if text:
                text += "\n"
            paragraphs.append(Paragraph("body", len(text), len(text)))
        else:
            text += " "
        start, number = len(text), len(sentences)
        text += article.text[s.start : s.end]
        paragraphs[-1] = replace(paragraphs[-1], end=len(text))
        sentences.append(Sentence(start, len(text), len(paragraphs) - 1))
        shift = start - s.start
        mentions += [
            Mention(
                m.start + shift,
                m.end + shift,
                m.text,
                m.label,
                f"{m.entity}-{suffix}" if m.entity else "",
                number,
            )
            for m in article.mentions
            if m.sentence == index
        ]
        claim = article.claims[index]
        claims.append(
            replace(claim, sentence=number, entities=tuple(f"{e}-{suffix}" for e in claim.entities))
        )
    info = ArticleInfo(hashlib.sha256(text.encode()).hexdigest()[:12], "", sentences=len(sentences))
    article = Article(
        info, text, tuple(paragraphs), tuple(sentences), tuple(mentions), tuple(claims)
    )
    return article, [(a.id, i) for a, i in picks]


def pick_sentences(
    base: Article, others: list[Article], rng: random.Random
) -> list[tuple[Article, int]]:
    """Half the base article's sentences, the rest from anywhere in the pool, 300-1,500 words."""
    words = rng.randint(300, 1500)
    picks = [(base, i) for i in range(len(base.sentences)) if rng.random() < 0.5]
    while sum(len(a.sentence_text(i).split()) for a, i in picks) < words:
        other = rng.choice(others)
        picks.insert(rng.randrange(len(picks) + 1), (other, rng.randrange(len(other.sentences))))
    while len(picks) > 3 and sum(len(a.sentence_text(i).split()) for a, i in picks) > words:
        picks.pop(rng.randrange(len(picks)))
    return picks


def generate(
    home: Path, n_articles: int, pool: list[list[Article]], seed: int = 1
) -> dict[str, int]:
    """Write a library of n_articles into `home`."""
    rng = random.Random(seed)
    lib = Library.open(home)
    rows, story_rows, entities, link_total = [], [], {}, 0
    story_of: dict[str, str] = {}
    story_no = 0
    everything = [a for story in pool for a in story]
    while len(rows) < n_articles:
        size = min(rng.randint(5, 30), n_articles - len(rows))
        pool_story = rng.choice(pool)
        story_id, suffix = f"story-{story_no:05d}", f"s{story_no}"
        story_rows.append({"id": story_id, "name": f"Story {story_no}"})
        made: list[tuple[Article, list[tuple[str, int]]]] = []
        for a in range(size):
            picks = pick_sentences(rng.choice(pool_story), everything, rng)
            article, origins = build_article(picks, suffix)
            info = article.info._replace(
                title=article.sentence_text(0)[:90],
                source=f"outlet{a % 12}",
                story=story_id,
                date=f"2024-{1 + story_no % 12:02d}-{1 + a % 28:02d}",
                origin=f"synthetic:{story_id}:{a}",
                entities=len({m.entity for m in article.mentions}),
            )
            made.append((replace(article, info=info), origins))
        links = story_links(made)
        link_total += len(links)
        write_links(lib.layout, story_id, LinkTable.of(links), [a.id for a, _ in made])
        claims = (SentenceRef(a.id, c.sentence) for a, _ in made for c in a.linkable_claims())
        write_groups(lib.layout, story_id, group_claims(links), single_source(claims, links))
        linked: dict[str, set[int]] = {a.id: set() for a, _ in made}
        for link in links:
            linked[link.a_article].add(link.a_sentence)
            linked[link.b_article].add(link.b_sentence)
        for article, _ in made:
            write_json_atomic(lib.layout.article(article.id), {"article": {"1": article.dump()}})
            n = len(linked[article.id])
            rows.append(to_dict(article.info._replace(linked=n, unique=article.info.sentences - n)))
            story_of[article.id] = story_id
            for m in article.mentions:
                if not m.entity:
                    continue
                row = entities.setdefault(
                    m.entity,
                    {
                        "id": m.entity,
                        "name": f"{m.text} ({suffix})",
                        "type": m.label,
                        "aliases": [],
                        "articles": {},
                    },
                )
                row["articles"][article.id] = row["articles"].get(article.id, 0) + 1
        story_no += 1
    story_entities: dict[str, set[str]] = {}
    for row in rows:
        story_entities.setdefault(row["story"], set())
    for entity in entities.values():
        for article_id in entity["articles"]:
            story_entities[story_of[article_id]].add(entity["id"])
    with lib.catalog.transaction() as db:  # as an import writes it (and its digest)
        db.table("meta", key="key").put({"key": "seeded", "value": True})
        for row in story_rows:
            ids = " ".join(sorted(story_entities[row["id"]]))
            db.table("stories").put({**row, "entities": ids})
        for row in rows:
            db.table("articles").put(row)
    store = EntityStore(Layout(home))
    for entity in entities.values():
        store.add(entity)
    store.save()
    lib.catch_up_index()  # the search index, built the way a library from before it gets it
    return {
        "articles": len(rows),
        "stories": story_no,
        "entities": len(entities),
        "links": link_total,
    }


def story_links(made: list[tuple[Article, list[tuple[str, int]]]]) -> list[Link]:
    """Links between articles of a story whose sentences come from one pool sentence.

    (The real linker over-links template text, see issue notes, so it is not used here.)
    """
    where: dict[tuple[str, int], list[tuple[str, int]]] = {}
    for article, origins in made:
        for number, origin in enumerate(origins):
            where.setdefault(origin, []).append((article.id, number))
    links: dict[tuple, Link] = {}
    for places in where.values():
        for a in places:
            for b in places:
                if a[0] < b[0]:
                    links[(a, b)] = Link(*a, *b, 0.95, "same")
    return list(links.values())


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("home", type=Path)
    parser.add_argument("--articles", type=int, default=1000)
    args = parser.parse_args()
    started = time.perf_counter()
    counts = generate(args.home, args.articles, make_pool())
    print(counts, f"in {time.perf_counter() - started:.1f} s")
