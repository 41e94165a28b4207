"""Notes: anchoring, re-anchoring after re-import, export and import, the CLI, concurrency."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from store import Library
from store.models import to_dict
from store.notes.anchoring import make_anchor, reanchor
from store.notes.formats import CSV_COLUMNS
from tests.conftest import ROOT

TEXT = (
    "Leaders met in Pyongyang on Wednesday. "
    "Trade between the two countries grew nine times last year, officials said. "
    "The agreement covers energy, transport and health. "
    "Analysts called the deal largely symbolic."
)


def anchor_on(text: str, quote: str):
    start = text.index(quote)
    return make_anchor(text, start, start + len(quote))


# -- anchoring ---------------------------------------------------------------------------
def test_anchor_keeps_its_place_in_unchanged_text() -> None:
    anchor = anchor_on(TEXT, "grew nine times last year")
    assert anchor.prefix == TEXT[anchor.start - 32 : anchor.start]
    assert anchor.suffix == TEXT[anchor.end : anchor.end + 32]
    assert reanchor(anchor, TEXT) == anchor


def test_moved_text_is_found_by_its_quote_with_full_confidence() -> None:
    anchor = anchor_on(TEXT, "The agreement covers energy")
    moved = "A new first paragraph was added by the editors.\n\n" + TEXT
    placed = reanchor(anchor, moved)
    assert moved[placed.start : placed.end] == "The agreement covers energy"
    assert placed.start > anchor.start
    assert placed.confidence == 1.0


def test_edited_text_is_placed_approximately_with_lower_confidence() -> None:
    anchor = anchor_on(TEXT, "Trade between the two countries grew nine times last year")
    edited = TEXT.replace("grew nine times", "grew ten times")
    placed = reanchor(anchor, edited)
    assert edited[placed.start : placed.end] == (
        "Trade between the two countries grew ten times last year"
    )
    assert 0.75 <= placed.confidence < 1.0


def test_rewritten_wording_between_unchanged_context_is_placed() -> None:
    anchor = anchor_on(TEXT, "grew nine times last year")
    edited = TEXT.replace("grew nine times last year", "grew more than ninefold last year")
    placed = reanchor(anchor, edited)
    assert edited[placed.start : placed.end] == "grew more than ninefold last year"
    assert 0.0 < placed.confidence < 1.0


def test_deleted_passage_becomes_an_orphan_and_keeps_its_quote() -> None:
    anchor = anchor_on(TEXT, "Analysts called the deal largely symbolic.")
    placed = reanchor(anchor, TEXT.replace("Analysts called the deal largely symbolic.", ""))
    assert placed.confidence == 0.0
    assert placed.exact == "Analysts called the deal largely symbolic."


def test_a_repeated_quote_goes_to_the_occurrence_with_matching_context() -> None:
    text = "Officials said so. Trade grew. Officials said so. Energy fell."
    second = text.index("Officials said so.", 5)
    anchor = make_anchor(text, second, second + len("Officials said so."))
    shifted = "Intro. " + text
    placed = reanchor(anchor, shifted)
    assert placed.start == second + len("Intro. ")


REPORT = (
    "Seoul protested on Monday. South Korea's foreign ministry summoned the envoy over the "
    "pact, officials said. The talks in Moscow ran late. Japan said a foreign ministry "
    "spokesman would comment later. Markets were calm."
)


def sentences_of(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, as the importer would find them in these texts."""
    import re

    return [(m.start(), m.end()) for m in re.finditer(r"[^ ][^.]*\.", text)]


def test_a_phrase_in_a_rewritten_sentence_does_not_move_to_another_sentence() -> None:
    anchor = anchor_on(REPORT, "Korea's foreign ministry")
    rewritten = REPORT.replace(
        "South Korea's foreign ministry summoned the envoy over the pact, officials said.",
        "Seoul called in the ambassador to object to the treaty.",
    )
    placed = reanchor(anchor, rewritten, sentences_of(rewritten))
    assert placed.confidence == 0.0  # an orphan, not "a foreign ministry" in Japan's sentence
    assert placed.exact == "Korea's foreign ministry"


