"""Claim groups: a story's links gathered into the claims they report, one group per claim.

A reader asks of a story what most sources agree on, where they differ and
what one source alone says; the groups answer it. Links are merged
strongest first (average linkage): two groups join when no source is in
both and two thirds of the pairs between them are linked, so a group holds
one sentence per source and stands on links among most of its members, not
on a chain. A sentence that states several claims then joins every other
group most of whose members it links to; an article that repeats a claim
(headline and lede) joins with its second sentence the same way.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from store.models import ClaimGroup, Link, SentenceRef

MIN_DENSITY = 0.67  # share of the pairs between two groups that must be linked to merge them
MIN_JOIN = 2  # a sentence joins a further group only when it links to this many members


def group_claims(links: Sequence[Link]) -> list[ClaimGroup]:
    """The claim groups of a story's links, most sources first (ties: strongest links first)."""
    score: dict[frozenset[SentenceRef], float] = {}
    neighbours: dict[SentenceRef, set[SentenceRef]] = defaultdict(set)
    for link in links:
        a, b = (
            SentenceRef(link.a_article, link.a_sentence),
            SentenceRef(link.b_article, link.b_sentence),
        )
        score[frozenset((a, b))] = max(score.get(frozenset((a, b)), 0.0), link.score)
        neighbours[a].add(b)
        neighbours[b].add(a)
    group_of: dict[SentenceRef, int] = {s: i for i, s in enumerate(sorted(neighbours, key=_order))}
    members: dict[int, list[SentenceRef]] = {i: [s] for s, i in group_of.items()}
    for pair in sorted(score, key=lambda p: (-score[p], sorted(map(_order, p)))):
        a, b = sorted(pair, key=_order)
        ga, gb = group_of[a], group_of[b]
        if ga == gb or not _can_merge(members[ga], members[gb], neighbours):
            continue
        for s in members[gb]:
            group_of[s] = ga
        members[ga].extend(members.pop(gb))
    groups = [m for m in members.values() if len(m) > 1]
    extra = _join_further(groups, neighbours)
    differing = {frozenset(_ends(x)) for x in links if x.relation == "differs"}
    out = [_group(core, more, score, differing) for core, more in zip(groups, extra)]
    strength = {id(g): _strength(g.members, score) for g in out}
    out.sort(key=lambda g: (-len(g.sources), -strength[id(g)], _order(g.representative)))
    return out


def single_source(
    claim_sentences: Iterable[SentenceRef], links: Sequence[Link]
) -> list[SentenceRef]:
    """The claim sentences no other source reports (no link), in the order given."""
    linked = {end for x in links for end in _ends(x)}
    return [s for s in claim_sentences if s not in linked]


def _ends(link: Link) -> tuple[SentenceRef, SentenceRef]:
    return SentenceRef(link.a_article, link.a_sentence), SentenceRef(
        link.b_article, link.b_sentence
    )


def _order(ref: SentenceRef) -> tuple[str, int]:
    return ref.article, ref.sentence


def _can_merge(
    a: list[SentenceRef], b: list[SentenceRef], neighbours: dict[SentenceRef, set[SentenceRef]]
) -> bool:
    if {s.article for s in a} & {s.article for s in b}:
        return False
    linked = sum(len(neighbours[s] & set(b)) for s in a)
    return linked >= MIN_DENSITY * len(a) * len(b)


def _join_further(
    groups: list[list[SentenceRef]], neighbours: dict[SentenceRef, set[SentenceRef]]
) -> list[list[SentenceRef]]:
    """Per group, the further sentences that link to most of its members (and so join it)."""
    extra = []
    for members in groups:
        inside = set(members)
        candidates = {n for s in members for n in neighbours[s]} - inside
        joining = []
        for s in sorted(candidates, key=_order):
            hits = len(neighbours[s] & inside)
            if hits >= MIN_JOIN and hits * 2 > len(inside):
                joining.append(s)
        extra.append(joining)
    return extra


def _strength(members: Sequence[SentenceRef], score: dict[frozenset[SentenceRef], float]) -> float:
    return sum(
        score.get(frozenset((a, b)), 0.0) for i, a in enumerate(members) for b in members[i + 1 :]
    )


def _group(
    core: list[SentenceRef],
    extra: list[SentenceRef],
    score: dict[frozenset[SentenceRef], float],
    differing: set[frozenset[SentenceRef]],
) -> ClaimGroup:
    """The group; its representative is the core member most strongly linked to the rest."""
    ordered = tuple(sorted(core + extra, key=_order))
    best = max(
        sorted(core, key=_order),
        key=lambda s: (sum(score.get(frozenset((s, o)), 0.0) for o in ordered), -s.sentence),
    )
    pairs = tuple(
        (a, b)
        for i, a in enumerate(ordered)
        for b in ordered[i + 1 :]
        if frozenset((a, b)) in differing
    )
    return ClaimGroup(ordered, best, pairs)
