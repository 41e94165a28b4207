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

import math
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence

import numpy as np

from store.models import ClaimGroup, Difference, Link, Relation, SentenceRef

MIN_DENSITY = 0.67  # share of the pairs between two groups that must be linked to merge them
MIN_JOIN = 2  # a sentence joins a further group only when it links to this many members


Adjacency = dict[int, dict[int, float]]  # sentence number -> linked sentence -> best score
STRENGTH: dict[Relation, int] = {"differs": 3, "same": 2, "related": 1}
RELATION_OF: dict[int, Relation] = {n: relation for relation, n in STRENGTH.items()}


class PairFacts:
    """What the links between two sentences say: the strongest relation and, for a
    `differs` link, the differences as the lower-numbered sentence states them."""

    def __init__(self) -> None:
        # the STRENGTH of each pair's strongest relation, looked up from either end
        self.strengths: dict[int, dict[int, int]] = defaultdict(dict)
        self.differences: dict[tuple[int, int], tuple[Difference, ...]] = {}


def group_claims(links: Sequence[Link]) -> list[ClaimGroup]:
    """The claim groups of a story's links, most sources first (ties: strongest links first)."""
    if not links:
        return []
    # Sentences are numbered in SentenceRef order, so numbers compare as the sentences do.
    ends = sorted(
        {(x.a_article, x.a_sentence) for x in links} | {(x.b_article, x.b_sentence) for x in links}
    )
    number = {end: i for i, end in enumerate(ends)}
    refs = [SentenceRef(article, sentence) for article, sentence in ends]
    first = np.array([number[x.a_article, x.a_sentence] for x in links], dtype=np.intp)
    second = np.array([number[x.b_article, x.b_sentence] for x in links], dtype=np.intp)
    # each linked pair once (a < b), with its best score and strongest relation
    low, high = np.minimum(first, second), np.maximum(first, second)
    order = np.argsort(low * len(refs) + high, kind="stable")
    starts = np.flatnonzero(np.diff((low * len(refs) + high)[order], prepend=-1))
    score = np.maximum.reduceat(np.array([x.score for x in links], dtype=float)[order], starts)
    strength = np.maximum.reduceat(
        np.array([STRENGTH[x.relation] for x in links], dtype=np.intp)[order], starts
    )
    low, high = low[order][starts], high[order][starts]
    adjacent: Adjacency = defaultdict(dict)
    facts = PairFacts()
    for a, b, w, n in zip(low.tolist(), high.tolist(), score.tolist(), strength.tolist()):
        adjacent[a][b] = adjacent[b][a] = w
        facts.strengths[a][b] = facts.strengths[b][a] = n
    differing: dict[int, set[int]] = defaultdict(set)
    for k in (k for k, x in enumerate(links) if x.relation == "differs"):
        a, b = int(first[k]), int(second[k])
        differing[a].add(b)
        differing[b].add(a)
        if (min(a, b), max(a, b)) not in facts.differences:
            swap = a > b
            facts.differences[min(a, b), max(a, b)] = tuple(
                d.swapped() if swap else d for d in links[k].differences
            )
    group_of = list(range(len(refs)))
    members: dict[int, set[int]] = {i: {i} for i in group_of}
    sources: dict[int, set[str]] = {i: {ref.article} for i, ref in enumerate(refs)}
    # between[g][h]: how many linked pairs join groups g and h, kept up to date as groups
    # merge, so the density test costs one look-up instead of a walk over both groups.
    between: dict[int, dict[int, int]] = {a: dict.fromkeys(near, 1) for a, near in adjacent.items()}
    strongest_first = np.lexsort((high, low, -score))  # ties: the lower-numbered pair
    for a, b in zip(low[strongest_first].tolist(), high[strongest_first].tolist()):
        ga, gb = group_of[a], group_of[b]
        if ga == gb or not sources[ga].isdisjoint(sources[gb]):
            continue
        if between[ga].get(gb, 0) < MIN_DENSITY * len(members[ga]) * len(members[gb]):
            continue
        if len(members[ga]) < len(members[gb]):
            ga, gb = gb, ga
        for i in members[gb]:
            group_of[i] = ga
        members[ga] |= members.pop(gb)
        sources[ga] |= sources.pop(gb)
        joined = between[ga]
        del joined[gb]
        for h, n in between.pop(gb).items():
            if h != ga:
                joined[h] = joined.get(h, 0) + n
                row = between[h]
                row[ga] = row.get(ga, 0) + row.pop(gb)
    groups = [m for m in members.values() if len(m) > 1]
    made = [
        _group(refs, core, more, adjacent, differing, facts)
        for core, more in zip(groups, _join_further(groups, adjacent))
    ]
    made.sort(key=lambda gs: (-len(gs[0].sources), -gs[1], gs[0].representative))
    return [group for group, _ in made]


def single_source(
    claim_sentences: Iterable[SentenceRef], links: Sequence[Link]
) -> list[SentenceRef]:
    """The claim sentences no other source reports (no link), in the order given."""
    linked = {end for x in links for end in _ends(x)}
    return [s for s in claim_sentences if s not in linked]


