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

from store.analysis.features import ranges
from store.link_table import BY_STRENGTH, STRENGTH, LinkTable
from store.models import ClaimGroup, Difference, Link, SentenceRef

MIN_DENSITY = 0.67  # share of the pairs between two groups that must be linked to merge them
MIN_JOIN = 2  # a sentence joins a further group only when it links to this many members


class Linked:
    """A story's links as a graph: each linked pair once (low < high) with its best score
    and strongest relation, and each sentence's partners, `partner[start[i]:start[i + 1]]`,
    with the pair's `weight` (score) and `strength` beside them. Built without a Python
    loop over the links: a large story has hundreds of thousands."""

    def __init__(self, table: LinkTable) -> None:
        self.refs = table.ends
        n, first, second = len(table.ends), table.first, table.second
        codes = np.minimum(first, second) * n + np.maximum(first, second)
        order = np.argsort(codes, kind="stable")
        starts = np.flatnonzero(np.diff(codes[order], prepend=-1))
        self.score = np.maximum.reduceat(table.scores[order], starts)
        strength = np.maximum.reduceat(table.strength[order], starts)
        self.low, self.high = codes[order][starts] // n, codes[order][starts] % n
        mine = np.concatenate([self.low, self.high])
        by_sentence = np.argsort(mine, kind="stable")
        self.partner = np.concatenate([self.high, self.low])[by_sentence]
        self.weight = np.concatenate([self.score, self.score])[by_sentence]
        self.strength = np.concatenate([strength, strength])[by_sentence]
        self.start = np.searchsorted(mine[by_sentence], np.arange(n + 1))
        # `differs` pairs, with the differences as the lower-numbered sentence states them
        self.differing: dict[int, set[int]] = defaultdict(set)
        self.differences: dict[tuple[int, int], tuple[Difference, ...]] = {}
        for k in sorted(table.differences):
            a, b = int(first[k]), int(second[k])
            self.differing[a].add(b)
            self.differing[b].add(a)
            if (min(a, b), max(a, b)) not in self.differences:
                self.differences[min(a, b), max(a, b)] = tuple(
                    d.swapped() if a > b else d for d in table.differences[k]
                )

    def partners(self, i: int) -> list[int]:
        return self.partner[self.start[i] : self.start[i + 1]].tolist()


def group_claims(links: LinkTable | Sequence[Link]) -> list[ClaimGroup]:
    """The claim groups of a story's links, most sources first (ties: strongest links first)."""
    if not len(links):
        return []
    linked = Linked(links if isinstance(links, LinkTable) else LinkTable.of(links))
    refs, low, high = linked.refs, linked.low, linked.high
    group_of = list(range(len(refs)))
    members: dict[int, set[int]] = {i: {i} for i in group_of}
    sources: dict[int, set[str]] = {i: {ref.article} for i, ref in enumerate(refs)}
    # between[g][h]: how many linked pairs join groups g and h, kept up to date as groups
    # merge, so the density test costs one look-up instead of a walk over both groups.
    between = {i: dict.fromkeys(linked.partners(i), 1) for i in group_of}
    strongest_first = np.lexsort((high, low, -linked.score))  # ties: the lower-numbered pair
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
    cores = [m for m in members.values() if len(m) > 1]
    insides = [core | more for core, more in zip(cores, _join_further(cores, linked))]
    made = [_group(linked, core, *inside) for core, inside in zip(cores, _within(insides, linked))]
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


def _join_further(cores: list[set[int]], linked: Linked) -> list[set[int]]:
    """Per core group, the further sentences that link to most of its members (at least
    MIN_JOIN, and more than half), and so join it."""
    n = len(linked.refs)
    core_of = np.full(n, -1, dtype=np.intp)
    for g, core in enumerate(cores):
        core_of[list(core)] = g
    mine = core_of[np.repeat(np.arange(n), np.diff(linked.start))]
    outside = (mine >= 0) & (core_of[linked.partner] != mine)
    codes, hits = np.unique(mine[outside] * n + linked.partner[outside], return_counts=True)
    size = np.array([len(core) for core in cores], dtype=np.intp)
    joins = (hits >= MIN_JOIN) & (hits * 2 > size[codes // n])
    extra: list[set[int]] = [set() for _ in cores]
    for code in codes[joins].tolist():
        extra[code // n].add(code % n)
    return extra


def _within(
    insides: list[set[int]], linked: Linked
) -> list[tuple[list[int], list[float], list[int]]]:
    """Per group: its members in order, the summed scores of each one's links inside the
    group (exactly rounded, so the same in any order) and the STRENGTH of its strongest
    relation there (`related` when it has none)."""
    if not insides:
        return []
    n, sizes = len(linked.refs), [len(inside) for inside in insides]
    node = np.fromiter((i for inside in insides for i in sorted(inside)), np.intp, sum(sizes))
    group = np.repeat(np.arange(len(insides)), sizes)
    codes = group * n + node  # sorted: by group, then sentence
    # each member's links, one after another: is the partner in the same group?
    at, _ = ranges(linked.start[node], linked.start[node + 1])
    owner = np.repeat(np.arange(len(node)), linked.start[node + 1] - linked.start[node])
    wanted = group[owner] * n + linked.partner[at]
    found = np.minimum(np.searchsorted(codes, wanted), len(codes) - 1)
    inside = codes[found] == wanted
    at, owner = at[inside], owner[inside]
    strongest = np.full(len(node), STRENGTH["related"], dtype=np.intp)
    np.maximum.at(strongest, owner, linked.strength[at])
    bounds = np.searchsorted(owner, np.arange(len(node) + 1)).tolist()
    weights = linked.weight[at].tolist()
    sums = [math.fsum(weights[lo:hi]) for lo, hi in zip(bounds, bounds[1:])]
    nodes, strongest_of = node.tolist(), strongest.tolist()
    cut = [0, *np.cumsum(sizes).tolist()]
    return [(nodes[lo:hi], sums[lo:hi], strongest_of[lo:hi]) for lo, hi in zip(cut, cut[1:])]


def _group(
    linked: Linked, core: set[int], ordered: list[int], within: list[float], strongest: list[int]
) -> tuple[ClaimGroup, float]:
    """The group and how strongly its members are linked; its representative is the core
    member most strongly linked to the rest."""
    refs, inside = linked.refs, set(ordered)
    pairs = sorted(
        (i, j) for i in ordered for j in linked.differing.get(i, ()) if i < j and j in inside
    )
    summed = dict(zip(ordered, within))
    best = max(sorted(core), key=lambda i: (summed[i], -refs[i].sentence))
    group = ClaimGroup(
        tuple(refs[i] for i in ordered),
        refs[best],
        tuple((refs[i], refs[j]) for i, j in pairs),
        tuple(BY_STRENGTH[n] for n in strongest),
        tuple(linked.differences.get((i, j), ()) for i, j in pairs),
    )
    return group, sum(within) / 2


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
