"""The store at scale: catalog and entity shards as TinyDB files, the search index,
upgrading a library written before them, and the reader's lazy library pane."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from textual.widgets import Tree
from tinydb import TinyDB

from store import Library
from store.disk.entities import EntityStore, shard_of
from store.disk.layout import SEARCH_FILE as INDEX_FILE
from store.disk.layout import Layout
from store.disk.search_index import fts_query
from store.disk.tables import Document
from store.ingest.sources import SourceDocument
from tests.conftest import ready, settle, until
from tui.app import TreatyApp
from tui.widgets import library_pane
from tui.widgets.library_pane import LibraryPane

pytestmark = pytest.mark.usefixtures("private_config")

OTHER_STORY = (
    "Council votes on the harbour plan\n"
    "The city council of Port Vale voted 9 to 4 on Tuesday to approve the harbour plan, "
    "mayor Anna Lindqvist said. The plan costs 40 million euros, officials said."
)


def test_store_files_stay_tinydb_databases(seeded_home: Path) -> None:
    catalog = TinyDB(seeded_home / "catalog.json")
    assert len(catalog.table("articles").all()) == 2
    shards = sorted((seeded_home / "entities").glob("*.json"))
    assert shards, "entities live in shard files"
    rows = [row for path in shards for row in TinyDB(path).table("entities").all()]
    assert {row["id"] for row in rows} == {e.id for e in Library.open(seeded_home).entities()}
    putin = next(r for r in rows if r["id"] == "person:vladimir-putin")
    assert (seeded_home / "entities" / f"{shard_of(putin['id'])}.json").exists()
    assert "entities" not in catalog.tables()


def test_the_catalog_digest_is_read_only_for_the_catalog_it_was_made_from(
    seeded_home: Path,
) -> None:
    """What the catalog lists is read from catalog.digest.json while catalog.json is the
    version the digest was made from; a catalog written since (by anything), a damaged
    digest or one of another shape is passed by, and the next change writes it again."""
    digest = Layout(seeded_home).catalog_digest
    before = Library.open(seeded_home).articles()
    Library.open(seeded_home).rename_story(before[0].story, "Samples")  # a copied library's
    assert b"Samples" in digest.read_bytes()  # digest is stale (another file) until a change
    digest.write_bytes(digest.read_bytes().replace(b"Russia and North Korea", b"Made up"))
    assert Library.open(seeded_home).articles()[0].title.startswith("Made up")  # it is read
    TinyDB(seeded_home / "catalog.json").table("articles").update({"title": "Retitled"})
    assert [a.title for a in Library.open(seeded_home).articles()] == ["Retitled"] * 2
    TinyDB(seeded_home / "catalog.json").table("articles").update({"title": "Again"})
    for damaged in (b"\x00\xff not json", b'{"format": 1}', b"[]", b""):
        digest.write_bytes(damaged)
        assert [a.title for a in Library.open(seeded_home).articles()] == ["Again"] * 2
    assert digest.read_bytes() == b"", "reading never writes"
    lib = Library.open(seeded_home)
    lib.rename_story(before[0].story, "Renamed")
    assert b"Renamed" in digest.read_bytes() and b"Again" in digest.read_bytes()
    assert [a.id for a in Library.open(seeded_home).articles()] == [a.id for a in before]
    assert [s.name for s in Library.open(seeded_home).stories()] == ["Renamed"]


def test_people_are_found_by_surname_across_imports(seeded_home: Path) -> None:
    """The name index in the shards lets a later article's "Putin" resolve library-wide."""
    lib = Library.open(seeded_home)
    [outcome] = lib.add_documents(
        [SourceDocument("Kremlin reply\nPutin said the talks would go on.", "<later>")]
    )
    article = lib.article(outcome.info.id)
    assert {m.entity for m in article.mentions if m.text == "Putin"} == {"person:vladimir-putin"}
    assert EntityStore(Layout(seeded_home)).people_named("putin") == {
        "person:vladimir-putin": "Vladimir Putin"
    }
    counts = lib.entities_of(["person:vladimir-putin"])["person:vladimir-putin"].articles
    assert outcome.info.id in counts and len(counts) == 3


