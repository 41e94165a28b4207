"""Scale benchmarks: every figure of the performance targets, as a table.

    python tests/bench/run.py [--sizes 100 1000 10000]

Builds synthetic libraries (tests/bench/library_gen.py) and measures, side by
side in one run: start-up to the first painted screen against a bare Textual
app, UI-thread time of reader actions, note writes, library search, importing
one article, and the reader's peak memory. Exits 1 when a figure misses its
target; --no-targets only prints (what CI runs: shared machines are noisy).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
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
from tests.bench.library_gen import generate, make_pool  # noqa: E402

PROBE = ROOT / "tests" / "bench" / "startup_probe.py"
STORE_PROBE = ROOT / "tests" / "bench" / "store_probe.py"
RUNS = 3  # start-ups and imports per figure (median); --runs changes it


def probe(mode: str, home: Path) -> dict:
    """Run the start-up probe in a fresh process; its figures plus the process wall time."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(PROBE), mode, str(home)],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
        env=probe_env(),
    )
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    figures["wall"] = time.perf_counter() - started  # with interpreter start and exit
    return figures


def probe_env() -> dict[str, str]:
    """As an installed program starts: compiled modules cached (a sandbox may turn that off)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PROBE_SPAWNED_AT"] = repr(time.time())
    return env


def startup(home: Path, runs: int) -> dict[str, float]:
    probe("bare", home), probe("reader", home)  # warm: disk cache and compiled modules
    bare, reader = [], []
    for _ in range(runs):  # alternated, so a noisy moment hits both alike
        bare.append(probe("bare", home))
        reader.append(probe("reader", home))
    return {
        "first paint, bare app (s)": statistics.median(r["paint"] for r in bare),
        "first paint, reader (s)": statistics.median(r["paint"] for r in reader),
        "first article shown (s)": statistics.median(r["article"] for r in reader),
        "reader peak memory (MB)": max(r["rss_mb"] for r in reader),
    }


def store_probe(*args: object) -> dict:
    """tests/bench/store_probe.py in a fresh process; its JSON."""
    done = subprocess.run(
        [sys.executable, str(STORE_PROBE), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=1200,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def imports(home: Path, empty: Path, sample: Path, pairs: int) -> dict[str, float]:
    """One article imported into HOME and into an empty library by turns."""
    times = store_probe("import", home, empty, pairs, sample)
    return {
        "import one article (s)": statistics.median(times["full"]),
        "import ratio (vs empty)": statistics.median(times["full"])
        / statistics.median(times["empty"]),
        "_empty": statistics.median(times["empty"]),
    }


async def reader_actions(home: Path) -> dict[str, float]:
    """UI-thread ms per action (median), and library search time, in the real app."""
    from textual.widgets import TabbedContent

    from tests.conftest import ready
    from tui.app import TreatyApp
    from tui.messages import ArticleOpened
    from tui.widgets.article_view import ArticleView
    from tui.widgets.side_panel import SidePanel

    app = TreatyApp(home)
    out: dict[str, list[float]] = {"open": [], "move": [], "follow": [], "tab": []}
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await ready(pilot)
        view = screen.query_one(ArticleView)
        panel = screen.query_one(SidePanel)
        infos = screen.snapshot.articles
        for info in infos[:: max(1, len(infos) // 15)][:15]:
            opened = await asyncio.to_thread(screen.data.open, info.id)
            t = time.perf_counter()
            screen.on_article_opened(ArticleOpened(opened, 0))
            out["open"].append(time.perf_counter() - t)
            await pilot.pause()
            for _ in range(5):
                t = time.perf_counter()
                view.go_to(view.cursor + 1)
                panel.show_sentence(screen.opened, screen.snapshot, view.cursor)
                out["move"].append(time.perf_counter() - t)
            linked = sorted(view.links_per_sentence)
            if linked:
                target = screen.opened.links_of(linked[0])[0]
                other = target.other(info.id, linked[0])
                followed = await asyncio.to_thread(screen.data.open, other[0])
                t = time.perf_counter()
                screen.on_article_opened(ArticleOpened(followed, other[1]))
                out["follow"].append(time.perf_counter() - t)
            tabs = panel.query_one(TabbedContent)
            for tab in ("entities-tab", "notes-tab", "claims-tab"):
                t = time.perf_counter()
                tabs.active = tab
                out["tab"].append(time.perf_counter() - t)
            await pilot.pause()
        search = await library_search(pilot, screen)
    figures = {f"{name} (ms, UI thread)": statistics.median(v) * 1000 for name, v in out.items()}
    figures.update(search)
    return figures


SEARCHES = ["said", "emergency fund", "minister*", '"border checks"', "police described"]


async def library_search(pilot, screen) -> dict[str, float]:
    """Median time to the first result and to the last, over a few typical searches.

    The first search of a session is timed too: it includes opening the index.
    """
    from textual.widgets import OptionList, Static

    screen.action_search_library()
    await pilot.pause()
    search = pilot.app.screen
    field = search.query_one("#search-input")
    firsts, totals = [], []
    for query in SEARCHES:
        field.value = query
        t = time.perf_counter()
        await field.action_submit()
        first = None
        while True:
            await asyncio.sleep(0.002)
            if first is None and search.query_one(OptionList).option_count:
                first = time.perf_counter() - t
            status = str(search.query_one("#search-status", Static).render())
            if status[:1].isdigit() or status.startswith("Best"):
                break
        totals.append(time.perf_counter() - t)
        firsts.append(first or totals[-1])
    await pilot.press("escape")
    return {
        "search: first result (ms)": statistics.median(firsts) * 1000,
        "search: all (ms)": statistics.median(totals) * 1000,
    }


TARGETS = {
    "start-up ratio": lambda size: 2.0 if size >= 10_000 else 1.5,
    "article shown ratio": lambda size: 2.0,
    "open (ms, UI thread)": lambda size: 16.0,
    "move (ms, UI thread)": lambda size: 16.0,
    "follow (ms, UI thread)": lambda size: 16.0,
    "tab (ms, UI thread)": lambda size: 16.0,
    "search: all (ms)": lambda size: 200.0,
    "reader peak memory (MB)": lambda size: 300.0,
    "note write ratio (vs smallest)": lambda size: 1.5,
    "note write ratio (archive vs 100)": lambda size: 2.0,
    "import ratio (vs empty)": lambda size: 1.5,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10_000])
    parser.add_argument("--no-targets", action="store_true", help="print figures, never fail")
    parser.add_argument("--runs", type=int, default=RUNS, help=f"repeats per figure ({RUNS})")
    parser.add_argument(
        "--archive", type=int, default=100_000, help="notes in the archive figures (100,000)"
    )
    args = parser.parse_args()
    runs = max(1, args.runs)

    pool = make_pool()
    sample = pool[0][0].text
    table: dict[int, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        empty = Path(scratch) / "empty"
        Library.open(empty)
        sample = Path(scratch) / "sample.txt"
        sample.write_text(pool[0][0].text)
        for size in args.sizes:
            home = Path(scratch) / f"lib{size}"
            counts = generate(home, size, pool)
            os.sync()  # let the generator's writes reach the disk before anything is timed
            row: dict[str, float] = {"links": counts["links"]}
            row.update(startup(home, runs))
            row["start-up ratio"] = (
                row["first paint, reader (s)"] / row["first paint, bare app (s)"]
            )
            row["article shown ratio"] = (  # what the user waits for: the article on screen
                row["first article shown (s)"] / row["first paint, bare app (s)"]
            )
            row.update(asyncio.run(reader_actions(home)))
            row["note write (ms)"] = statistics.median(
                store_probe("notes", home)["note_ms"] for _ in range(runs)
            )
            row.update(imports(home, empty, sample, 3 * max(runs, 3)))
            table[size] = row
    notes_archive(table, Path(tempfile.gettempdir()), args.sizes[0], pool, args.archive)
    smallest = table[min(table)]["note write (ms)"]
    for row in table.values():
        row["note write ratio (vs smallest)"] = row["note write (ms)"] / smallest
    empty_import = statistics.median(row.pop("_empty") for row in table.values())
    return report(table, empty_import, args.no_targets)


def notes_archive(
    table: dict[int, dict[str, float]], scratch: Path, size: int, pool, count: int
) -> None:
    """Note writes and reads with 100 notes and with `count` (an annotation archive).

    Added to every row of the table (the library size does not change them).
    """
    with tempfile.TemporaryDirectory(dir=scratch) as folder:
        small, large = Path(folder) / "small", Path(folder) / "large"
        generate(small, size, pool)
        shutil.copytree(small, large)
        few, many = store_probe("archive", small, 100), store_probe("archive", large, count)
    figures = {
        "note write, 100 notes (ms)": few["note_ms"],
        f"note write, {count:,} notes (ms)": many["note_ms"],
        "note write ratio (archive vs 100)": many["note_ms"] / few["note_ms"],
        f"one article's notes, {count:,} (ms)": many["article_notes_ms"],
        f"list every note, {count:,} (s)": many["list_s"],
    }
    for row in table.values():
        row.update(figures)


def report(table: dict[int, dict[str, float]], empty_import: float, no_targets: bool) -> int:
    sizes = sorted(table)
    names = list(table[sizes[0]])
    print(f"import one article into an empty library: {empty_import:.2f} s")
    print(f"{'figure':<34}" + "".join(f"{size:>12,}" for size in sizes) + "   target")
    missed = []
    for name in names:
        cells = ""
        for size in sizes:
            value = table[size][name]
            target = TARGETS.get(name)
            mark = " "
            if target and value > target(size):
                mark = "!"
                missed.append(f"{name} at {size}")
            cells += f"{value:>11.2f}{mark}"
        limit = TARGETS.get(name)
        print(f"{name:<34}{cells}   {'<= ' + str(limit(sizes[-1])) if limit else ''}")
    if missed:
        print("missed: " + "; ".join(missed))
    return 0 if no_targets or not missed else 1


if __name__ == "__main__":
    raise SystemExit(main())