def _ends(link: Link) -> tuple[SentenceRef, SentenceRef]:
    a, b = (
        SentenceRef(link.a_article, link.a_sentence),
        SentenceRef(link.b_article, link.b_sentence),
    )
    return a, b


def _join_further(groups: list[set[int]], adjacent: Adjacency) -> list[set[int]]:
    """Per group, the further sentences that link to most of its members (and so join it)."""
    extra = []
    for inside in groups:
        hits: dict[int, int] = defaultdict(int)
        for i in inside:
            for j in adjacent[i]:
                if j not in inside:
                    hits[j] += 1
        extra.append({j for j, n in hits.items() if n >= MIN_JOIN and n * 2 > len(inside)})
    return extra


def _group(
    refs: list[SentenceRef],
    core: set[int],
    extra: set[int],
    adjacent: Adjacency,
    differing: dict[int, set[int]],
    facts: PairFacts,
) -> tuple[ClaimGroup, float]:
    """The group and how strongly its members are linked; its representative is the core
    member most strongly linked to the rest."""
    inside = core | extra
    ordered = sorted(inside)
    within: dict[int, float] = {}
    relations: list[Relation] = []
    for i in ordered:
        near = adjacent[i]
        mates = near.keys() & inside  # a member's links inside the group
        within[i] = math.fsum(map(near.__getitem__, mates))  # the same sum in any order
        strength = max(map(facts.strengths[i].__getitem__, mates), default=STRENGTH["related"])
        relations.append(RELATION_OF[strength])
    pairs = sorted((i, j) for i in ordered for j in differing.get(i, ()) if i < j and j in inside)
    best = max(sorted(core), key=lambda i: (within[i], -refs[i].sentence))
    group = ClaimGroup(
        tuple(refs[i] for i in ordered),
        refs[best],
        tuple((refs[i], refs[j]) for i, j in pairs),
        tuple(relations),
        tuple(facts.differences.get((i, j), ()) for i, j in pairs),
    )
    return group, sum(within.values()) / 2


def extend_groups(
    groups: Sequence[ClaimGroup], links: Sequence[Link], new: Collection[str]
) -> list[ClaimGroup]:
    """A story's groups with the links of articles `new` to it (each link has a new end).

    A new sentence joins every group most of whose members it links to (at
    least MIN_JOIN), as in grouping the whole story. New sentences that join
    no group are grouped, by the same merging, with each other and with the
    story's sentences that were in no group. Groups no one joined stay as they
    were, and a joined group keeps its representative: the links among its old
    members are not read again.
    """
    member_of: dict[SentenceRef, list[int]] = defaultdict(list)
    for g, group in enumerate(groups):
        for m in group.members:
            member_of[m].append(g)
    near: dict[SentenceRef, dict[SentenceRef, Link]] = defaultdict(dict)
    for x in links:
        a, b = _ends(x)
        for mine, other in ((a, b), (b, a)):
            if mine.article in new and x.score > getattr(near[mine].get(other), "score", -1.0):
                near[mine][other] = x
    joining: dict[int, list[SentenceRef]] = defaultdict(list)
    for s in sorted(near):
        hits: dict[int, int] = defaultdict(int)
        for t in near[s]:
            for g in member_of.get(t, ()):
                hits[g] += 1
        for g, n in hits.items():
            if n >= MIN_JOIN and n * 2 > len(groups[g].members):
                joining[g].append(s)
    placed = {s for joined in joining.values() for s in joined}
    rest = [
        x
        for x in links
        if not placed.intersection(_ends(x))
        and all(end.article in new or end not in member_of for end in _ends(x))
    ]
    out = [
        _joined(group, joining[g], near) if g in joining else group
        for g, group in enumerate(groups)
    ]
    out += group_claims(rest)
    out.sort(key=lambda group: -len(group.sources))  # stable: each group's rank among equals
    return out


def _joined(
    group: ClaimGroup, joining: list[SentenceRef], near: dict[SentenceRef, dict[SentenceRef, Link]]
) -> ClaimGroup:
    """`group` with new members: each member's strongest relation inside it, and the
    pairs that differ (as the lower sentence states them), brought up to date."""
    members = sorted({*group.members, *joining})
    inside = set(members)
    relation = dict(zip(group.members, group.relations)) if group.complete else {}
    differing = dict(zip(group.differing, group.differences))
    for s in joining:
        for t, x in near[s].items():
            if t not in inside:
                continue
            for end in (s, t):
                held = relation.get(end)
                if held is None or STRENGTH[x.relation] > STRENGTH[held]:
                    relation[end] = x.relation
            pair = (s, t) if s < t else (t, s)
            if x.relation == "differs" and pair not in differing:
                differing[pair] = x.differences_from(pair[0].article, pair[0].sentence)
    pairs = sorted(differing)
    return ClaimGroup(
        tuple(members),
        group.representative,
        tuple(pairs),
        tuple(relation.get(m, "related") for m in members),
        tuple(differing[p] for p in pairs),
    )
