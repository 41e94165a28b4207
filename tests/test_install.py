"""A non-editable install into a fresh virtualenv finds the bundled seeds."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from tests.conftest import ROOT


@pytest.mark.slow
def test_installed_package_finds_its_seeds(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    # Dependencies come from the running interpreter's own site-packages (a venv's too:
    # --system-site-packages would reach past it to the base interpreter), through a .pth
    # file; the package itself is built and installed (not editable) into the fresh venv.
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    venv_site = subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-c",
            "import sysconfig; print(sysconfig.get_path('purelib'))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    here = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    (Path(venv_site) / "_outer_site.pth").write_text("\n".join(sorted(here)) + "\n")
    pip = venv / "bin" / "pip"
    build = subprocess.run(
        [str(pip), "install", "--no-deps", "--no-build-isolation", "--quiet", str(ROOT)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert build.returncode == 0, build.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    seeded = subprocess.run(
        [str(venv / "bin" / "treaty-tui"), "--data-dir", str(tmp_path / "lib"), "seed"],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        timeout=300,
    )
    assert seeded.returncode == 0, seeded.stderr
    listing = subprocess.run(
        [str(venv / "bin" / "treaty-tui"), "--data-dir", str(tmp_path / "lib"), "list"],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        timeout=300,
    )
    assert listing.returncode == 0, listing.stderr
    assert "2 articles" in listing.stdout
    assert "Russia and North Korea ink" in listing.stdout
    where = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import seeds; print(seeds.__file__)"],
        capture_output=True,
        text=True,
        cwd=elsewhere,
    )
    assert str(venv) in where.stdout
