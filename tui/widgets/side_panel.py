"""The side panel: the article's entities, the current sentence's linked claims, notes."""

from __future__ import annotations

from collections import Counter

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList, Static, TabbedContent, TabPane
from textual.widgets.option_list import Option

from store.models import Link
from tui.data import Opened, Snapshot
from tui.plain import visible_line

RELATION_BADGES = {"same": "[same]", "related": "[related]", "differs": "[differs]"}
TYPE_NAMES = {
    "PERSON": "People",
    "ORG": "Organisations",
    "GPE": "Places",
    "LOC": "Places",
    "FAC": "Places",
    "NORP": "Groups",
    "LAW": "Laws and treaties",
    "EVENT": "Events",
}


class ClaimsList(OptionList):
    BINDINGS = [
        Binding("enter", "select", "Open linked sentence", id="claims.open", key_display="enter")
    ]


class EntitiesList(OptionList):
    BINDINGS = [
        Binding("enter", "select", "Highlight entity", id="entities.highlight", key_display="enter")
    ]


class SidePanel(Vertical):
    """Tabs: Claims, Entities, Notes."""

    class OpenLink(Message):
        def __init__(self, article_id: str, sentence: int) -> None:
            super().__init__()
            self.article_id = article_id
            self.sentence = sentence

    class EntityChosen(Message):
        def __init__(self, entity_id: str) -> None:
            super().__init__()
            self.entity_id = entity_id

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.opened: Opened | None = None
        self.snapshot: Snapshot | None = None
        self._claim_targets: list[tuple[str, int]] = []

    def compose(self) -> ComposeResult:
        with TabbedContent(initial="claims-tab"):
            with TabPane("Claims", id="claims-tab"):
                yield Static(id="claims-heading")
                yield ClaimsList(id="claims")
            with TabPane("Entities", id="entities-tab"):
                yield EntitiesList(id="entities")
                yield Static(id="entity-detail")
            with TabPane("Notes", id="notes-tab"):
                yield Static(Text("No notes on this article yet."), id="notes-empty")

    @property
    def active_pane(self) -> TabPane | None:
        return self.query_one(TabbedContent).active_pane

    # -- claims -------------------------------------------------------------------
    def show_sentence(self, opened: Opened, snapshot: Snapshot, sentence: int) -> None:
        self.opened, self.snapshot = opened, snapshot
        links = opened.links_of(sentence)
        heading = self.query_one("#claims-heading", Static)
        claims = self.query_one("#claims", ClaimsList)
        claims.clear_options()
        self._claim_targets = []
        if not links:
            heading.update(Text("Only in this source: no other source reports this sentence."))
            claims.display = False
            return
        heading.update(
            Text(f"Reported by {len(links)} other sentence{'s' if len(links) != 1 else ''}:")
        )
        claims.display = True
        for link in links:
            claims.add_option(Option(self._claim_prompt(opened, snapshot, link, sentence)))
            self._claim_targets.append(link.other(opened.article.id, sentence))
        claims.highlighted = 0

    def _claim_prompt(self, opened: Opened, snapshot: Snapshot, link: Link, sentence: int):
        article_id, other_sentence = link.other(opened.article.id, sentence)
        other = opened.others[article_id]
        info = snapshot.info(article_id) or other.info
        head = Text()
        head.append(
            RELATION_BADGES.get(link.relation, link.relation),
            style=f"bold {'red' if link.relation == 'differs' else 'green'}",
        )
        head.append(f" {visible_line(info.source)}", style="bold")
        head.append(f"  {link.score:.2f}", style="dim")
        body = Text(visible_line(other.sentence_text(other_sentence)))
        parts = [head, body]
        for diff in link.differences:
            mine, theirs = diff.split(" | ", 1)
            parts.append(
                Text(f"here: {visible_line(mine)}   there: {visible_line(theirs)}", style="bold")
            )
        parts.append(Text(""))
        return Group(*parts)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_list.id == "claims":
            article_id, sentence = self._claim_targets[event.option_index]
            self.post_message(self.OpenLink(article_id, sentence))
        elif event.option_list.id == "entities" and event.option.id:
            self._show_entity(event.option.id)
            self.post_message(self.EntityChosen(event.option.id))

    # -- entities -----------------------------------------------------------------
    def show_entities(self, opened: Opened, snapshot: Snapshot) -> None:
        self.opened, self.snapshot = opened, snapshot
        entities = self.query_one("#entities", EntitiesList)
        entities.clear_options()
        counts = Counter(m.entity for m in opened.article.mentions if m.entity)
        groups: dict[str, list[str]] = {}
        for entity_id in counts:
            entity = snapshot.entities.get(entity_id)
            kind = TYPE_NAMES.get(entity.type if entity else "", "Other")
            groups.setdefault(kind, []).append(entity_id)
        for kind in sorted(
            groups,
            key=lambda k: list(TYPE_NAMES.values()).index(k) if k in TYPE_NAMES.values() else 99,
        ):
            entities.add_option(Option(Text(kind, style="bold underline"), disabled=True))
            for entity_id in sorted(groups[kind], key=lambda e: -counts[e]):
                entity = snapshot.entities.get(entity_id)
                name = entity.name if entity else entity_id
                elsewhere = len(entity.articles) - 1 if entity else 0
                label = Text(f"  {visible_line(name)}")
                label.append(f" x{counts[entity_id]}", style="dim")
                if elsewhere:
                    label.append(f", in {elsewhere} other", style="dim")
                entities.add_option(Option(label, id=entity_id))
        entities.highlighted = 1 if entities.option_count > 1 else None
        self.query_one("#entity-detail", Static).update("")

    def _show_entity(self, entity_id: str) -> None:
        snapshot, opened = self.snapshot, self.opened
        entity = snapshot.entities.get(entity_id) if snapshot else None
        if entity is None or opened is None:
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
