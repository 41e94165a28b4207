"""A story's links as columns, the form linking finds them in.

A large story has hundreds of thousands of links. Grouping them into claims
and writing them read the columns; Link objects are made only where a caller
wants them (`links()`), and a list of them made into a table where one was
read back from the store (`of`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import starmap
from operator import attrgetter

import numpy as np

from store.models import Difference, Link, Relation, SentenceRef

BY_STRENGTH: tuple[Relation, ...] = ("related", "same", "differs")  # weakest first
STRENGTH: dict[Relation, int] = {relation: n for n, relation in enumerate(BY_STRENGTH)}
_A_END = attrgetter("a_article", "a_sentence")
_B_END = attrgetter("b_article", "b_sentence")


@dataclass(frozen=True)
class LinkTable:
    """Link k joins sentence `ends[first[k]]` (its a side) and `ends[second[k]]`, with
    `scores[k]` and relation `BY_STRENGTH[strength[k]]`; a `differs` link's differences,
    as its a side states them, are `differences[k]`. `ends` are the linked sentences in
    SentenceRef order, so their numbers compare as the sentences do."""

    ends: list[SentenceRef]
    first: np.ndarray
    second: np.ndarray
    scores: np.ndarray
    strength: np.ndarray
    differences: dict[int, tuple[Difference, ...]]

    def __len__(self) -> int:
        return len(self.first)

    @classmethod
    def numbered(
        cls,
        sentences: Sequence[SentenceRef],
        first: np.ndarray,
        second: np.ndarray,
        scores: np.ndarray,
        strength: np.ndarray,
        differences: dict[int, tuple[Difference, ...]],
    ) -> LinkTable:
        """From pairs that number `sentences` (in any order, a sentence maybe more than once)."""
        used = np.union1d(first, second)
        ends = sorted({sentences[i] for i in used.tolist()})
        number = {end: n for n, end in enumerate(ends)}
        renumber = np.zeros(len(sentences), dtype=np.intp)
        renumber[used] = [number[sentences[i]] for i in used.tolist()]
        return cls(ends, renumber[first], renumber[second], scores, strength, differences)

    @classmethod
    def of(cls, links: Sequence[Link]) -> LinkTable:
        a_ends, b_ends = list(map(_A_END, links)), list(map(_B_END, links))
        ends = sorted(set(a_ends).union(b_ends))
        number = {end: n for n, end in enumerate(ends)}
        count = len(links)
        strength = np.fromiter(
            map(STRENGTH.__getitem__, map(attrgetter("relation"), links)), np.intp, count
        )
        return cls(
            list(starmap(SentenceRef, ends)),
            np.fromiter(map(number.__getitem__, a_ends), np.intp, count),
            np.fromiter(map(number.__getitem__, b_ends), np.intp, count),
            np.fromiter(map(attrgetter("score"), links), float, count),
            strength,
            {
                k: links[k].differences
                for k in np.flatnonzero(strength == STRENGTH["differs"]).tolist()
            },
        )

    def columns(self) -> tuple[list[str], list[int], list[str], list[int], list[float]]:
        """Per link: its a side's article and sentence, its b side's, and its score."""
        articles = np.array([end.article for end in self.ends], dtype=object)
        sentences = np.array([end.sentence for end in self.ends], dtype=np.intp)
        return (
            articles[self.first].tolist(),
            sentences[self.first].tolist(),
            articles[self.second].tolist(),
            sentences[self.second].tolist(),
            self.scores.tolist(),
        )

    def relations(self) -> list[Relation]:
        return np.array(BY_STRENGTH, dtype=object)[self.strength].tolist()

    def links(self) -> list[Link]:
        said: list[tuple[Difference, ...]] = [()] * len(self)
        for k, differences in self.differences.items():
            said[k] = differences
        return list(map(Link, *self.columns(), self.relations(), said))