def test_a_whole_sentence_note_lands_on_a_whole_sentence() -> None:
    quote = "South Korea's foreign ministry summoned the envoy over the pact, officials said."
    anchor = anchor_on(REPORT, quote)
    edited = REPORT.replace("summoned the envoy", "summoned Russia's envoy")
    placed = reanchor(anchor, edited, sentences_of(edited))
    assert edited[placed.start : placed.end] == quote.replace("the envoy", "Russia's envoy")
    assert 0.75 <= placed.confidence < 1.0

    moved = "Markets were calm. " + REPORT.replace(" Markets were calm.", "")
    placed = reanchor(anchor, moved, sentences_of(moved))
    assert moved[placed.start : placed.end] == quote and placed.confidence == 1.0


def test_a_whole_sentence_note_on_a_split_or_merged_sentence_is_never_a_fragment() -> None:
    quote = "South Korea's foreign ministry summoned the envoy over the pact, officials said."
    anchor = anchor_on(REPORT, quote)
    split = REPORT.replace("envoy over the pact, officials said.", "envoy. It was over the pact.")
    placed = reanchor(anchor, split, sentences_of(split))
    assert placed.confidence == 0.0 or (
        split[placed.start : placed.end] in [split[a:b] for a, b in sentences_of(split)]
    )
    merged = REPORT.replace("officials said. The talks", "officials said, and the talks")
    placed = reanchor(anchor, merged, sentences_of(merged))
    whole = [merged[a:b] for a, b in sentences_of(merged)]
    assert placed.confidence == 0.0 or merged[placed.start : placed.end] in whole


# -- the library -----------------------------------------------------------------------------
def sentence_span(lib: Library, article_id: str, index: int) -> tuple[int, int]:
    s = lib.article(article_id).sentences[index]
    return s.start, s.end


def test_adding_a_note_never_rewrites_article_data(seeded_home: Path) -> None:
    lib = Library.open(seeded_home)
    article = lib.articles()[0]
    notes = seeded_home / "notes"
    before = {p: p.read_bytes() for p in seeded_home.rglob("*.json") if notes not in p.parents}
    note = lib.add_note(article.id, *sentence_span(lib, article.id, 2), "body", ["a", "#b", "a"])
    lib.edit_note(note.id, body="changed")
    lib.delete_note(note.id)
    after = {p: p.read_bytes() for p in seeded_home.rglob("*.json") if notes not in p.parents}
    assert before == after
    assert note.tags == ("a", "b")


def test_reimporting_a_changed_file_reanchors_its_notes(tmp_path: Path, home: Path) -> None:
    source = tmp_path / "report.txt"
    source.write_text(TEXT, "utf-8")
    lib = Library.open(home)
    [first] = list(lib.add([str(source)]))
    text = lib.article(first.info.id).text
    quotes = ["The agreement covers energy", "grew nine times last year", "largely symbolic"]
    notes = {}
    for quote in quotes:
        start = text.index(quote)
        notes[quote] = lib.add_note(first.info.id, start, start + len(quote), f"on {quote}")

    source.write_text(
        "An editor's note was added at the top.\n\n"
        + TEXT.replace("nine times", "ten times").replace(
            "Analysts called the deal largely symbolic.", ""
        ),
        "utf-8",
    )
    [second] = list(lib.add([str(source)]))
    assert second.status == "updated"
    assert "notes: 2 placed, 1 orphaned" in second.reason
    assert [a.id for a in lib.articles()] == [second.info.id]

    new_text = lib.article(second.info.id).text
    by_id = {n.id: n for n in lib.notes()}
    moved = by_id[notes["The agreement covers energy"].id]
    assert new_text[moved.anchor.start : moved.anchor.end] == "The agreement covers energy"
    assert moved.anchor.confidence == 1.0
    edited = by_id[notes["grew nine times last year"].id]
    assert new_text[edited.anchor.start : edited.anchor.end] == "grew ten times last year"
    assert 0 < edited.anchor.confidence < 1
    orphan = by_id[notes["largely symbolic"].id]
    assert orphan.orphan and orphan.anchor.exact == "largely symbolic"
    assert lib.notes(orphans=True) == [orphan]
    assert {n.article for n in by_id.values()} == {second.info.id}


