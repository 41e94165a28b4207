"""Progress of long commands (imports, refreshes, index rebuilds) on stderr.

On a terminal: a rich progress bar with counts and the time left, drawn below
the lines the command prints. Otherwise (a pipe, a log, CI): once a task has
run for PLAIN_AFTER seconds, a plain line at every tenth of the way, so a
script sees that long work goes on, and short work stays quiet.
"""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.progress import TaskID

STEPS = 10  # plain lines per task when stderr is not a terminal
PLAIN_AFTER = 2.0  # seconds of work before plain lines start


class Progress:
    """`with Progress() as bar: bar(description, done, total)`."""

    def __init__(self, unit: str = "") -> None:
        self.unit = unit
        self.live: Any = None  # a rich Progress while drawn on a terminal
        self.task: TaskID | None = None
        self.said: dict[str, int] = {}
        self.began: dict[str, float] = {}  # when each task was first heard of

    def __enter__(self) -> Progress:
        if sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                TextColumn,
                TimeRemainingColumn,
            )
            from rich.progress import Progress as Bar

            self.live = Bar(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn(self.unit),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self.live.start()
        return self

    def __call__(self, description: str, done: int, total: int) -> None:
        if self.live is not None:
            if self.task is None:
                self.task = self.live.add_task(description, total=total)
            self.live.update(self.task, description=description, completed=done, total=total)
            return
        step = done * STEPS // max(total, 1)
        began = self.began.setdefault(description, time.monotonic())
        if time.monotonic() - began < PLAIN_AFTER:
            return
        if self.said.get(description, -1) < step:
            self.said[description] = step
            print(f"{description}: {done:,} of {total:,} {self.unit}".rstrip(), file=sys.stderr)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self.live is not None:
            self.live.stop()
