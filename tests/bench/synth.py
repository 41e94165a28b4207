"""Synthetic news articles for benchmarks: the seed articles' sentences recombined
and perturbed (other names, places and figures), so texts read like news and
stories share claims the way real coverage does."""

from __future__ import annotations

import random
import re

import seeds
from store.ingest.sources import SourceDocument

PEOPLE = [
    "Maria Lopez",
    "Chen Wei",
    "Olga Petrova",
    "James Carter",
    "Amina Diallo",
    "Kenji Sato",
    "Lars Nilsson",
    "Fatima Khan",
    "Pedro Alves",
    "Anna Novak",
]
PLACES = ["Geneva", "Nairobi", "Lima", "Oslo", "Hanoi", "Cairo", "Quito", "Riga", "Accra", "Dhaka"]
COUNTRIES = ["Kenya", "Peru", "Norway", "Vietnam", "Egypt", "Ecuador", "Latvia", "Ghana"]


def seed_sentences() -> list[str]:
    out = []
    for f in seeds.seed_files():
        for line in f.read_text("utf-8").splitlines():
            out.extend(s for s in re.split(r"(?<=[.!?])\s+", line.strip()) if len(s) > 40)
    return out


def perturb(sentence: str, rng: random.Random, cast: dict[str, str]) -> str:
    text = re.sub(r"\b\d+\b", lambda m: str(int(m.group()) + rng.choice([0, 0, 1, 2, 5])), sentence)
    for old, new in cast.items():
        text = text.replace(old, new)
    return text


def story_articles(
    story: int,
    n_articles: int,
    rng: random.Random,
    sentences_per_article: tuple[int, int] = (15, 30),
) -> list[SourceDocument]:
    """Articles of one story: shared core sentences, each source with its own extra ones."""
    pool = seed_sentences()
    cast = {
        "Vladimir Putin": rng.choice(PEOPLE),
        "Kim Jong Un": rng.choice(PEOPLE),
        "Pyongyang": rng.choice(PLACES),
        "North Korea": rng.choice(COUNTRIES),
        "Russia": rng.choice(COUNTRIES),
        "Putin": "",
        "Kim": "",
    }
    cast["Putin"] = cast["Vladimir Putin"].split()[-1]
    cast["Kim"] = cast["Kim Jong Un"].split()[-1]
    core = rng.sample(pool, min(12, len(pool)))
    docs = []
    for a in range(n_articles):
        n = rng.randint(*sentences_per_article)
        body = [perturb(s, rng, cast) for s in rng.sample(core, min(len(core), n // 2))]
        body += [perturb(rng.choice(pool), rng, cast) for _ in range(n - len(body))]
        rng.shuffle(body)
        title = f"Story {story}: talks in {cast['Pyongyang']}, report {a}"
        paragraphs = [" ".join(body[i : i + 3]) for i in range(0, len(body), 3)]
        docs.append(SourceDocument("\n".join([title, *paragraphs]), f"synth:{story}:{a}"))
    return docs