def test_removing_an_article_keeps_its_notes_as_orphans(seeded_home: Path) -> None:
    lib = Library.open(seeded_home)
    article = lib.articles()[0]
    note = lib.add_note(article.id, *sentence_span(lib, article.id, 1), "keep me")
    origin = article.origin
    _, orphaned = lib.remove(article.id)
    assert orphaned == 1
    [kept] = lib.notes()
    assert kept.orphan and kept.body == "keep me"
    list(lib.add([origin]))  # the same article again: the note finds its place
    [back] = lib.notes()
    assert not back.orphan and back.anchor == note.anchor


def notes_for_export(lib: Library) -> list:
    first, second = lib.articles()[:2]
    start, end = sentence_span(lib, first.id, 3)
    lib.add_note(first.id, start, end, "The **trade** figure\ndiffers.", ["trade", "check"])
    lib.add_note(first.id, start + 4, start + 20, "", ["tag-only"])
    other = sentence_span(lib, second.id, 2)
    lib.add_note(first.id, start, end, "these two disagree", (), link=(second.id, *other))
    return lib.notes()


def notes_with(tag: str, notes: list):
    return next(n for n in notes if tag in n.tags)


def test_jsonld_export_round_trips_into_a_fresh_store(
    seeded_home: Path, seeded_template: Path, tmp_path: Path
) -> None:
    lib = Library.open(seeded_home)
    notes = notes_for_export(lib)
    exported = lib.export_notes(notes, "jsonld")

    fresh_home = tmp_path / "fresh"
    shutil.copytree(seeded_template, fresh_home)
    fresh = Library.open(fresh_home)
    assert fresh.import_notes(exported) == (3, 0, [])
    assert [to_dict(n) for n in fresh.notes()] == [to_dict(n) for n in notes]
    assert fresh.import_notes(exported) == (0, 3, [])


def test_jsonld_follows_the_w3c_annotation_model(seeded_home: Path) -> None:
    lib = Library.open(seeded_home)
    notes = notes_for_export(lib)
    annotations = json.loads(lib.export_notes(notes, "jsonld"))
    assert len(annotations) == 3
    for item, note in zip(annotations, notes):
        assert item["@context"] == "http://www.w3.org/ns/anno.jsonld"
        assert item["type"] == "Annotation"
        assert item["id"] == f"urn:uuid:{note.id}"
        targets = item["target"] if isinstance(item["target"], list) else [item["target"]]
        for target in targets:
            assert target["source"].startswith("urn:treaty-tui:article:")
            kinds = {s["type"]: s for s in target["selector"]}
            assert set(kinds) == {"TextQuoteSelector", "TextPositionSelector"}
        quote = {s["type"]: s for s in targets[0]["selector"]}["TextQuoteSelector"]
        assert quote["exact"] == note.anchor.exact
        for body in item["body"]:
            assert body["type"] == "TextualBody" and body["purpose"] in ("commenting", "tagging")
        assert [b["value"] for b in item["body"] if b["purpose"] == "tagging"] == list(note.tags)
    link_note = next(i for i, n in enumerate(notes) if n.link_anchor is not None)
    assert len(annotations[link_note]["target"]) == 2  # a note on a link names both claims


def test_csv_and_markdown_exports(seeded_home: Path) -> None:
    lib = Library.open(seeded_home)
    article = lib.articles()[0]
    notes = notes_for_export(lib)
    rows = list(csv.DictReader(io.StringIO(lib.export_notes(notes, "csv"))))
    assert [r["quote"] for r in rows] == [n.anchor.exact for n in notes]
    row = next(r for r in rows if r["id"] == notes_with("check", notes).id)
    assert row["note"] == "The **trade** figure\ndiffers."
    assert row["tags"] == "trade check"

    markdown = lib.export_notes(notes, "md")
    story = next(s.name for s in lib.stories() if s.id == article.story)
    assert f"## {story}" in markdown
    assert f"### {article.source}: {article.title}" in markdown
    assert f"> {notes_with('check', notes).anchor.exact}" in markdown
    assert "The **trade** figure\ndiffers." in markdown
    assert "#trade #check" in markdown


def test_markdown_export_shows_control_characters_literally(seeded_home: Path) -> None:
    lib = Library.open(seeded_home)
    article = lib.articles()[0]
    lib.add_note(article.id, 0, 10, "evil \x1b[2J\x1b]0;title\x07 [bold]x[/bold]", ["\x1b[31m"])
    markdown = lib.export_notes(lib.notes(), "md")
    assert "\x1b" not in markdown and "\x07" not in markdown
    assert "evil \u241b[2J\u241b]0;title\u2407 [bold]x[/bold]" in markdown


