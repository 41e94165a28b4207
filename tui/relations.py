"""How a link's relation is shown: one table for the mark, the badge and which outranks which."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # records are not imported for the first frame
    from store.models import Relation

# The one-character mark in the compare and coverage tables.
MARK: dict[Relation, str] = {"same": "=", "related": "~", "differs": "!"}
ALONE = "o"  # a sentence no other source reports (coverage)
# Where a sentence has several links, the one shown: a difference first, then the same claim.
STRENGTH: dict[Relation, int] = {"differs": 3, "same": 2, "related": 1}


def badge(relation: Relation) -> str:
    """The relation as the Claims panel shows it: "[same]", "[related]", "[differs]"."""
    return f"[{relation}]"


def mark(relation: str) -> str:
    """The mark of a relation, ALONE for "alone", "" for no link."""
    if relation == "alone":
        return ALONE
    return MARK.get(relation, "")  # type: ignore[call-overload]


def strength(relation: str) -> int:
    return STRENGTH.get(relation, 0)  # type: ignore[call-overload]
