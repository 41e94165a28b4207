"""Analysis on crafted text: canonical entities, speakers, figures, dates, differing claims."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from store import Library
from store.analysis.dates import normalise_date
from store.analysis.pipeline import analyse
from store.ingest.sources import SourceDocument
from store.ingest.structure import find_structure
from store.models import Difference


def analysed(text: str, on: date | None = None):
    structure = find_structure(text)
    return structure, analyse(structure, on)


def import_texts(home: Path, *texts: str, story: str = "test") -> Library:
    lib = Library.open(home)
    docs = [SourceDocument(t, f"test:{i}") for i, t in enumerate(texts)]
    outcomes = list(lib.add_documents(docs, story=story))
    assert all(o.status == "added" for o in outcomes), outcomes
    return lib


def entity_of(lib: Library, article_id: str, text: str) -> str:
    article = lib.article(article_id)
    [entity] = {m.entity for m in article.mentions if m.text == text}
    return entity


def test_names_titles_and_aliases_resolve_to_one_entity(home: Path) -> None:
    lib = import_texts(
        home,
        "Russian President Vladimir Putin arrived in Pyongyang on Tuesday.\n"
        "Mr. Putin met North Korean leader Kim Jong Un at the airport.\n"
        "President Putin said the U.S. had no say in the matter.\n"
        "Mr. Kim thanked him, and the DPRK press praised the visit.",
        "Vladimir Vladimirovich Putin signed the pact with Kim Jong Un.\n"
        "Putin said the United States and the Russian Federation would talk.\n"
        "North Korea welcomed the deal, and Russia agreed to more trade.",
    )
    a, b = (info.id for info in sorted(lib.articles(), key=lambda i: i.title))
    people = {m.text: m.entity for art in (a, b) for m in lib.article(art).mentions}
    putin = {people[n] for n in ("Vladimir Putin", "Putin", "Vladimir Vladimirovich Putin")}
    assert len(putin) == 1
    assert people["Kim"] == people["Kim Jong Un"] != next(iter(putin))
    assert people["U.S."] == people["United States"]
    assert people["DPRK"] == people["North Korea"]
    assert people["Russian Federation"] == people["Russia"]
    # titles are not part of a name
    assert not any(
        m.text.startswith(("Mr.", "President")) for art in (a, b) for m in lib.article(art).mentions
    )
    entity = next(e for e in lib.entities() if e.id == next(iter(putin)))
    assert entity.name in ("Vladimir Putin", "Vladimir Vladimirovich Putin")
    assert set(entity.articles) == {a, b}
    assert sum(entity.articles.values()) == 5


@pytest.mark.parametrize(
    ("text", "name", "label"),
    [
        # the small model calls these countries organisations
        ("Slovakia declared a state of alert on Thursday.", "Slovakia", "GPE"),
        ("Hungary and Slovakia condemned the attack.", "Slovakia", "GPE"),
        # a headline's name cut out of a longer title-case span ("Norway Mourns After ...")
        (
            "Norway Mourns After Deadly Landslide in Remote Valley\n\n"
            "Norway is coping with the aftermath of a landslide that struck a village on Monday.",
            "Norway",
            "GPE",
        ),
        # a bridge is a facility, not an organisation
        (
            "Crews cleared debris from the Francis Hale Bridge on Monday.",
            "Francis Hale Bridge",
            "FAC",
        ),
        # a nationality used as an adjective is not a place
        (
            "Slovak media reported the arrest.\nThe gunman was detained by Slovak police.",
            "Slovak",
            "NORP",
        ),
        # a ship named once as a vessel is not a person anywhere in the article
        (
            "Witnesses said the Kessler vessel turned sharply. The crew of the Kessler were safe.",
            "Kessler",
            "PRODUCT",
        ),
        # ... while a person's name that modifies a noun stays a person
        ("The Biden administration said the White House would respond.", "Biden", "PERSON"),
        ("A man named Tom Hale was arrested.", "Tom Hale", "PERSON"),
        # a place the words around name as one: "the town of", "the capital,", "in"
        (
            "Police said it happened in the town of Velika Horvatka on Monday.",
            "Velika Horvatka",
            "GPE",
        ),
        ("Ambulances took him to the capital, Bratislava, within the hour.", "Bratislava", "GPE"),
        # a name the tagger stopped one word short of
        (
            "The patient was flown to a hospital in Banska Bystrica, officials said.",
            "Banska Bystrica",
            "GPE",
        ),
        # the holder of an office, not a body; the office's first word is no name at all
        (
            "Earlier, Interior Minister Matus Sutaj Estok said the suspect was a lone wolf.",
            "Matus Sutaj Estok",
            "PERSON",
        ),
        ("Defense Secretary Lloyd Austin said the troops would stay.", "Defense", None),
        # a nationality formed from a country's name, where the tagger saw none or a body
        ("Slovak officials said the suspect was detained near the square.", "Slovak", "NORP"),
        ("The Slovak government condemned the attack.", "Slovak", "NORP"),
        # ... but a title after a name does not join it ("U.S. President")
        ("U.S. President Joe Biden condemned the attack.", "U.S.", "GPE"),
    ],
)
def test_entity_types_the_tagger_gets_wrong_in_a_regular_way(
    text: str, name: str, label: str | None
) -> None:
    _, analysis = analysed(text)
    assert {m.label for m in analysis.mentions if m.text == name} == ({label} if label else set())


def test_names_written_with_and_without_accents_and_a_people_are_one_entity(
    home: Path,
) -> None:
    """Reports spell "Šutaj Eštok" and "Sutaj Estok", "Slovak" and "Slovakian": a reader
    following one entity across sources must find all of them."""
    lib = import_texts(
        home,
        "Interior Minister Matúš Šutaj Eštok said the suspect acted alone.\n"
        "Slovak police detained the suspect at the scene.",
        "Interior Minister Matus Sutaj Estok spoke to reporters on Thursday.\n"
        "Slovakian officials said the suspect had acted alone.",
    )
    people = {m.text: m.entity for info in lib.articles() for m in lib.article(info.id).mentions}
    assert people["Matúš Šutaj Eštok"] == people["Matus Sutaj Estok"]
    assert people["Slovak"] == people["Slovakian"]


def test_a_body_named_short_and_a_people_in_the_plural_are_the_same_entity(
    home: Path,
) -> None:
    lib = import_texts(
        home,
        "The U.S. Coast Guard suspended the search on Tuesday night.\n"
        "The Coast Guard said the water was too cold for survivors.\n"
        "Six of the workers were Indians, and the Indian embassy sent staff.",
    )
    [info] = lib.articles()
    named = {m.text: m.entity for m in lib.article(info.id).mentions}
    assert named["Coast Guard"] == named["U.S. Coast Guard"]
    assert named["Indians"] == named["Indian"]


@pytest.mark.parametrize(
    ("sentence", "speaker"),
    [
        ("Mr. Putin said that trade between the two countries has good prospects.", "putin"),
        ("Trade will grow next year, according to Yuri Ushakov.", "ushakov"),
        ("\u201cIt is a driving force,\u201d the North Korean leader said.", "leader"),
        ("The treaty was signed in Pyongyang on Wednesday.", ""),
    ],
)
def test_speaker_detection(home: Path, sentence: str, speaker: str) -> None:
    lib = import_texts(home, f"Yuri Ushakov and Vladimir Putin spoke.\n{sentence}")
    [info] = lib.articles()
    claim = lib.article(info.id).claims[1]
    assert speaker in claim.speaker
    assert bool(claim.speaker) == bool(speaker)


def test_pronoun_speaker_is_the_previous_speaker(home: Path) -> None:
    lib = import_texts(
        home,
        "Kim Jong Un emphasized that the treaty raised the alliance to a new level. "
        "According to him, it is a legal basis for peace.",
    )
    [info] = lib.articles()
    claims = lib.article(info.id).claims
    assert claims[0].speaker == claims[1].speaker == entity_of(lib, info.id, "Kim Jong Un")


def test_numbers_with_units() -> None:
    _, analysis = analysed(
        "In 2023, bilateral trade turnover increased 9 times, and in the first 5 months of "
        "2024 it rose by 54%. The deal is worth $5 billion and involves 300 troops."
    )
    numbers = {(q.value, q.unit) for f in analysis.facts for q in f.numbers}
    assert (9.0, "times") in numbers
    assert (54.0, "%") in numbers
    assert (5e9, "USD") in numbers
    assert (300.0, "troop") in numbers
    assert not any(value in (2023.0, 2024.0) for value, _ in numbers)


def test_dates_normalised_against_the_article_date() -> None:
    on = date(2024, 6, 20)
    _, analysis = analysed("The treaty was signed on June 19 in Pyongyang.", on)
    assert analysis.facts[0].dates == ("2024-06-19",)
    assert normalise_date("June 19, 2024", None) == "2024-06-19"
    assert normalise_date("yesterday", on) == "2024-06-19"
    assert normalise_date("last year", on) == "2023"
    assert normalise_date("June 2024", None) == "2024-06"
    assert normalise_date("2000", None) == "2000"
    assert normalise_date("the day before", on) == ""


@pytest.mark.parametrize(
    ("sentence", "day"),
    [
        # a report of Wednesday 19 June 2024
        ("The two leaders met on Tuesday in the capital.", "2024-06-18"),
        ("The talks opened on Wednesday.", "2024-06-19"),  # the report's own day
        ("The border was closed on Thursday, officials said.", "2024-06-13"),
        ("The two leaders will meet on Friday.", "2024-06-21"),  # the future: ahead
        ("The ship is scheduled to leave port on Friday.", "2024-06-21"),
        ("The vote is expected on Thursday.", "2024-06-20"),
        ("They met last Wednesday.", "2024-06-12"),
        ("They meet again next Wednesday.", "2024-06-26"),
        ("The ministers arrived late on Monday night.", "2024-06-17"),
        ("Talks on Monday.", "2024-06-17"),  # no verb at all
    ],
)
def test_weekdays_resolve_against_the_report_date_in_the_direction_the_verb_says(
    sentence: str, day: str
) -> None:
    _, analysis = analysed(sentence, date(2024, 6, 19))
    assert analysis.facts[0].dates == (day,)


def test_line_breaks_are_sentence_boundaries() -> None:
    structure, analysis = analysed("Washington Concerns\nOfficials in Washington reacted")
    texts = [structure.text[s.start : s.end] for s in analysis.sentences]
    assert texts == ["Washington Concerns", "Officials in Washington reacted"]


def test_paragraphs_read_together_keep_their_own_sentences() -> None:
    """Paragraphs go to spaCy several at a time; each still starts its own sentences."""
    body = "The delegates met in Geneva on Monday. Talks lasted six hours. " * 120
    structure, analysis = analysed(
        "Putin visits Pyongyang\n"
        "The leader called it a step \u2018to the level of an alliance.\u2019\n"
        "Kim Jong Un welcomed Vladimir Putin to Pyongyang for a two-day visit.\n" + body.strip()
    )
    texts = [structure.text[s.start : s.end] for s in analysis.sentences]
    assert texts[:3] == [
        "Putin visits Pyongyang",
        "The leader called it a step \u2018to the level of an alliance.\u2019",
        "Kim Jong Un welcomed Vladimir Putin to Pyongyang for a two-day visit.",
    ]
    # the long last paragraph is read in pieces, cut between its sentences
    assert len(body) > 5_000
    assert texts[3:] == ["The delegates met in Geneva on Monday.", "Talks lasted six hours."] * 120
    assert [s.paragraph for s in analysis.sentences] == [0, 1, 2] + [3] * 240
    assert all("\n" not in t for t in texts)


LONG_A = (
    "Putin visits Pyongyang\n"
    "Russian President Vladimir Putin arrived in Pyongyang for talks with Kim Jong Un.\n"
    "Putin said that bilateral trade between Russia and North Korea grew 9 times in 2023.\n"
    "The two leaders signed a comprehensive strategic partnership treaty on June 19.\n"
    "The weather in the capital was hot and humid during the ceremony."
)
LONG_B = (
    "Kim hosts Putin\n"
    "Kim Jong Un welcomed Vladimir Putin to Pyongyang for a two-day visit.\n"
    "Putin said that bilateral trade between Russia and North Korea grew 7 times in 2023.\n"
    "The two leaders signed a comprehensive strategic partnership treaty on June 18.\n"
    "Football fans in Hanoi celebrated a late victory over Thailand."
)


def test_differing_figures_are_marked_differs(home: Path) -> None:
    lib = import_texts(home, LONG_A, LONG_B)
    a = next(i for i in lib.articles() if i.title == "Putin visits Pyongyang")
    links = {}
    for link in lib.links(a.story):
        mine = link.a_sentence if link.a_article == a.id else link.b_sentence
        links[(mine, link.other(a.id, mine)[1])] = link
    trade = links[(2, 2)]
    assert trade.relation == "differs"
    assert trade.differences_from(a.id, 2) == (Difference("times", "9 times", "7 times"),)
    treaty = links[(3, 3)]
    assert treaty.relation == "differs"
    assert treaty.differences_from(a.id, 3) == (Difference("date", "June 19", "June 18"),)
    # the sentences about the weather and about football are found only in their source
    assert not any(4 in pair for pair in links)
    assert lib.find(a.id).unique >= 1


def test_a_big_storys_passing_names_do_not_draw_in_another_event() -> None:
    """A story of many reports names many people once each. A report of another event
    that shares two of those passing names is not filed under it; one that gives the
    names most of its reports give joins it."""
    from store.analysis.stories import best_story, joins

    core = ["place:hualien", "org:cwa", "place:taipei", "person:spokesman"]
    mentions: dict[str, dict[str, int]] = {e: {} for e in core}
    for n in range(20):  # twenty reports of one quake: the core names, and one name each
        for e in [*core, f"person:witness-{n}"]:
            mentions.setdefault(e, {})[f"quake-{n}"] = 1
    for n in range(20):  # twenty other reports, each of its own event
        mentions[f"place:elsewhere-{n}"] = {f"other-{n}": 1}

    def score(entities: list[str]) -> tuple[str | None, float]:
        return best_story(
            Counter(entities),
            40,
            lambda e: mentions.get(e, {}),
            lambda a: "quake" if a.startswith("quake") else a,
            lambda s: {e for e, where in mentions.items() if any(a.startswith(s) for a in where)},
            lambda s: 20 if s == "quake" else 1,
        )

    own = [f"person:new-{n}" for n in range(10)]  # names the library has never seen
    story, passing = score(["person:witness-0", "person:witness-1", *own])
    assert story == "quake" and not joins(passing)
    story, shared = score([*core, *own[:6]])
    assert story == "quake" and joins(shared)


def test_readable_dates() -> None:
    from store.analysis.dates import readable_date

    assert readable_date("2024-06-19") == "June 19, 2024"
    assert readable_date("--06-19") == "June 19"
    assert readable_date("2024-06") == "June 2024"
    assert readable_date("2023") == "2023"
    assert readable_date("wd-tuesday") == "Tuesday"


def test_new_article_joins_the_story_it_shares_entities_with(home: Path) -> None:
    lib = Library.open(home)
    docs = [
        SourceDocument(LONG_A, "a"),
        SourceDocument(LONG_B, "b"),
        SourceDocument(
            "Flood waters rose in Venice on Monday as the lagoon tide peaked, "
            "Mayor Luigi Brugnaro said.\nTourists waded across St Mark's "
            "Square.",
            "c",
        ),
    ]
    outcomes = list(lib.add_documents(docs))
    stories = [o.info.story for o in outcomes]
    assert stories[0] == stories[1] != stories[2]
    assert len(lib.stories()) == 2
