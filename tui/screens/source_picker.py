"""Pick one source of a story by typing part of its name: forty sources are too many to step."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from store.plain import visible_line
from tui.widgets.lists import KeyList

Choice = tuple[str, str, str]  # article id, source, title


class SourcePicker(ModalScreen[str | None]):
    """The story's other sources (most links first); typing filters; enter picks."""

    DEFAULT_CSS = """
    SourcePicker { align: center middle; }
    SourcePicker > Vertical { width: 80%; max-width: 100; height: 80%; border: round $primary;
        background: $panel; }
    SourcePicker OptionList { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel", id="picker.cancel", tooltip="Keep the source"),
        Binding("down", "move(1)", "Next", id="picker.down", show=False, tooltip="Next source"),
        Binding(
            "up", "move(-1)", "Previous", id="picker.up", show=False, tooltip="Previous source"
        ),
    ]

    def __init__(self, choices: list[Choice]) -> None:
        super().__init__()
        self.choices = choices
        self.shown: list[Choice] = list(choices)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Input(placeholder="type part of a source or title; enter picks", id="picker")
            yield KeyList(id="picker-list")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one(Input).focus()

    @on(Input.Changed, "#picker")
    def _typed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def _fill(self, typed: str) -> None:
        words = typed.casefold().split()
        self.shown = [
            c for c in self.choices if all(w in f"{c[1]} {c[2]}".casefold() for w in words)
        ]
        listing = self.query_one(OptionList)
        listing.clear_options()
        for _, source, title in self.shown:
            prompt = Text(visible_line(source), style="bold")
            prompt.append(f"  {visible_line(title)}")
            listing.add_option(Option(prompt))
        if self.shown:
            listing.highlighted = 0

    def action_move(self, step: int) -> None:
        listing = self.query_one(OptionList)
        if self.shown:
            at = (listing.highlighted or 0) + step
            listing.highlighted = max(0, min(len(self.shown) - 1, at))

    @on(Input.Submitted, "#picker")
    def _submitted(self) -> None:
        listing = self.query_one(OptionList)
        if listing.highlighted is None or not self.shown:
            self.app.bell()
            return
        self.dismiss(self.shown[listing.highlighted][0])

    @on(OptionList.OptionSelected, "#picker-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.shown[event.option_index][0])
