"""Which story an article joins: the one whose entities cover the article's best.

Pure scoring over what the caller looks up (entity -> the articles that
mention it, article -> its story, story -> its entities), so it knows
nothing of how the library stores them.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Mapping

from store.names import slug

STORY_JOIN_THRESHOLD = 0.10  # measured on ECB+ and the exhaustive stories: see README
# A story's entity counts in full once this many of its articles name it (or all of
# them, in a smaller story); one named by fewer counts by that share. Without this,
# a big story's many one-off names covered any new article, and it swallowed
# unrelated events one after another.
CORE_MENTIONS = 2
STORY_ID_LENGTH = 48


def best_story(
    entity_counts: Counter[str],
    total_articles: int,
    mentioned_in: Callable[[str], Mapping[str, int]],
    story_of: Callable[[str], str | None],
    story_entities: Callable[[str], set[str]],
    story_size: Callable[[str], int],
) -> tuple[str | None, float]:
    """The story whose entities cover the article's best, and its score.

    Score: the article's entities that the story names, idf-weighted and each
    counted by how many of the story's articles name it (CORE_MENTIONS), over
    the smaller side's total. So a short article about the same event scores
    high, entities every story mentions ("United States") count little, and a
    name one article of a big story dropped in passing counts for half. Only the
    article's own entities are looked up, and a story's entities only where
    they may be fewer.
    """
    weight: dict[str, float] = {}
    named: dict[str, Counter[str]] = {}  # story -> my entities -> its articles naming each
    for entity_id in entity_counts:
        articles = mentioned_in(entity_id)
        weight[entity_id] = math.log((total_articles + 1) / (len(articles) + 1)) + 1
        for article_id in articles:
            story = story_of(article_id)
            if story is not None:
                named.setdefault(story, Counter())[entity_id] += 1
    my_weight = sum(weight.values())
    best, best_score = None, 0.0
    for story in sorted(named):
        core = min(CORE_MENTIONS, story_size(story)) or 1
        counts = named[story]
        covered = sum(weight[e] * min(1.0, n / core) for e, n in counts.items())
        shared_weight = sum(weight[e] for e in counts)
        theirs = story_entities(story)
        # Every weight is at least 1: the story's own total is only needed when it may be smaller.
        if my_weight <= shared_weight + len(theirs - counts.keys()):
            smaller = my_weight
        else:
            for entity_id in theirs - set(weight):
                count = len(mentioned_in(entity_id))
                weight[entity_id] = math.log((total_articles + 1) / (count + 1)) + 1
            smaller = min(my_weight, sum(weight[e] for e in theirs))
        score = covered / smaller if smaller else 0.0
        if score > best_score:
            best, best_score = story, score
    return best, best_score


def joins(score: float) -> bool:
    """Whether an article with this best score joins that story rather than starting one."""
    return score >= STORY_JOIN_THRESHOLD


def story_name(entity_counts: Counter[str], name_of: Callable[[str], str]) -> str:
    """A new story's name from its first article's most mentioned entities."""
    top = [e for e, _ in entity_counts.most_common() if not e.startswith("group:")][:3]
    return " / ".join(name_of(e) for e in top) or "Untitled story"


def given_story_id(name: str) -> str:
    """The id of a story named by the user (--story NAME)."""
    return slug(name)[:STORY_ID_LENGTH]


def new_story_id(name: str, article_id: str) -> str:
    """The id of a story started by an article: its name, and the article id's start."""
    return f"{slug(name)[:40]}-{article_id[:4]}"