def test_removing_the_last_mention_forgets_the_entity(seeded_home: Path) -> None:
    lib = Library.open(seeded_home)
    [outcome] = lib.add_documents([SourceDocument(OTHER_STORY, "<council>")], story="council")
    assert lib.entities_of(["person:anna-lindqvist"])
    lib.remove(outcome.info.id)
    assert not lib.entities_of(["person:anna-lindqvist"])
    assert EntityStore(Layout(seeded_home)).people_named("lindqvist") == {}


def test_a_library_from_before_entity_shards_is_upgraded(seeded_home: Path) -> None:
    """Entities written into catalog.json (the earlier layout) move into shards on open."""
    lib = Library.open(seeded_home)
    before = {e.id: e for e in lib.entities()}
    old = Document.load(seeded_home / "catalog.json")
    table = old.table("entities")
    for entity in before.values():
        table.put(
            {
                "id": entity.id,
                "name": entity.name,
                "type": entity.type,
                "aliases": list(entity.aliases),
                "articles": entity.articles,
            }
        )
    for story in old.table("stories").rows():
        old.table("stories").put({"id": story["id"], "name": story["name"]})
    old.save()
    shutil.rmtree(seeded_home / "entities")

    upgraded = Library.open(seeded_home)
    assert {e.id: e for e in upgraded.entities()} == before
    assert "entities" not in TinyDB(seeded_home / "catalog.json").tables()
    # The story still knows its entities: a related article joins it without --story.
    [outcome] = upgraded.add_documents(
        [SourceDocument("Putin and Kim\nVladimir Putin met Kim Jong Un in Pyongyang.", "<x>")]
    )
    assert outcome.info.story == upgraded.articles()[0].story


def test_search_finds_words_phrases_prefixes_and_entities(seeded_home: Path) -> None:
    lib = Library.open(seeded_home)
    total, hits = lib.search("Ushakov")
    assert total == 3 and {h.article for h in hits} == {hits[0].article}
    # "Mr. Ushakov" is found by the first name through the entity it resolves to.
    total, hits = lib.search("Yuri")
    assert any("Mr. Ushakov" in h.text and "Yuri Ushakov" in h.entities for h in hits)
    total, hits = lib.search('"comprehensive strategic partnership"')
    assert total >= 2 and all(
        "comprehensive strategic partnership" in re.sub(r"\W+", " ", h.text.casefold())
        for h in hits
    )
    assert lib.search("partnersh*")[0] >= lib.search("partnership")[0] > 0
    assert lib.search("Ushakov treaty")[0] < lib.search("treaty")[0]
    titles = [h for h in lib.search("Putin", limit=500)[1] if h.sentence == -1]
    assert titles, "titles are searched too"


@pytest.mark.parametrize(
    "query", ["U.S.", "AND OR NOT", '"unclosed', "NEAR(a b)", "*", "col:value", "'; DROP"]
)
def test_search_takes_any_text(seeded_home: Path, query: str) -> None:
    """Punctuation and FTS5 syntax in a query are only words: no error, index intact."""
    lib = Library.open(seeded_home)
    total, hits = lib.search(query)
    assert total >= len(hits)
    assert re.fullmatch(r'(?:"[^"]*"\*? ?)*', fts_query(query))
    assert lib.search("treaty")[0] > 0


def test_search_index_follows_imports_and_removals(seeded_home: Path) -> None:
    lib = Library.open(seeded_home)
    assert lib.search("Lindqvist")[0] == 0
    [outcome] = lib.add_documents([SourceDocument(OTHER_STORY, "<council>")], story="council")
    assert lib.search("Lindqvist")[0] == 1
    lib.remove(outcome.info.id)
    assert lib.search("Lindqvist")[0] == 0


def test_a_lost_search_index_is_rebuilt(seeded_home: Path) -> None:
    lib = Library.open(seeded_home)
    total, hits = lib.search("treaty")
    (seeded_home / INDEX_FILE).unlink()
    progress = []
    again, rebuilt = Library.open(seeded_home).search(
        "treaty", progress=lambda *a: progress.append(a)
    )
    assert (again, sorted(rebuilt, key=str)) == (total, sorted(hits, key=str))
    assert progress[-1] == (2, 2)


