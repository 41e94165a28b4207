"""What a reader waits for on a large, densely linked story, from the key press until the
screen has settled.

    python tests/bench/bench_story.py [--reports 44] [--runs 7] [--story-dir DIR]

The story is built from the real reports of ../shared/eval/taiwan-quake-2024/
(skipped with a reason when absent), copied until it holds N reports; each
copy ends with one sentence of its own, so every copy is a distinct article
(as republished wire copy is). It is imported through the real pipeline
(spaCy and all), which is timed too, and then one more report is added to it
and, side by side, to an empty library: in this process (spaCy loaded), and by
the whole `treaty-tui add` command, as its user waits for it. Start-up (first
frame, first article shown, peak memory) is measured in fresh processes beside
a bare Textual app, as tests/bench/run.py measures it.

The reader runs as its user runs it: the real program in a real (pseudo)
terminal of 200x60, beside a bare Textual app in another (tests/bench/
terminal.py). Each key is written `runs` times as a keyboard writes it and
timed until the program has stopped writing to the terminal: the screen has
settled, with every frame a worker's result brought. Prints median and 95th
percentile in ms per key; a bare app's key is the first row.
"""

from __future__ import annotations

import argparse
import gc
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from store.library import Library  # noqa: E402
from tests.bench.terminal import Terminal  # noqa: E402

STORY = ROOT.parent / "shared" / "eval" / "taiwan-quake-2024"


def grow(source: Path, target: Path, reports: int) -> list[Path]:
    """`reports` files: the story's reports, then copies of them, each copy made distinct."""
    originals = sorted(source.glob("[0-9]*.txt"))
    target.mkdir(parents=True)
    made = []
    for n in range(reports):
        original = originals[n % len(originals)]
        text = original.read_text(encoding="utf-8")
        if n >= len(originals):
            text = text.rstrip("\n") + f"\n\nThis report was republished by outlet {n}.\n"
        path = target / f"{n:03d}_{original.stem}.txt"
        path.write_text(text, encoding="utf-8")
        made.append(path)
    return made


def timed_import(home: Path, paths: list[Path], story: str | None) -> float:
    start = time.perf_counter()
    outcomes = list(Library.open(home).add([str(p) for p in paths], story=story))
    failed = [o for o in outcomes if o.status == "failed"]
    if failed:
        raise SystemExit(f"import failed: {failed[0].name}: {failed[0].reason}")
    return time.perf_counter() - start


def timed_command(home: Path, path: Path, story: str) -> float:
    """`treaty-tui add` as its user runs it (the reader runs it so too): a process of
    its own, which loads spaCy before it adds."""
    from tests.bench.run import probe_env

    command = [sys.executable, "-m", "tui.cli", "--data-dir", str(home), "add"]
    start = time.perf_counter()
    subprocess.run(
        [*command, "--quiet", "--story", story, str(path)],
        check=True,
        cwd=ROOT,
        env=probe_env(),
        stdout=subprocess.DEVNULL,
        timeout=600,
    )
    return time.perf_counter() - start


# (name, key, quiet): the seconds of silence that mean the screen has settled,
# longer where a worker reads the story before the screen is filled. A name of
# None: pressed, not timed (the way back from a screen is timed once).
PRESSES: list[tuple[str | None, str, float]] = [
    ("j (next sentence)", "j", 0.3),
    ("] (next linked)", "]", 0.3),
    ("tab (next pane)", "tab", 0.3),
    ("shift+tab (previous pane)", "shift+tab", 0.3),
    ("enter (follow a link)", "enter", 0.5),
    ("H (back)", "H", 0.5),
    ("c (compare)", "c", 1.0),
    ("escape (to reader)", "escape", 0.5),
    ("C (coverage)", "C", 1.0),
    (None, "escape", 0.5),
    ("S (story overview)", "S", 1.0),
    (None, "escape", 0.5),
    ("g (top)", "g", 0.3),
]
SIZE = (200, 60)
ADD_RUNS = 5  # one report added this many times, into the story and into an empty library
COMMAND_RUNS = 3  # the same by the whole command (each loads spaCy: 2 s)


