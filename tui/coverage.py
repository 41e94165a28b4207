"""The coverage matrix: one row per claim group (as in the story overview), one column
per source, and in each cell how that source reports the claim. Pure functions over
the store's records; the screen only draws what these return."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.overview import OverviewRow
from tui.relations import ALONE, MARK, strength

if TYPE_CHECKING:
    from store.models import Link, Relation, SentenceRef

LEGEND = (
    f"{MARK['same']} same  {MARK['related']} related  {MARK['differs']} differs  "
    f"{ALONE} only this source  (blank: not reported)"
)


def column_labels(count: int) -> list[str]:
    """Short column labels: A..Z, then AA, AB, ... (two columns wide up to 702 sources)."""
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    labels = list(letters)
    labels += [a + b for a in letters for b in letters]
    return labels[:count]


def member_relations(rows: list[OverviewRow], links: list[Link]) -> dict[SentenceRef, Relation]:
    """For each member of a group, the strongest relation it has inside its group.

    A link between two groups (a looser "related" across claims) is not counted.
    """
    from store.models import SentenceRef

    group_of = {ref: i for i, row in enumerate(rows) for ref in row.members}
    best: dict[SentenceRef, Relation] = {}
    for link in links:
        a = SentenceRef(link.a_article, link.a_sentence)
        b = SentenceRef(link.b_article, link.b_sentence)
        row = group_of.get(a)
        if row is None or group_of.get(b) != row:
            continue
        for end in (a, b):
            if strength(link.relation) > strength(best.get(end, "")):
                best[end] = link.relation
    return best


def row_marks(
    row: OverviewRow, relations: dict[SentenceRef, Relation]
) -> dict[str, tuple[str, SentenceRef]]:
    """Article id -> (mark, its first sentence in the row) for every source reporting it."""
    out: dict[str, tuple[str, SentenceRef]] = {}
    for ref in row.members:
        if row.sources == 1:
            mark = ALONE
        elif ref in row.differing:
            mark = MARK["differs"]
        else:
            mark = MARK.get(relations.get(ref, "same"), MARK["same"])
        held = out.get(ref.article)
        if held is None or (mark == MARK["differs"] and held[0] != mark):
            out[ref.article] = (mark, ref if held is None else held[1])
    return out