# -- the CLI ------------------------------------------------------------------------------
def test_notes_cli_lists_filters_exports_and_imports(
    seeded_home: Path, cli, tmp_path: Path
) -> None:
    lib = Library.open(seeded_home)
    notes_for_export(lib)
    code, out, _ = cli("notes", "list", "--tag", "trade")
    assert code == 0 and "1 note " in out and "#trade #check" in out
    code, out, _ = cli("notes", "list", "--story", lib.stories()[0].name)
    assert "3 notes" in out
    code, out, _ = cli("notes", "list", "--article", lib.articles()[1].id[:6])
    assert "0 notes" in out
    code, out, _ = cli("notes", "list", "--search", "disagree")
    assert "1 note " in out and "these two disagree" in out

    target = tmp_path / "notes.jsonld"
    code, _, err = cli("notes", "export", "--format", "jsonld", "-o", str(target))
    assert code == 0 and "3 notes written" in err
    for note in lib.notes():
        cli("notes", "delete", note.id[:8])
    code, out, _ = cli("notes", "import", str(target))
    assert (code, out.strip()) == (0, "3 notes imported, 0 already present")

    bad = tmp_path / "bad.jsonld"
    bad.write_text('[{"type": "Annotation", "id": "x", "target": {"source": "s"}}]')
    code, out, err = cli("notes", "import", str(bad))
    assert code == 1 and "1 rejected" in out
    assert err.strip() == f"treaty-tui: {bad}: annotation 1: missing selector"
    assert len(lib.notes()) == 3


WRITER = """
import sys
from store import Library
lib = Library.open(sys.argv[1])
article = lib.articles()[0]
for i in range(int(sys.argv[2])):
    lib.add_note(article.id, i, i + 5, f"{sys.argv[3]} {i}", [sys.argv[3]])
"""


def test_two_processes_adding_notes_at_once_lose_none(seeded_home: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(seeded_home), "40", name], env=env, cwd=ROOT
        )
        for name in ("left", "right")
    ]
    assert [w.wait(timeout=120) for w in writers] == [0, 0]
    notes = Library.open(seeded_home).notes()
    assert len(notes) == 80
    for name in ("left", "right"):
        assert sorted(n.body for n in notes if n.tags == (name,)) == sorted(
            f"{name} {i}" for i in range(40)
        )


@pytest.mark.parametrize("fmt", ["md", "csv", "jsonld"])
def test_export_of_an_empty_notebook(home: Path, cli, fmt: str) -> None:
    code, out, _ = cli("notes", "export", "--format", fmt)
    assert code == 0
    header = ",".join(CSV_COLUMNS) + "\r\n"
    assert {"md": "# Notes (0)\n", "csv": header, "jsonld": "[]\n"}[fmt] == out


def hostile_annotations(article: str) -> tuple[list[dict], list[str]]:
    """One good annotation and one for each way a note file can poison a notebook."""

    def item(
        n: int, confidence: object = 1.0, tags: object = ("ok",), created: object = ""
    ) -> dict:
        return {
            "type": "Annotation",
            "id": f"urn:uuid:hostile-{n}",
            "created": created or "2024-06-19T10:00:00+00:00",
            "body": [{"type": "TextualBody", "value": t, "purpose": "tagging"} for t in tags]
            if isinstance(tags, tuple)
            else [{"type": "TextualBody", "value": tags, "purpose": "tagging"}],
            "target": {
                "source": f"urn:treaty-tui:article:{article}",
                "selector": [
                    {"type": "TextQuoteSelector", "exact": "abc"},
                    {"type": "TextPositionSelector", "start": 0, "end": 3},
                ],
                "urn:treaty-tui:confidence": confidence,
            },
        }

    bad = [
        item(1, confidence=float("nan")),
        item(2, confidence=float("inf")),
        item(3, confidence=7),
        item(4, tags=(5,)),
        item(5, tags=({"x": 1},)),
        item(6, created=["2024"]),
        item(7, created="next Tuesday"),
    ]
    negative = item(8)
    negative["target"]["selector"][1] = {"type": "TextPositionSelector", "start": -4, "end": 2}
    reasons = [
        "confidence nan is not between 0 and 1",
        "confidence inf is not between 0 and 1",
        "confidence 7 is not between 0 and 1",
        "tags: not a list of words",
        "tags: not a list of words",
        "created: not text",
        "created: not an ISO 8601 time",
        "start -4 and end 2 are no span of a text",
    ]
    return [item(0), *bad, negative], reasons


