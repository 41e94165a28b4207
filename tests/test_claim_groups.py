"""Claim groups: links gathered into the claims a story's sources report; `treaty-tui claims`."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import astuple
from pathlib import Path

import pytest

from store import Library, importing
from store.analysis.groups import extend_groups, group_claims, single_source
from store.models import Difference, Link, SentenceRef
from tests.conftest import shared_path


def link(a: str, b: str, score: float = 0.9, differs: bool = False) -> Link:
    """A link between sentences written "A0" (article A, sentence 0)."""
    diffs = (Difference("people", "4", "9"),) if differs else ()
    return Link(a[0], int(a[1:]), b[0], int(b[1:]), score, "differs" if differs else "same", diffs)


def refs(*names: str) -> tuple[SentenceRef, ...]:
    return tuple(SentenceRef(n[0], int(n[1:])) for n in names)


def test_a_claim_reported_by_three_sources_is_one_group_and_comes_first() -> None:
    groups = group_claims(
        [
            link("A0", "B0"),
            link("B0", "C0", 0.8),
            link("A0", "C0", 0.7, differs=True),
            link("A1", "B1", 0.6),
        ]
    )
    assert [g.members for g in groups] == [refs("A0", "B0", "C0"), refs("A1", "B1")]
    assert groups[0].sources == ("A", "B", "C")
    assert (
        groups[0].representative == SentenceRef("A0"[0], 0)
        or groups[0].representative in groups[0].members
    )
    assert groups[0].differing == (refs("A0", "C0"),)
    assert groups[1].differing == ()


def test_a_chain_of_links_is_not_one_claim() -> None:
    # A-B, B-C and C-D each share something, but A and C, B and D do not
    groups = group_claims([link("A0", "B0"), link("B0", "C0", 0.8), link("C0", "D0", 0.7)])
    assert all(len(g.members) < 4 for g in groups)
    assert groups[0].members == refs("A0", "B0")


def test_one_sentence_per_source_unless_it_links_to_most_of_the_group() -> None:
    groups = group_claims(
        [
            link("A0", "B0"),
            link("A0", "C0"),
            link("B0", "C0"),
            link("A1", "B0", 0.6),  # A's headline repeats the claim: it links to B0 and C0
            link("A1", "C0", 0.6),
            link("A2", "B0", 0.55),  # a passing mention links to one member only
        ]
    )
    first = groups[0]
    assert first.members == refs("A0", "A1", "B0", "C0")
    assert first.representative != SentenceRef("A", 1)  # the repeat is never the best statement
    assert SentenceRef("A", 2) not in first.members


def test_single_source_sentences_are_the_unlinked_claims() -> None:
    sentences = refs("A0", "A1", "B0", "B1")
    assert single_source(sentences, [link("A0", "B0")]) == list(refs("A1", "B1"))


TRADE_A = (
    "Putin visits Pyongyang\n\n"
    "Putin arrived in Pyongyang on Wednesday for talks with Kim Jong Un.\n\n"
    "Putin said bilateral trade between Russia and North Korea grew nine times in 2023.\n\n"
    "Heavy rain fell in the northern mountains, forecasters said."
)
TRADE_B = (
    "Putin in North Korea\n\n"
    "Putin arrived in Pyongyang on Wednesday for talks with Kim Jong Un.\n\n"
    "Putin said bilateral trade between Russia and North Korea grew seven times in 2023.\n\n"
    "Football fans in Hanoi celebrated a late victory over Thailand."
)


def _library(home: Path) -> Library:
    from store.ingest.sources import SourceDocument

    lib = Library.open(home)
    docs = [SourceDocument(TRADE_A, "a.txt", "text"), SourceDocument(TRADE_B, "b.txt", "text")]
    list(lib.add_documents(docs, story="Putin visit"))
    return lib


def test_the_library_answers_groups_and_single_source_sentences(home: Path) -> None:
    lib = _library(home)
    story = lib.story("putin visit")
    groups = lib.claim_groups(story.id)
    assert groups and all(len(g.sources) == 2 for g in groups)

    def text(ref: SentenceRef) -> str:
        return lib.article(ref.article).sentence_text(ref.sentence)

    arrival = next(g for g in groups if "arrived" in text(g.representative))
    a = arrival.members[0]
    assert arrival in lib.groups_of(a.article, a.sentence)
    alone = {text(r) for r in lib.single_source(story.id)}
    assert "Heavy rain fell in the northern mountains, forecasters said." in alone
    assert "Football fans in Hanoi celebrated a late victory over Thailand." in alone
    # a library from before claim groups: they are made from its links on first use
    lib.layout.story_groups(story.id).unlink()
    assert lib.claim_groups(story.id) == groups


def test_claims_command_prints_json_csv_and_links(home: Path, cli) -> None:
    _library(home)
    code, out, _ = cli("claims", "Putin visit", "--format", "json")
    assert code == 0
    report = json.loads(out)
    assert report["story"]["name"] == "Putin visit"
    assert len(report["sources"]) == 2
    first = report["groups"][0]
    assert first["sources"] == 2 and first["of"] == 2
    assert first["representative"] in first["members"]
    trade = next(g for g in report["groups"] if "trade" in g["representative"]["text"])
    assert trade["differs"]
    values = trade["differences"][0]["values"]
    pair = {(v["a"], v["b"]) for v in values}
    assert pair & {("nine times", "seven times"), ("seven times", "nine times")}
    code, out, _ = cli("claims", "Putin visit", "--format", "csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["rank", "sources", "of", "differs", "representative", "text", "members"]
    assert len(rows) == len(report["groups"]) + 1
    code, out, _ = cli("claims", "Putin visit", "--links", "--format", "json")
    links = json.loads(out)["links"]
    assert links and [x["score"] for x in links] == sorted(
        (x["score"] for x in links), reverse=True
    )
    code, out, _ = cli("claims", "Putin visit")
    assert "2 of 2" in out and "found in one source only" in out


def test_claims_of_an_unknown_story_is_one_line(home: Path, cli) -> None:
    _library(home)
    code, _, err = cli("claims", "no such story")
    assert code == 1
    assert err.strip().count("\n") == 0 and "no such story" in err


def test_a_group_keeps_its_members_relations_and_what_differs() -> None:
    """The overview and coverage read these from the group, never the story's links."""
    related = Link("C", 0, "A", 0, 0.6, "related")
    [group] = group_claims([link("A0", "B0"), link("C0", "B0", differs=True), related])
    assert group.complete
    assert dict(zip(group.members, group.relations)) == dict(
        zip(refs("A0", "B0", "C0"), ("same", "differs", "differs"))
    )
    [pair] = group.differing
    assert pair == refs("B0", "C0")
    [differs] = group.differs_links()  # as B0 states it: the link was written from C0
    assert (differs.a_article, differs.b_article) == ("B", "C")
    assert differs.differences == (Difference("people", "9", "4"),)


