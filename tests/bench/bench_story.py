"""What a reader waits for on a large, densely linked story, from the key press until the
screen has settled.

    python tests/bench/bench_story.py [--reports 44] [--runs 7] [--story-dir DIR]

The story is built from the real reports of ../shared/eval/taiwan-quake-2024/
(skipped with a reason when absent), copied until it holds N reports; each
copy ends with one sentence of its own, so every copy is a distinct article
(as republished wire copy is). It is imported through the real pipeline
(spaCy and all), which is timed too, and then one more report is added to it
and, side by side, to an empty library. Start-up (first frame, first article
shown, peak memory) is measured in fresh processes beside a bare Textual app,
as tests/bench/run.py measures it.

In the real app (Pilot, 200x60) each key is pressed `runs` times and timed
until the screen has settled: the key's work is done (its screen is up and
filled, its worker finished) and a refresh has been painted. A key with no
binding is timed the same way as the floor (the cost of the measurement).
Prints median and 95th percentile in ms per key, and the ratios to the floor.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from store.library import Library  # noqa: E402

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


async def settle_time(pilot, key: str, done: Callable[[], bool]) -> float:
    """Seconds from pressing `key` until `done()` holds, workers are finished and the
    screen has painted once more."""
    app = pilot.app
    start = time.perf_counter()
    await pilot.press(key)
    for _ in range(20000):
        if done() and all(w.is_finished for w in app.workers):
            break
        await asyncio.sleep(0.001)
    else:
        raise SystemExit(f"{key}: the screen never settled")
    await pilot.pause()  # one more refresh: what is now due gets painted
    return time.perf_counter() - start


async def keys(home: Path, runs: int) -> dict[str, list[float]]:
    from tests.conftest import ready
    from tui.app import TreatyApp
    from tui.messages import Place
    from tui.screens.compare import CompareScreen
    from tui.screens.coverage import CoverageScreen
    from tui.screens.overview import StoryOverviewScreen
    from tui.screens.reader import ReaderScreen
    from tui.widgets.article_view import ArticleView

    out: dict[str, list[float]] = {}
    app = TreatyApp(home)
    async with app.run_test(size=(200, 60)) as pilot:
        reader = await ready(pilot)
        view = reader.query_one(ArticleView)

        async def measure(name: str, key: str, done: Callable[[], bool]) -> None:
            out.setdefault(name, []).append(await settle_time(pilot, key, done))

        def on_reader() -> bool:
            return isinstance(app.screen, ReaderScreen)

        for _ in range(runs):
            await measure("floor (unbound key)", "f12", lambda: True)
            at = view.cursor
            await measure("j (next sentence)", "j", lambda at=at: view.cursor != at)
            at = view.cursor
            await measure(
                "] (next linked)", "right_square_bracket", lambda at=at: view.cursor != at
            )
            focused = app.focused
            await measure("tab (next pane)", "tab", lambda f=focused: app.focused is not f)
            view.focus()
            await pilot.pause()
            here = reader.here()
            links = reader.opened.links_of(view.cursor) if reader.opened else []
            if links:
                there = links[0].other(reader.opened.article.id, view.cursor)
                await measure(
                    "enter (follow a link)",
                    "enter",
                    lambda t=there: reader.here() == Place(*t),
                )
                await measure("H (back)", "H", lambda h=here: reader.here() == h)
            await measure(
                "c (compare)",
                "c",
                lambda: isinstance(app.screen, CompareScreen) and app.screen.shown is not None,
            )
            await measure("escape (to reader)", "escape", on_reader)
            await measure(
                "C (coverage)",
                "C",
                lambda: isinstance(app.screen, CoverageScreen) and bool(app.screen.claims),
            )
            await pilot.press("escape")
            await measure(
                "S (story overview)",
                "S",
                lambda: isinstance(app.screen, StoryOverviewScreen) and bool(app.screen.shown),
            )
            await pilot.press("escape")
            await pilot.pause()
            await pilot.press("g")
    return out


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
        shutil.copytree(home, base / "grown")
        into_story = timed_import(base / "grown", [extra], "Taiwan quake")
        into_empty = timed_import(base / "empty", [extra], "Taiwan quake")
        print(
            f"adding one report: {into_story:.2f} s into the {args.reports}-report story, "
            f"{into_empty:.2f} s into an empty library (ratio {into_story / into_empty:.2f})"
        )
        opening, figures = reader_figures(home, args.runs)
        if args.keep:
            shutil.copytree(home, args.keep, dirs_exist_ok=True)
    return report(opening, figures)


def reader_figures(home: Path, runs: int) -> tuple[dict[str, float], dict[str, list[float]]]:
    from tests.bench.run import startup

    return startup(home, runs=3), asyncio.run(keys(home, runs))


def report(opening: dict[str, float], figures: dict[str, list[float]]) -> int:
    for name, value in opening.items():
        print(f"{name}: {value:.2f}")
    ratio = opening["first article shown (s)"] / opening["first paint, bare app (s)"]
    print(f"first article shown / a bare Textual app's first paint: {ratio:.2f}")
    floor = statistics.median(figures["floor (unbound key)"])
    print(f"{'key, until the screen has settled':<34} {'median':>9} {'p95':>9} {'/floor':>7}")
    for name, values in figures.items():
        median = statistics.median(values)
        high, ratio = p95(values) * 1000, median / floor
        print(f"{name:<34} {median * 1000:>7.0f}ms {high:>7.0f}ms {ratio:>7.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
