"""How names are keyed: the comparable form of a name and the slug ids are made of.

Shared by the resolver (which matches "Putin" to "Vladimir Putin") and the
entity shards (which index people by first and last name).
"""

from __future__ import annotations

import functools
import re
import unicodedata


@functools.lru_cache(maxsize=1 << 14)  # the same few names come again and again
def name_key(name: str) -> str:
    """Compare names casefolded, without accents, dots, commas or a leading "the"
    (reports write "Šutaj Eštok" and "Sutaj Estok", "Handlová" and "Handlova")."""
    folded = unicodedata.normalize("NFKD", name.casefold())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    key = re.sub(r"[.,]", "", folded).replace("\u2019", "'").strip()
    key = re.sub(r"^the ", "", key)
    return re.sub(r"\s+", " ", key)


def person_parts(name: str) -> set[str]:
    """The name keys a full person name is found by: its first and last word."""
    words = name.split()
    return {name_key(words[0]), name_key(words[-1])} if len(words) > 1 else set()


def slug(text: str) -> str:
    """A name as an id part: lowercase ASCII words joined by '-'."""
    return re.sub(r"[^a-z0-9]+", "-", name_key(text)).strip("-") or "x"
