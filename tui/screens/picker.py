"""Pick one of many by typing part of its name: a source of a 40-source story, a story.

Forty sources are too many to step through. Where a new name is a fair answer
(moving an article to a new story, renaming one), the typed text is returned
when nothing listed matches it.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from store.plain import visible_line
from tui.widgets.lists import KeyList

Choice = tuple[str, str, str]  # id, name, detail (a source and its title, a story and counts)


class Picker(ModalScreen[str | None]):
    """Choices in the given order; typing filters; enter picks the highlighted one, or
    (with `free_text`) returns what was typed when no choice matches it."""

    DEFAULT_CSS = """
    Picker { align: center middle; }
    Picker > Vertical { width: 80%; max-width: 100; height: 80%; border: round $primary;
        background: $panel; }
    Picker #picker-title { padding: 0 1; text-style: bold; }
    Picker OptionList { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel", id="picker.cancel", tooltip="Pick nothing"),
        Binding("down", "move(1)", "Next", id="picker.down", show=False, tooltip="Next choice"),
        Binding(
            "up", "move(-1)", "Previous", id="picker.up", show=False, tooltip="Previous choice"
        ),
    ]

    def __init__(
        self,
        choices: list[Choice],
        title: str = "",
        placeholder: str = "type part of a source or title; enter picks",
        typed: str = "",
        free_text: bool = False,
    ) -> None:
        super().__init__()
        self.choices = choices
        self.shown: list[Choice] = list(choices)
        self.title_text, self.placeholder, self.typed = title, placeholder, typed
        self.free_text = free_text

    def compose(self) -> ComposeResult:
        with Vertical():
            if self.title_text:
                yield Static(Text(self.title_text), id="picker-title")
            yield Input(self.typed, placeholder=self.placeholder, id="picker")
            yield KeyList(id="picker-list")

    def on_mount(self) -> None:
        self._fill("" if self.free_text else self.typed)
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
        elif not self.free_text:
            listing.add_option(
                Option(Text(f"Nothing matches {typed!r}.", style="italic"), disabled=True)
            )

    def action_move(self, step: int) -> None:
        listing = self.query_one(OptionList)
        if self.shown:
            at = (listing.highlighted or 0) + step
            listing.highlighted = max(0, min(len(self.shown) - 1, at))

    @on(Input.Submitted, "#picker")
    def _submitted(self, event: Input.Submitted) -> None:
        listing = self.query_one(OptionList)
        typed = event.value.strip()
        if self.free_text and typed and not self.shown:  # nothing listed matches: a new name
            self.dismiss(typed)
            return
        if listing.highlighted is None or not self.shown:
            self.app.bell()
            return
        self.dismiss(self.shown[listing.highlighted][0])

    @on(OptionList.OptionSelected, "#picker-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.shown[event.option_index][0])
