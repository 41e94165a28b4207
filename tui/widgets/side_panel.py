"""The side panel: the article's entities, the current sentence's linked claims, notes."""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList, Static, TabbedContent, TabPane
from textual.widgets.option_list import Option

from store.labels import DISPLAY_ORDER, KIND_NAMES, OTHER, label_of
from store.plain import counted, visible_line
from tui.client import Opened, Snapshot
from tui.relations import badge
from tui.widgets.lists import KeyList
from tui.widgets.note_entry import note_prompt

if TYPE_CHECKING:  # records arrive from workers; not imported for the first frame
    from store.models import Entity, Link, Note


MIN_BATCH = 8  # claims entries made at a time, at least


class ClaimsList(KeyList):
    """One entry per other source that links the current sentence.

    Only the entries that fill the panel are made when the sentence changes:
    in a story of 160 sources a sentence links to a hundred or more, and
    making and measuring every entry on each move of the article's cursor
    slowed every `j`. The rest follow, in order, as the list is moved or
    scrolled near its end.
    """

    BINDINGS = [
        Binding("enter", "select", "Open linked sentence", id="claims.open", key_display="enter"),
        Binding("a", "annotate_link", "Note on this link", id="claims.annotate"),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._waiting: list[Callable[[], Text]] = []

    def show(self, prompts: Sequence[Callable[[], Text]]) -> None:
        """Entries made by `prompts`, in order; the first screenful now."""
        first = self._batch()
        self._waiting = list(prompts[first:])
        self.set_options([Option(make()) for make in prompts[:first]])

    @property
    def entries(self) -> int:
        """All the entries, made or still waiting."""
        return self.option_count + len(self._waiting)

    def _batch(self) -> int:
        return max(MIN_BATCH, self.size.height // 3 + 2)

    def _more(self, everything: bool = False) -> None:
        if not self._waiting:
            return
        count = len(self._waiting) if everything else self._batch()
        batch, self._waiting = self._waiting[:count], self._waiting[count:]
        self.add_options([Option(make()) for make in batch])

    def watch_highlighted(self, highlighted: int | None) -> None:
        super().watch_highlighted(highlighted)
        if highlighted is not None and highlighted >= self.option_count - 2:
            self._more()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if new_value >= self.max_scroll_y - 1:
            self._more()

    def action_last(self) -> None:
        self._more(everything=True)
        super().action_last()

    def action_annotate_link(self) -> None:
        if self.highlighted is not None:
            self.post_message(SidePanel.AnnotateLink(self.highlighted))


class NotesList(KeyList):
    BINDINGS = [
        Binding("enter", "select", "Go to note", id="notes.go", key_display="enter"),
    ]


class EntitiesList(KeyList):
    BINDINGS = [
        Binding("enter", "select", "Highlight entity", id="entities.highlight", key_display="enter")
    ]


def by_source(links: list[Link], article: str, sentence: int) -> tuple[list[Link], dict[int, int]]:
    """The strongest link to each other source (strongest first), and how many more
    sentences of that source link too (by id of the shown link)."""
    best: dict[str, Link] = {}
    extra: dict[str, int] = {}
    for link in sorted(links, key=lambda x: -x.score):
        source = link.other(article, sentence)[0]
        if source in best:
            extra[source] = extra.get(source, 0) + 1
        else:
            best[source] = link
    shown = list(best.values())
    return shown, {id(link): extra.get(src, 0) for src, link in best.items()}


class SidePanel(Vertical):
    """Tabs: Claims, Entities, Notes."""

    DEFAULT_CSS = """
    SidePanel #claims-heading { height: 2; padding: 0 1; color: $text-muted; }
    SidePanel #claims { height: 1fr; }
    SidePanel #entity-detail { padding: 0 1; height: auto; max-height: 12; }
    """

    class OpenLink(Message):
        def __init__(self, article_id: str, sentence: int) -> None:
            super().__init__()
            self.article_id = article_id
            self.sentence = sentence

    class EntityChosen(Message):
        def __init__(self, entity_id: str) -> None:
            super().__init__()
            self.entity_id = entity_id

    class AnnotateLink(Message):
        """The reader wants a note on the link shown at `index` of the claims list."""

        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    class NoteChosen(Message):
        def __init__(self, note: Note) -> None:
            super().__init__()
            self.note = note

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.opened: Opened | None = None
        self.snapshot: Snapshot | None = None
        self._claim_targets: list[tuple[str, int]] = []
        self.notes: list[Note] = []
        self.entities: dict[str, Entity] = {}  # those of the open article, once read

    def compose(self) -> ComposeResult:
        with TabbedContent(initial="claims-tab"):
            with TabPane("Claims", id="claims-tab"):
                yield Static(id="claims-heading")
                yield ClaimsList(id="claims")
            # Mounted from the start, hidden: the first frame fills them with the article.
            with TabPane("Entities", id="entities-tab"):
                yield EntitiesList(id="entities")
                yield Static(id="entity-detail")
            with TabPane("Notes", id="notes-tab"):
                yield Static(id="notes-heading")
                yield NotesList(id="notes")

    def on_mount(self) -> None:
        # Tab moves between the panes, not onto the tab strip: 3, 4 and 5 choose the tab.
        self.query_one("ContentTabs").can_focus = False

    @property
    def active_pane(self) -> TabPane | None:
        return self.query_one(TabbedContent).active_pane

    # -- claims -------------------------------------------------------------------
    def show_sentence(self, opened: Opened, snapshot: Snapshot, sentence: int) -> None:
        self.opened, self.snapshot = opened, snapshot
        links = opened.links_of(sentence)
        heading = self.query_one("#claims-heading", Static)
        claims = self.query_one("#claims", ClaimsList)
        self._claim_targets = []
        if not links:
            claims.show([])
            kind = opened.article.sentences[sentence].kind if opened.article.sentences else "claim"
            if kind == "claim":
                text = Text("Only in this source: no other source reports this sentence.")
            else:
                text = Text(f"Not a claim: this line is {KIND_NAMES[kind]}.")
            heading.update(text, layout=False)  # two lines high whatever it says
            return
        best, more = by_source(links, opened.article.id, sentence)
        sources = max(len(snapshot.story_articles(opened.article.info.story)), len(best) + 1)
        reach = opened.reach.get(sentence)
        text = Text()
        if reach:  # the claim group: how widely the story reports this claim
            text.append(f"Claim reported by {reach} of {sources} sources", style="bold")
            text.append("\n")
        text.append(f"Linked in {len(best)} of {counted(sources - 1, 'other source')}:")
        heading.update(text, layout=False)
        self._claim_targets = [link.other(opened.article.id, sentence) for link in best]
        claims.show(
            [
                functools.partial(
                    self._claim_prompt, opened, snapshot, link, sentence, more[id(link)]
                )
                for link in best
            ]
        )
        claims.highlighted = 0

    def _claim_prompt(
        self, opened: Opened, snapshot: Snapshot, link: Link, sentence: int, more: int = 0
    ) -> Text:
        article_id, other_sentence = link.other(opened.article.id, sentence)
        other = opened.other(article_id)
        if isinstance(other, str):  # its file is gone or damaged: say so in its place
            return Text(f"{visible_line(other)}\n", style="red")
        info = snapshot.info(article_id) or other.info
        head = Text()
        head.append(
            badge(link.relation),
            style=f"bold {'red' if link.relation == 'differs' else 'green'}",
        )
        head.append(f" {visible_line(info.source)}", style="bold")
        head.append(f"  {link.score:.2f}", style="dim")
        if more:
            head.append(f"  +{more} more sentence{'s' if more > 1 else ''}", style="dim")
        body = Text(visible_line(other.sentence_text(other_sentence)))
        parts = [head, body]
        differences = link.differences_from(opened.article.id, sentence)
        if differences:  # an update (a later report) or a contradiction, by their times
            from store.analysis.updates import KIND_LABELS, difference_kind, report_time

            here = report_time(opened.article.info.date, opened.article.text)
            there = report_time(info.date, other.text)
        for diff in differences:
            kind = KIND_LABELS[difference_kind(diff.what, here, there)]
            what = f"{diff.what}: " if diff.what else ""
            line = Text(f"{what}here ", style="bold")
            line.append(visible_line(diff.this), style="bold reverse")
            line.append(f", there {visible_line(diff.other)}", style="bold")
            line.append(f"  ({kind})", style="italic")
            parts.append(line)
        parts.append(Text(""))
        return Text("\n").join(parts)  # one Text: drawn by Textual itself, not through Rich

    def claim_target(self, index: int) -> tuple[str, int] | None:
        return self._claim_targets[index] if 0 <= index < len(self._claim_targets) else None

    # -- notes ----------------------------------------------------------------------
    def show_notes(self, notes: list[Note], snapshot: Snapshot | None) -> None:
        """The article's notes in text order, orphans last."""
        self.notes = sorted(notes, key=lambda n: (n.orphan, n.anchor.start))
        listing = self.query_one("#notes", NotesList)
        highlighted = listing.highlighted
        listing.clear_options()
        listing.add_options(Option(note_prompt(n, snapshot), id=n.id) for n in self.notes)
        orphans = sum(n.orphan for n in self.notes)
        if not self.notes:
            heading = "No notes on this article yet: a notes the current sentence, v selects text."
        else:
            heading = counted(len(self.notes), "note") + (
                f", {orphans} orphaned" if orphans else ""
            )
            heading += ". enter go, e edit, t tags, d delete"
        self.query_one("#notes-heading", Static).update(Text(heading))
        listing.display = bool(self.notes)
        if self.notes:
            listing.highlighted = min(highlighted or 0, len(self.notes) - 1)

    @property
    def highlighted_note(self) -> Note | None:
        index = self.query_one("#notes", NotesList).highlighted
        return self.notes[index] if index is not None and index < len(self.notes) else None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_list.id == "notes":
            self.post_message(self.NoteChosen(self.notes[event.option_index]))
        elif event.option_list.id == "claims":
            article_id, sentence = self._claim_targets[event.option_index]
            self.post_message(self.OpenLink(article_id, sentence))
        elif event.option_list.id == "entities" and event.option.id:
            self._show_entity(event.option.id)
            self.post_message(self.EntityChosen(event.option.id))

    # -- entities -----------------------------------------------------------------
    def show_entities(
        self, opened: Opened, snapshot: Snapshot, entities: Mapping[str, Entity] | None
    ) -> None:
        """List the article's entities by kind; with `entities` None (not read yet), none."""
        self.opened, self.snapshot, self.entities = opened, snapshot, dict(entities or {})
        listing = self.query_one("#entities", EntitiesList)
        listing.clear_options()
        self.query_one("#entity-detail", Static).update("")
        if entities is None:
            return
        counts = Counter(m.entity for m in opened.article.mentions if m.entity)
        groups: dict[str, list[str]] = {}
        for entity_id in counts:
            entity = entities.get(entity_id)
            kind = label_of(entity.type).display if entity else OTHER
            groups.setdefault(kind, []).append(entity_id)
        for kind in sorted(
            groups,
            key=lambda k: DISPLAY_ORDER.index(k) if k in DISPLAY_ORDER else 99,
        ):
            listing.add_option(Option(Text(kind, style="bold underline"), disabled=True))
            for entity_id in sorted(groups[kind], key=lambda e: -counts[e]):
                entity = entities.get(entity_id)
                name = entity.name if entity else entity_id
                elsewhere = len(entity.articles) - 1 if entity else 0
                label = Text(f"  {visible_line(name)}")
                label.append(f" x{counts[entity_id]}", style="dim")
                if elsewhere:
                    label.append(f", in {elsewhere} other", style="dim")
                listing.add_option(Option(label, id=entity_id))
        listing.highlighted = 1 if listing.option_count > 1 else None

    def _show_entity(self, entity_id: str) -> None:
        snapshot, opened = self.snapshot, self.opened
        entity = self.entities.get(entity_id) if opened else None
        if entity is None or snapshot is None or opened is None:
            return
        lines = Text(f"{visible_line(entity.name)} ({entity.type})\n", style="bold")
        if entity.aliases:
            lines.append(f"also: {visible_line(', '.join(entity.aliases))}\n", style="dim")
        others = [a for a in entity.articles if a != opened.article.id]
        lines.append("Mentioned elsewhere in:\n" if others else "Not mentioned elsewhere.\n")
        for article_id in others:
            info = snapshot.info(article_id)
            if info:
                lines.append(
                    f"  {visible_line(info.source)}: {visible_line(info.title)}"
                    f" (x{entity.articles[article_id]})\n"
                )
        self.query_one("#entity-detail", Static).update(lines)
