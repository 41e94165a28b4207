"""The reader driven by Pilot over a real seeded store in a temp dir."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from textual.app import App
from textual.screen import Screen

from tests.conftest import ROOT, Messages, current_sentence, ready, settle, view
from tui.app import TreatyApp
from tui.messages import ArticleOpened, SnapshotLoaded
from tui.screens.compare import CompareScreen
from tui.screens.coverage import CoverageScreen
from tui.screens.help import HelpScreen
from tui.screens.reader import ReaderScreen
from tui.widgets.article_view import ArticleView
from tui.widgets.side_panel import SidePanel

SEED_004 = "Russia and North Korea ink"


pytestmark = pytest.mark.usefixtures("private_config")


async def test_first_screen_shows_the_first_story(seeded_home: Path) -> None:
    app = TreatyApp(seeded_home)
    messages = Messages()
    async with app.run_test(size=(120, 40), message_hook=messages.hook) as pilot:
        loaded = await messages.wait_for(pilot, SnapshotLoaded)
        opened = await messages.wait_for(pilot, ArticleOpened)
        assert loaded.first_follows  # the first article came with the library, in one trip
        assert opened.opened.article.info.title.startswith(SEED_004)
        screen = app.screen
        assert screen.opened.article.info.title.startswith(SEED_004)
        assert current_sentence(app).startswith(SEED_004)
        tree_labels = [str(n.label) for n in screen.query_one("LibraryPane").root.children]
        assert tree_labels == ["Sample reports  (2)"]


@pytest.mark.parametrize("library", ["seeded", "new"])
async def test_the_first_frame_shows_the_first_article(
    seeded_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, library: str
) -> None:
    """A library read at once is on screen in the first frame, with no empty
    "Opening the library..." frame before it; a first start, which imports the
    sample reports first, paints the reader at once and shows them when they are in."""
    first_frames: list[bool] = []  # per frame of the reader: whether an article was on it
    display = App._display

    def recording(app: App, screen: Screen, renderable: object) -> None:
        if renderable is not None and isinstance(screen, ReaderScreen):
            first_frames.append(screen.opened is not None)
        display(app, screen, renderable)

    monkeypatch.setattr(App, "_display", recording)
    app = TreatyApp(seeded_home if library == "seeded" else tmp_path / "new")
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(1500):  # a first start imports the samples in a child process
            await pilot.pause(0.02)
            if app.screen.opened is not None:
                break
        await pilot.pause()
        assert current_sentence(app).startswith(SEED_004)
    assert first_frames[0] is (library == "seeded")


async def test_sentence_and_paragraph_navigation(seeded_home: Path) -> None:
    app = TreatyApp(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        v = view(app)
        await pilot.press("j", "j")
        assert v.cursor == 2
        await pilot.press("k")
        assert v.cursor == 1
        await pilot.press("G")
        assert (
            current_sentence(app) == "Reuters and the Associated Press contributed to this report."
        )
        await pilot.press("g")
        assert v.cursor == 0
        await pilot.press("J")
        assert v.article.sentences[v.cursor].paragraph == 1
        await pilot.press("right_curly_bracket", "left_curly_bracket")
        assert v.article.sentences[v.cursor].paragraph == 1
        await pilot.press("space")
        assert v.cursor > 3


async def test_linked_and_only_here_jumps(seeded_home: Path) -> None:
    app = TreatyApp(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        v = view(app)
        await pilot.press("u")
        assert v.cursor not in v.links_per_sentence
        only = v.cursor
        panel = screen.query_one(SidePanel)
        heading = str(panel.query_one("#claims-heading").render())
        assert heading.startswith("Only in this source")
        await pilot.press("right_square_bracket")
        assert v.cursor > only and v.cursor in v.links_per_sentence
        heading = str(panel.query_one("#claims-heading").render())
        assert "Linked in 1 of 1 other source:" in heading
        # back to the top, linked sentence by linked sentence
        headings = {}
        while True:
            before = v.cursor
            await pilot.press("left_square_bracket")
            if v.cursor == before:
                break
            assert v.cursor < before and v.cursor in v.links_per_sentence
            headings[v.cursor] = str(panel.query_one("#claims-heading").render())
        assert min(headings) == min(v.links_per_sentence)
        assert all("Linked in 1 of 1 other source:" in h for h in headings.values())
        # a claim group across both sources, and a link whose claim's group holds another
        # sentence of this report
        assert any(h.startswith("Claim reported by 2 of 2 sources") for h in headings.values())
        assert any(h.startswith("Linked in 1 of 1 other source:") for h in headings.values())


async def test_following_a_link_and_coming_back(seeded_home: Path) -> None:
    app = TreatyApp(seeded_home)
    messages = Messages()
    async with app.run_test(size=(120, 40), message_hook=messages.hook) as pilot:
        screen = await ready(pilot)
        start = screen.opened.article.id
        await pilot.press("j", "j")
        link = screen.opened.links_of(2)[0]
        target = link.other(start, 2)
        await pilot.press("enter")
        followed = await messages.wait_for(pilot, ArticleOpened, count=2)
        assert (followed.opened.article.id, followed.sentence) == target
        assert (screen.opened.article.id, view(app).cursor) == target
        await pilot.press("H")
        back = await messages.wait_for(pilot, ArticleOpened, count=3)
        assert (back.opened.article.id, back.sentence) == (start, 2)
        assert (screen.opened.article.id, view(app).cursor) == (start, 2)
        await pilot.press("L")
        await messages.wait_for(pilot, ArticleOpened, count=4)
        assert (screen.opened.article.id, view(app).cursor) == target


async def test_choosing_a_claim_in_the_side_panel_opens_it(seeded_home: Path) -> None:
    app = TreatyApp(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        await pilot.press("j", "j", "3")
        assert app.focused.id == "claims"
        target = screen.opened.links_of(2)[0].other(screen.opened.article.id, 2)
        await pilot.press("enter")
        await settle(pilot)
        assert (screen.opened.article.id, view(app).cursor) == target
        assert isinstance(app.focused, ArticleView)


async def test_tab_steps_through_the_three_panes_and_the_claims_follow_the_cursor(
    seeded_home: Path,
) -> None:
    """Tab goes library, article, claims and round again (the tab strip is not a stop:
    3, 4 and 5 choose a tab); each sentence the cursor reaches shows its own links."""
    app = TreatyApp(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        stops = []
        for _ in range(4):
            await pilot.press("tab")
            stops.append(app.focused.id if app.focused else None)
        assert stops == ["claims", "library", "article", "claims"]
        await pilot.press("shift+tab")
        assert app.focused is view(app)
        panel = screen.query_one(SidePanel)
        opened = screen.opened
        shown = []
        for _ in range(4):
            await pilot.press("j")
            cursor = view(app).cursor
            expected = [link.other(opened.article.id, cursor) for link in opened.links_of(cursor)]
            targets = [panel.claim_target(i) for i in range(len(expected) + 1)]
            targets = [t for t in targets if t is not None]
            assert set(targets) <= set(expected)  # one entry per source, its best link
            assert {a for a, _ in targets} == {a for a, _ in expected}
            shown.append(len(targets))
        assert any(shown), "the seed article links some of its sentences"


async def test_entities_tab_highlights_an_entity(seeded_home: Path) -> None:
    app = TreatyApp(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        await pilot.press("4")
        await pilot.press("enter")
        assert view(app).selected_entity == "person:vladimir-putin"
        detail = str(screen.query_one("#entity-detail").render())
        assert "Mentioned elsewhere in:" in detail


async def test_entities_are_read_after_the_article_and_again_after_an_import(
    seeded_home: Path,
) -> None:
    """The article comes first, its entities right after (EntitiesRead); they are kept,
    but read again once another session imports: "in N other" counts the new report."""
    from store import Library
    from store.ingest.sources import SourceDocument
    from tui.messages import EntitiesRead

    def putin_line(screen: ReaderScreen) -> str:
        listing = screen.query_one("#entities")
        lines = [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]
        return next((line for line in lines if "Vladimir Putin" in line), "")

    messages = Messages()
    app = TreatyApp(seeded_home)
    async with app.run_test(size=(120, 40), message_hook=messages.hook) as pilot:
        screen = await ready(pilot)
        read = await messages.wait_for(pilot, EntitiesRead)
        assert read.opened is screen.opened and "person:vladimir-putin" in read.entities
        await pilot.press("4")
        assert putin_line(screen).endswith(", in 1 other")
        text = "Putin visits Hanoi\nVladimir Putin arrived in Hanoi on Thursday, officials said."
        list(Library.open(seeded_home).add_documents([SourceDocument(text, "<h>")]))
        screen.watch_store()  # what the reader's timer does every two seconds
        await messages.wait_for(pilot, EntitiesRead, 2)
        assert putin_line(screen).endswith(", in 2 other")


async def test_compare_screen_aligns_on_links(seeded_home: Path) -> None:
    app = TreatyApp(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        await pilot.press("c")
        await settle(pilot)
        compare = app.screen
        assert isinstance(compare, CompareScreen)
        linked = [r for r in compare.rows if r.left is not None and r.right is not None]
        assert len(linked) == len({s for s in view_links(screen)})
        lefts = [r.left for r in compare.rows if r.left is not None]
        assert lefts == sorted(lefts) == list(range(len(screen.opened.article.sentences)))
        right = compare.shown.right.id
        await pilot.press("p")  # only one other source: nothing else to pick
        await settle(pilot)
        assert app.screen is compare and compare.shown.right.id == right
        await pilot.press("escape")
        assert isinstance(app.screen, ReaderScreen)


def view_links(screen: ReaderScreen) -> set[int]:
    me = screen.opened.article.id
    return {
        link.a_sentence if link.a_article == me else link.b_sentence for link in screen.opened.links
    }


def test_compare_shows_a_sentence_of_the_other_article_once(seeded_home: Path) -> None:
    """Two sentences here match one sentence there: the second row refers to the first."""
    from store import Library
    from store.models import Link
    from tui.screens.compare import align

    lib = Library.open(seeded_home)
    left, right = (lib.article(a.id) for a in lib.articles())
    links = [
        Link(left.id, 1, right.id, 3, 0.9, "same"),
        Link(right.id, 3, left.id, 5, 0.8, "related"),
    ]
    rows = align(left, right, links)
    holding = [n for n, r in enumerate(rows) if r.right == 3]
    assert len(holding) == 2
    first, again = (rows[n] for n in holding)
    assert (first.left, first.seen_at) == (1, None) and (again.left, again.seen_at) == (
        5,
        holding[0],
    )
    shown = [r.right for r in rows if r.right is not None and r.seen_at is None]
    assert len(shown) == len(set(shown)) == len(right.sentences)  # each once, none lost


async def test_enter_in_compare_opens_the_sentence_under_the_cursor(seeded_home: Path) -> None:
    app = TreatyApp(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        await pilot.press("right_square_bracket", "c")  # a linked sentence, then compare
        await settle(pilot)
        compare = app.screen
        row = compare.rows[compare.query_one("#compare-table").cursor_row]
        assert row.left is not None and row.right is not None
        await pilot.press("l", "l", "enter")  # the right-hand column: the other source
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)
        assert (screen.opened.article.id, view(app).cursor) == (compare.shown.right.id, row.right)


async def test_coverage_screen_and_jump(seeded_home: Path) -> None:
    app = TreatyApp(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        await pilot.press("C")
        await settle(pilot)
        coverage = app.screen
        assert isinstance(coverage, CoverageScreen)
        grid = coverage.query_one("#claims-grid")
        total = sum(a.sentences for a in screen.snapshot.articles)
        assert 0 < len(grid.rows) < total
        assert "\nA " in str(coverage.query_one("#coverage-key").render())
        detail = str(coverage.query_one("#coverage-detail").render())
        assert detail.startswith("2 of 2 sources")  # the first claim, not the hidden entities
        await pilot.press("e")
        await settle(pilot)
        entities = coverage.query_one("#entities-grid")
        detail = str(coverage.query_one("#coverage-detail").render())
        assert detail == entities.rows[0].text.strip()  # the first entity, named
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("right", "right")  # first claim (the most widely reported), B
        detail = str(coverage.query_one("#coverage-detail").render())
        assert detail.startswith("2 of 2 sources") and "  B " in detail
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)
        place = coverage.claim_place(0, 2)
        assert (screen.opened.article.id, view(app).cursor) == (place.article, place.sentence)


async def test_story_screens_are_read_before_they_are_shown(seeded_home: Path) -> None:
    """Coverage and the overview arrive filled, in one paint; a story whose claims cannot
    be read leaves the reader where it was, saying why."""
    from textual import events

    from tui.screens.overview import StoryOverviewScreen

    first_shown: list[str] = []

    def hook(message) -> None:
        if isinstance(message, events.ScreenResume) and isinstance(
            app.screen, (CoverageScreen, StoryOverviewScreen)
        ):
            title = app.screen.query_one("#coverage-title, #overview-title")
            first_shown.append(str(title.render()))

    app = TreatyApp(seeded_home)
    async with app.run_test(size=(120, 40), message_hook=hook) as pilot:
        screen = await ready(pilot)
        for key, kind in (("C", CoverageScreen), ("S", StoryOverviewScreen)):
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, kind)
            await pilot.press("escape")
            await settle(pilot)
        assert len(first_shown) == 2
        assert all(t.startswith("Sample reports") for t in first_shown), first_shown
        groups = seeded_home / "groups" / f"{screen.opened.article.info.story}.json"
        groups.write_bytes(b"{not json")
        await pilot.press("S")
        await settle(pilot)
        assert app.screen is screen and app.is_running
        said = [n.message for n in app._notifications]
        assert any(str(groups) in m and "damaged" in m for m in said), said


async def test_find_bar_with_regex(seeded_home: Path) -> None:
    app = TreatyApp(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        await pilot.press("slash")
        await pilot.press(*"Ukrain(e|ian)", "enter")
        status = str(screen.query_one("#find-status").render())
        assert status.startswith("4 matches")
        assert "Ukraine" in current_sentence(app)
        first = view(app).cursor
        await pilot.press("n")
        assert view(app).cursor > first and "Ukraine" in current_sentence(app)
        await pilot.press("N")
        assert view(app).cursor == first
        await pilot.press("slash", "ctrl+u", *"(unclosed", "enter")
        status = str(screen.query_one("#find-status").render())
        assert status.startswith("Not a valid regular expression")


async def test_a_pattern_that_would_run_for_minutes_is_stopped(seeded_home: Path) -> None:
    """`(.|..)+$` backtracks for ages over a paragraph; the reader stops it and keeps answering."""
    app = TreatyApp(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        started = time.monotonic()
        await pilot.press("slash", *"(.|..)+$", "enter")
        status = str(screen.query_one("#find-status").render())
        assert "took longer than 0.25 s" in status and "simpler" in status
        shown, bar = screen.query_one("#find-status").region, screen.query_one("#find").region
        assert shown.height >= 1 and shown.bottom <= bar.y  # on screen, not under the bar
        await pilot.press("escape", "j")
        assert view(app).cursor == 1
        await pilot.press("F", *"/(.|..)+$/", "enter")
        for _ in range(100):
            await pilot.pause(0.05)
            status = str(app.screen.query_one("#search-status").render())
            if "took longer" in status:
                break
        assert "took longer than 2 s" in status
        await pilot.press("escape")
        assert time.monotonic() - started < 30  # not the minutes `re` would take


async def test_library_search_opens_the_result(seeded_home: Path) -> None:
    app = TreatyApp(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        await pilot.press("F")
        await pilot.press(*"Ushakov", "enter")
        await settle(pilot)
        results = app.screen.query_one("OptionList")
        assert results.option_count >= 3
        status = str(app.screen.query_one("#search-status").render())
        assert status == "3 results in 1 article."
        await pilot.press("tab", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)
        assert "Ushakov" in current_sentence(app)
        assert screen.opened.article.info.title.startswith("On June 19")


async def test_help_lists_the_keys_of_the_screen(seeded_home: Path) -> None:
    app = TreatyApp(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        from tui.screens.help import binding_rows

        rows = binding_rows(app.screen.under)
        ids = {row[2] for row in rows}
        assert {"article.next_sentence", "reader.compare", "reader.back", "app.help"} <= ids
        assert ("j, down", "Next sentence", "article.next_sentence") in rows
        assert ("?, f1", "Help", "app.help") in rows
        await pilot.press("escape")
        assert isinstance(app.screen, ReaderScreen)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)


def _subclasses(base: type) -> set[type]:
    found = set()
    for cls in base.__subclasses__():
        found |= {cls, *_subclasses(cls)}
    return found


def test_every_binding_has_an_id_and_description() -> None:
    """Every key of every screen and widget of ours is named in help, the palette and keymaps."""
    import importlib
    import pkgutil

    from textual.app import App
    from textual.binding import Binding
    from textual.dom import DOMNode

    import tui

    for module in pkgutil.walk_packages(tui.__path__, "tui."):
        importlib.import_module(module.name)
    ours = [
        cls
        for cls in _subclasses(DOMNode) | _subclasses(App)
        if cls.__module__.startswith("tui.") and "BINDINGS" in vars(cls)
    ]
    assert len(ours) >= 12, sorted(c.__name__ for c in ours)  # the discovery found our classes
    for cls in ours:
        for binding in cls.BINDINGS:
            assert isinstance(binding, Binding), cls
            assert binding.id and binding.description, (cls, binding)


async def test_narrow_terminal_collapses_the_side_panels(seeded_home: Path) -> None:
    app = TreatyApp(seeded_home)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(pilot)
        side = screen.query_one(SidePanel)
        assert not side.display or side.region.width == 0
        assert screen.query_one("LibraryPane").region.width == 0
        assert view(app).region.width >= 76
        await pilot.press("s")
        await pilot.pause()
        assert side.region.width > 0
        await pilot.press("1")
        await pilot.pause()
        assert screen.query_one("LibraryPane").region.width > 0


async def test_maximise_and_restore(seeded_home: Path) -> None:
    app = TreatyApp(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        await pilot.press("z")
        assert screen.maximized is view(app)
        await pilot.press("z")
        assert screen.maximized is None


async def test_keymap_override_and_theme_persist(seeded_home: Path, private_config) -> None:
    private_config.mkdir(parents=True)
    (private_config / "config.json").write_text(
        json.dumps({"keymap": {"article.next_sentence": "x"}})
    )
    app = TreatyApp(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("x")
        assert view(app).cursor == 1
        await pilot.press("j")
        assert view(app).cursor == 1
        app.theme = "nord"
        await pilot.pause()
    saved = json.loads((private_config / "config.json").read_text())
    assert saved["theme"] == "nord"
    assert saved["keymap"] == {"article.next_sentence": "x"}
    again = TreatyApp(seeded_home)
    assert again.theme == "nord"


async def test_config_toml_keeps_its_comments_and_names_every_bad_setting(
    seeded_home: Path, private_config
) -> None:
    private_config.mkdir(parents=True)
    path = private_config / "config.toml"
    path.write_text(
        "# my settings\n"
        'library_order = "sideways"   # not an order\n'
        "colour = 3\n"
        "[keymap]\n"
        '"article.next_sentence" = "x"  # x moves on\n'
        '"article.no_such_thing" = "y"\n'
    )
    app = TreatyApp(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await settle(pilot)
        await pilot.press("x")
        assert view(app).cursor == 1
        said = [n.message for n in app._notifications]
        order = "'newest' or 'oldest' or 'name'"
        assert f"{path}: library_order = 'sideways' ignored (expected {order})" in said
        assert f"{path}: unknown setting 'colour' (ignored)" in said
        assert f"{path}: keymap.article.no_such_thing: no such binding id (`?` lists them)" in said
        app.theme = "nord"
        await pilot.pause()
    text = path.read_text()
    assert text.startswith("# my settings\n") and "# x moves on" in text
    assert 'theme = "nord"' in text
    assert TreatyApp(seeded_home).theme == "nord"


async def test_textual_theme_variable_wins(seeded_home: Path, monkeypatch) -> None:
    monkeypatch.setenv("TEXTUAL_THEME", "gruvbox")
    assert TreatyApp(seeded_home).theme == "gruvbox"


async def test_copy_uses_the_clipboard(seeded_home: Path) -> None:
    app = TreatyApp(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("y")
        assert app.clipboard == current_sentence(app)


async def test_markup_and_escapes_are_shown_literally(tmp_path: Path, home: Path) -> None:
    from store import Library
    from store.ingest.sources import SourceDocument

    text = (
        "[bold red]Alert[/] in \x1b[2J Geneva\nOfficials in Geneva said [link=x]this[/link] "
        "\x1b]0;pwned\x07 was fine."
    )
    lib = Library.open(home)
    list(lib.add_documents([SourceDocument(text, "evil")], story="evil"))
    app = TreatyApp(home)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        v = view(app)
        lines = [v.render_line(y).text for y in range(6)]
        shown = "\n".join(lines)
        assert "[bold red]Alert[/] in \u241b[2J Geneva" in shown
        assert "[link=x]this[/link]" in shown
        assert "\u241b]0;pwned\u2407" in shown
        assert "\x1b" not in shown


async def test_no_color_keeps_a_non_colour_cue(seeded_home: Path, monkeypatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = TreatyApp(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        v = view(app)
        segments = [seg for y in range(4) for seg in v.render_line(y)]
        styled = [seg for seg in segments if seg.text in ("Russia", "North Korea", "Pyongyang")]
        assert len(styled) >= 3
        assert all(seg.style.underline for seg in styled)
        assert app.no_color  # colours are dropped on output; the underline stays


@pytest.mark.parametrize("library", ["seeded", "new"])
def test_starting_the_reader_imports_neither_spacy_nor_tinydb(
    seeded_home: Path, tmp_path: Path, library: str
) -> None:
    """The launch path (as `treaty-tui` builds the app) loads neither TinyDB nor spaCy,
    nor the records or the search index; the library opens in a worker after the
    first frame, and reading never loads spaCy or numpy (12 MB and 50 ms of a start):
    not even on the very first start, whose sample reports a child process imports."""
    home = seeded_home if library == "seeded" else tmp_path / "new"
    script = f"""