def test_one_source_claims_are_stored_and_older_libraries_work_them_out(
    seeded_home: Path,
) -> None:
    lib = Library.open(seeded_home)
    [story] = lib.stories()
    stored = lib.single_source(story.id)
    assert stored
    groups = lib.claim_groups(story.id)
    path = lib.layout.story_groups(story.id)
    data = json.loads(path.read_text())
    assert [SentenceRef(a, s) for a, s in data["single"]] == stored

    def written_out(ref: SentenceRef) -> dict:
        return {"article": ref.article, "sentence": ref.sentence}

    older_form = {  # one record per group, its sentences written out; no relations
        str(n): {
            "members": [written_out(m) for m in g.members],
            "representative": written_out(g.representative),
            "differing": [[written_out(a), written_out(b)] for a, b in g.differing],
        }
        for n, g in enumerate(groups, start=1)
    }
    path.write_text(json.dumps({"groups": older_form}))
    older = Library.open(seeded_home)
    assert older.single_source(story.id) == stored
    read = older.claim_groups(story.id)
    assert [(g.members, g.representative) for g in read] == [
        (g.members, g.representative) for g in groups
    ]
    assert not any(g.complete for g in read)


def test_the_overview_lists_each_value_once_however_it_is_written() -> None:
    from tui.overview import side_by_side

    said = [
        Difference("dead", "nine", "1"),
        Difference("dead", "nine", "one"),
        Difference("dead", "nine", "four"),
        Difference("dead", "nine", "9"),
    ]
    lines = side_by_side([(d, "update") for d in said])
    assert lines == {"dead": ("nine", ["1", "four"], {"update"})}


def test_a_damaged_one_source_list_is_found_by_doctor(seeded_home: Path) -> None:
    from store.doctor import examine, repair

    lib = Library.open(seeded_home)
    [story] = lib.stories()
    stored = lib.single_source(story.id)
    path = lib.layout.story_groups(story.id)
    data = json.loads(path.read_text())
    data["single"] = [["only-an-article"]]
    path.write_text(json.dumps(data))
    assert [p for p, _ in examine(seeded_home)] == [path]
    repair(seeded_home)
    assert Library.open(seeded_home).single_source(story.id) == stored


