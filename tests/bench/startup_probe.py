"""One start-up, in a fresh process, for tests/bench/run.py.

    python tests/bench/startup_probe.py bare|reader HOME

Starts a bare Textual app showing one Static, or the reader on HOME, headless
at 160x50, and exits after the first painted screen, or for the reader after
its first article is shown and five key presses. "Painted" is the first frame
the app hands to its display with the app's own screen on it (Textual's
App._display, called the same way headless or not); the article is shown by
the first frame after the reader has opened it (the frames after it only
show scrollbars). Prints JSON: seconds from the start of the process
(PROBE_SPAWNED_AT, the wall-clock time its parent started it; else the start
of this script) to the first paint and to the first article, and peak memory.
"""

from __future__ import annotations

import time

STARTED = time.time()

import json  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

STARTED = float(os.environ.get("PROBE_SPAWNED_AT", STARTED))


def elapsed() -> float:
    return time.time() - STARTED


sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def first_frame(wanted: type, figures: dict[str, float]) -> None:
    """Note the time of the first frame that shows a screen of type `wanted`, and of the
    first that shows it with an article opened (the reader's `opened`)."""
    from textual.app import App

    display = App._display

    def timed(app, screen, renderable) -> None:
        if renderable is not None and isinstance(screen, wanted):
            if not figures["paint"]:
                figures["paint"] = elapsed()
            if not figures["article"] and getattr(screen, "opened", None) is not None:
                figures["article"] = elapsed()
        display(app, screen, renderable)

    App._display = timed


def peak_memory_mb() -> float:
    """This process's peak resident memory.

    VmHWM belongs to the process image, so it starts afresh at exec; the
    rusage maximum would carry over the peak of the parent it was forked from.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    mode, home = sys.argv[1], Path(sys.argv[2])
    figures = {"paint": 0.0, "article": 0.0}
    if mode == "bare":
        from textual.screen import Screen

        from tests.bench.bare_app import BareApp

        first_frame(Screen, figures)
        app = BareApp()

        async def auto(pilot) -> None:
            await pilot.pause()
            app.exit()

    else:
        from tui.app import TreatyApp
        from tui.screens.reader import ReaderScreen

        first_frame(ReaderScreen, figures)
        app = TreatyApp(home)

        async def auto(pilot) -> None:
            while not figures["article"]:
                await pilot.pause(0.005)
            for _ in range(5):
                await pilot.press("j")
            app.exit()

    app.run(headless=True, size=(160, 50), auto_pilot=auto)
    figures["rss_mb"] = peak_memory_mb()
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
