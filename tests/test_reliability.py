"""Reliability: writers killed mid-write, concurrent writers, damaged files and the doctor."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from store import Library
from store.disk.files import locked
from store.errors import NotFound
from tests.conftest import ROOT, fill, run_process
from tui.cli import main

STRESS = ROOT / "tests" / "store_stress.py"


def test_store_survives_a_hundred_kills_mid_write(seeded_home: Path) -> None:
    """SIGKILL a writer of notes and articles 100 times; every acknowledged write survives."""
    done = subprocess.run(
        [sys.executable, str(STRESS), "crash", str(seeded_home), "100", "7"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    figures = json.loads(done.stdout.splitlines()[-1])
    print("crash figures:", figures)
    assert figures["kills"] == 100
    assert figures["acknowledged"] >= 100
    assert figures["problems"] == []
    listing = run_process("list", home=seeded_home)
    assert listing.returncode == 0


@pytest.mark.parametrize("workers", [2, 4])
def test_concurrent_writers_lose_and_duplicate_nothing(seeded_home: Path, workers: int) -> None:
    """N processes, 500 operations each: notes added and edited, articles imported."""
    names = [f"w{i}" for i in range(workers)]
    procs = [
        subprocess.Popen(
            [sys.executable, str(STRESS), "work", str(seeded_home), name, "500"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in names
    ]
    acks: list[str] = []
    for proc in procs:
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err[-2000:]
        acks += out.splitlines()[:-1]
    assert len(acks) == 500 * workers

    lib = Library.open(seeded_home)
    notes = lib.notes()
    assert len(notes) == len({n.id for n in notes})  # no duplicates
    final_body: dict[str, str] = {}
    articles = []
    for line in acks:
        kind, key, *rest = line.split(" ", 2)
        if kind == "article":
            articles.append(key)
        else:
            final_body[key] = rest[0]  # each note is edited only by its own writer, in order
    assert {n.id: n.body for n in notes} == final_body
    catalog_ids = [a.id for a in lib.articles()]
    assert len(catalog_ids) == len(set(catalog_ids)) == 2 + len(articles)
    assert set(articles) <= set(catalog_ids)
    for article_id in articles:
        assert lib.article(article_id).sentences
    for path in seeded_home.rglob("*.json"):
        json.loads(path.read_bytes())


def damage(path: Path, garbage: bytes = b'{"notes": {"1": {"id": "x"') -> bytes:
    path.write_bytes(garbage)
    return garbage


def test_doctor_rebuilds_a_damaged_catalog_from_the_articles(seeded_home: Path, cli) -> None:
    lib = Library.open(seeded_home)
    before = {a.id: (a.title, a.story, a.linked) for a in lib.articles()}
    entities = {e.id for e in lib.entities()}
    garbage = damage(seeded_home / "catalog.json")

    code, _, err = cli("list")
    assert code == 1 and "treaty-tui doctor" in err and len(err.strip().splitlines()) == 1

    code, out, _ = cli("doctor")
    assert code == 0
    assert "catalog.json: not valid JSON" in out and "rebuilt from 2 article documents" in out
    [aside] = seeded_home.glob("catalog.json.damaged-*")
    assert aside.read_bytes() == garbage  # kept, byte for byte

    lib = Library.open(seeded_home)
    assert {a.id: (a.title, a.story, a.linked) for a in lib.articles()} == before
    assert {e.id for e in lib.entities()} == entities
    code, out, _ = cli("doctor")
    assert out.strip() == "the library is healthy"


def test_doctor_sets_damaged_notes_and_articles_aside(seeded_home: Path, cli) -> None:
    lib = Library.open(seeded_home)
    first, second = lib.articles()
    lost = lib.add_note(first.id, 0, 5, "lost with the file")
    shard = lib.layout.note_shard(first.id, lost.id)
    damage(shard)
    damage(lib.layout.article(second.id), b"\x00\x00")
    code, _, err = cli("notes", "list")
    assert code == 1 and f"{shard} is damaged" in err

    code, out, _ = cli("doctor")
    assert code == 0 and "notes cannot be rebuilt" in out and "note index: 1 entries" in out
    assert len(list(shard.parent.glob(f"{shard.name}.damaged-*"))) == 1
    assert len(list((seeded_home / "articles").glob("*.damaged-*"))) == 1
    lib = Library.open(seeded_home)
    assert [a.id for a in lib.articles()] == [first.id]
    assert lib.notes() == []


def test_doctor_on_a_missing_library(tmp_path: Path) -> None:
    done = run_process("doctor", home=tmp_path / "none")
    assert done.returncode == 0 and "nothing to check" in done.stdout
    assert not (tmp_path / "none").exists()


def test_a_doctor_killed_at_random_points_loses_no_article(tmp_path: Path) -> None:
    """SIGKILL `doctor` mid-rebuild 12 times; the library always opens with every article."""
    done = subprocess.run(
        [sys.executable, str(STRESS), "doctor", str(tmp_path / "lib"), "12", "5"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    figures = json.loads(done.stdout.splitlines()[-1])
    print("doctor kill figures:", figures)
    assert figures["kills"] == 12 and figures["articles"] == 32
    assert figures["problems"] == []


def test_a_missing_catalog_is_rebuilt_and_never_seeded(seeded_home: Path, cli) -> None:
    before = {a.id: (a.title, a.story) for a in Library.open(seeded_home).articles()}
    (seeded_home / "catalog.json").unlink()
    code, out, _ = cli("doctor")
    assert code == 0 and "missing, while 2 articles exist" in out and "rebuilt" in out
    assert cli("doctor")[1].strip() == "the library is healthy"

    (seeded_home / "catalog.json").unlink()
    code, out, err = cli("list")  # the next command rebuilds it and says so; it never seeds
    assert code == 0 and "catalog was missing: rebuilt from 2 article documents" in err
    assert {a.id: (a.title, a.story) for a in Library.open(seeded_home).articles()} == before


def test_doctor_sets_an_interrupted_imports_leftovers_aside(seeded_home: Path, cli) -> None:
    lib = Library.open(seeded_home)
    first, second = lib.articles()
    document = lib.layout.article(second.id).read_bytes()
    lib.remove(second.id)
    lib.layout.article(second.id).write_bytes(document)  # as if the import was killed

    code, out, _ = cli("doctor")
    assert "an article the catalog does not list" in out and "moved aside" in out
    assert [a.id for a in Library.open(seeded_home).articles()] == [first.id]
    [aside] = (seeded_home / "articles").glob("*.leftover-*")
    assert aside.read_bytes() == document
    assert cli("doctor")[1].strip() == "the library is healthy"


@pytest.mark.parametrize("folder", ["links", "entities", "articles"])
def test_nothing_is_followed_out_of_the_library(seeded_home: Path, tmp_path: Path, cli, folder):
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "00.json").write_text("{not json")
    (foreign / "keep.json").write_text('{"mine": 1}')
    (seeded_home / folder).rename(tmp_path / "moved")
    (seeded_home / folder).symlink_to(foreign)

    code, out, _ = cli("doctor")
    assert f"{folder}: a symbolic link: left alone" in out
    code, _, err = cli("list")
    assert code == 1 and "is a symbolic link" in err and len(err.strip().splitlines()) == 1
    assert sorted(p.name for p in foreign.iterdir()) == ["00.json", "keep.json"]
    assert (foreign / "00.json").read_text() == "{not json"


def test_two_removes_of_one_article_report_one_removal(seeded_home: Path) -> None:
    """Two sessions remove the same article at once: one removes it, the other is told so."""
    article = Library.open(seeded_home).articles()[0]
    results: list[str] = []

    def remove() -> None:
        try:
            Library.open(seeded_home).remove(article.id)
            results.append("removed")
        except NotFound as exc:
            results.append(str(exc))

    with locked(seeded_home):  # both find the article, then wait for the lock
        threads = [threading.Thread(target=remove) for _ in range(2)]
        for thread in threads:
            thread.start()
        time.sleep(0.5)
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) == [f"article {article.id} was already removed", "removed"]


def test_an_import_onto_a_full_disk_names_the_file_and_still_sums_up(
    seeded_home: Path, small_disk, tmp_path: Path, capsys
) -> None:
    mount, _ = small_disk
    home = mount / "library"
    shutil.copytree(seeded_home, home)
    article = tmp_path / "vote.txt"
    article.write_text(
        "Council backs bridge\n\nThe council voted 7 to 2 on Tuesday to fund a bridge.\n"
    )
    filler = fill(mount)
    code = main(["--data-dir", str(home), "add", str(article)])
    out, err = capsys.readouterr()
    assert code == 1
    assert "import stopped: No space left on device: " in err and str(home) in err
    assert ".tmp" not in err  # the store file it was writing, not its temporary twin
    assert out.strip().splitlines()[-1] == "0 added, 0 already in library, 1 failed"
    filler.unlink()
    assert len(Library.open(home).articles()) == 2  # what was there before is intact
    assert main(["--data-dir", str(home), "doctor"]) == 0
    assert main(["--data-dir", str(home), "add", str(article)]) == 0
