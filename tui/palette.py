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


STORY_COMMANDS = [
    ("Story: rename this story", "rename_story", "Give the open article's story a new name"),
    (
        "Story: merge this story into another",
        "merge_story",
        "Move every article of this story into a story you pick",
    ),
    (
        "Story: move this article to another story",
        "move_article",
        "Pick a story, or type a new name for a new one",
    ),
]


class StoryCommands(Provider):
    """Shaping stories from the reader: commands with no key of their own."""

    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        screen = self.screen
        if not hasattr(screen, "action_rename_story"):
            return []
        return [
            (title, partial(screen.run_action, action), help_text)
            for title, action, help_text in STORY_COMMANDS
        ]

    async def discover(self) -> Hits:
        for title, run, help_text in self._commands():
            yield DiscoveryHit(title, run, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, run, help_text in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), run, help=help_text)
