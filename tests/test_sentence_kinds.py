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
        ("Updated: Wednesday, September 18, 2024 11:45 BST", "timestamp"),  # 9-letter words
        ("Photo via NTSB", "caption"),
        ("Credit: Reuters", "caption"),
        ("(TVBS via AP)", "caption"),
        ("(AP Photo/Jane Doe)", "caption"),
        ("(AFP)", "caption"),
        ("Rescuers searched the rubble overnight. (Reuters)", "caption"),
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
        ("Watch the video on youtube.com/watch", "embed"),
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
        "Officials said the bridge would reopen on Wednesday",  # no stop, no credit
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


WIRE_OPENINGS = [
    ("SEOUL (Reuters) - ", "North Korea and Russia signed a pact in Pyongyang.", "Seoul"),
    ("MOSCOW, November 6. /TASS/. ", "Russia signed a pact with North Korea.", "Moscow"),
    ("TAIPEI \u2014 ", "A strong earthquake hit Taiwan on Wednesday.", "Taipei"),
    ("PYONGYANG, June 19 (AP) \u2014 ", "Kim Jong Un met Vladimir Putin.", "Pyongyang"),
]


@pytest.mark.parametrize(("opening", "body", "place"), WIRE_OPENINGS)
def test_a_wire_dateline_leads_the_sentence_it_opens(opening: str, body: str, place: str) -> None:
    found = find_structure(f"A headline\n\n{opening}{body}")
    [_, paragraph] = found.paragraphs
    assert (paragraph.kind, found.text[paragraph.start : paragraph.end]) == ("body", opening + body)
    assert found.text[paragraph.start : paragraph.start + paragraph.lead] == opening


def test_a_dateline_is_no_part_of_the_claim_of_the_sentence_it_opens(home: Path) -> None:
    """The reader reads "TAIPEI — A strong earthquake hit..." as one sentence (as gold
    quotes do), but the dateline's place and date are the report's, never the claim's."""
    texts = [f"Report {n}\n\n{opening}{body}" for n, (opening, body, _) in enumerate(WIRE_OPENINGS)]
    lib = Library.open(home)
    docs = [SourceDocument(t, f"{n}.txt", "text") for n, t in enumerate(texts)]
    assert all(o.status == "added" for o in lib.add_documents(docs, story="wires"))
    for info in lib.articles():
        article = lib.article(info.id)
        opening, body, place = next(w for w in WIRE_OPENINGS if w[0] in article.text)
        [claim] = [c for c in article.claims if c.sentence == 1]
        assert article.sentence_text(1) == opening + body
        assert article.sentences[1].kind == "claim"
        named = [e.name for e in lib.entities_of(claim.entities).values()]
        assert place not in named, named
        assert place.casefold() not in claim.terms
        assert not any(d.endswith(("-11-06", "-06-19")) for d in claim.dates), claim.dates


def test_a_hyphenated_title_in_capitals_is_no_dateline() -> None:
    line = "U.N. Secretary-General Antonio Guterres called for restraint."
    [paragraph] = find_structure(line).paragraphs
    assert (paragraph.kind, paragraph.lead) == ("body", 0)


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
