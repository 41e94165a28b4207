"""Bad input: every file either imports correctly or fails with one line, and the store
is left exactly as it was; the reader renders whatever was imported."""

from __future__ import annotations

import asyncio
import codecs
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store import Library
from store.plain import visible_chars
from tests.conftest import ready, settle, view
from tui.app import TreatyApp

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\x00" * 64
SENTENCE = "The council voted 7 to 2 on Tuesday to fund a new bridge, officials said."


def store_bytes(home: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(home)): p.read_bytes()
        for p in sorted(home.rglob("*"))
        if p.is_file() and not p.name.endswith(".lock")
    }


def import_one(home: Path, path: Path):
    """Import `path`; a failure must leave every store file as it was."""
    before = store_bytes(home)
    [outcome] = list(Library.open(home).add([str(path)]))
    if outcome.status == "failed":
        assert outcome.reason and "\n" not in outcome.reason
        assert store_bytes(home) == before
    return outcome


def assert_sound(home: Path, article_id: str) -> None:
    """The stored article is self-consistent and displays one cell per character."""
    article = Library.open(home).article(article_id)
    assert article.sentences
    for record in (*article.paragraphs, *article.sentences, *article.mentions):
        assert 0 <= record.start <= record.end <= len(article.text)
    shown = visible_chars(article.text)
    assert len(shown) == len(article.text)
    assert not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in shown)


FAILURES = {
    "empty.txt": (b"", "empty file"),
    "blank.txt": (b"  \n\t\n   \n", "empty file (whitespace only)"),
    "nul.txt": (b"text\x00with\x00nul\x00bytes" * 10 + b"\x01\x02", "binary content"),
    "image.png": (PNG, "binary content"),
    "image.txt": (PNG, "binary content"),
}


@pytest.mark.parametrize("name", sorted(FAILURES))
def test_unreadable_files_fail_with_one_line(seeded_home: Path, tmp_path: Path, name: str) -> None:
    content, reason = FAILURES[name]
    path = tmp_path / name
    path.write_bytes(content)
    outcome = import_one(seeded_home, path)
    assert outcome.status == "failed"
    assert outcome.reason.startswith(reason)


ENCODED = {
    "latin1.txt": ("Café Zürich: the council voted, officials said.", "latin-1", b""),
    "cp1252.txt": ("“Quoted” – the council’s vote, officials said.", "cp1252", b""),
    "utf16-bom.txt": ("Déjà vu: the council voted.", "utf-16-le", codecs.BOM_UTF16_LE),
    "utf16-nobom.txt": ("Déjà vu again: the council voted.", "utf-16-le", b""),
    "utf16-be.txt": ("Große Brücke: the council voted.", "utf-16-be", b""),
    "utf8-bom.txt": ("Ünïcödé: the council voted.", "utf-8", codecs.BOM_UTF8),
}


@pytest.mark.parametrize("name", sorted(ENCODED))
def test_legacy_and_utf16_encodings_are_decoded(seeded_home: Path, tmp_path: Path, name) -> None:
    text, encoding, bom = ENCODED[name]
    path = tmp_path / name
    path.write_bytes(bom + text.encode(encoding))
    outcome = import_one(seeded_home, path)
    assert outcome.status == "added", outcome.reason
    assert Library.open(seeded_home).article(outcome.info.id).text == text


