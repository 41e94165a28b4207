"""Help: every key binding of the screen underneath, with its description and id."""

from __future__ import annotations

from dataclasses import replace

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from tui.config import config_file
from tui.widgets.lists import KeyScroll


def binding_rows(screen: Screen) -> list[tuple[str, str, str]]:
    """(keys, description, id) of every binding active on `screen`, keys of one action merged."""
    rows: dict[tuple[int, str], list[str]] = {}
    order: list[tuple[int, str]] = []
    described: dict[tuple[int, str], tuple[str, str]] = {}
    for active in screen.active_bindings.values():
        binding = active.binding
        if not binding.description or binding.system:
            continue
        marker = (id(active.node), binding.action)
        if marker not in rows:
            rows[marker] = []
            order.append(marker)
            described[marker] = (binding.description, binding.id or "")
        rows[marker].append(screen.app.get_key_display(replace(binding, key_display=None)))
    return [(", ".join(rows[m]), *described[m]) for m in order]


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > KeyScroll {
        width: 90%; max-width: 100; height: 90%; border: round $primary;
        background: $panel; padding: 0 1;
    }
    """
    BINDINGS = [
        Binding("escape,q,question_mark,f1", "dismiss", "Close help", id="help.close"),
    ]

    def __init__(self, under: Screen) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        table = Table(box=None, expand=True, show_edge=False, header_style="bold")
        table.add_column("keys", no_wrap=True)
        table.add_column("does")
        table.add_column("binding id", style="dim", no_wrap=True)
        for keys, description, binding_id in binding_rows(self.under):
            table.add_row(Text(keys), Text(description), Text(binding_id))
        intro = Text.assemble(
            ("Keys of this screen", "bold"),
            "\nChange any key in ",
            (str(config_file()), "bold"),
            ' under [keymap] as "binding id" = "key,other key".'
            " ctrl+p opens the command palette.\n",
        )
        with KeyScroll():
            yield Static(intro)
            yield Static(table)