def test_a_damaged_search_index_is_reported_then_rebuilt_by_doctor(seeded_home, cli) -> None:
    (seeded_home / INDEX_FILE).write_bytes(b"this is not a database" * 100)
    (seeded_home.parent / "council.txt").write_text(OTHER_STORY)
    code, out, err = cli("search", "treaty")
    assert code == 1 and "search.sqlite" in err and "doctor" in err
    assert len(err.strip().splitlines()) == 1
    code, out, err = cli("add", str(seeded_home.parent / "council.txt"))
    assert code == 0, "a damaged index never blocks an import"
    code, out, err = cli("doctor")
    assert code == 0 and "search.sqlite" in out
    code, out, err = cli("search", "treaty")
    assert code == 0 and "treaty" in out.lower()
    assert cli("search", "Lindqvist")[1].count("\n") == 1, "the import made meanwhile is found"


async def test_a_big_library_opens_only_the_current_story(
    seeded_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above EXPAND_ALL_UP_TO articles, other stories start closed and fill when opened."""
    lib = Library.open(seeded_home)
    list(lib.add_documents([SourceDocument(OTHER_STORY, "<c>")], story="council"))
    monkeypatch.setattr(library_pane, "EXPAND_ALL_UP_TO", 1)
    app = TreatyApp(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        pane = screen.query_one(LibraryPane)
        stories = {node.data: node for node in pane.root.children}
        current = screen.opened.article.info.story
        others = [node for story, node in stories.items() if story != current]
        assert stories[current].is_expanded and stories[current].children
        assert others and all(not n.is_expanded and not n.children for n in others)
        pane.focus()
        pane.move_cursor(others[0])
        await pilot.press("space")
        await settle(pilot)
        listed = library_pane.ordered_articles(  # newest first, then by source
            screen.snapshot.story_articles(others[0].data), "newest"
        )
        expected = [a.id for a in listed]
        assert others[0].is_expanded and [n.data for n in others[0].children] == expected
        # Opening an article of a closed story (from search, say) opens it at that article.
        others[0].collapse()
        closed = [n for n in others if n is not others[0]] or others
        target = screen.snapshot.story_articles(closed[-1].data)[-1].id
        screen.load_article(target, 0)
        await settle(pilot)
        assert screen.opened.article.id == target
        # the cursor moves once the tree has drawn the story's lines
        await until(pilot, lambda: pane.cursor_node is not None and pane.cursor_node.data == target)
        # rows are measured as Tree measures them (its horizontal scrolling depends on it),
        # open and closed stories and articles alike, without rendering every label
        rows = [pane.root, *(line.node for line in pane._tree_lines)]
        assert {n.is_expanded for n in rows if n.allow_expand} == {True, False}
        assert [pane.get_label_width(n) for n in rows] == [
            Tree.get_label_width(pane, n) for n in rows
        ]


async def test_the_reader_opens_the_story_listed_first_and_lists_the_rest_after(
    seeded_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At start the reader opens the first report of the story the pane lists first, and
    a pane of more than FIRST_ROWS stories gets the rest after the first frame: each story
    once, in order, even when the pane is filled again before they come."""
    lib = Library.open(seeded_home)
    dated = OTHER_STORY.replace("Tuesday", "Tuesday, 2 July 2024")
    later = SourceDocument(dated, "<c>", date="2024-07-02")
    list(lib.add_documents([later], story="Zeeland council"))  # its id sorts after the samples'
    monkeypatch.setattr(library_pane, "EXPAND_ALL_UP_TO", 1)
    monkeypatch.setattr(library_pane, "FIRST_ROWS", 1)
    app = TreatyApp(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        pane = screen.query_one(LibraryPane)
        order = [s.id for s in library_pane.ordered_stories(screen.snapshot, "newest")]
        assert screen.opened.article.info.story == order[0]  # the dated story is the newest
        assert len(order) == 2 and lib.articles()[0].story == order[1]
        await until(pilot, lambda: len(pane.root.children) == 2)
        assert [n.data for n in pane.root.children] == order
        assert pane.cursor_node is not None and pane.cursor_node.data == screen.opened.article.id
        pane.fill(screen.snapshot, screen.opened.article.id)
        pane.fill(screen.snapshot, screen.opened.article.id)
        await settle(pilot)
        await pilot.pause(0.1)
        assert [n.data for n in pane.root.children] == order
