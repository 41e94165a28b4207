"""Pathological inputs: each imports within 2x bare spaCy's time and 1 GB, or is refused.

    python tests/bench/bench_inputs.py [--size 5000000] [--only NAME ...] [--no-targets]

Each input is written to a temp folder and imported by `treaty-tui add` in a
fresh process (its wall time and peak memory read from wait4); beside it, a
fresh process loads the same spaCy pipeline and runs bare `nlp.pipe` over the
same text, cut at line breaks as the importer cuts it. An input the importer
refuses must say why in one line. Prints one row per input and exits 1 when
an accepted input misses a target (unless --no-targets).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TIME_TARGET = 2.0
MEMORY_TARGET_MB = 1024

PROSE = (
    "The council voted seven to two on Tuesday to fund a new bridge over the river, "
    "officials said. Work is to start in the spring and last two years, the mayor told "
    "reporters at the town hall. Residents had asked for the crossing since the old ferry "
    "stopped running in 2019.\n\n"
)

BARE_SPACY = """
import sys
from store.analysis.nlp import pipeline
text = open(sys.argv[1], encoding="utf-8", errors="replace").read()
pieces = [p for p in text.splitlines() if p.strip()]
nlp = pipeline()
for _ in nlp.pipe(pieces, batch_size=64):
    pass
"""


def ok_lines(size: int) -> bytes:
    return b"Ok.\n" * (size // 4)


def short_lines(size: int) -> bytes:
    out = bytearray(b"Short lines\n\n")
    i = 0
    while len(out) < size:
        out += f"Line {i} is here.\n".encode()
        i += 1
    return bytes(out)


def links_page(size: int) -> bytes:
    head = b"<html><head><title>Links</title></head><body><p>A page of links.</p><ul>"
    tail = b"</ul></body></html>"
    item = '<li><a href="/a/{0:07d}">item {0:07d}</a></li>'
    count = max(1, (size - len(head) - len(tail)) // len(item.format(0)))
    return head + "".join(item.format(i) for i in range(count)).encode() + tail


def prose(size: int) -> bytes:
    text = ("Bridge vote\n\n" + PROSE * (size // len(PROSE) + 1))[:size]
    return text.encode()


def one_line(size: int) -> bytes:
    words = PROSE.replace("\n", " ").encode()
    return b"One line\n\n" + (words * (size // len(words) + 1))[:size]


def number_words(size: int) -> bytes:
    """Prose of number words only ("one two three ..."): each could start a figure."""
    words = b"one two three four five six seven eight nine ten hundred thousand and "
    return b"Counting\n\n" + (words * (size // len(words) + 1))[:size]


INPUTS: dict[str, tuple[str, Callable[[int], bytes]]] = {
    "ok-lines": (".txt", ok_lines),
    "short-lines": (".txt", short_lines),
    "links-page": (".html", links_page),
    "prose": (".txt", prose),
    "one-line": (".txt", one_line),
    "number-words": (".txt", number_words),
}


def measured(cmd: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """(wall seconds, peak memory MB, stdout+stderr) of one process."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    out = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
    proc.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_maxrss / 1024, out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=5 * 1024 * 1024, help="bytes per input")
    parser.add_argument("--only", nargs="*", choices=sorted(INPUTS), help="inputs to run")
    parser.add_argument("--no-targets", action="store_true", help="print only, never fail")
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TREATY_TUI_MAX_BYTES": str(args.size + 64)}
    missed = []
    print(
        f"{'input':<12} {'bytes':>9} {'import s':>9} {'spaCy s':>8} {'ratio':>6} "
        f"{'MB':>6} {'spaCy MB':>8}  result"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.only or INPUTS:
            suffix, make = INPUTS[name]
            path = Path(tmp) / f"{name}{suffix}"
            path.write_bytes(make(args.size))
            home = Path(tmp) / f"lib-{name}"
            cmd = [sys.executable, "-m", "tui.cli", "--data-dir", str(home), "add", str(path)]
            wall, mb, out = measured(cmd, env)
            lines = [line for line in out.splitlines() if line.strip()]
            refused = [line for line in lines if line.startswith("failed")]
            if refused:  # no analysis ran: nothing to compare with spaCy
                reason = refused[0].split(": ", 1)[-1]
                print(
                    f"{name:<12} {path.stat().st_size:>9,} {wall:>9.1f} {'-':>8} {'-':>6} "
                    f"{mb:>6.0f} {'-':>8}  refused: {reason}",
                    flush=True,
                )
                continue
            bare_wall, bare_mb, _ = measured([sys.executable, "-c", BARE_SPACY, str(path)], env)
            ratio = wall / bare_wall
            result = "imported" if any("1 added" in line for line in lines) else out[-200:]
            if ratio > TIME_TARGET or mb > MEMORY_TARGET_MB or result != "imported":
                missed.append(name)
            print(
                f"{name:<12} {path.stat().st_size:>9,} {wall:>9.1f} {bare_wall:>8.1f} "
                f"{ratio:>6.2f} {mb:>6.0f} {bare_mb:>8.0f}  {result}",
                flush=True,
            )
    if missed and not args.no_targets:
        print(f"missed: {', '.join(missed)} (targets: {TIME_TARGET}x, {MEMORY_TARGET_MB} MB)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
