"""A program in a real pseudo-terminal, timed as its user sees it.

A key is written to the terminal as a keyboard would write it; the program's
answer is everything it writes back until it has been quiet for a while. The
time of the last byte it wrote is when the screen stopped changing: no
refresh pending, the new content painted. This includes what a headless
test cannot see: writing the frame to a terminal, and frames that follow a
worker's result.
"""

from __future__ import annotations

import fcntl
import os
import select
import struct
import subprocess
import termios
import time
from dataclasses import dataclass

KEYS = {"tab": b"\t", "shift+tab": b"\x1b[Z", "enter": b"\r", "escape": b"\x1b"}


@dataclass(frozen=True)
class Answer:
    """What the program wrote after one key: when it stopped, and how much."""

    seconds: float
    written: bytes


class Terminal:
    """One program on a terminal of a fixed size (the user's window)."""

    def __init__(self, argv: list[str], env: dict[str, str], size: tuple[int, int]) -> None:
        self.master, slave = os.openpty()
        columns, rows = size
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            argv,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            # COLUMNS and LINES win over the terminal's own size: a test runner sets them.
            env={**env, "TERM": "xterm-256color", "COLUMNS": str(columns), "LINES": str(rows)},
            start_new_session=True,
        )
        os.close(slave)

    def settle(self, quiet: float, since: float, first: float = 5.0) -> Answer:
        """Wait up to `first` seconds for an answer, then read until nothing comes for
        `quiet` seconds; the last byte's time after `since`."""
        written, last = bytearray(), since
        wait = first
        while select.select([self.master], [], [], wait)[0]:
            wait = quiet
            try:
                chunk = os.read(self.master, 1 << 16)
            except OSError:  # the program has gone: its terminal is closed
                break
            if not chunk:
                break
            written += chunk
            last = time.perf_counter()
        return Answer(last - since, bytes(written))

    def start(self, quiet: float = 2.0) -> Answer:
        """From starting the process until its first screen has settled."""
        return self.settle(quiet, self.started)

    def press(self, key: str, quiet: float = 0.5) -> Answer:
        sent = time.perf_counter()
        os.write(self.master, KEYS.get(key, key.encode()))
        return self.settle(quiet, sent)

    def close(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self.master)
