"""Canonical entities in 256 small TinyDB files (entities/NN.json).

A 10,000-article library knows some 60,000 entities; one file of them is
rewritten on every import and parsed whenever the reader starts. Split by a
hash of the entity id, an import reads and writes only the shards of the
entities it mentions, and the reader loads only those of the open article.
Each shard also holds the person-name index for the name parts that hash to
it ("putin" -> the people whose first or last name that is), which the
resolver uses to match "Putin" to "Vladimir Putin" across the library.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator

from store.disk.layout import Layout
from store.disk.tables import Document, Row, save_changed
from store.labels import is_person
from store.models import Entity
from store.names import person_parts


def shard_of(key: str) -> str:
    return hashlib.blake2b(key.encode("utf-8"), digest_size=1).hexdigest()


def new_entity_row(
    entity_id: str,
    name: str,
    label: str,
    aliases: Iterable[str] = (),
    articles: dict[str, int] | None = None,
) -> Row:
    """The row of an entity, as its shard stores it (the one place this shape is written)."""
    return {
        "id": entity_id,
        "name": name,
        "type": label,
        "aliases": sorted(aliases),
        "articles": dict(articles or {}),
    }


def entity_from_row(row: Row) -> Entity:
    return Entity(
        row["id"],
        row["name"],
        row["type"],
        tuple(row.get("aliases", ())),
        dict(row.get("articles", {})),
    )


class EntityStore:
    """The entity shards of one library; shards are read when first needed, then kept.

    Use a fresh instance per read or per locked transaction: it does not notice
    other processes' writes. With `blank`, the shards on disk are ignored and
    every shard saved replaces the old one whole (a rebuild).
    """

    def __init__(self, layout: Layout, blank: bool = False) -> None:
        self.layout = layout
        self.blank = blank
        self._docs: dict[str, Document] = {}

    def _doc(self, shard: str) -> Document:
        if shard not in self._docs:
            path = self.layout.entity_shard(shard)
            self._docs[shard] = Document(path, None) if self.blank else Document.load(path)
        return self._docs[shard]

    def shards(self) -> set[str]:
        """The shards this store has read or written."""
        return set(self._docs)

    def row(self, entity_id: str) -> Row | None:
        return self._doc(shard_of(entity_id)).table("entities").get(entity_id)

    def known(self, entity_id: str) -> Row:
        """The row of an entity that must exist (one this transaction added or counted)."""
        row = self.row(entity_id)
        if row is None:
            raise KeyError(entity_id)
        return row

    def get_many(self, ids: Iterable[str]) -> dict[str, Entity]:
        out = {}
        for entity_id in ids:
            row = self.row(entity_id)
            if row is not None:
                out[entity_id] = entity_from_row(row)
        return out

    def all(self) -> Iterator[Entity]:
        """Every entity (reads every shard: for listings and repairs, not hot paths)."""
        for path in sorted(self.layout.entities.glob("??.json")):
            for row in self._doc(path.stem).table("entities").rows():
                yield entity_from_row(row)

    def people_named(self, part: str) -> dict[str, str]:
        """{id: name} of the people whose first or last name (a name key) is `part`."""
        row = self._doc(shard_of(part)).table("parts", key="part").get(part)
        return dict(row["people"]) if row else {}

    # -- changes (hold the library lock, then save()) -------------------------
    def put(self, row: Row) -> None:
        """Store a changed row of a known entity."""
        self._doc(shard_of(row["id"])).table("entities").put(row)

    def add(self, row: Row) -> None:
        """Store a new entity; a person is also found by first and last name."""
        self.put(row)
        if is_person(row["type"]):
            for part in person_parts(row["name"]):
                self._index_person(part, row["id"], row["name"])

    def discard(self, row: Row) -> None:
        """Forget an entity no article mentions any more."""
        self._doc(shard_of(row["id"])).table("entities").remove(row["id"])
        if is_person(row["type"]):
            for part in person_parts(row["name"]):
                self._unindex_person(part, row["id"])

    def _index_person(self, part: str, entity_id: str, name: str) -> None:
        parts = self._doc(shard_of(part)).table("parts", key="part")
        people = dict((parts.get(part) or {}).get("people", {}))
        if people.get(entity_id) != name:
            parts.put({"part": part, "people": {**people, entity_id: name}})

    def _unindex_person(self, part: str, entity_id: str) -> None:
        parts = self._doc(shard_of(part)).table("parts", key="part")
        people = dict((parts.get(part) or {}).get("people", {}))
        if people.pop(entity_id, None) is not None:
            if people:
                parts.put({"part": part, "people": people})
            else:
                parts.remove(part)

    def save(self) -> None:
        """Write the shards that changed (each atomically, their fsyncs side by side)."""
        save_changed(self._docs.values())
