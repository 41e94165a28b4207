"""SVG snapshots of the reader's screens at fixed sizes (pytest-textual-snapshot).

Update them after a deliberate change with: python -m pytest tests/test_snapshots.py
--snapshot-update, and look at the report before committing.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from tests.conftest import ready, settle
from tui.app import TreatyApp

SIZES = [(80, 24), (120, 40)]


@pytest.fixture(autouse=True)
def fixed_config(monkeypatch) -> None:
    # The help screen shows the config path: keep it the same on every machine.
    monkeypatch.setenv("XDG_CONFIG_HOME", "/nonexistent/config")
    monkeypatch.delenv("TEXTUAL_THEME", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)


def shot(keys: tuple[str, ...]):
    async def run_before(pilot) -> None:
        await ready(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize(
    ("name", "keys"),
    [
        ("main", ("j", "j")),
        ("compare", ("c",)),
        ("coverage", ("C",)),
        ("overview", ("S",)),
        ("help", ("question_mark",)),
        ("claims-focused", ("j", "j", "tab")),
    ],
)
def test_screen_snapshot(snap_compare, seeded_home: Path, size, name, keys) -> None:
    assert snap_compare(TreatyApp(seeded_home), terminal_size=size, run_before=shot(keys))


OUTLETS = ["wire", "daily", "herald", "times", "post", "news", "radio", "tv"]
SURNAMES = [
    "Abbott",
    "Baxter",
    "Carver",
    "Dalton",
    "Ellis",
    "Fenwick",
    "Garner",
    "Hollis",
    "Ingram",
    "Jarvis",
    "Keller",
    "Lowry",
    "Mercer",
    "Norris",
    "Oakley",
    "Pruitt",
    "Quinlan",
    "Rowe",
    "Sutton",
    "Thorne",
    "Upton",
    "Vance",
    "Whitlock",
    "Yardley",
    "Ashby",
    "Booker",
    "Colby",
    "Dunham",
    "Emery",
    "Forde",
    "Gilmore",
    "Hadley",
    "Irwin",
    "Judd",
    "Kemp",
    "Lister",
    "Marsh",
    "Nash",
    "Osborne",
    "Pike",
]
ASIDES = [
    "{who}, who runs the ferry, said the current had never been so strong.",
    "A church hall on Mill Lane opened its doors to families, said pastor {who}.",
    "Insurers expect claims to exceed last winter's, according to analyst {who}.",
    "Volunteer {who} handed out blankets at the sports centre until midnight.",
    "Farmer {who} moved his cattle to higher ground before dawn.",
    "The mayor's spokesman, {who}, declined to comment on the flood barriers.",
    "Shopkeeper {who} swept mud from her bakery floor on Wednesday afternoon.",
    "Hydrologist {who} warned that another band of rain could arrive by Sunday.",
]


def forty_reports(folder: Path) -> None:
    """40 short reports of one made-up event: shared facts worded alike, figures that
    change from report to report, one sentence each source alone has. Seeded, so every
    run writes the same text."""
    rng = random.Random(40)
    folder.mkdir()
    for n in range(1, 41):
        dead = rng.choice([2, 4, 4, 7, 9])
        facts = [
            f"Storm floods river town, {dead} dead",
            "A powerful storm flooded the river town of Dunmore on Tuesday night, "
            "cutting power to thousands of homes.",
            f"At least {dead} people died and dozens were hurt, the county fire service said.",
            "Rescuers in boats searched the flooded streets near the old bridge for survivors.",
            "Schools across the county stayed closed on Wednesday while the water receded.",
            "The regional rail line between Dunmore and Carrow was suspended until Friday.",
        ]
        kept = [facts[0], facts[1]] + [f for f in facts[2:] if rng.random() < 0.7]
        kept.append(ASIDES[n % len(ASIDES)].format(who=SURNAMES[n - 1]))
        name = f"{n:02d}_{OUTLETS[n % len(OUTLETS)]}.txt"
        (folder / name).write_text("\n\n".join(kept) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def forty_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A library holding one 40-source story, analysed once for these snapshots."""
    from store import Library

    base = tmp_path_factory.mktemp("forty")
    forty_reports(base / "reports")
    home = base / "library"
    outcomes = list(Library.open(home).add([str(base / "reports")], story="Dunmore floods"))
    assert sum(o.status == "added" for o in outcomes) == 40
    return home


@pytest.mark.parametrize("size", [(80, 24), (200, 60)], ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize(
    ("name", "keys"),
    [("overview", ("S",)), ("coverage", ("C",)), ("picker", ("c", "s"))],
)
def test_forty_source_story_snapshot(
    snap_compare, forty_template: Path, tmp_path: Path, size, name, keys
) -> None:
    home = tmp_path / "library"
    shutil.copytree(forty_template, home)
    assert snap_compare(TreatyApp(home), terminal_size=size, run_before=shot(keys))


async def test_claims_panel_lists_every_source_that_links_a_sentence(
    forty_template: Path, tmp_path: Path
) -> None:
    """The claims panel makes a screenful of entries at a time; moving or jumping to
    its end still reaches every one of the sources the heading counts."""
    from textual.widgets import Static

    from tui.widgets.side_panel import ClaimsList, SidePanel

    home = tmp_path / "library"
    shutil.copytree(forty_template, home)
    app = TreatyApp(home)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await ready(pilot)
        claims = screen.query_one("#claims", ClaimsList)
        heading = str(screen.query_one("#claims-heading", Static).render())
        linked = int(heading.split("Linked in ")[1].split(" of ")[0])
        assert linked >= 30  # the headline: most of the 40 sources word it alike
        assert claims.entries == linked > claims.option_count  # not all made yet
        await pilot.press("3", "G")
        await pilot.pause()
        assert claims.option_count == linked
        assert claims.highlighted == linked - 1
        # from the top again, one entry at a time
        await pilot.press("g")
        for _ in range(linked - 1):
            await pilot.press("j")
        await pilot.pause()
        assert claims.highlighted == linked - 1
        assert screen.query_one(SidePanel).claim_target(linked - 1) is not None
