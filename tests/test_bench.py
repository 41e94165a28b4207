"""The scale benchmark's reduced form (100 and 1,000 articles), as CI runs it.

It prints every figure and fails only when the benchmark itself breaks:
timings on shared machines are too noisy to be pass/fail here. The full run
with targets is `python tests/bench/run.py` (see the README).
"""

from __future__ import annotations

import subprocess
import sys

from tests.bench.run import TARGETS
from tests.conftest import ROOT


def test_scale_benchmark_runs_and_prints_every_figure() -> None:
    done = subprocess.run(
        [sys.executable, "tests/bench/run.py", "--sizes", "100", "1000", "--no-targets"]
        + ["--runs", "1", "--archive", "10000"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    print(done.stdout)
    assert done.returncode == 0, done.stderr[-3000:]
    table = done.stdout.splitlines()
    for figure in TARGETS:
        row = next((line for line in table if line.startswith(figure)), None)
        assert row is not None, f"{figure} missing from the table"
        cells = row[len(figure) :].split()[:2]  # one per size; the target follows
        assert all(c.rstrip("!").replace(".", "").isdigit() for c in cells), row


def test_pathological_inputs_import_or_are_refused_with_a_reason() -> None:
    """The input benchmark at a small size: every input imports, or is refused saying why."""
    done = subprocess.run(
        [sys.executable, "tests/bench/bench_inputs.py", "--size", "40000", "--no-targets"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    print(done.stdout)
    assert done.returncode == 0, done.stderr[-3000:]
    rows = done.stdout.splitlines()[1:]
    assert len(rows) == 5
    for row in rows:
        result = row.split("  ")[-1].strip()
        assert result == "imported" or (result.startswith("refused: ") and len(result) > 20), row
