"""One start-up, in a fresh process, for tests/bench/run.py.

    python tests/bench/startup_probe.py bare|reader HOME

Starts a bare Textual app showing one Static, or the reader on HOME, headless
at 160x50, and exits after the first painted screen, or for the reader after
its first article is shown and five key presses. Prints JSON: seconds from
the start of this script to the first paint and to the first article, and
peak memory.
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()

import json  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def main() -> None:
    mode, home = sys.argv[1], Path(sys.argv[2])
    figures = {"paint": 0.0, "article": 0.0}
    if mode == "bare":
        from textual.app import App
        from textual.widgets import Static

        class Bare(App[None]):
            def compose(self):
                yield Static("treaty-tui")

        app = Bare()

        async def auto(pilot) -> None:
            await pilot.pause()
            figures["paint"] = time.perf_counter() - STARTED
            app.exit()

    else:
        from tui.app import TreatyApp
        from tui.screens.reader import ReaderScreen

        app = TreatyApp(home)

        async def auto(pilot) -> None:
            await pilot.pause()
            figures["paint"] = time.perf_counter() - STARTED
            while not (isinstance(app.screen, ReaderScreen) and app.screen.opened):
                await pilot.pause(0.005)
            await pilot.pause()
            figures["article"] = time.perf_counter() - STARTED
            for _ in range(5):
                await pilot.press("j")
            app.exit()

    app.run(headless=True, size=(160, 50), auto_pilot=auto)
    figures["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
