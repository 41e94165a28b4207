"""The story overview's rows: each claim with how many sources report it, and where they differ.

The three answers a reader wants of a story (what most sources agree on,
where they differ, what only one reports) are filters over these rows. Pure
functions over the store's records: no widget here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from store.models import ClaimGroup, Difference, Link, SentenceRef

if TYPE_CHECKING:
    from store.analysis.updates import DifferenceKind, ReportTime

Filter = Literal["all", "most", "differing", "one"]
FILTER_NAMES: dict[Filter, str] = {
    "all": "every claim",
    "most": "reported by most sources",
    "differing": "where sources differ",
    "one": "in one source only",
}


@dataclass(frozen=True)
class OverviewRow:
    """One claim of the story: its sentences, one per source as a rule."""

    members: tuple[SentenceRef, ...]
    representative: SentenceRef
    sources: int  # how many sources report it
    of: int  # how many sources the story has
    differing: frozenset[SentenceRef] = frozenset()  # members with a `differs` link inside

    def shown_by(self, which: Filter) -> bool:
        if which == "most":
            return self.sources >= 2 and 2 * self.sources > self.of
        if which == "differing":
            return bool(self.differing)
        if which == "one":
            return self.sources == 1
        return True


def overview_rows(
    groups: list[ClaimGroup], single: list[SentenceRef], sources: int
) -> list[OverviewRow]:
    """Claim groups, then the claims of one source only; the most widely reported first."""
    rows = [
        OverviewRow(
            g.members,
            g.representative,
            len(g.sources),
            sources,
            frozenset(ref for pair in g.differing for ref in pair),
        )
        for g in groups
    ]
    rows += [OverviewRow((ref,), ref, 1, sources) for ref in single]
    return sorted(rows, key=lambda r: (-r.sources, -len(r.differing), r.representative))


def differences_in(
    row: OverviewRow, links: list[Link], times: dict[str, ReportTime] | None = None
) -> dict[SentenceRef, list[tuple[Difference, DifferenceKind]]]:
    """For each member of the row, what it states differently from another member, and
    whether that is an update or a contradiction by the two reports' times."""
    from store.analysis.updates import ReportTime, difference_kind

    times = times or {}
    members = set(row.members)
    out: dict[SentenceRef, list[tuple[Difference, DifferenceKind]]] = {}
    for link in links:
        if link.relation != "differs":
            continue
        a = SentenceRef(link.a_article, link.a_sentence)
        b = SentenceRef(link.b_article, link.b_sentence)
        if a in members and b in members:
            for ref, other in ((a, b), (b, a)):
                here = times.get(ref.article, ReportTime())
                there = times.get(other.article, ReportTime())
                for diff in link.differences_from(ref.article, ref.sentence):
                    found = (diff, difference_kind(diff.what, here, there))
                    if found not in out.setdefault(ref, []):
                        out[ref].append(found)
    return out


def side_by_side(
    differences: list[tuple[Difference, DifferenceKind]],
) -> dict[str, tuple[str, list[str], set[DifferenceKind]]]:
    """A member's differences as one line per kind of value: this side's value, the
    values other sources give, and whether those are updates or contradictions
    ("dead": ("4", ["2", "7", "9"], {"update"})); "nine", "Nine" and "9" are one value."""
    from store.analysis.updates import same_value

    out: dict[str, tuple[str, list[str], set[DifferenceKind]]] = {}
    for diff, kind in differences:
        this, others, kinds = out.setdefault(diff.what, (diff.this, [], set()))
        kinds.add(kind)
        said = {same_value(v) for v in (this, *others)}
        if same_value(diff.other) not in said:
            others.append(diff.other)
    return out
