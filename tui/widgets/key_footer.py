"""The keys of the focused pane, drawn as one line of text.

Textual's Footer mounts a widget per key and recomposes them all whenever
the focus moves; with the reader's many keys that cost more than the Tab
that moved the focus. This footer draws the same keys as one Text and
redraws only that line.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget


@dataclass(frozen=True)
class FooterKey:
    """One key shown, where it is drawn and what it does."""

    start: int
    end: int
    key: str
    tooltip: str


class KeyFooter(Widget, can_focus=False):
    """The focused pane's shown bindings, one per action; the palette key on the right."""

    COMPONENT_CLASSES = {"key-footer--key", "key-footer--description"}
    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        & > .key-footer--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .key-footer--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
    }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.keys: list[FooterKey] = []
        self._drawn: tuple[tuple[str, str, bool], ...] | None = None  # what the line shows

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        """Redrawn only when the keys shown change: Textual announces the bindings of a
        new focus twice, in the frame of the focus change and once more after it, and
        a second frame for the same line kept Tab from settling at once."""
        if self.is_attached and screen is self.screen and self._showing() != self._drawn:
            self.refresh()

    def _showing(self) -> tuple[tuple[str, str, bool], ...]:
        shown, palette = self._shown()
        return tuple((b.key, b.description, on) for b, on, _ in [*shown, *filter(None, [palette])])

    def _shown(self) -> tuple[list[tuple[Binding, bool, str]], tuple[Binding, bool, str] | None]:
        """The bindings to show, one per action, and the command palette's."""
        active = self.screen.active_bindings
        palette_key = self.app.COMMAND_PALETTE_BINDING if self.app.ENABLE_COMMAND_PALETTE else ""
        palette = None
        if palette_key in active:
            _, binding, enabled, tooltip = active[palette_key]
            palette = (binding, enabled, tooltip or binding.tooltip or binding.description)
        seen: set[str] = set()
        shown = []
        for key, (_, binding, enabled, tooltip) in active.items():
            if not binding.show or binding.action in seen or key == palette_key:
                continue
            seen.add(binding.action)
            shown.append((binding, enabled, tooltip or binding.tooltip or binding.description))
        return shown, palette

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-footer--key")
        description_style = self.get_component_rich_style("key-footer--description")
        shown, palette = self._shown()
        self._drawn = self._showing()
        line = Text(no_wrap=True, overflow="crop", end="")
        self.keys = []

        def add(binding: Binding, enabled: bool, tooltip: str) -> None:
            start = line.cell_len
            dim = Style(dim=not enabled)
            line.append(f" {self.app.get_key_display(binding)} ", style=key_style + dim)
            line.append(f"{binding.description} ", style=description_style + dim)
            self.keys.append(FooterKey(start, line.cell_len, binding.key, tooltip))

        for binding, enabled, tooltip in shown:
            add(binding, enabled, tooltip)
        if palette is not None:  # always at the right edge: the keys that do not fit give way
            label = f" {self.app.get_key_display(palette[0])} {palette[0].description} "
            room = max(0, self.size.width - len(label) - 1)
            self.keys = [k for k in self.keys if k.end <= room]
            line.truncate(self.keys[-1].end if self.keys else 0)  # whole keys only
            line.pad_right(room - line.cell_len)
            line.append("\u2502", style="dim")
            add(*palette)
        return line

    def _key_at(self, x: int) -> FooterKey | None:
        return next((k for k in self.keys if k.start <= x < k.end), None)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        found = self._key_at(event.x)
        self.tooltip = found.tooltip if found else None

    def on_click(self, event: events.Click) -> None:
        found = self._key_at(event.x)
        if found is not None:
            event.stop()
            self.app.simulate_key(found.key)