def test_a_new_source_joins_the_claims_it_reports_and_forms_new_ones() -> None:
    old = [link("A0", "B0"), link("B0", "C0"), link("A0", "C0"), link("A1", "B1")]
    groups = group_claims(old)
    new = [
        link("A0", "D0"),  # D0 states what A0, B0, C0 state
        link("B0", "D0", differs=True),
        link("A1", "D2"),  # one of two: not enough to join A1-B1
        link("C5", "D3"),  # C5 was in no group: the two make one
        link("B1", "D4", 0.4),  # one link into a group of two
    ]
    extended = extend_groups(groups, new, {"D"})
    assert [g.members for g in extended] == [
        refs("A0", "B0", "C0", "D0"),
        refs("A1", "B1"),
        refs("C5", "D3"),
    ]
    top = extended[0]
    assert top.representative == groups[0].representative  # the old members' links unread
    assert refs("B0", "D0") in top.differing
    assert dict(zip(top.members, top.relations))[SentenceRef("D", 0)] == "differs"
    assert extended[1] == groups[1]  # no one joined it: as it was


def test_an_article_added_to_a_large_story_is_linked_without_relinking_the_rest(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The last of ten real reports joins a story of nine (counted large here): its links
    are appended, the nine's link files stay byte for byte (their links to it are read
    from the story's added links), and it finds most of the links a relink of the whole
    story finds."""
    monkeypatch.setattr(importing, "EXTEND_FROM", 5)
    reports = sorted(shared_path("eval", "taiwan-quake-2024").glob("[0-9]*.txt"))
    lib = Library.open(home)
    list(lib.add([str(p) for p in reports[:-1]], story="quake"))
    [story] = lib.stories()
    folder = lib.layout.article_links_folder(story.id)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    old_links = {astuple(x) for x in lib.links(story.id)}

    [outcome] = Library.open(home).add([str(reports[-1])], story="quake")
    assert outcome.status == "added" and outcome.info is not None
    new = outcome.info.id
    lib = Library.open(home)
    for name, data in before.items():  # not written at all
        assert (folder / name).read_bytes() == data, name
    assert lib.layout.added_links(story.id).is_file()
    links = lib.links(story.id)
    assert {astuple(x) for x in links if new not in (x.a_article, x.b_article)} == old_links
    mine = lib.article_links(new)
    assert len(mine) >= 20
    for x in mine:
        other = x.b_article if x.a_article == new else x.a_article
        assert x in lib.article_links(other)
    linked = {
        (a, s) for x in links for a, s in ((x.a_article, x.a_sentence), (x.b_article, x.b_sentence))
    }
    assert not [s for s in lib.single_source(story.id) if (s.article, s.sentence) in linked]
    assert any(m.article == new for g in lib.claim_groups(story.id) for m in g.members)
    for info in lib.articles():  # each report's count of linked sentences is up to date
        assert info.linked == len({s for a, s in linked if a == info.id}), info.source

    def ends(found: list[Link]) -> set[frozenset[tuple[str, int]]]:
        return {
            frozenset(((x.a_article, x.a_sentence), (x.b_article, x.b_sentence))) for x in found
        }

    added = lib.layout.added_links(story.id).read_bytes()
    with lib.catalog.transaction() as db:  # the whole story linked again: each article's
        importing.relink_story(lib.layout, db, story.id)  # file holds all its links
    assert not lib.layout.added_links(story.id).exists()
    full = ends(Library.open(home).article_links(new))
    assert len(ends(mine) & full) >= 0.8 * max(len(full), len(mine))
    # a full relink cut short before the added links went: no link is shown twice
    lib.layout.added_links(story.id).write_bytes(added)
    again = Library.open(home).article_links(new)
    assert len(again) == len(ends(again)) >= len(full)


def test_a_group_naming_a_sentence_the_document_lacks_is_found_by_doctor(
    seeded_home: Path,
) -> None:
    from store.doctor import examine, repair

    lib = Library.open(seeded_home)
    [story] = lib.stories()
    groups = lib.claim_groups(story.id)
    path = lib.layout.story_groups(story.id)
    data = json.loads(path.read_text())
    assert len(data["sentences"]) == len({m for g in groups for m in g.members})  # once each
    data["groups"][0]["members"].append(len(data["sentences"]))
    path.write_text(json.dumps(data))
    assert [p for p, _ in examine(seeded_home)] == [path]
    repair(seeded_home)
    assert Library.open(seeded_home).claim_groups(story.id) == groups
