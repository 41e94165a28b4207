"""TreatyApp: the reader. The library is opened in worker threads, so the first
screen paints before the store (TinyDB) is even imported, and spaCy never is."""

from __future__ import annotations

import os
import time
from pathlib import Path

from textual import events, work
from textual.app import App, ScreenStackError, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from tui.client import ReaderData
from tui.config import Config
from tui.heap import HOLD_LIMIT, HeapTidier
from tui.palette import ScreenActions, StoryCommands

KEY_NAMES = {
    "question_mark": "?",
    "slash": "/",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "left_curly_bracket": "{",
    "right_curly_bracket": "}",
    "escape": "esc",
    "pageup": "pgup",
    "pagedown": "pgdn",
}


IDLE = 0.5  # seconds without a key or click after which the heap is tidied


def key_name(key: str) -> str:
    """A key as plain ASCII text (no arrows or other ambiguous-width symbols)."""
    return "+".join(KEY_NAMES.get(part, part) for part in key.split("+"))


class TreatyApp(App[None]):
    TITLE = "treaty-tui"
    COMMANDS = App.COMMANDS | {ScreenActions, StoryCommands}
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("question_mark,f1", "help", "Help", id="app.help"),
    ]

    def __init__(self, home: Path, config_folder: Path | None = None) -> None:
        super().__init__()
        self.data = ReaderData(home)
        self.heap = HeapTidier()
        self.input_at = time.monotonic()  # the last key or click
        self.tidied = False  # since that input
        self.config_folder = config_folder
        self.config = Config.load(config_folder)
        self.error: str | None = None
        theme = os.environ.get("TEXTUAL_THEME") or self.config.theme
        if theme and theme in self.available_themes:
            self.theme = theme
        if theme and theme not in self.available_themes and self.config.path:
            self.config.problems.append(
                f"{self.config.path}: theme {theme!r} is not a theme (ctrl+p lists them)"
            )
        if self.config.keymap:
            self.set_keymap(self.config.keymap)

    def on_load(self) -> None:
        # Running, not merely made: until the first tidy (tui/heap.py).
        self.heap.hold()

    def on_mount(self) -> None:
        from tui.screens.reader import ReaderScreen

        self.push_screen(ReaderScreen(self.data))
        self.set_interval(IDLE / 2, self._tidy_heap)
        self.set_timer(HOLD_LIMIT, self.heap.let_go)
        if self.config.keymap:
            self.call_after_refresh(self.check_keymap)  # after the first frame
        else:
            self._say_problems()

    def on_unmount(self) -> None:
        self.heap.release()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown)):
            self.input_at, self.tidied = time.monotonic(), False
        await super().on_event(event)

    def _tidy_heap(self) -> None:
        """Tidy the heap (tui/heap.py) once the reader, showing an article, has waited
        IDLE seconds for a key with nothing left to read."""
        from textual.worker import WorkerState

        from tui.screens.reader import ReaderScreen

        try:
            screen = self.screen
        except ScreenStackError:  # the app is closing: its timers may still tick once
            return
        if (
            self.tidied
            or time.monotonic() - self.input_at < IDLE
            or not (isinstance(screen, ReaderScreen) and screen.opened)
            or any(w.state == WorkerState.RUNNING for w in self.workers)
        ):
            return
        self.heap.tidy()
        self.tidied = True

    @work(thread=True)
    def check_keymap(self) -> None:
        """Overrides of binding ids that no screen has are reported, never silently kept."""
        from tui.config import known_binding_ids

        self.config.check_keymap(known_binding_ids())
        self.call_from_thread(self._say_problems)

    def _say_problems(self) -> None:
        for problem in self.config.problems:
            self.notify(problem, severity="warning", timeout=10)

    def watch_theme(self, theme: str) -> None:
        if self.is_running and theme != self.config.theme:
            self.config.theme = theme
            self.config.save_theme(theme, self.config_folder)

    def get_key_display(self, binding: Binding) -> str:
        return binding.key_display or key_name(binding.key)

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def get_system_commands(self, screen: Screen):
        yield from super().get_system_commands(screen)
        yield SystemCommand("Help", "Show every key of this screen", self.action_help)

    def fail(self, message: str) -> None:
        """Leave with a one-line error (a damaged store, say) for the command line to print."""
        self.error = message
        from tui.logs import log

        log.error("reader stopped: %s", message)
        self.exit(return_code=1)
