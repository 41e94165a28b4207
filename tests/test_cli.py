"""The command line as a user meets it: first start, list, show, remove, help, errors."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from store import Library
from tests.conftest import ROOT, run_process
from tui.cli import build_parser, main


def test_seed_imports_the_sample_reports_once(cli) -> None:
    code, out, err = cli("seed")
    assert code == 0, err
    code, out, err = cli("list")
    assert "2 articles" in out
    assert "Russia and North Korea ink" in out
    assert "000_b47bf53ee0f56d99" in out and "Sample reports" in out
    cli("seed")  # a second time does not import them again
    code, out, _ = cli("list")
    assert "2 articles" in out


def test_seeds_are_not_reimported_after_removal(seeded_home: Path, cli) -> None:
    from store import Library

    for a in Library.open(seeded_home).articles():
        assert cli("remove", a.id)[0] == 0
    code, out, _ = cli("list")
    assert code == 0
    assert "0 articles" in out


def test_show_prints_the_article_for_a_pipe(seeded_home: Path) -> None:
    from store import Library

    lib = Library.open(seeded_home)
    info = next(a for a in lib.articles() if a.title.startswith("Russia and North Korea"))
    shown = run_process("show", info.id[:6], home=seeded_home)
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert (
        lines[0]
        == "Russia and North Korea ink \u2018Strategic Partnership\u2019 agreement in Pyongyang"
    )
    assert lines[-1] == "Reuters and the Associated Press contributed to this report."
    piped = subprocess.run(
        f"{subprocess.list2cmdline(['python3', '-m', 'tui.cli', '--data-dir', str(seeded_home)])}"
        f" show {info.id} | head -n 1",
        shell=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert piped.stdout.startswith("Russia and North Korea ink")
    assert "Traceback" not in piped.stderr


def test_remove_takes_the_article_and_its_links(seeded_home: Path, cli) -> None:
    from store import Library

    lib = Library.open(seeded_home)
    story = lib.articles()[0].story
    assert lib.links(story)
    victim = lib.articles()[0]
    code, out, _ = cli("remove", victim.id)
    assert code == 0
    assert victim.id in out
    assert [a.id for a in lib.articles()] != [victim.id]
    assert len(lib.articles()) == 1
    assert lib.links(lib.articles()[0].story) == []
    assert not lib.layout.article(victim.id).exists()
    assert all(victim.id not in e.articles for e in lib.entities())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show", "nope"], "no article with id 'nope'"),
        (["remove", "nope"], "no article with id 'nope'"),
    ],
)
def test_errors_are_one_line_without_traceback(seeded_home: Path, cli, args, message) -> None:
    code, out, err = cli(*args)
    assert code == 1
    assert err.strip() == f"treaty-tui: {message}"


def test_version_and_help_on_every_subcommand() -> None:
    version = run_process("--version")
    assert version.returncode == 0 and version.stdout.startswith("treaty-tui ")
    parser = build_parser()
    commands = [a for a in parser._subparsers._group_actions[0].choices]  # noqa: SLF001
    assert {"add", "list", "show", "remove", "eval"} <= set(commands)
    for command in commands:
        shown = run_process(command, "--help")
        assert shown.returncode == 0, command
        assert f"usage: treaty-tui {command}" in shown.stdout


def test_unknown_option_is_a_usage_error() -> None:
    result = run_process("list", "--bogus")
    assert result.returncode == 2
    assert "unrecognized arguments: --bogus" in result.stderr


def test_list_shows_markup_and_escapes_literally(tmp_path: Path, cli) -> None:
    path = tmp_path / "evil.txt"
    path.write_text(
        "[bold red]Alert[/] \x1b[2J headline\nThe council met on Monday, officials said.\n"
    )
    assert cli("add", str(path))[0] == 0
    code, out, _ = cli("list")
    assert "[bold red]Alert[/]" in out
    assert "\x1b[2J" not in out and "\u241b[2J" in out


def test_bad_paths_get_one_line_errors(tmp_path: Path, cli, home: Path) -> None:
    a_file = tmp_path / "a_file"
    a_file.write_text("x")
    cases = [
        (("add", str(tmp_path / "missing.txt")), "no such file or folder"),
        (("notes", "import", str(tmp_path)), f"Is a directory: {tmp_path}"),
        (("notes", "import", str(tmp_path / "none.jsonld")), "No such file or directory"),
        (("notes", "export", "-o", str(tmp_path / "no" / "x.md")), "no such folder"),
    ]
    for args, message in cases:
        code, _, err = cli(*args)
        assert code == 1, args
        assert message in err and len(err.strip().splitlines()) == 1, err
    code = main(["--data-dir", str(a_file), "list"])
    assert code == 1 and a_file.read_text() == "x"


def test_sample_reports_only_go_into_a_new_library_in_a_story_of_their_own(
    home: Path, cli, tmp_path: Path
) -> None:
    code, out, _ = cli("list")
    assert code == 0 and "0 articles" in out  # listing never imports anything
    code, out, _ = cli("seed")
    assert code == 0 and out.count("added") == 2
    assert {a.story for a in Library.open(home).articles()} == {"sample-reports"}
    assert "the sample reports go only into a new one" in cli("seed")[1]

    related = tmp_path / "pact.txt"  # about the same treaty: it would have joined them
    related.write_text(
        "Putin and Kim sign pact\\n\\nRussian President Vladimir Putin and North Korean leader "
        "Kim Jong Un signed a strategic partnership treaty in Pyongyang on Wednesday.\\n"
    )
    assert cli("add", str(related))[0] == 0
    stories = {Path(a.origin).name: a.story for a in Library.open(home).articles()}
    assert stories["pact.txt"] != "sample-reports"
    again = tmp_path / "pact2.txt"
    again.write_text(related.read_text().replace("Wednesday", "Thursday"))
    assert cli("add", str(again), "--story", "Sample reports")[0] == 0  # asked: it joins
    lib = Library.open(home)
    assert any(
        a.story == "sample-reports" and "Thursday" in lib.article(a.id).text for a in lib.articles()
    )


def test_stories_are_listed_renamed_merged_and_an_article_moved(
    seeded_home: Path, tmp_path: Path, monkeypatch, capsys
) -> None:
    def cli(*args: str) -> tuple[int, str]:
        code = main(["--data-dir", str(seeded_home), *args])
        return code, capsys.readouterr().out

    lib = Library.open(seeded_home)
    first, second = lib.articles()
    sample = first.story
    code, out = cli("story", "move", second.id[:6], "Pyongyang summit")
    assert code == 0 and "to a new story pyongyang-summit" in out
    lib = Library.open(seeded_home)
    assert {a.id: a.story for a in lib.articles()} == {
        first.id: sample,
        second.id: "pyongyang-summit",
    }
    assert lib.links(sample) == [] and lib.links("pyongyang-summit") == []  # one source each
    assert lib.article(second.id).info.story == "pyongyang-summit"  # doctor keeps it

    code, out = cli("story", "list", "--format", "json")
    listed = {s["id"]: s for s in json.loads(out)}
    assert listed["pyongyang-summit"]["articles"] == 1 and listed[sample]["articles"] == 1

    assert cli("story", "rename", "pyongyang", "Treaty signing")[0] == 0
    assert Library.open(seeded_home).story("Treaty signing").id == "pyongyang-summit"

    code, out = cli("story", "merge", sample, "Treaty signing")
    assert code == 0 and "merged     1 article into" in out
    lib = Library.open(seeded_home)
    assert {a.story for a in lib.articles()} == {sample}
    assert [s.id for s in lib.stories()] == [sample]
    assert len(lib.links(sample)) > 0  # relinked as one story again
    assert main(["--data-dir", str(seeded_home), "doctor"]) == 0
    assert "healthy" in capsys.readouterr().out


def test_scriptable_output_of_list_search_and_notes(seeded_home: Path, capsys) -> None:
    def run(*args: str) -> str:
        assert main(["--data-dir", str(seeded_home), *args]) == 0
        return capsys.readouterr().out

    lib = Library.open(seeded_home)
    first = lib.articles()[0]
    lib.add_note(first.id, 0, 5, "check \u202egnp.exe", ["why"])
    articles = json.loads(run("list", "--format", "json"))
    assert [a["id"] for a in articles] == [a.id for a in lib.articles()]
    assert set(articles[0]) >= {"id", "story", "story_name", "source", "date", "title"}
    rows = run("list", "--format", "csv").splitlines()
    assert rows[0].startswith("id,story,story_name,source,date,title") and len(rows) == 3

    hits = json.loads(run("search", "Ushakov", "--format", "json"))
    assert hits and all("Ushakov" in h["text"] for h in hits)
    assert {"article", "sentence", "source", "text"} <= set(hits[0])

    raw = run("notes", "list", "--format", "json")
    assert "\u202e" not in raw  # escaped in the JSON text, never sent raw to a terminal
    [note] = json.loads(raw)
    assert note["body"] == "check \u202egnp.exe" and note["tags"] == "why"
    assert "<U+202E>" in run("notes", "list", "--format", "csv")

    paths = dict(line.split("\t") for line in run("paths").splitlines())
    assert paths["library"] == str(seeded_home) and paths["config"].endswith("config.toml")


def test_add_quiet_prints_only_failures_and_the_summary(home: Path, tmp_path: Path, cli):
    good = tmp_path / "good.txt"
    good.write_text("Council backs bridge\n\nThe council voted 7 to 2 on Tuesday to fund it.\n")
    code, out, err = cli("add", "--quiet", str(good), str(tmp_path / "missing.txt"))
    assert code == 1
    assert out.strip() == "1 added, 0 already in library, 1 failed"
    assert "missing.txt: no such file" in err


def test_report_gives_the_three_answers_with_updates_and_notes(
    tmp_path: Path, home: Path, cli
) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    common = "The mayor opened the town hall to families whose homes were flooded."
    (reports / "early.txt").write_text(
        "Flood kills four in Dunmore\n\nPublished 3 April 2024\n\n"
        "At least four people died in the flood in Dunmore on Tuesday, the county fire "
        f"service said.\n\n{common}\n\n"
        "The regional rail line between Dunmore and Carrow was suspended until Friday.\n",
        encoding="utf-8",
    )
    (reports / "late.txt").write_text(
        "Flood toll rises to nine in Dunmore\n\nPublished 4 April 2024\n\n"
        "At least nine people died in the flood in Dunmore on Tuesday, the county fire "
        f"service said.\n\n{common}\n\nA baker said \x1b[31mthe <b>water</b> took his shop.\n",
        encoding="utf-8",
    )
    cli("add", str(reports), "--story", "Dunmore flood")
    lib = Library.open(home)
    early = next(a for a in lib.articles() if a.source == "early")
    article = lib.article(early.id)
    lede = next(s for s in article.sentences if "four people" in article.text[s.start : s.end])
    lib.add_note(early.id, lede.start, lede.end, "check the *toll*", ["toll"])

    code, out, _ = cli("report", "Dunmore flood", "--format", "json")
    report = json.loads(out)
    assert code == 0
    assert [c["claim"]["text"] for c in report["agreed"]] == [common]
    toll = next(c for c in report["differing"] if "four people" in c["claim"]["text"])
    [dead] = toll["values"]
    assert [v["value"] for v in dead["by_value"]] == ["four", "nine"]  # earliest report first
    assert dead["kind"] == "update"  # a count, written a day apart
    assert toll["notes"][0]["text"] == "check the *toll*"
    assert {c["claim"]["text"][:16] for c in report["single_source"]} == {
        "The regional rai",
        "A baker said \x1b[3",
    }

    code, out, _ = cli("report", "Dunmore flood")
    assert "## What most sources agree on (1)" in out and "## Where sources differ" in out
    assert "dead: **four**: early | **nine**: late (update by a later report)" in out
    assert "## Reported by one source only (2)" in out and "\x1b" not in out

    page = tmp_path / "report.html"
    code, _, err = cli("report", "Dunmore flood", "--format", "html", "-o", str(page))
    html = page.read_text(encoding="utf-8")
    assert code == 0 and "report written" in err
    assert "<style>" in html and "@media print" in html and "http" not in html
    assert "&lt;b&gt;water&lt;/b&gt;" in html and "\x1b" not in html


def test_add_joins_a_story_given_by_its_name_or_its_id(tmp_path: Path, home: Path, cli) -> None:
    texts = [
        "Dam opens its gates after heavy rain in the valley.",
        "The river authority said the dam would stay open for a week.",
        "Farmers downstream moved their cattle to higher ground.",
    ]
    paths = []
    for n, text in enumerate(texts):
        paths.append(tmp_path / f"report{n}.txt")
        paths[-1].write_text(text + "\n", encoding="utf-8")
    cli("add", str(paths[0]))
    [story] = Library.open(home).stories()  # named after its first article, id with a suffix
    cli("add", str(paths[1]), "--story", story.name.upper())
    cli("add", str(paths[2]), "--story", story.id)
    lib = Library.open(home)
    assert [s.id for s in lib.stories()] == [story.id]
    assert {a.story for a in lib.articles()} == {story.id}


def test_completion_scripts_name_the_commands() -> None:
    for shell in ("bash", "zsh", "fish"):
        done = run_process("completion", shell)
        assert done.returncode == 0, done.stderr
        for command in ("add", "refresh", "report", "story"):
            assert command in done.stdout
    fish = run_process("completion", "fish").stdout
    assert "complete -c treaty-tui -n __fish_use_subcommand -a follow" in fish
    assert "-l format -x -a 'md html json'" in fish


def test_the_log_records_imports_and_errors_but_no_article_text(
    tmp_path: Path, home: Path, cli, private_log: Path
) -> None:
    report = tmp_path / "dam.txt"
    report.write_text("Dam opens its gates after the heaviest rain in forty years.\n")
    cli("add", str(report))
    code, _, err = cli("--verbose", "show", "no-such-article")
    assert code == 1 and "treaty-tui: failed: " in err  # --verbose: the record on stderr too
    code, out, _ = cli("paths")
    assert f"log\t{private_log / 'treaty-tui.log'}" in out
    logged = (private_log / "treaty-tui.log").read_text()
    assert "import " in logged and "dam.txt: added" in logged
    assert "ERROR show" in logged and "no-such-article" in logged
    assert "heaviest rain" not in logged
