"""Small things a new reader runs into: narrow panes, the find bar, list keys, plain
terminals, note text, quiet keys. Each test drives the real reader over a seeded store."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from store import Library
from tests.conftest import ready, settle, view
from tui.app import TreatyApp
from tui.screens.help import HelpScreen
from tui.widgets.find_bar import FindBar
from tui.widgets.lists import KeyList
from tui.widgets.note_entry import note_prompt

pytestmark = pytest.mark.usefixtures("private_config")


def notices(app: TreatyApp) -> list[str]:
    return [n.message for n in app._notifications]


async def test_at_80_columns_the_side_panel_hides_again_and_the_article_keeps_its_width(
    seeded_home: Path,
) -> None:
    app = TreatyApp(seeded_home)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(pilot)
        side, library = screen.query_one("SidePanel"), screen.query_one("LibraryPane")
        await pilot.press("3")
        await pilot.pause()
        assert side.region.width > 0
        await pilot.press("s")  # hide it again
        await pilot.pause()
        assert side.region.width == 0 and view(app).region.width >= 76
        await pilot.press("3", "1")  # a narrow terminal shows one of the two panels
        await pilot.pause()
        assert library.region.width > 0 and side.region.width == 0
        assert view(app).region.width >= 40
        await pilot.press("o")
        await pilot.pause()
        assert library.region.width == 0 and view(app).region.width >= 76


async def test_keys_typed_ahead_go_to_the_pane_a_number_key_chose(seeded_home: Path) -> None:
    """ "3G" typed faster than the screen refreshes: G is the claims list's, not the
    article's (before, the focus moved only after the keys already typed)."""
    from textual import events

    from tui.widgets.side_panel import ClaimsList

    app = TreatyApp(seeded_home)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        before = view(app).cursor
        for key in ("3", "G"):
            app.post_message(events.Key(key, key))
        await pilot.pause()
        assert isinstance(app.focused, ClaimsList)
        assert view(app).cursor == before
        for key in ("1", "j"):
            app.post_message(events.Key(key, key))
        await pilot.pause()
        assert view(app).cursor == before  # j moved in the library pane


