"""The scale benchmark's reduced form (100 and 1,000 articles), as CI runs it.

It prints every figure and fails only when the benchmark itself breaks:
timings on shared machines are too noisy to be pass/fail here. The full run
with targets is `python tests/bench/run.py` (see the README).
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.bench.bench_inputs import INPUTS
from tests.bench.run import TARGETS
from tests.conftest import ROOT


def bench(script: str, *args: str, timeout: int = 1200) -> str:
    """What a benchmark script prints, run as CI runs it; fails when the script fails."""
    done = subprocess.run(
        [sys.executable, f"tests/bench/{script}", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    print(done.stdout)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_scale_benchmark_runs_and_prints_every_figure() -> None:
    table = bench(
        "run.py", "--sizes", "100", "1000", "--no-targets", "--runs", "1", "--archive", "10000"
    ).splitlines()
    for figure in TARGETS:
        row = next((line for line in table if line.startswith(figure)), None)
        assert row is not None, f"{figure} missing from the table"
        cells = row[len(figure) :].split()[:2]  # one per size; the target follows
        assert all(c.rstrip("!").replace(".", "").isdigit() for c in cells), row


def test_pathological_inputs_import_or_are_refused_with_a_reason() -> None:
    """The input benchmark at a small size: every input imports, or is refused saying why."""
    out = bench("bench_inputs.py", "--size", "40000", "--no-targets", timeout=900)
    rows = out.splitlines()[1:]
    assert len(rows) == len(INPUTS)  # one row per input, each run to its end
    for row in rows:
        result = row.split("  ")[-1].strip()
        assert result == "imported" or (result.startswith("refused: ") and len(result) > 20), row


def test_story_benchmark_runs_on_a_small_real_story() -> None:
    """What the reader waits for, on the real taiwan reports grown to 12: every key's
    median and p95 in a real terminal, start-up beside a bare app, adding one report."""
    if not (ROOT.parent / "shared" / "eval" / "taiwan-quake-2024").is_dir():
        pytest.skip("the shared taiwan-quake-2024 reports are not on this machine")
    out = bench("bench_story.py", "--reports", "12", "--runs", "1")
    assert "story: 12 reports" in out and "adding one report (median of" in out
    assert "the whole `treaty-tui add` command, as its user waits for it" in out
    assert "first article shown / a bare Textual app's first paint:" in out
    assert "in a terminal, start until settled, reader / bare app:" in out
    keys = ("bare app: a key", "j (next sentence)", "tab (next pane)", "enter (follow a link)")
    for key in (*keys, "C (coverage)", "S (story overview)"):
        row = next(line for line in out.splitlines() if line.startswith(key))
        assert row.split()[-2].endswith("ms") and row.split()[-1].endswith("ms"), row