import asyncio, sys
from pathlib import Path
from tui.cli import build_app, build_parser
app = build_app(build_parser().parse_args(["--data-dir", {str(home)!r}]))
import tui.screens.reader, tui.widgets.article_view, tui.widgets.side_panel
print("tinydb-on-import", "tinydb" in sys.modules)
print("spacy-on-import", "spacy" in sys.modules)
print("records-or-index-on-import", "store.models" in sys.modules or "sqlite3" in sys.modules)
async def main():
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(3000):
            await pilot.pause(0.02)
            if getattr(app.screen, "opened", None) is not None:
                break
        print("opened", app.screen.opened is not None)
        print("spacy-after-reading", "spacy" in sys.modules)
        print("numpy-after-reading", "numpy" in sys.modules)
asyncio.run(main())
"""
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "tinydb-on-import",
        "False",
        "spacy-on-import",
        "False",
        "records-or-index-on-import",
        "False",
        "opened",
        "True",
        "spacy-after-reading",
        "False",
        "numpy-after-reading",
        "False",
    ]


async def test_wide_terminal_shows_all_three_panes(seeded_home: Path) -> None:
    app = TreatyApp(seeded_home)
    async with app.run_test(size=(200, 60)) as pilot:
        screen = await ready(pilot)
        library = screen.query_one("LibraryPane").region
        article = view(app).region
        side = screen.query_one(SidePanel).region
        assert library.width > 0 and side.width > 0
        assert library.right <= article.x and article.right <= side.x
        assert article.width >= 90  # the article keeps most of a wide screen


async def test_damaged_store_stops_the_reader_with_one_line(seeded_home: Path) -> None:
    catalog = seeded_home / "catalog.json"
    catalog.write_bytes(b"{not json")
    app = TreatyApp(seeded_home)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(100):
            await pilot.pause(0.02)
            if app.error:
                break
    assert app.return_code == 1
    assert str(catalog) in app.error and "damaged" in app.error
    assert "\n" not in app.error
    assert catalog.read_bytes() == b"{not json"


async def test_a_damaged_linked_report_is_named_in_the_claims_and_the_reader_goes_on(
    seeded_home: Path,
) -> None:
    """The other reports a sentence links to are read as they are shown: one that cannot be
    read says why in its place, instead of keeping its neighbour from opening."""
    from store import Library

    first, second = Library.open(seeded_home).articles()
    damaged = seeded_home / "articles" / f"{second.id}.json"
    damaged.write_bytes(b"{not json")
    app = TreatyApp(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        assert screen.opened.article.id == first.id
        await pilot.press("right_square_bracket")
        claims = screen.query_one("#claims")
        shown = str(claims.get_option_at_index(0).prompt)
        assert str(damaged) in shown and "damaged" in shown
        await pilot.press("j")
        assert app.is_running and not app.error
    assert damaged.read_bytes() == b"{not json"


async def test_story_overview_answers_the_three_questions_and_opens_a_sentence(
    seeded_home: Path,
) -> None:
    from textual.widgets import OptionList

    from tui.screens.overview import StoryOverviewScreen

    app = TreatyApp(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        start = screen.here()
        await pilot.press("S")
        for _ in range(100):
            await pilot.pause(0.05)
            if isinstance(app.screen, StoryOverviewScreen) and app.screen.rows:
                break
        overview = app.screen
        assert isinstance(overview, StoryOverviewScreen)
        rows = overview.rows
        assert [r.sources for r in rows] == sorted((r.sources for r in rows), reverse=True)
        assert {r.of for r in rows} == {2} and any(r.sources == 2 for r in rows)
        await pilot.press("o")
        assert overview.shown and all(r.sources == 1 for r in overview.shown)
        claims = overview.query_one("#overview-claims", OptionList)
        first = str(claims.get_option_at_index(0).prompt)
        assert "1 of 2 sources  only in" in first
        await pilot.press("m")
        assert overview.shown and all(r.sources == 2 for r in overview.shown)
        row = overview.shown[0]
        await pilot.press("enter")  # the claim, source by source
        sources = overview.query_one("#overview-sources", OptionList)
        assert app.focused is sources and sources.option_count == len(row.members)
        await pilot.press("down", "enter")  # open the second source's sentence
        await settle(pilot)
        target = row.members[1]
        assert isinstance(app.screen, type(screen))
        assert (screen.opened.article.id, view(app).cursor) == (target.article, target.sentence)
        await pilot.press("H")  # the way back is kept
        await settle(pilot)
        assert screen.here() == start


def test_the_claims_panel_shows_each_other_source_once() -> None:
    """Three sentences of one source and one of another link to the current sentence:
    two rows, each source's strongest link, the first saying two more sentences link."""
    from store.models import Link
    from tui.widgets.side_panel import by_source

    links = [
        Link("me", 4, "ap", 1, 0.6, "related"),
        Link("ap", 7, "me", 4, 0.9, "same"),
        Link("me", 4, "afp", 2, 0.7, "differs"),
        Link("me", 4, "ap", 9, 0.5, "related"),
    ]
    shown, more = by_source(links, "me", 4)
    assert [(x.other("me", 4), x.score) for x in shown] == [(("ap", 7), 0.9), (("afp", 2), 0.7)]
    assert [more[id(x)] for x in shown] == [2, 0]


async def test_compare_picks_the_other_source_by_typing(seeded_home: Path) -> None:
    from store import Library
    from store.ingest.sources import SourceDocument

    story = Library.open(seeded_home).articles()[0].story
    docs = [
        SourceDocument(
            f"Treaty report {n}\n\nRussia and North Korea signed a treaty in Pyongyang on "
            f"June 19, the {site} said.\n",
            f"<{site}>",
            site=site,
        )
        for n, site in enumerate(("Coast Herald", "Valley Gazette"))
    ]
    added = list(Library.open(seeded_home).add_documents(docs, story=story))
    gazette = next(o.info.id for o in added if o.info and o.info.source == "Valley Gazette")
    app = TreatyApp(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("c")
        await settle(pilot)
        compare = app.screen
        assert isinstance(compare, CompareScreen) and len(compare.candidates) == 3
        await pilot.press("s", *"gazet")
        await settle(pilot)
        assert len(app.screen.shown) == 1  # the picker, filtered by what was typed
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is compare and compare.shown.right.id == gazette
        await pilot.press("s", *"no such paper", "enter", "escape")
        await settle(pilot)
        assert app.screen is compare and compare.shown.right.id == gazette