def test_files_over_the_size_limit_fail_and_the_limit_is_configurable(
    seeded_home: Path, tmp_path: Path, monkeypatch
) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:  # 50 MB of text
        for _ in range(50):
            handle.write((SENTENCE + "\n").encode() * (1024 * 1024 // (len(SENTENCE) + 1) + 1))
    outcome = import_one(seeded_home, big)
    assert outcome.status == "failed"
    assert "over the 2,097,152-byte limit (set TREATY_TUI_MAX_BYTES)" in outcome.reason
    monkeypatch.setenv("TREATY_TUI_MAX_BYTES", "1000")
    small = tmp_path / "small.txt"
    small.write_text(SENTENCE * 20)
    assert "over the 1,000-byte limit" in import_one(seeded_home, small).reason


def test_html_scripts_styles_and_deep_nesting(seeded_home: Path, tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>Bridge vote</title><style>p { color: red }</style>"
        "<script>alert('x'); var secret = 1;</script></head><body>"
        + "<div>" * 300
        + f"<p>{SENTENCE}</p><p>{SENTENCE.replace('7 to 2', '8 to 1')}</p>"
        + "</div>" * 300
        + "<script>document.write('injected')</script></body></html>"
    )
    outcome = import_one(seeded_home, page)
    assert outcome.status == "added", outcome.reason
    assert outcome.info.title == "Bridge vote"
    text = Library.open(seeded_home).article(outcome.info.id).text
    assert "alert" not in text and "color: red" not in text and "injected" not in text
    assert SENTENCE in text and "8 to 1" in text
    broken = tmp_path / "broken.html"
    broken.write_text("<html><body><div><p>" * 5000 + "<<<>>>&&&;</scr" + SENTENCE)
    import_one(seeded_home, broken)  # imports or fails with one line; never a traceback


def test_unusual_characters_are_kept_verbatim(seeded_home: Path, tmp_path: Path) -> None:
    text = (
        "Bridge vote\n\n"
        "The council\u200b voted \u202eRTL override\u202c and \u05e9\u05dc\u05d5\u05dd "
        "with e\u0301\u0302 marks, emoji \U0001f309\U0001f3d7\ufe0f, and "
        + "x" * 5000
        + " a very long word. Officials said so."
    )
    path = tmp_path / "odd.txt"
    path.write_text(text, "utf-8")
    outcome = import_one(seeded_home, path)
    assert outcome.status == "added"
    assert Library.open(seeded_home).article(outcome.info.id).text == text
    assert_sound(seeded_home, outcome.info.id)


def test_a_long_line_imports_and_renders(seeded_home: Path, tmp_path: Path) -> None:
    words = " ".join(f"{i:04d}" + "w" * 995 for i in range(400))  # 400 kB, no line break
    path = tmp_path / "line.txt"
    path.write_text(words)
    outcome = import_one(seeded_home, path)
    assert outcome.status == "added", outcome.reason
    assert_sound(seeded_home, outcome.info.id)
    asyncio.run(render_every_article(seeded_home))


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file(seeded_home: Path, tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text(SENTENCE)
    path.chmod(0)
    assert import_one(seeded_home, path).reason == "permission denied"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Ok.\n" * 3000, "3,000 paragraphs or lines: more than one report (2,000 at most)"),
        (SENTENCE * 7000, "characters of text: more than one report (500,000 at most)"),
    ],
)
def test_what_cannot_be_one_report_is_refused_at_once(
    seeded_home: Path, tmp_path: Path, text: str, reason: str
) -> None:
    """A log file or a data dump would take minutes and gigabytes to analyse: refused."""
    path = tmp_path / "dump.txt"
    path.write_text(text)
    outcome = import_one(seeded_home, path)
    assert outcome.status == "failed" and reason in outcome.reason


async def render_every_article(home: Path) -> None:
    """Open every article in the reader at 80x24 and scroll to its end."""
    app = TreatyApp(home)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(pilot)
        for info in Library.open(home).articles():
            screen.open_place(info.id, 0)
            await settle(pilot)
            assert screen.opened.article.id == info.id
            await pilot.press("G", "space", "g")
            await settle(pilot)
            assert view(app).cursor == 0


# -- property-based: anything at all -------------------------------------------------------
NASTY = st.sampled_from(
    [
        "\x1b[2J",
        "\x1b]0;x\x07",
        "\x9b31m",
        "[bold]x[/]",
        "\u200b",
        "\u202e",
        "e\u0301",
        "\U0001f600",
    ]
)
TEXT = st.lists(
    st.one_of(st.text(min_size=1, max_size=40), NASTY, st.just(SENTENCE), st.just("\n")),
    max_size=30,
).map("".join)
ENCODINGS = st.sampled_from(["utf-8", "utf-16", "utf-16-le", "latin-1", "cp1252"])


@st.composite
def files(draw) -> tuple[str, bytes]:
    kind = draw(st.sampled_from(["text", "html", "bytes"]))
    if kind == "bytes":
        return draw(st.sampled_from([".txt", ".html", ".bin"])), draw(st.binary(max_size=3000))
    text = draw(TEXT)
    if kind == "html":
        depth = draw(st.integers(0, 60))
        text = f"<html><body>{'<div>' * depth}<p>{text}</p>{'</div>' * depth}</body></html>"
    encoding = draw(ENCODINGS)
    return (".html" if kind == "html" else ".txt"), text.encode(encoding, errors="replace")


def test_fuzzed_files_import_or_fail_cleanly(seeded_home: Path, tmp_path: Path) -> None:
    tried = {"added": 0, "duplicate": 0, "failed": 0}

    @settings(
        max_examples=60,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(files())
    def one(case: tuple[str, bytes]) -> None:
        suffix, content = case
        path = tmp_path / f"case{sum(tried.values())}{suffix}"
        path.write_bytes(content)
        outcome = import_one(seeded_home, path)
        tried[outcome.status] += 1
        if outcome.status == "added":
            assert_sound(seeded_home, outcome.info.id)

    one()
    print("fuzz examples:", tried)
    assert sum(tried.values()) == 60 and tried["added"] and tried["failed"]
    asyncio.run(render_every_article(seeded_home))


def test_ascii_with_one_stray_byte_imports_and_says_so(seeded_home: Path, tmp_path: Path, cli):
    path = tmp_path / "stray.txt"
    stray = b"\x1b[0m \x9b It ends here.\n"  # one byte that is no text in any encoding here
    path.write_bytes(b"Terminal log\n\n\x1b[1m" + SENTENCE.encode() + stray)
    code, out, err = cli("add", str(path))
    assert code == 0, err
    assert "1 stray byte shown as \ufffd" in out
    article = Library.open(seeded_home).articles()
    [added] = [a for a in article if a.title == "Terminal log"]
    text = Library.open(seeded_home).article(added.id).text
    assert "\ufffd It ends here." in text and "\x1b[1m" in text  # kept, shown literally later
