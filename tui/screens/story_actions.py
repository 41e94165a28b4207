"""The reader's story actions: rename the story, merge it into another, move the open
article to another story. Offered in the command palette (tui.palette.StoryCommands).

The library does the work in a worker (stored claims only: no NLP in the reader's
process); the reader then reads the library again and says what changed in one line.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import work
from textual.screen import Screen

from store.plain import counted
from tui.client import Opened, ReaderData, Snapshot
from tui.messages import StoriesChanged
from tui.screens.picker import Choice, Picker


class StoryActions(Screen[None]):
    """Shape stories from the reader; the reader screen provides `load_snapshot`."""

    data: ReaderData
    opened: Opened | None
    snapshot: Snapshot | None
    load_snapshot: Callable[..., object]  # the reader's worker that reads the library

    def _story(self) -> tuple[str, str] | None:
        """The open article's story: (id, name)."""
        if not (self.opened and self.snapshot):
            self.app.bell()
            return None
        story = self.opened.article.info.story
        return story, next((s.name for s in self.snapshot.stories if s.id == story), story)

    def _other_stories(self, story: str) -> list[Choice]:
        assert self.snapshot is not None
        return [
            (s.id, s.name, counted(len(self.snapshot.story_articles(s.id)), "article"))
            for s in self.snapshot.stories
            if s.id != story
        ]

    def action_rename_story(self) -> None:
        here = self._story()
        if here is None:
            return
        story, name = here
        ask = Picker(
            [], f"Rename the story {name!r} to:", "the story's new name", name, free_text=True
        )
        self.app.push_screen(ask, lambda new: self._reshape(self.data.rename_story, story, new))

    def action_merge_story(self) -> None:
        here = self._story()
        if here is None:
            return
        story, name = here
        ask = Picker(
            self._other_stories(story),
            f"Merge every article of {name!r} into the story:",
            "type part of a story's name; enter picks",
        )
        self.app.push_screen(ask, lambda into: self._reshape(self.data.merge_story, story, into))

    def action_move_article(self) -> None:
        here = self._story()
        if here is None or self.opened is None:
            return
        article = self.opened.article.info
        ask = Picker(
            self._other_stories(here[0]),
            f"Move {article.source!r} to the story (a name no story has makes a new one):",
            "type part of a story's name, or a new name; enter picks",
            free_text=True,
        )
        self.app.push_screen(
            ask, lambda story: self._reshape(self.data.move_article, article.id, story)
        )

    def _reshape(self, change: Callable[[str, str], str], subject: str, answer: str | None) -> None:
        if answer:
            self.reshape(change, subject, answer)

    @work(thread=True, exclusive=True, group="stories")
    def reshape(self, change: Callable[[str, str], str], subject: str, answer: str) -> None:
        from store.errors import TreatyError, reason

        try:
            said = change(subject, answer)
        except (TreatyError, OSError) as exc:
            self.post_message(StoriesChanged(f"Not changed: {reason(exc)}", failed=True))
            return
        self.post_message(StoriesChanged(said))

    def on_stories_changed(self, message: StoriesChanged) -> None:
        self.notify(message.said, severity="error" if message.failed else "information")
        if not message.failed:
            self.data.forget()
            self.load_snapshot()