def test_hostile_note_imports_are_rejected_one_line_each(seeded_home: Path, cli, tmp_path) -> None:
    article = Library.open(seeded_home).articles()[0].id
    items, reasons = hostile_annotations(article)
    path = tmp_path / "hostile.jsonld"
    path.write_text(json.dumps(items))  # NaN and Infinity as JSON's non-standard literals
    code, out, err = cli("notes", "import", str(path))
    assert code == 1 and out.strip() == "1 note imported, 0 already present, 8 rejected"
    lines = err.strip().splitlines()
    assert len(lines) == 8
    for number, (line, reason) in enumerate(zip(lines, reasons), 2):
        assert line.startswith(f"treaty-tui: {path}: annotation {number}: ") and reason in line
    assert [n.id for n in Library.open(seeded_home).notes()] == ["hostile-0"]


def test_a_bad_row_in_the_notebook_breaks_nothing_and_doctor_quarantines_it(
    seeded_home: Path, cli
) -> None:
    lib = Library.open(seeded_home)
    good = lib.add_note(lib.articles()[0].id, 0, 5, "a good note", ["kept"])
    path = lib.layout.note_shard(good.article, good.id)
    data = json.loads(path.read_bytes())
    bad_rows = {
        "91": {
            **to_dict(good),
            "id": "bad-conf",
            "anchor": {**to_dict(good.anchor), "confidence": None},
        },
        "92": {**to_dict(good), "id": "bad-tags", "tags": [3, {"x": 1}]},
        "93": {**to_dict(good), "id": ["list", "id"], "created": ["2024"]},
        "94": "not a note at all",
    }
    data["notes"].update(bad_rows)
    path.write_text(json.dumps(data))

    for args in (
        ["notes", "list"],
        ["notes", "export", "--format", "md"],
        ["notes", "export", "--format", "csv"],
    ):
        code, out, err = cli(*args)
        assert code == 0 and "Traceback" not in err, (args, err)
    assert cli("notes", "list")[1].count("a good note") == 1
    assert cli("notes", "delete", good.id[:8])[0] == 0
    lib.restore_note(good)

    code, out, _ = cli("doctor")
    assert out.count("moved unchanged to notes.quarantine.json") == 4
    shard = f"{good.article}/{good.id[0]}"
    assert f"note row {shard}/91: anchor: confidence is not a number" in out
    held = json.loads((seeded_home / "notes.quarantine.json").read_bytes())
    assert sorted((r["row"] for r in held["notes"].values()), key=str) == sorted(
        bad_rows.values(), key=str
    )  # kept as they were
    assert [n.id for n in Library.open(seeded_home).notes()] == [good.id]
    assert cli("doctor")[1].strip() == "the library is healthy"


def test_a_single_notes_file_of_an_older_library_moves_into_one_file_per_article(
    seeded_home: Path,
) -> None:
    lib = Library.open(seeded_home)
    first, second = lib.articles()
    a = lib.add_note(first.id, 0, 5, "on the first")
    b = lib.add_note(second.id, 0, 5, "on the second")
    rows = {"1": to_dict(a), "2": to_dict(b), "3": {**to_dict(a), "id": "bad", "tags": [7]}}
    shutil.rmtree(seeded_home / "notes")
    (seeded_home / "notes.json").write_text(json.dumps({"notes": rows}))

    lib = Library.open(seeded_home)
    assert not (seeded_home / "notes.json").exists()
    assert {n.id for n in lib.notes()} == {a.id, b.id}
    assert [n.body for n in lib.notes(article=second.id)] == ["on the second"]
    assert lib.layout.note_shard(first.id, a.id).exists()
    assert lib.layout.note_shard(second.id, b.id).exists()
    held = json.loads((seeded_home / "notes.quarantine.json").read_bytes())["notes"]
    assert [r["row"]["id"] for r in held.values()] == ["bad"]
    assert lib.delete_note(a.id[:6]).id == a.id  # found by an id prefix through the index
