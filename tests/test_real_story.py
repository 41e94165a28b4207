"""The reader over a real story of ten reports (../shared/eval/taiwan-quake-2024/, read at
test time, never copied here): the three answers an analyst opens a story for."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from store import Library
from tests.conftest import ready, settle, shared_path, view
from tui.app import TreatyApp
from tui.screens.compare import CompareScreen
from tui.screens.coverage import CoverageScreen
from tui.screens.overview import StoryOverviewScreen
from tui.screens.reader import ReaderScreen

pytestmark = pytest.mark.usefixtures("private_config")


@pytest.fixture(scope="module")
def quake_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    reports = shared_path("eval", "taiwan-quake-2024")
    home = tmp_path_factory.mktemp("quake") / "library"
    outcomes = list(Library.open(home).add([str(reports)], story="Taiwan quake"))
    assert sum(o.status == "added" for o in outcomes) == 10
    return home


@pytest.fixture
def quake(quake_template: Path, tmp_path: Path) -> Path:
    home = tmp_path / "library"
    shutil.copytree(quake_template, home)
    return home


@pytest.mark.parametrize("size", [(80, 24), (200, 60)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_overview_answers_what_most_report_and_where_they_differ(
    quake: Path, size: tuple[int, int]
) -> None:
    app = TreatyApp(quake)
    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        await pilot.press("S")
        await settle(pilot)
        overview = app.screen
        assert isinstance(overview, StoryOverviewScreen)
        reach = [row.sources for row in overview.rows]
        assert reach == sorted(reach, reverse=True) and reach[0] >= 7
        assert all(row.of == 10 for row in overview.rows)
        await pilot.press("d")  # where they differ: the death toll, told 1, 4 and 9 times
        await pilot.pause()
        assert overview.shown and all(row.differing for row in overview.shown)
        texts = [overview._sentence(row.representative) for row in overview.shown]
        assert any("kill" in t or "dead" in t or "death" in t for t in texts)
        await pilot.press("o")  # what one source alone reports
        await pilot.pause()
        assert overview.shown and all(row.sources == 1 for row in overview.shown)
        await pilot.press("enter", "enter")  # the claim, then its only source's sentence
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)
        ref = overview.shown[0].representative
        assert (app.screen.opened.article.id, view(app).cursor) == (ref.article, ref.sentence)


async def test_coverage_has_a_row_per_claim_and_names_the_cursor_column(quake: Path) -> None:
    app = TreatyApp(quake)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("S")
        await settle(pilot)
        claims = len(app.screen.rows)
        await pilot.press("escape", "C")
        await settle(pilot)
        coverage = app.screen
        assert isinstance(coverage, CoverageScreen)
        assert len(coverage.query_one("#claims-grid").rows) == claims
        for _ in range(12):  # past the right edge of an 80-column screen
            await pilot.press("l")
        await pilot.pause()
        detail = str(coverage.query_one("#coverage-detail").render())
        assert detail.startswith(f"{coverage.claims[0][1]} of 10 sources")
        assert f"  {coverage.labels[9]} {coverage.articles[9].info.source}: " in detail


async def test_compare_picks_a_source_by_typing_part_of_its_name(quake: Path) -> None:
    app = TreatyApp(quake)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("c")
        await settle(pilot)
        compare = app.screen
        assert isinstance(compare, CompareScreen) and len(compare.candidates) == 9
        last = compare.snapshot.info(compare.candidates[-1])  # the fewest links: far down
        await pilot.press("s")
        await pilot.pause()
        await pilot.press(*last.source.split("_", 1)[1][:10], "enter")  # "nhk_world"
        await settle(pilot)
        assert app.screen is compare and compare.shown.right.id == last.id
        shown = [r.right for r in compare.rows if r.right is not None and r.seen_at is None]
        assert sorted(shown) == list(range(len(compare.shown.right.sentences)))
