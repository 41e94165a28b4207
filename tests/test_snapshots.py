"""SVG snapshots of the reader's screens at fixed sizes (pytest-textual-snapshot).

Update them after a deliberate change with: python -m pytest tests/test_snapshots.py
--snapshot-update, and look at the report before committing.
"""

from __future__ import annotations

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
    ],
)
def test_screen_snapshot(snap_compare, seeded_home: Path, size, name, keys) -> None:
    assert snap_compare(TreatyApp(seeded_home), terminal_size=size, run_before=shot(keys))