async def test_escape_in_the_article_closes_the_find_bar(seeded_home: Path) -> None:
    app = TreatyApp(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        await pilot.press("slash", *"Russia", "enter")
        status = screen.query_one("#find-status")
        assert app.focused is view(app) and status.display and view(app).matches
        await pilot.press("escape")
        await pilot.pause()
        assert not screen.query_one(FindBar).display and not status.display
        assert not view(app).matches and screen.query_one(FindBar).value == ""


async def test_an_invalid_pattern_stays_in_the_bar_and_not_on_the_next_article(
    seeded_home: Path,
) -> None:
    app = TreatyApp(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        await pilot.press("slash", *"(unclosed", "enter")
        status = screen.query_one("#find-status")
        assert str(status.render()).startswith("Not a valid regular expression")
        assert isinstance(app.focused, FindBar)  # to be corrected where it was typed
        view(app).focus()
        await pilot.press("right_square_bracket", "enter")  # follow a link: another article
        await settle(pilot)
        assert screen.opened.article.id != Library.open(seeded_home).articles()[0].id
        assert not status.display and screen.query_one(FindBar).value == ""


async def test_down_goes_from_the_search_input_to_the_results(seeded_home: Path) -> None:
    app = TreatyApp(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("F", *"Ushakov", "enter")
        await settle(pilot)
        results = app.screen.query_one("#search-results")
        await pilot.press("down")
        assert app.focused is results and results.highlighted == 0
        await pilot.press("down")
        assert results.highlighted == 1


async def test_j_and_k_move_in_the_side_lists_and_scroll_help(seeded_home: Path) -> None:
    app = TreatyApp(seeded_home)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await ready(pilot)
        await pilot.press("4")
        await settle(pilot)
        entities = screen.query_one("#entities")
        assert app.focused is entities and entities.option_count > 3
        start = entities.highlighted or 0
        await pilot.press("j", "j")
        down = entities.highlighted or 0
        assert down > start  # group headings in between are passed over
        await pilot.press("k")
        assert start < (entities.highlighted or 0) < down
        assert isinstance(screen.query_one("#claims"), KeyList)
    async with TreatyApp(seeded_home).run_test(size=(80, 16)) as pilot:
        await ready(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        help_text = pilot.app.screen.query_one("KeyScroll")
        assert isinstance(pilot.app.screen, HelpScreen) and help_text.max_scroll_y > 0
        await pilot.press("j", "j", "j")
        await pilot.pause(0.3)
        assert help_text.scroll_y > 0


async def test_without_colour_the_cursor_and_a_note_look_different(
    seeded_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lib = Library.open(seeded_home)
    first = lib.articles()[0]
    sentence = lib.article(first.id).sentences[2]
    lib.add_note(first.id, sentence.start, sentence.end, "noted")
    monkeypatch.setenv("NO_COLOR", "1")
    app = TreatyApp(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        v = view(app)
        cursor = v.get_component_rich_style("article--cursor")
        noted = v.get_component_rich_style("article--note")
        plain = v.rich_style
        # colours are dropped on output: what is left must still tell them apart
        cues = {
            name: (bool(s.reverse), bool(s.italic), bool(s.underline))
            for name, s in (("cursor", cursor), ("note", noted), ("plain", plain))
        }
        assert len(set(cues.values())) == 3, cues


def test_note_text_is_shown_as_markdown_and_html_as_typed(seeded_home: Path) -> None:
    lib = Library.open(seeded_home)
    first = lib.articles()[0]
    sentence = lib.article(first.id).sentences[1]
    body = "The **trade** figure\n\n- one\n- two <b>kept</b> [bold]x[/bold]"
    note = lib.add_note(first.id, sentence.start, sentence.end, body)
    console = Console(width=80, color_system=None, record=True)
    console.print(note_prompt(note, None))
    shown = console.export_text()
    assert "The trade figure" in shown and "**" not in shown
    assert "• one" in shown and "<b>kept</b>" in shown and "[bold]x[/bold]" in shown


async def test_a_three_digit_link_count_keeps_the_text_in_its_column(seeded_home: Path) -> None:
    app = TreatyApp(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        v = view(app)
        column = {}
        for count in (7, 123):
            v.links_per_sentence = {0: count}
            line = "".join(seg.text for seg in v.render_line(0))
            column[count] = line.index(v.article.sentence_text(0)[:12])
        assert column[7] == column[123]


async def test_u_says_so_when_no_sentence_is_left_to_jump_to(seeded_home: Path) -> None:
    app = TreatyApp(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("G", "u")
        await pilot.pause()
        assert "No sentence only in this source below this sentence." in notices(app)
        await pilot.press("g", "right_square_bracket")
        await pilot.press("G", "right_square_bracket")
        await pilot.pause()
        assert "No linked sentence below this sentence." in notices(app)


async def palette(pilot, words: str) -> None:
    """Run a command palette entry by typing its words."""
    await pilot.press("ctrl+p")
    await pilot.pause(0.2)
    await pilot.press(*words, "enter")
    await pilot.pause(0.2)


async def test_stories_are_shaped_from_the_palette_and_opened_from_the_library(
    seeded_home: Path,
) -> None:
    app = TreatyApp(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        moved = screen.opened.article.id
        await palette(pilot, "move this article")
        await pilot.press(*"Second story", "enter")  # no story has that name: a new one
        await settle(pilot)
        await pilot.pause(0.3)
        await settle(pilot)
        lib = Library.open(seeded_home)
        names = {s.id: s.name for s in lib.stories()}
        assert names[lib.find(moved).story] == "Second story" and len(names) == 2
        assert "Moved to a new story Second story" in notices(app)
        assert {s.name for s in screen.snapshot.stories} == set(names.values())
        await palette(pilot, "rename this story")
        await pilot.press("ctrl+u", *"Treaty, follow-up", "enter")
        await settle(pilot)
        assert Library.open(seeded_home).find(moved).story in {
            s.id for s in Library.open(seeded_home).stories() if s.name == "Treaty, follow-up"
        }
        # S on a story in the library pane opens that story's overview, not the open one's
        screen.watch_store()  # now, not on a later tick: its refill would replace the nodes
        await settle(pilot)
        await pilot.press("1")
        pane = screen.query_one("LibraryPane")
        for _ in range(50):  # the refilled pane puts its cursor back on the open article
            if pane.cursor_node is not None and pane.cursor_node.data == moved:
                break
            await pilot.pause(0.02)
        other = next(n for n in pane.root.children if n.data != lib.find(moved).story)
        pane.move_cursor(other)
        await pilot.pause()
        assert pane.cursor_node is other
        await pilot.press("S")
        await settle(pilot)
        assert app.screen.story == other.data


async def test_a_write_by_another_session_leaves_the_library_cursor_where_it_was(
    seeded_home: Path,
) -> None:
    app = TreatyApp(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        pane = screen.query_one("LibraryPane")
        [story] = pane.root.children
        other = next(n for n in story.children if n.data != screen.opened.article.id)
        pane.move_cursor(other)
        await pilot.pause()
        Library.open(seeded_home).rename_story(story.data, "Renamed elsewhere")
        screen.watch_store()  # what the reader's timer does every two seconds
        await settle(pilot)
        assert "Renamed elsewhere" in str(pane.root.children[0].label)
        assert pane.cursor_node.data == other.data  # not moved back to the open article
        assert screen.opened.article.id != other.data


async def test_the_idle_reader_tidies_its_heap_and_keeps_no_closed_screen(
    seeded_home: Path,
) -> None:
    """The reader, left alone, collects and freezes its heap (short collections while keys
    are pressed); a screen closed before that is freed, never kept alive by the freeze.
    Collections held while it starts run again from the first tidy on."""
    import gc
    import weakref

    from tui.app import IDLE
    from tui.screens.coverage import CoverageScreen

    app = TreatyApp(seeded_home)
    closed = []
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        assert not gc.isenabled()  # held while starting
        for _ in range(3):
            await pilot.press("C")
            await settle(pilot)
            assert isinstance(app.screen, CoverageScreen)
            closed.append(weakref.ref(app.screen))
            app.input_at -= IDLE
            app._tidy_heap()  # idle, but on another screen: nothing is frozen yet
            assert not app.tidied
            await pilot.press("escape")
            await settle(pilot)
            app.input_at -= IDLE
            app._tidy_heap()  # idle on the reader
            assert app.tidied and gc.get_freeze_count() > 0 and gc.isenabled()
        assert [ref() for ref in closed] == [None, None, None]
    assert gc.get_freeze_count() == 0  # all given back when the app closed
    assert gc.isenabled()
    app._tidy_heap()  # its timer ticking once more as it closes stops nothing


async def test_collections_held_at_start_run_again_when_no_article_is_ever_shown(
    seeded_home: Path, monkeypatch
) -> None:
    """A library emptied by its reader never tidies (no article is shown): the
    collector runs again after the hold's limit all the same. Only a running
    reader holds it."""
    import gc

    from store.library import Library

    library = Library.open(seeded_home)
    for info in library.articles():
        library.remove(info.id)
    monkeypatch.setattr("tui.app.HOLD_LIMIT", 0.3)
    app = TreatyApp(seeded_home)
    assert gc.isenabled()  # made, not yet running: nothing held
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.1)
        assert not gc.isenabled()
        await pilot.pause(0.5)
        assert gc.isenabled() and not app.tidied
        assert "library is empty" in str(app.screen.query_one("#article-title").render())


async def test_library_pane_lists_newest_first_with_source_and_date_at_80_columns(
    tmp_path: Path, home: Path
) -> None:
    """Plain files have no metadata: their dates come from the dateline or opening lines."""
    reports = tmp_path / "reports"
    reports.mkdir()
    texts = {
        "older_wire.txt": "Dam opens its gates\n\nPublished 2 March 2023\n\n"
        "The river authority opened the dam's gates on Thursday after heavy rain.",
        "newer_daily.txt": "Dam gates stay open\n\nMarch 9, 2023\n\n"
        "The dam's gates stayed open for a second week as the river rose again.",
    }
    for name, text in texts.items():
        (reports / name).write_text(text, encoding="utf-8")
    list(Library.open(home).add([str(reports)], story="Dam"))
    app = TreatyApp(home)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(pilot)
        await pilot.press("1")
        await pilot.pause()
        pane = screen.query_one("LibraryPane")
        [story] = pane.root.children
        labels = [str(leaf.label) for leaf in story.children]
        assert labels[0].startswith("newer_daily 2023-03-09 Dam gates stay open")
        assert labels[1].startswith("older_wire 2023-03-02 Dam opens its gates")
        lines = [pane.render_line(y).text for y in range(3)]
        assert any("newer_daily 2023-03-09 Dam" in line for line in lines)


async def test_a_later_reports_new_figure_is_shown_as_an_update(tmp_path: Path, home: Path) -> None:
    """Four dead in the report of 3 April, nine in that of 4 April: the overview shows a
    timeline, the Claims panel and the overview call the difference an update."""
    reports = tmp_path / "reports"
    reports.mkdir()
    for name, day, dead in (("late", 4, "nine"), ("early", 3, "four")):
        (reports / f"{name}.txt").write_text(
            f"Flood toll in Dunmore: {dead} dead\n\nPublished {day} April 2024\n\n"
            f"At least {dead} people died in the flood in Dunmore on Tuesday, the county "
            "fire service said.\n",
            encoding="utf-8",
        )
    list(Library.open(home).add([str(reports)], story="Dunmore flood"))
    app = TreatyApp(home)
    async with app.run_test(size=(140, 36)) as pilot:
        screen = await ready(pilot)
        while "people died" not in view(app).article.sentence_text(view(app).cursor):
            await pilot.press("j")
        await pilot.pause()
        console = Console(width=100, color_system=None, record=True, file=io.StringIO())
        claims = screen.query_one("#claims")
        console.print(claims.get_option_at_index(0).prompt)
        assert "(update by a later report)" in console.export_text()
        await pilot.press("S")
        await settle(pilot)
        await pilot.press("d")
        await pilot.pause()
        sources = app.screen.query_one("#overview-sources")
        for i in range(sources.option_count):
            console.print(sources.get_option_at_index(i).prompt)
        shown = console.export_text()
        assert shown.index("[2024-04-03] early") < shown.index("[2024-04-04] late")
        assert "dead: four here; nine elsewhere  (update by a later report)" in shown


async def test_the_footer_shows_the_focused_panes_keys_and_a_click_runs_one(
    seeded_home: Path,
) -> None:
    from tui.widgets.key_footer import KeyFooter

    app = TreatyApp(seeded_home)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(pilot)
        footer = screen.query_one(KeyFooter)
        line = str(footer.render())
        assert line.startswith(" j Next sentence ") and line.rstrip().endswith("ctrl+p palette")
        assert len(line) == 80  # the palette key at the right edge; keys that do not fit give way
        await pilot.press("3")
        await pilot.pause()
        assert "Open linked sentence" in str(footer.render())
        await pilot.press("2")
        await pilot.pause()
        at = view(app).cursor
        [next_key] = [k for k in footer.keys if k.key == "j"]
        await pilot.click(KeyFooter, offset=(next_key.start + 1, 0))
        await pilot.pause()
        assert view(app).cursor == at + 1
        await pilot.hover(KeyFooter, offset=(next_key.start + 1, 0))
        assert footer.tooltip
