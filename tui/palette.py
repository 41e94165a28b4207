"""Command palette providers: every described key binding of the current screen is a command."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import cast

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.screen import Screen
from textual.widget import Widget


class ScreenActions(Provider):
    """The current screen's actions, by their binding descriptions."""

    def _actions(self) -> list[tuple[str, str, Callable[[], object]]]:
        """(description, key, run) for each described binding, once per node and action."""
        screen = self.screen
        if not isinstance(screen, Screen):
            return []
        seen = set()
        out: list[tuple[str, str, Callable[[], object]]] = []
        for active in screen.active_bindings.values():
            binding = active.binding
            if (
                not binding.description
                or binding.system
                or (id(active.node), binding.action) in seen
            ):
                continue
            seen.add((id(active.node), binding.action))
            key = screen.app.get_key_display(binding)
            node = cast(Widget, active.node)  # bindings belong to widgets, screens and the app
            out.append((binding.description, key, partial(node.run_action, binding.action)))
        return out

    async def discover(self) -> Hits:
        for description, key, run in self._actions():
            yield DiscoveryHit(description, run, help=f"key: {key}")

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for description, key, run in self._actions():
            score = matcher.match(description)
            if score > 0:
                yield Hit(score, matcher.highlight(description), run, help=f"key: {key}")
