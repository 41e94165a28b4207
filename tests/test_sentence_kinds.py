"""Lines that state no claim are told apart, and a headline never runs into its dateline."""

from __future__ import annotations

from pathlib import Path

import pytest

from store import Library
from store.analysis.kinds import sentence_kind
from store.ingest.sources import SourceDocument
from store.ingest.structure import find_structure


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("By KAREL JANICEK \u2013 Associated Press", "byline"),
        ("by VOA News", "byline"),
        ("April 3, 2024 | 7:46 pm", "timestamp"),
        ("21:32 UTC+8, 2024-05-16", "timestamp"),
        ("Published May 18, 2024 02:01 pm", "timestamp"),
        ("Photo via NTSB", "caption"),
        ("Credit: Reuters", "caption"),
        ("(TVBS via AP)", "caption"),
        ("(AP Photo/Jane Doe)", "caption"),
        ("(AFP)", "caption"),
        ("Image: a flooded street in the old town", "caption"),
        ("In this image taken from video, a building leans over a street in Hualien.", "caption"),
        (
            "Rescuers carry a woman from a collapsed building in Hualien on Wednesday. AFP",
            "caption",
        ),
        ("Also read: Quake toll rises to nine", "boilerplate"),
        ("Skip to main content", "boilerplate"),
        ("ADVERTISEMENT", "boilerplate"),
        ("[ad_1]", "boilerplate"),
        ("pic.twitter.com/AbCdEf123", "embed"),
        ("\u2014 Jane Roe (@janeroe) April 3, 2024", "embed"),
        ("Associated Press", "fragment"),
        ("Hualien, Taiwan.", "fragment"),
    ],
)
def test_lines_that_state_no_claim(line: str, kind: str) -> None:
    assert sentence_kind(line, "body") == kind


@pytest.mark.parametrize(
    "line",
    [
        "The US Geological Survey put the earthquake at 7.4.",
        "Fico was taken to hospital in Banska Bystrica (AFP).",
        "Police detained a man and drove off, a witness said.",
    ],
)
def test_sentences_that_state_a_claim(line: str) -> None:
    assert sentence_kind(line, "body") == "claim"


def test_a_headline_without_a_verb_is_still_a_claim() -> None:
    assert sentence_kind("Nine dead and hundreds injured in Taiwan quake", "title") == "claim"
    assert sentence_kind("Six workers that fell into the water are missing", "deck") == "claim"


def test_an_agency_name_under_the_headline_is_no_claim() -> None:
    assert sentence_kind("Associated Press", "deck") == "fragment"


def test_paragraph_kinds_decide_datelines_and_credits() -> None:
    assert sentence_kind("SEOUL, June 19", "dateline") == "dateline"
    assert sentence_kind("Reporting by Jane Doe; editing by John Roe", "credit") == "credit"


def _parts(text: str) -> list[tuple[str, str]]:
    found = find_structure(text)
    return [(p.kind, found.text[p.start : p.end]) for p in found.paragraphs]


@pytest.mark.parametrize(
    ("opening", "dateline", "body"),
    [
        ("SEOUL (Reuters) - ", "SEOUL (Reuters)", "North Korea and Russia signed a pact."),
        ("MOSCOW, November 6. /TASS/. ", "MOSCOW, November 6. /TASS/.", "Russia signed a pact."),
        ("TAIPEI \u2014 ", "TAIPEI", "A strong earthquake hit Taiwan on Wednesday."),
        ("PYONGYANG, June 19 (AP) \u2014 ", "PYONGYANG, June 19 (AP)", "Kim met Putin."),
    ],
)
def test_wire_datelines_are_cut_from_the_story(opening: str, dateline: str, body: str) -> None:
    parts = _parts(f"A headline\n\n{opening}{body}")
    assert parts[1:] == [("dateline", dateline), ("body", body)]


def test_a_headline_over_a_dateline_line_stays_apart() -> None:
    text = (
        "Russia and North Korea sign mutual defence pact to aid each other if attacked: Putin\n"
        "Seoul, June 19\n"
        "North Korean leader Kim Jong Un and Russian President Vladimir Putin signed a pact."
    )
    kinds = [kind for kind, _ in _parts(text)]
    assert kinds == ["title", "dateline", "body"]


def test_a_hard_wrapped_paragraph_is_still_one_paragraph() -> None:
    text = (
        "This paragraph was wrapped at about seventy characters by the program\n"
        "that saved it, as mail often is, so its lines run on into each other\n"
        "and only the last one ends the sentence."
    )
    assert [kind for kind, _ in _parts(text)] == ["body"]


def test_non_claims_are_never_linked_nor_only_here(home: Path) -> None:
    caption = "Photo via NTSB"
    texts = [
        f"Bridge collapses\n\n{caption}\n\nA container ship struck the Key Bridge in Baltimore "
        "early on Tuesday, and the bridge collapsed into the river.",
        f"Key Bridge falls\n\n{caption}\n\nThe Key Bridge in Baltimore collapsed into the river "
        "early on Tuesday after a container ship struck it.",
    ]
    lib = Library.open(home)
    list(lib.add_documents([SourceDocument(t, f"{i}.txt", "text") for i, t in enumerate(texts)]))
    articles = [lib.article(a.id) for a in lib.articles()]
    for article in articles:
        at = next(i for i, s in enumerate(article.sentences) if article.sentence_text(i) == caption)
        assert article.sentences[at].kind == "caption"
    story = lib.articles()[0].story
    for link in lib.links(story):
        for art, sent in ((link.a_article, link.a_sentence), (link.b_article, link.b_sentence)):
            article = next(a for a in articles if a.id == art)
            assert article.sentences[sent].kind == "claim"
    for info in lib.articles():
        assert info.linked + info.unique == lib.article(info.id).claim_count()


async def test_the_reader_says_a_caption_is_not_a_claim(home: Path) -> None:
    from textual.widgets import Static

    from tests.conftest import ready, settle, view
    from tui.app import TreatyApp

    lib = Library.open(home)
    text = (
        "Bridge collapses\n\nPhoto via NTSB\n\nA container ship struck the Key Bridge in "
        "Baltimore early on Tuesday, and the bridge collapsed into the river."
    )
    list(lib.add_documents([SourceDocument(text, "a.txt", "text")]))
    app = TreatyApp(home)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        article = screen.opened.article
        caption = next(i for i, s in enumerate(article.sentences) if s.kind == "caption")
        view(app).go_to(caption)
        await settle(pilot)
        heading = str(screen.query_one("#claims-heading", Static).render())
        assert heading == "Not a claim: this line is a photo caption or credit."
        view(app).go_to(caption + 1)
        await settle(pilot)
        heading = str(screen.query_one("#claims-heading", Static).render())
        assert heading.startswith("Only in this source")