def keys(home: Path, runs: int) -> tuple[dict[str, float], dict[str, list[float]]]:
    """Start-up and every key in a real terminal, beside a bare Textual app in one run."""
    from tests.bench.run import probe_env  # compiled modules cached, as when installed

    env = {**probe_env(), "TREATY_TUI_HOME": str(home), "TEXTUAL_ANIMATIONS": "none"}
    programs = {
        "bare app": [sys.executable, str(ROOT / "tests" / "bench" / "bare_app.py")],
        "reader": [sys.executable, "-m", "tui.cli"],
    }
    starts: dict[str, list[float]] = {}
    for _ in range(3):  # one program at a time, alternated
        for name, argv in programs.items():
            terminal = Terminal(argv, env, SIZE)
            starts.setdefault(name, []).append(terminal.start().seconds)
            terminal.close()
    opening = {
        f"in a terminal, {name}: start until settled (s)": statistics.median(seconds)
        for name, seconds in starts.items()
    }
    bare = Terminal(programs["bare app"], env, SIZE)
    bare.start()
    reader = Terminal(programs["reader"], env, SIZE)
    reader.start()
    out: dict[str, list[float]] = {}
    try:
        for _ in range(runs):
            out.setdefault("bare app: a key", []).append(bare.press("j").seconds)
            for name, key, quiet in PRESSES:
                answer = reader.press(key, quiet)
                if not answer.written:
                    raise SystemExit(f"{name or key}: the screen did not change")
                if name:
                    out.setdefault(name, []).append(answer.seconds)
    finally:
        bare.close()
        reader.close()
    return opening, out


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reports", type=int, default=44)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--story-dir", type=Path, default=STORY)
    parser.add_argument("--keep", type=Path, help="copy the built library here, to look at it")
    parser.add_argument(
        "--library", type=Path, help="time the reader on this library, built before"
    )
    args = parser.parse_args()
    if args.library:
        return report(*reader_figures(args.library, args.runs))
    if not args.story_dir.is_dir():
        print(f"skipped: {args.story_dir} is not present on this machine")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        paths = grow(args.story_dir, base / "reports", args.reports + 1)
        extra = paths.pop()
        home = base / "library"
        seconds = timed_import(home, paths, "Taiwan quake")
        lib = Library.open(home)
        [story] = lib.stories()
        links = len(lib.links(story.id))
        print(
            f"story: {args.reports} reports, {sum(a.sentences for a in lib.articles())} "
            f"sentences, {links:,} links; imported in {seconds:.1f} s"
        )
        del lib  # its 85,000 links read above: an `add` runs in a process of its own
        gc.collect()
        into_story, into_empty = [], []
        for n in range(ADD_RUNS):  # alternated, each into a fresh copy
            shutil.copytree(home, base / f"grown{n}")
            into_story.append(timed_import(base / f"grown{n}", [extra], "Taiwan quake"))
            into_empty.append(timed_import(base / f"empty{n}", [extra], "Taiwan quake"))
        story_s, empty_s = statistics.median(into_story), statistics.median(into_empty)
        print(
            f"adding one report (median of {ADD_RUNS}): {story_s:.2f} s into the "
            f"{args.reports}-report story, {empty_s:.2f} s into an empty library "
            f"(ratio {story_s / empty_s:.2f})"
        )
        by_command: dict[str, list[float]] = {"story": [], "empty": []}
        for n in range(COMMAND_RUNS):
            shutil.copytree(home, base / f"command{n}")
            by_command["story"].append(timed_command(base / f"command{n}", extra, "Taiwan quake"))
            by_command["empty"].append(timed_command(base / f"bare{n}", extra, "Taiwan quake"))
        story_s, empty_s = (statistics.median(by_command[k]) for k in ("story", "empty"))
        print(
            f"the whole `treaty-tui add` command, as its user waits for it (median of "
            f"{COMMAND_RUNS}): {story_s:.2f} s into the story, {empty_s:.2f} s into an empty "
            f"library (ratio {story_s / empty_s:.2f})"
        )
        opening, figures = reader_figures(home, args.runs)
        if args.keep:
            shutil.copytree(home, args.keep, dirs_exist_ok=True)
    return report(opening, figures)


def reader_figures(home: Path, runs: int) -> tuple[dict[str, float], dict[str, list[float]]]:
    from tests.bench.run import startup

    opening, figures = keys(home, runs)
    return {**startup(home, runs=3), **opening}, figures


def report(opening: dict[str, float], figures: dict[str, list[float]]) -> int:
    for name, value in opening.items():
        print(f"{name}: {value:.2f}")
    ratio = opening["first article shown (s)"] / opening["first paint, bare app (s)"]
    print(f"first article shown / a bare Textual app's first paint: {ratio:.2f}")
    settled = opening["in a terminal, reader: start until settled (s)"]
    ratio = settled / opening["in a terminal, bare app: start until settled (s)"]
    print(f"in a terminal, start until settled, reader / bare app: {ratio:.2f}")
    print(f"{'key, until the terminal is quiet':<34} {'median':>9} {'p95':>9}")
    for name, values in figures.items():
        median, high = statistics.median(values) * 1000, p95(values) * 1000
        print(f"{name:<34} {median:>7.0f}ms {high:>7.0f}ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
