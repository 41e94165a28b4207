"""The layering and types hold: import-linter contracts and mypy, as a newcomer runs them."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: it comes with the [test] extra")
    return found


def test_import_contracts_are_kept() -> None:
    """store never imports the UI; widgets never import screens; evaluation stays apart."""
    result = subprocess.run(
        [_tool("lint-imports")], capture_output=True, text=True, cwd=ROOT, timeout=300
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


def test_a_broken_contract_is_caught(tmp_path: Path) -> None:
    """The contracts bite: a widget importing a screen fails the check."""
    copy = tmp_path / "repo"
    shutil.copytree(ROOT / "store", copy / "store")
    shutil.copytree(ROOT / "tui", copy / "tui")
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    widget = copy / "tui" / "widgets" / "library_pane.py"
    widget.write_text(widget.read_text() + "\nfrom tui.screens import help  # noqa\n")
    result = subprocess.run(
        [_tool("lint-imports")],
        capture_output=True,
        text=True,
        cwd=copy,
        timeout=300,
        env={"PYTHONPATH": str(copy), "PATH": str(Path(sys.executable).parent)},
    )
    assert result.returncode != 0
    assert "Widgets never import screens BROKEN" in result.stdout


def test_types_check() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy"], capture_output=True, text=True, cwd=ROOT, timeout=600
    )
    assert result.returncode == 0, result.stdout[-4000:]
