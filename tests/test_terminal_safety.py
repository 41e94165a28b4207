"""Untrusted text never reaches the terminal as control codes or markup: it is shown literally
(ESC as U+241B, BEL as U+2407, C1 controls as <9B>, bidi controls as <U+202E>) in every
place it can appear."""

from __future__ import annotations

from pathlib import Path

import pytest

from store import Library
from store.ingest.sources import SourceDocument
from tests.conftest import ready, run_process, settle, view
from tui.app import TreatyApp

TITLE = "[bold red]Alert[/] \x1b[2J headline \x9b31m Invoice \u202egnp.exe"
BODY = "Officials of the \x1b]0;pwned\x07Acme Corporation met in Geneva on Monday."
TEXT = f"{TITLE}\n{BODY}"
SHOWN_TITLE = "[bold red]Alert[/] \u241b[2J headline <9B>31m Invoice <U+202E>gnp.exe"
SHOWN_BODY = "Officials of the \u241b]0;pwned\u2407Acme Corporation met in Geneva on Monday."
NOTE = "see \x1b[5m[blink]this[/blink]\x1b[0m \u2066isolated\u2069"
SHOWN_NOTE = "see \u241b[5m[blink]this[/blink]\u241b[0m <U+2066>isolated<U+2069>"
RAW = ("\x1b", "\x07", "\x9b", "\u202e", "\u2066", "\u2069")

pytestmark = pytest.mark.usefixtures("private_config")


@pytest.fixture
def evil_home(home: Path) -> Path:
    lib = Library.open(home)
    [outcome] = lib.add_documents([SourceDocument(TEXT, "evil", site="Evil \x1b[1mNews")])
    article = lib.article(outcome.info.id)
    lib.add_note(article.id, 0, 20, NOTE, ["\x1b[31mred", "[b]tag"])
    return home


def no_raw_controls(text: str) -> bool:
    return not any(code in text for code in RAW)


def test_show_prints_the_exact_visible_text(evil_home: Path) -> None:
    article_id = Library.open(evil_home).articles()[0].id
    done = run_process("show", article_id, home=evil_home)
    assert done.returncode == 0
    assert done.stdout == f"{SHOWN_TITLE}\n\n{SHOWN_BODY}\n"


def test_list_and_notes_commands_print_no_control_codes(evil_home: Path) -> None:
    listing = run_process("list", home=evil_home).stdout
    assert no_raw_controls(listing) and "Evil \u241b[1mNews" in listing
    assert "[bold red]Alert[/]" in listing
    notes = run_process("notes", "list", home=evil_home).stdout
    assert no_raw_controls(notes)
    assert SHOWN_NOTE in notes and "#\u241b[31mred #[b]tag" in notes
    markdown = run_process("notes", "export", "--format", "md", home=evil_home).stdout
    assert no_raw_controls(markdown)
    assert SHOWN_NOTE in markdown and f"### Evil \u241b[1mNews: {SHOWN_TITLE}" in markdown


def screen_text(app) -> str:
    """The whole screen as the terminal would get it, one line per row."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def test_reader_shows_untrusted_text_literally_everywhere(evil_home: Path) -> None:
    app = TreatyApp(evil_home)
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await ready(pilot)
        lines = "\n".join(view(app).render_line(y).text for y in range(4))
        # one cell per character in the article, so C1 controls show as U+2426
        assert SHOWN_TITLE.replace("<9B>", "\u2426").replace(
            "<U+202E>", "\u2426"
        ) in lines and no_raw_controls(lines)
        title_bar = screen_text(app)
        assert "Evil \u241b[1mNews" in title_bar and no_raw_controls(title_bar)

        await pilot.press("4")  # entities
        await settle(pilot)
        entities = screen_text(app)
        assert "\u241b]0;pwned\u2407Acme Corporation" in entities
        assert no_raw_controls(entities)

        await pilot.press("5")  # notes
        await settle(pilot)
        notes_tab = screen_text(app)
        assert SHOWN_NOTE.split(" <U")[0] in notes_tab and "<U+2066>isol" in notes_tab
        assert "#\u241b[31mred #[b]tag" in notes_tab
        assert no_raw_controls(notes_tab)

        await pilot.press("2", "F", *"Acme", "enter")
        await settle(pilot)
        await pilot.pause(0.3)
        results = screen_text(app)
        assert "Acme Corporation" in results and no_raw_controls(results)
        assert screen.opened.article.info.title == TITLE  # the data itself is kept verbatim
