"""The store on disk: layout, permissions, atomic writes, damaged files, two writers."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

from store import Library
from store.disk.layout import data_home
from store.disk.search_index import MAX_TERMS, fts_query
from store.ingest.sources import SourceDocument
from tests.conftest import run_process
from tui.cli import main


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_library_files_are_private_and_split(seeded_home: Path) -> None:
    lib = Library.open(seeded_home)
    articles = lib.articles()
    assert len(articles) == 2
    assert mode(seeded_home) == 0o700
    files = [p for p in seeded_home.rglob("*") if p.is_file()]
    assert files
    for path in files:
        assert mode(path) == 0o600, path
    for folder in (p for p in seeded_home.rglob("*") if p.is_dir()):
        assert mode(folder) == 0o700, folder
    # one document per article, a catalog without article text, a links file per story
    for a in articles:
        assert lib.layout.article(a.id).exists()
    catalog = (seeded_home / "catalog.json").read_text()
    assert "Pyongyang after talks" not in catalog
    assert len(list((seeded_home / "links").glob("*.jsonl"))) == 1


def test_no_temporary_files_left_behind(seeded_home: Path) -> None:
    assert not [p for p in seeded_home.rglob("*.tmp")]


def test_data_home_precedence(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TREATY_TUI_HOME", str(tmp_path / "env"))
    assert data_home(str(tmp_path / "flag")) == tmp_path / "flag"
    assert data_home(None) == tmp_path / "env"
    monkeypatch.delenv("TREATY_TUI_HOME")
    assert data_home(None).name == "treaty-tui"


def test_env_variable_chooses_the_library(tmp_path: Path, monkeypatch, capsys) -> None:
    from tui.cli import main

    monkeypatch.setenv("TREATY_TUI_HOME", str(tmp_path / "env-lib"))
    note = tmp_path / "a.txt"
    note.write_text("Officials met in Geneva on Monday to discuss the ceasefire plan.\n")
    assert main(["add", str(note)]) == 0
    assert (tmp_path / "env-lib" / "catalog.json").exists()


def test_damaged_catalog_is_reported_and_kept(seeded_home: Path, cli) -> None:
    catalog = seeded_home / "catalog.json"
    garbage = b'{"articles": {"1": {"id": "abc"'  # truncated mid-write
    catalog.write_bytes(garbage)
    for args in (["list"], ["add", str(seeded_home)], ["show", "abc"]):
        code, out, err = cli(*args)
        assert code != 0
        assert str(catalog) in err
        assert "damaged" in err
        assert len(err.strip().splitlines()) == 1
        assert "Traceback" not in err
        assert catalog.read_bytes() == garbage


def test_a_catalog_row_from_before_a_field_existed_still_lists_its_article(
    seeded_home: Path,
) -> None:
    catalog = seeded_home / "catalog.json"
    data = json.loads(catalog.read_text())
    rows = list(data["articles"].values())
    del rows[0]["unique"]  # as a library written before "only here" was counted
    catalog.write_text(json.dumps(data))
    listed = {a.id: a for a in Library.open(seeded_home).articles()}
    assert listed[rows[0]["id"]].unique == 0
    assert listed[rows[0]["id"]].title == rows[0]["title"]
    assert listed[rows[1]["id"]].unique == rows[1]["unique"]


def test_damaged_article_document_is_reported(seeded_home: Path, cli) -> None:
    lib = Library.open(seeded_home)
    first = lib.articles()[0]
    path = lib.layout.article(first.id)
    path.write_bytes(b"\x00\x01not json")
    code, _, err = cli("show", first.id)
    assert code == 1
    assert str(path) in err and "damaged" in err
    assert path.read_bytes() == b"\x00\x01not json"


def test_adding_to_a_story_with_a_damaged_article_names_the_file(
    seeded_home: Path, cli, tmp_path: Path
) -> None:
    """Linking reads every article of the story: a damaged one is named, nothing is lost."""
    lib = Library.open(seeded_home)
    first = lib.articles()[0]
    path = lib.layout.article(first.id)
    stored = json.loads(path.read_text())
    [document] = stored["article"].values()
    document["claims"][0]["sentence"] = len(document["sentences"]) + 5  # no such sentence
    path.write_text(json.dumps(stored))
    before = path.read_bytes()
    report = tmp_path / "more.txt"
    report.write_text("Officials met in Geneva on Monday to discuss the ceasefire plan.\n")
    code, _, err = cli("add", str(report), "--story", first.story)
    assert code != 0
    assert str(path) in err and "damaged" in err
    assert "Traceback" not in err
    assert path.read_bytes() == before


def test_two_processes_adding_at_once_lose_nothing(tmp_path: Path) -> None:
    """Two writers import different articles into one library at the same time."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    home = tmp_path / "lib"
    batches = []
    for who in ("a", "b"):
        folder = tmp_path / who
        folder.mkdir()
        for i in range(4):
            (folder / f"{who}{i}.txt").write_text(
                f"Report {who}{i}: the council of {who.upper()}-town voted {i + 3} to 2 on "
                f"Tuesday to fund a new bridge over the river, officials said.\n"
            )
        batches.append(folder)
    env_cmd = [sys.executable, "-m", "tui.cli", "--data-dir", str(home), "add"]
    procs = [
        subprocess.Popen(
            [*env_cmd, str(folder), "--story", "council"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for folder in batches
    ]
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        assert "4 added" in out
    listing = run_process("list", home=home)
    assert listing.returncode == 0
    catalog = json.loads((home / "catalog.json").read_text())
    titles = sorted(row["title"] for row in catalog["articles"].values())
    assert len(titles) == 8
    assert {t.split(":")[0] for t in titles} == {f"Report {w}{i}" for w in "ab" for i in range(4)}


def test_links_written_before_structured_differences_still_open(home: Path) -> None:
    """A links file from an older release ("9 times | 7 times") reads as structured values."""
    import orjson

    from store.models import LINK_FIELDS, Difference

    lib = Library.open(home)
    list(
        lib.add_documents(
            [
                SourceDocument(
                    "Trade grew 9 times in 2023, Putin said in Pyongyang.", "a.txt", "text"
                ),
                SourceDocument(
                    "Trade grew 7 times in 2023, Putin said in Pyongyang.", "b.txt", "text"
                ),
            ],
            story="trade",
        )
    )
    path = lib.layout.story_links("trade")
    [row] = [orjson.loads(line) for line in path.read_bytes().splitlines()]
    assert row[5] == "differs"
    old = dict(zip(LINK_FIELDS, row), differences=["9 times | 7 times"])  # the old shape
    path.unlink()
    lib.layout.old_story_links("trade").write_bytes(orjson.dumps({"links": {"1": old}}))
    [link] = Library.open(home).links("trade")
    assert link.differences == (Difference("", "9 times", "7 times"),)
    here = (link.b_article, link.b_sentence)
    assert link.differences_from(*here) == (Difference("", "7 times", "9 times"),)


def test_missing_parent_folders_are_made_private_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        deep = tmp_path / "made" / "for" / "library"
        assert main(["--data-dir", str(deep), "list"]) == 0
    finally:
        os.umask(old)
    for folder in (tmp_path / "made", tmp_path / "made" / "for", deep):
        assert folder.stat().st_mode & 0o777 == 0o700, folder


def test_a_pasted_page_as_a_query_uses_its_first_distinct_terms() -> None:
    page = " ".join(f"word{i % 3000}" for i in range(6000))
    terms = fts_query(f'{page} "{page}"').split('" "')
    assert len(terms) <= MAX_TERMS and len(set(terms)) == len(terms)
    phrase = fts_query(f'"{page}"')
    assert len(phrase.split()) == MAX_TERMS


def test_a_story_read_once_is_kept_until_another_process_relinks_it(seeded_home: Path) -> None:
    reader = Library.open(seeded_home)
    story = reader.articles()[0].story
    first = reader.links(story)
    assert reader.links(story) is first  # unchanged file: not parsed again
    writer = Library.open(seeded_home)
    [added] = writer.add_documents(
        [
            SourceDocument(
                Library.open(seeded_home).article(reader.articles()[0].id).text + "\nMore.", "<v2>"
            )
        ],
        story=story,
    )
    assert added.status == "added"
    again = reader.links(story)
    assert again is not first and len(again) >= len(first)
    assert {lnk.a_article for lnk in again} | {lnk.b_article for lnk in again} >= {added.info.id}


def test_an_article_is_opened_from_its_own_links_file(seeded_home: Path) -> None:
    """The reader opens one article of a large story without reading the story's links;
    moving, losing or damaging those files never loses a link."""
    from store.disk.layout import Layout
    from store.doctor import examine, repair

    lib = Library.open(seeded_home)
    layout = Layout(seeded_home)
    first, second = (a.id for a in lib.articles())
    story = lib.find(first).story

    def ends(links: list) -> set:
        return {
            frozenset(((x.a_article, x.a_sentence), (x.b_article, x.b_sentence))) for x in links
        }

    everything = ends(lib.links(story))
    assert everything
    for article in (first, second):
        assert layout.article_links(story, article).is_file()
        assert ends(lib.article_links(article)) == everything  # two articles: all links are both's

    moved = lib.move_article(second, "Elsewhere")[1]
    assert not layout.article_links(story, second).exists()
    assert lib.article_links(first) == [] and lib.article_links(second) == []
    assert layout.article_links(moved.id, second).is_file()
    lib.move_article(second, story)
    assert ends(Library.open(seeded_home).article_links(first)) == everything

    for path in layout.article_links_folder(story).glob("*.jsonl"):  # a library from before
        path.unlink()
    assert ends(Library.open(seeded_home).article_links(first)) == everything

    lib = Library.open(seeded_home)
    lib.move_article(second, story)  # relinks: the files are back
    layout.article_links(story, first).write_text('{"links": {"1": {"a_article"')
    assert [p for p, _ in examine(seeded_home)] == [layout.article_links(story, first)]
    repair(seeded_home)
    assert examine(seeded_home) == []
    assert ends(Library.open(seeded_home).article_links(first)) == everything


def test_an_article_is_opened_with_its_claims_reach_without_reading_the_story_groups(
    seeded_home: Path,
) -> None:
    """How many sources report each sentence's claim comes from a small file written with
    the groups; one that is missing, older than the groups or damaged is never believed."""
    from store.disk.files import locked
    from store.disk.layout import Layout
    from store.doctor import examine, repair
    from store.models import sentence_reach

    lib = Library.open(seeded_home)
    layout = Layout(seeded_home)
    first = lib.articles()[0].id
    story = lib.find(first).story
    expected = sentence_reach(lib.claim_groups(story))[first]
    assert expected and set(expected.values()) == {2}  # two reports: a shared claim has two
    assert lib.reach(first) == expected
    path = layout.story_reach(story)
    assert path.is_file()

    path.write_text(json.dumps({first: [[0, 99]]}))  # a write cut short after the groups
    os.utime(path, ns=(0, 0))
    assert Library.open(seeded_home).reach(first) == expected
    path.write_text("[[not json")
    assert Library.open(seeded_home).reach(first) == expected
    assert [p for p, _ in examine(seeded_home)] == [path]
    repair(seeded_home)
    assert examine(seeded_home) == [] and path.is_file()
    path.unlink()  # a library from before: worked out from the groups...
    with locked(seeded_home):  # ...without waiting while another process writes
        assert Library.open(seeded_home).reach(first) == expected
    assert not path.exists()
    assert Library.open(seeded_home).reach(first) == expected
    assert path.is_file()  # ...and kept once the library is free


def test_link_lines_of_earlier_releases_read_the_same_and_a_stray_line_names_its_file(
    seeded_home: Path,
) -> None:
    """Earlier releases wrote each link as an object of named fields: such a file (and one
    where newer lines were appended after those) reads as the links it holds; a line that
    is JSON but not a link is damage the doctor names, not a crash."""
    import orjson

    from store.disk.records import read_link_lines
    from store.doctor import examine
    from store.models import LINK_FIELDS

    lib = Library.open(seeded_home)
    [story] = lib.stories()
    path = lib.layout.story_links(story.id)
    links = lib.links(story.id)
    rows = [orjson.loads(line) for line in path.read_bytes().splitlines()]
    assert rows and all(isinstance(row, list) for row in rows)
    old = [dict(zip(LINK_FIELDS, row), differences=row[6] if len(row) > 6 else []) for row in rows]
    path.write_bytes(b"".join(orjson.dumps(row) + b"\n" for row in old))
    assert Library.open(seeded_home).links(story.id) == links
    path.write_bytes(path.read_bytes() + orjson.dumps(rows[0]) + b"\n")  # appended since
    assert read_link_lines(path) == [*links, links[0]]
    path.write_bytes(path.read_bytes() + b'["only", "three", 3]\n')
    assert [p for p, _ in examine(seeded_home)] == [path]


def test_links_cut_short_by_an_interrupted_append_are_left_out_then_cut_off(
    seeded_home: Path,
) -> None:
    """A machine that stops mid-append leaves half a line: the reader keeps the links before
    it, the doctor names the file, and the next append starts on a line of its own."""
    from store.disk.files import append_lines
    from store.disk.records import read_link_lines
    from store.doctor import examine

    lib = Library.open(seeded_home)
    [story] = lib.stories()
    path = lib.layout.story_links(story.id)
    links = lib.links(story.id)
    whole = path.read_bytes()
    path.write_bytes(whole + whole.splitlines()[0][:40])  # half of one more line
    assert Library.open(seeded_home).links(story.id) == links
    assert [p for p, _ in examine(seeded_home)] == [path]
    append_lines(path, whole.splitlines(keepends=True)[0])
    assert read_link_lines(path, strict=True) == [*links, links[0]]


def test_a_batch_of_files_that_fails_names_the_file_and_leaves_each_whole(tmp_path: Path) -> None:
    from store.disk.files import write_files_atomic

    folder = tmp_path / "links"
    folder.mkdir()
    first, second = folder / "a.jsonl", folder / "b.jsonl"
    first.write_bytes(b"old a\n")
    (folder / "c.jsonl").mkdir()  # a folder where a file is to go: its rename fails
    payloads = {first: b"new a\n", folder / "c.jsonl": b"new c\n", second: b"new b\n"}
    try:
        write_files_atomic(payloads)
    except OSError as exc:
        assert exc.filename == str(folder / "c.jsonl")
    else:
        raise AssertionError("a file that cannot be written was not said")
    assert first.read_bytes() in (b"old a\n", b"new a\n")
    assert not second.exists() or second.read_bytes() == b"new b\n"
    assert sorted(p.name for p in folder.iterdir()) == ["a.jsonl", "c.jsonl"]
    write_files_atomic({first: b"new a\n", second: b"new b\n"})
    assert (first.read_bytes(), second.read_bytes()) == (b"new a\n", b"new b\n")
    assert mode(first) == mode(second) == 0o600
