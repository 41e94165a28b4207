"""Taking notes in the reader by keyboard, driven by Pilot over a real seeded store."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from textual.widgets import TextArea

from store import Library
from tests.conftest import fill, ready, run_process, settle, view
from tui.app import TreatyApp
from tui.screens.notes import ConfirmDelete, NoteEditor, NotesScreen, TagEditor
from tui.widgets.article_view import ArticleView
from tui.widgets.side_panel import SidePanel

pytestmark = pytest.mark.usefixtures("private_config")


def stored(home: Path):
    return Library.open(home).notes()


async def write_note(pilot, body: str, tags: str = "") -> None:
    """With the editor open: type the body and the tags, then ctrl+s."""
    assert isinstance(pilot.app.screen, NoteEditor)
    assert pilot.app.focused.id == "note-body"
    await pilot.press(*body)
    if tags:
        await pilot.press("tab", *tags)
    await pilot.press("ctrl+s")
    await settle(pilot)


def gutter(app, sentence: int) -> str:
    v = view(app)
    line = v.text_layout.sentence_line[sentence]
    return v._gutter(line).text


async def test_a_annotates_the_current_sentence(seeded_home: Path) -> None:
    app = TreatyApp(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        await pilot.press("j", "j", "a")
        await write_note(pilot, "check the date", "dates, follow-up")
        [note] = stored(seeded_home)
        sentence = screen.opened.article.sentences[2]
        assert (note.anchor.start, note.anchor.end) == (sentence.start, sentence.end)
        assert (note.body, note.tags) == ("check the date", ("dates", "follow-up"))
        assert gutter(app, 2).endswith("* ")  # the non-colour mark beside the text
        assert not gutter(app, 1).endswith("* ")
        panel = screen.query_one(SidePanel)
        assert [n.id for n in panel.notes] == [note.id]


async def test_escape_cancels_the_editor(seeded_home: Path) -> None:
    app = TreatyApp(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("a", *"never mind", "escape")
        await settle(pilot)
        assert stored(seeded_home) == []
        assert not isinstance(app.screen, NoteEditor)


async def test_selection_mode_annotates_a_span(seeded_home: Path) -> None:
    app = TreatyApp(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        await pilot.press("j", "j", "v")
        text = screen.opened.article.text
        sentence = screen.opened.article.sentences[2]
        assert view(app).selection == (sentence.start, sentence.start + 1)  # "A"
        await pilot.press("l", "l", "l", "h", "w")  # "A comprehensive “strategic" -> start later
        start, end = view(app).selection
        assert text[start:end] == "comprehensive “strategic"
        await pilot.press("j")  # to the end of the sentence
        assert view(app).selection[1] == sentence.end
        await pilot.press("k", "a")  # back to the previous sentence end: nothing before start
        await write_note(pilot, "span")
        [note] = stored(seeded_home)
        assert note.anchor.exact == text[sentence.start + 2 : sentence.end]
        assert view(app).selection is None


async def test_escape_leaves_selection_mode_and_j_moves_again(seeded_home: Path) -> None:
    app = TreatyApp(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("v", "j")
        assert view(app).cursor == 0  # j extended the selection instead of moving
        await pilot.press("escape", "j")
        assert view(app).selection is None and view(app).cursor == 1


async def test_edit_tag_delete_and_undo(seeded_home: Path) -> None:
    app = TreatyApp(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("j", "a")
        await write_note(pilot, "first")
        await pilot.press("e")
        assert app.screen.query_one("TextArea").text == "first"
        await write_note(pilot, " draft")
        assert [n.body for n in stored(seeded_home)] == ["first draft"]

        await pilot.press("t")
        assert isinstance(app.screen, TagEditor)
        await pilot.press(*"urgent, trade", "enter")
        await settle(pilot)
        [note] = stored(seeded_home)
        assert note.tags == ("urgent", "trade") and note.updated >= note.created

        await pilot.press("d")
        assert isinstance(app.screen, ConfirmDelete)
        await pilot.press("n")
        await settle(pilot)
        assert len(stored(seeded_home)) == 1
        await pilot.press("d", "y")
        await settle(pilot)
        assert stored(seeded_home) == []
        assert not gutter(app, 1).endswith("* ")
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert stored(seeded_home) == [note]
        assert gutter(app, 1).endswith("* ")


async def test_keys_on_a_sentence_without_a_note_ring_the_bell(seeded_home: Path) -> None:
    app = TreatyApp(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        for key in ("e", "t", "d"):
            await pilot.press(key)
            assert not isinstance(app.screen, (NoteEditor, TagEditor, ConfirmDelete))


async def test_enter_on_a_note_in_the_notes_tab_jumps_to_it(seeded_home: Path) -> None:
    app = TreatyApp(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("j", "j", "j", "j", "a")
        await write_note(pilot, "here")
        await pilot.press("g", "5")
        assert app.focused.id == "notes"
        await pilot.press("enter")
        await settle(pilot)
        assert view(app).cursor == 4
        assert app.focused is view(app)


async def test_a_note_on_a_link_between_two_claims(seeded_home: Path) -> None:
    app = TreatyApp(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        await pilot.press("j", "j", "3")
        other_article, other_sentence = screen.opened.links_of(2)[0].other(
            screen.opened.article.id, 2
        )
        await pilot.press("a")
        await write_note(pilot, "these two disagree")
        [note] = stored(seeded_home)
        other = Library.open(seeded_home).article(other_article)
        assert note.link_article == other_article
        assert note.link_anchor.exact == other.sentence_text(other_sentence)
        assert note.anchor.exact == screen.opened.article.sentence_text(2)


async def test_all_notes_screen_filters_by_tag_and_opens_a_note(seeded_home: Path) -> None:
    lib = Library.open(seeded_home)
    first, second = lib.articles()[:2]
    s = lib.article(second.id).sentences[3]
    lib.add_note(second.id, s.start, s.end, "in the other source", ["elsewhere"])
    s = lib.article(first.id).sentences[1]
    lib.add_note(first.id, s.start, s.end, "here", ["local"])
    app = TreatyApp(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        await pilot.press("M")
        await settle(pilot)
        notes_screen = app.screen
        assert isinstance(notes_screen, NotesScreen)
        assert len(notes_screen.shown) == 2
        await pilot.press(*"#elsewhere")
        await settle(pilot)
        assert [n.body for n in notes_screen.shown] == ["in the other source"]
        await pilot.press("enter", "enter")
        await settle(pilot)
        assert screen.opened.article.id == second.id
        assert view(app).cursor == 3


async def test_orphans_are_listed_with_their_quote(seeded_home: Path) -> None:
    lib = Library.open(seeded_home)
    article = lib.articles()[0]
    s = lib.article(article.id).sentences[1]
    lib.add_note(article.id, s.start, s.end, "orphan to be")
    other = lib.articles()[1]
    s = lib.article(other.id).sentences[1]
    lib.add_note(other.id, s.start, s.end, "placed")
    lib.remove(article.id)
    app = TreatyApp(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("M", "ctrl+o")
        await settle(pilot)
        shown = app.screen.shown
        assert [n.body for n in shown] == ["orphan to be"]
        prompt = app.screen.query_one("#notes-found").get_option_at_index(0).prompt
        rendered = "".join(str(r) for r in prompt.renderables)
        assert "orphan" in rendered and lib.notes()[0].anchor.exact[:20] in rendered


@pytest.mark.parametrize("editor", ["external"])
async def test_external_editor_setting_falls_back_when_it_cannot_suspend(
    seeded_home: Path, private_config: Path, editor: str
) -> None:
    private_config.mkdir(parents=True)
    (private_config / "config.json").write_text(f'{{"editor": "{editor}"}}')
    app = TreatyApp(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("a")
        await pilot.pause()
        # The headless test driver cannot hand the terminal to an editor: the built-in opens.
        assert isinstance(app.screen, NoteEditor)


async def test_the_reader_picks_up_what_another_session_writes(
    seeded_home: Path, tmp_path: Path
) -> None:
    app = TreatyApp(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        await pilot.press("j", "v", "l")  # mid-selection when the other session writes
        selection = view(app).selection
        other_session = Library.open(seeded_home)
        article = screen.opened.article
        s = article.sentences[1]
        other_session.add_note(article.id, s.start, s.end, "from the other session")
        extra = tmp_path / "extra.txt"
        extra.write_text("Bridge vote\n\nThe council voted 7 to 2 on Tuesday, officials said.\n")
        list(other_session.add([str(extra)], story="Bridges"))
        for _ in range(40):  # the store is checked every 2 seconds
            await pilot.pause(0.1)
            if screen.snapshot and len(screen.snapshot.articles) == 3 and screen.opened.notes:
                break
        await settle(pilot)
        assert [n.body for n in screen.opened.notes] == ["from the other session"]
        assert gutter(app, 1).endswith("* ")
        assert len(screen.snapshot.articles) == 3
        assert screen.opened.article.id == article.id
        assert view(app).selection == selection and view(app).cursor == 1

        [note] = other_session.notes(article=article.id)  # an edit in an existing notes file
        other_session.edit_note(note.id, body="edited over there")
        for _ in range(40):
            await pilot.pause(0.1)
            if [n.body for n in screen.opened.notes] == ["edited over there"]:
                break
        assert [n.body for n in screen.opened.notes] == ["edited over there"]


async def test_a_damaged_note_row_never_stops_the_reader(seeded_home: Path) -> None:
    """A note with a null confidence and number tags (as a bad import once stored)."""
    lib = Library.open(seeded_home)
    article = lib.articles()[0]
    good = lib.add_note(article.id, 0, 5, "still here")
    shard = lib.layout.note_shard(article.id, good.id)
    data = json.loads(shard.read_bytes())
    row = next(iter(data["notes"].values()))
    data["notes"]["99"] = {
        **row,
        "id": "bad",
        "tags": [1],
        "anchor": {**row["anchor"], "confidence": None},
    }
    shard.write_text(json.dumps(data))
    app = TreatyApp(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        assert screen.opened.article.id == article.id
        assert [n.id for n in screen.query_one(SidePanel).notes] == [good.id]
        await pilot.press("M")
        await settle(pilot)
        assert [n.body for n in app.screen.shown] == ["still here"]


async def test_a_full_disk_keeps_the_typed_note_in_the_editor(
    seeded_home: Path, small_disk
) -> None:
    mount, _ = small_disk
    home = mount / "library"
    shutil.copytree(seeded_home, home)
    app = TreatyApp(home)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        filler = fill(mount)
        await pilot.press("a", *"the typed words")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, NoteEditor)  # open again, holding the text
        assert app.screen.query_one(TextArea).text == "the typed words"
        told = [n.message for n in app._notifications]
        assert any("Not saved: No space left on device" in m for m in told), told
        assert stored(home) == []

        filler.unlink()  # room again: the same editor saves
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert [n.body for n in stored(home)] == ["the typed words"]


async def test_a_read_only_library_opens_read_only_and_says_so(
    seeded_home: Path, small_disk
) -> None:
    mount, remount = small_disk
    home = mount / "library"
    shutil.copytree(seeded_home, home)
    Library.open(home).add_note(Library.open(home).articles()[0].id, 0, 5, "written before")
    remount(True)
    app = TreatyApp(home)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        assert [n.body for n in screen.query_one(SidePanel).notes] == ["written before"]
        await pilot.press("a")
        await settle(pilot)
        assert not isinstance(app.screen, NoteEditor)  # nothing typed in vain
        told = [n.message for n in app._notifications]
        assert any("read-only" in m for m in told), told
        await pilot.press("j", "j")
        await settle(pilot)
        assert screen.query_one(ArticleView).cursor == 2
    assert app.return_code in (0, None)


async def test_a_fresh_read_only_folder_opens_empty(small_disk) -> None:
    mount, remount = small_disk
    remount(True)
    app = TreatyApp(mount)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(100):
            await pilot.pause(0.05)
            if "library is empty" in str(app.screen.query_one("#article-title").render()):
                break
        assert "library is empty" in str(app.screen.query_one("#article-title").render())
        assert any("read-only" in n.message for n in app._notifications)
    assert app.return_code in (0, None)
    assert run_process("list", home=mount).returncode == 0
