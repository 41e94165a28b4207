"""The reader's source actions: import a file or URL, refresh the feeds followed, open the
article's source address.

Imports and refreshes run `treaty-tui add` / `treaty-tui refresh` as a child process
(spaCy loads there, never in the reader); their lines show under the article as they
come, and the library is read again when they end. The source address opens in a
desktop browser where one can be started; over SSH it is shown as a link the terminal
can open (OSC 8) and `y` copies it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable

from rich.style import Style
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from store.plain import visible_line
from tui.client import Opened, ReaderData
from tui.messages import ChildDone, ChildOutput
from tui.screens.picker import Picker


def desktop_opener() -> list[str] | None:
    """A command that opens an address in a desktop browser, or None (over SSH, or no
    desktop): never a console browser, which would take over the reader's terminal."""
    if os.environ.get("SSH_CONNECTION") or os.environ.get("SSH_TTY"):
        return None
    if sys.platform == "darwin":
        return ["open"]
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        opener = shutil.which("xdg-open")
        return [opener] if opener else None
    return None


class SourceAddress(ModalScreen[None]):
    """The article's source address as a link the terminal can open; y copies it."""

    DEFAULT_CSS = """
    SourceAddress { align: center middle; }
    SourceAddress > Vertical { width: 90%; max-width: 110; height: auto; padding: 1 2;
        border: round $primary; background: $panel; }
    """
    BINDINGS = [
        Binding("escape,q,O", "dismiss(None)", "Close", id="address.close"),
        Binding("y", "copy", "Copy address", id="address.copy", tooltip="Copy it (OSC 52)"),
    ]

    def __init__(self, address: str) -> None:
        super().__init__()
        self.address = address

    def compose(self) -> ComposeResult:
        shown = visible_line(self.address)
        link = Style(link=self.address, underline=True) if shown == self.address else None
        with Vertical():
            yield Static(Text("The article's source:", style="bold"))
            yield Static(Text(shown, style=link or ""), id="address")
            yield Static(Text("y copies it   esc closes", style="dim"))

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.address)
        self.notify("Source address copied.", timeout=2)
        self.dismiss(None)


class SourceActions(Screen[None]):
    """Import and refresh through child commands; the reader provides `load_snapshot`."""

    data: ReaderData
    opened: Opened | None
    running = ""  # what a child command is doing, "" when none runs
    load_snapshot: Callable[..., object]  # the reader's worker that reads the library

    def action_import_source(self) -> None:
        ask = Picker(
            [],
            "Import into the library (a file, a folder, or an http(s) address):",
            "a path or an address; enter imports",
            free_text=True,
        )
        self.app.push_screen(ask, lambda answer: self._start("Import", ["add", answer]))

    def action_refresh_feeds(self) -> None:
        self._start("Refresh", ["refresh"])

    def _start(self, what: str, args: list[str | None]) -> None:
        if any(a is None or not a.strip() for a in args):
            return
        if self.running:
            self.notify(f"{self.running} is still running.", severity="warning", timeout=3)
            return
        self.running = what
        self._show_activity(f"{what}: starting...")
        self.run_child(what, [str(a).strip() for a in args])

    @work(thread=True, group="child")
    def run_child(self, what: str, args: list[str]) -> None:
        lines: list[str] = []

        def said(line: str) -> None:
            lines.append(line)
            self.post_message(ChildOutput(line))

        try:
            code = self.data.run_command(args, said)
        except OSError as exc:
            code, lines = 1, [f"could not start: {exc.strerror or exc}"]
        self.post_message(ChildDone(what, code, lines[-1] if lines else ""))

    def on_child_output(self, message: ChildOutput) -> None:
        self._show_activity(f"{self.running}: {message.line}")

    def on_child_done(self, message: ChildDone) -> None:
        self.running = ""
        self.query_one("#activity", Static).display = False
        summary = message.last or ("done" if message.code == 0 else "failed")
        self.notify(
            f"{message.what}: {summary}",
            severity="information" if message.code == 0 else "warning",
            timeout=6,
        )
        self.data.forget()
        self.load_snapshot()

    def _show_activity(self, line: str) -> None:
        activity = self.query_one("#activity", Static)
        activity.update(Text(line))
        activity.display = True

    def action_open_source(self) -> None:
        if not self.opened:
            self.app.bell()
            return
        address = self.opened.article.info.origin
        if not address:
            self.notify("This article has no source address.", timeout=3)
            return
        opener = desktop_opener()
        if opener and address.startswith(("http://", "https://")):
            try:
                subprocess.Popen(  # noqa: S603 - a fixed program, the address as one argument
                    [*opener, address],
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    start_new_session=True,
                )
            except OSError:
                pass  # no browser after all: show the address instead
            else:
                self.notify(f"Opening {visible_line(address)}", timeout=3)
                return
        self.app.push_screen(SourceAddress(address))
