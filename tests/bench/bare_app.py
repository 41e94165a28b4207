"""The peer every reader figure is measured beside: a bare Textual app.

One line of text; `j` changes it. Run as a program for the terminal
benchmark, imported by the start-up probe.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Static


class BareApp(App[None]):
    BINDINGS = [Binding("j", "count", "Count", id="bare.count")]

    def __init__(self) -> None:
        super().__init__()
        self.presses = 0

    def compose(self) -> ComposeResult:
        yield Static("treaty-tui", id="line")

    def action_count(self) -> None:
        self.presses += 1
        self.query_one("#line", Static).update(f"treaty-tui {self.presses}")


if __name__ == "__main__":
    BareApp().run()
