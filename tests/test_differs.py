"""`differs` only where the same fact differs: same thing counted, same agency, same event."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from store.analysis.linking import default_scorer, differences
from store.ingest.sources import SourceDocument
from store.library import Library
from store.models import Claim, Quantity


def claim(*numbers: Quantity, dates: tuple[str, ...] = (), entities: tuple[str, ...] = ()) -> Claim:
    return Claim(0, "", entities, numbers, dates, ())


def q(value: float, what: str, text: str = "", bound: str = "", unit: str = "") -> Quantity:
    return Quantity(value, unit, text or str(value), what, bound)


def test_two_death_tolls_differ_and_both_values_are_kept() -> None:
    [diff] = differences(claim(q(4, "dead", "four")), claim(q(9, "dead", "nine")))
    assert (diff.what, diff.this, diff.other) == ("dead", "four", "nine")


def test_figures_of_different_things_never_differ() -> None:
    # "injured over 946 people" against "killing nine people": both counted people
    a = claim(q(946, "injured", unit="person", bound="min"))
    b = claim(q(9, "dead", unit="person"))
    assert differences(a, b) == ()


def test_people_counted_for_nothing_known_are_not_one_count() -> None:
    """ "looking for upwards of seven people" and "pulled two people out of the water", or
    "22 crew members" and "six members of a construction crew": figures of people that
    say nothing of what happened to them may count any group. Troops still compare."""
    searched = claim(q(7, "", "seven", bound="min", unit="people"))
    assert differences(searched, claim(q(2, "", "two", unit="people"))) == ()
    assert differences(claim(q(22, "", unit="member")), claim(q(6, "", unit="member"))) == ()
    [diff] = differences(claim(q(300, "", unit="troop")), claim(q(400, "", unit="troop")))
    assert diff.what == "troop"


@pytest.mark.parametrize(
    ("bound", "value", "other", "differs"),
    [
        ("min", 1000, 1400, False),  # "more than 1,000 flights" and "1,400": one count, rounded
        ("min", 50, 711, True),  # "more than 50 injured" early, "711" later: an update
        ("min", 4, 9, True),  # "at least four dead" and "nine dead"
        ("about", 100, 110, False),
        ("max", 7, 6, True),  # "as many as seven missing", later "six missing": two counts
        ("max", 20, 15, False),  # "as many as 20" rounds a count of 15
        ("", 4, 5, True),
        ("vague", 200, 950, False),  # "hundreds injured" and "950 injured"
        ("vague", 200, 1011, True),  # "hundreds" is under a thousand
        ("vague", 24, 12, True),  # "dozens" is more than one dozen
        ("several", 2, 5, False),  # "shot multiple times" and "shot five times"
        ("several", 2, 100, False),  # "multiple aftershocks" and "more than 100"
        ("several", 2, 1, True),  # "shot several times" and "one hitting him"
    ],
)
def test_a_bound_holds_values_inside_it(bound: str, value: int, other: int, differs: bool) -> None:
    found = differences(claim(q(value, "dead", bound=bound)), claim(q(other, "dead")))
    assert bool(found) == differs


def test_another_agencys_reading_is_no_difference() -> None:
    usgs = claim(q(7.4, "magnitude"), entities=("org:usgs",))
    local = claim(q(7.2, "magnitude"), entities=("org:central-weather-administration",))
    unattributed = claim(q(7.2, "magnitude"))
    assert differences(usgs, local) == ()
    assert differences(usgs, unattributed) == ()
    revised = claim(q(7.5, "magnitude"), entities=("org:usgs",))
    assert differences(usgs, revised)  # one agency, two readings


def test_two_events_in_different_years_never_differ() -> None:
    # "in 1999 a quake killed 2,400" against "Wednesday's quake killed nine"
    past = claim(q(2400, "dead"), dates=("1999-09",))
    today = claim(q(9, "dead"), dates=("2024-04-03",))
    assert differences(past, today) == ()
    assert differences(claim(dates=("1999",)), claim(dates=("2024",))) == ()


def test_dates_compare_only_where_both_sentences_write_one_out() -> None:
    a, b = claim(dates=("2024-06-19",)), claim(dates=("2024-06-18",))
    [diff] = differences(a, b)
    assert (diff.what, diff.this, diff.other) == ("date", "June 19, 2024", "June 18, 2024")
    # "on Tuesday" and "on Wednesday" resolved against the reports' own dates: not compared
    assert differences(a, b, dates=False) == ()


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Sixty-four people were trapped in a coal mine.", [(64.0, "trapped", "")]),
        # number words, read by text2num: the teens, and one number of several words
        ("Fifteen people died in the fire.", [(15.0, "dead", "")]),
        ("Nineteen workers were trapped.", [(19.0, "trapped", "")]),
        ("One hundred and twenty people were rescued.", [(120.0, "rescued", "")]),
        ("Three thousand people were evacuated.", [(3000.0, "evacuated", "")]),
        ("A dozen people were injured.", [(12.0, "injured", "about")]),
        ("Two dozen people were injured.", [(24.0, "injured", "")]),
        ("Hundreds of people were evacuated.", [(200.0, "evacuated", "vague")]),
        ("Dozens were hurt.", [(24.0, "injured", "vague")]),
        ("He was the first to arrive, and the second to leave.", []),
        ("Fico was shot multiple times.", [(2.0, "hits", "several")]),
        ("Surgery removed tissue from his multiple gunshot wounds.", [(2.0, "hits", "several")]),
        ("The surgery took several hours.", []),  # "several" only as a count of the event
        ("Twenty-five soldiers were killed on Monday.", [(25.0, "dead", "")]),
        ("The quake killed at least four people.", [(4.0, "dead", "min")]),
        ("More than 50 people were injured.", [(50.0, "injured", "min")]),
        ("The death toll rose to 9 on Wednesday.", [(9.0, "dead", "")]),
        ("Rescuers are searching for as many as seven people.", [(7.0, "missing", "max")]),
        ("They may be looking for upwards of seven people.", [(7.0, "missing", "min")]),
        ("Nine people looked on as the bridge fell.", [(9.0, "", "")]),
        ("Police said 300 troops were deployed.", [(300.0, "troop", "")]),
        (
            "Two people were pulled out but six others were still missing.",
            [(2.0, "", ""), (6.0, "missing", "")],
        ),
        ("Divers recovered the bodies of two construction workers.", [(2.0, "bodies", "")]),
        # a "search-and-rescue operation" names an effort: the six are the dead
        (
            "Officials ended the search-and-rescue operation for the six men presumed to be dead.",
            [(6.0, "dead", "")],
        ),
        # bodies not found yet are the missing, not the bodies recovered
        ("The crew were killed, with four bodies yet to be found.", [(4.0, "missing", "")]),
        ("Four bodies have still not been recovered.", [(4.0, "missing", "")]),
        ("Four bodies were still in the wreck when divers found them.", [(4.0, "bodies", "")]),
        # shots fired, and the shots that hit: two counts
        ("He was shot five times at close range.", [(5.0, "hits", "")]),
        ("The suspect fired five rounds.", [(5.0, "shots", "")]),
        ("The gunman fired four times.", [(4.0, "shots", "")]),
        ("His four gunshot wounds are extensive.", [(4.0, "hits", "")]),
        ("Four shots were fired, one hitting him.", [(4.0, "shots", ""), (1.0, "hits", "")]),
        ("The 985-foot ship hit a pier.", [(985.0, "foot", "")]),
        # a magnitude, however it is joined to its quake
        ("A magnitude 7.2 quake hit Taiwan.", [(7.2, "magnitude", "")]),
        ("The magnitude-7.4 quake hit at dawn.", [(7.4, "magnitude", "")]),
        ("The quake had a magnitude of 7.4.", [(7.4, "magnitude", "")]),
        ("Prices rose three times last year.", [(3.0, "times", "")]),
        # a part of a set is not a count of it: "four shots" and "one of the shots" agree
        ("He said one of the shots had nearly hit his heart.", [(1.0, "", "")]),
        ("Two of the six missing workers were found.", [(2.0, "", ""), (6.0, "missing", "")]),
    ],
)
def test_a_figure_knows_what_it_counts(sentence: str, expected: list) -> None:
    from store.analysis.claims import numbers_of
    from store.analysis.nlp import pipeline

    sent = next(pipeline()(sentence).sents)
    assert [(x.value, x.what, x.bound) for x in numbers_of(sent)] == expected


def test_a_date_range_holds_each_of_its_days() -> None:
    from datetime import date

    from store.analysis.dates import normalise_dates

    visit = normalise_dates("June 18-19", date(2024, 6, 20))
    assert visit == ("2024-06-18", "2024-06-19")
    assert normalise_dates("18\u201319 June 2024", None) == visit
    assert differences(claim(dates=visit), claim(dates=("2024-06-19",))) == ()
    [diff] = differences(claim(dates=visit), claim(dates=("2024-06-21",)))
    assert diff.what == "date"


# Other news of the day, eight lines for each report: real reports are articles, not one
# sentence, and sentences with an article around them need only report the same fact.
BACKGROUND = (
    "The city council approved a new budget for public libraries.",
    "A heat wave is expected to reach the coast by the weekend.",
    "The local football team signed a young goalkeeper from Portugal.",
    "Petrol prices fell for the third week in a row.",
    "A new bakery opened in the old railway station.",
    "Students protested against higher tuition fees at the university.",
    "The zoo welcomed two baby penguins this spring.",
    "A jazz festival will fill the central park in July.",
    "Farmers warned that the dry summer could cut the wheat harvest.",
    "The mayor unveiled plans for a cycle lane along the river.",
    "A museum displayed letters written by a famous poet.",
    "Hospital waiting times grew longer during the winter.",
    "An airline added daily flights to Lisbon and Madrid.",
    "The theatre staged a comedy about a lost wedding ring.",
    "A storm knocked out electricity to several villages overnight.",
    "The school board hired forty new teachers for the autumn.",
    "A tech startup raised money to build solar roof tiles.",
    "Police closed a road after a landslide in the hills.",
    "The orchestra announced a tour of northern towns.",
    "Bird watchers counted rare owls in the forest reserve.",
    "A charity race raised funds for the children's hospital.",
    "The port authority bought two electric tugboats.",
    "Volunteers planted trees along the motorway.",
    "The tax office moved to a building near the cathedral.",
)


def _bridge_story(home: Path, texts: dict[str, str]) -> tuple[dict[str, str], dict]:
    """Reports added as one story, each a headline, the sentence given for it and eight
    lines of other news: each report's id by name, and the links between the given
    sentences by the pair of names."""
    lib = Library.open(home)
    docs = [
        SourceDocument("\n\n".join(["Bridge report", text, *BACKGROUND[8 * n : 8 * n + 8]]), name)
        for n, (name, text) in enumerate(texts.items())
    ]
    ids = {o.name: o.info.id for o in lib.add_documents(docs, story="bridge") if o.info}
    name = {article: key for key, article in ids.items()}
    given = set(texts.values())
    links = {
        frozenset((name[x.a_article], name[x.b_article])): x
        for x in lib.links(lib.story("bridge").id)
        if lib.article(x.a_article).sentence_text(x.a_sentence) in given
        and lib.article(x.b_article).sentence_text(x.b_sentence) in given
    }
    return ids, links


def test_one_count_given_differently_links_even_in_other_words(home: Path) -> None:
    """Sentences that share little wording beyond a changing count still meet as `differs`;
    a count of other things does not link on that alone."""
    ids, links = _bridge_story(
        home,
        {
            "early": "Rescuers searched the river for at least seven members of the road crew.",
            "later": "Four workers are still missing, the road agency said.",
            "other": "Four ships were waiting to enter the harbour on Tuesday afternoon.",
        },
    )
    changed = links[frozenset(("early", "later"))]
    assert changed.relation == "differs"
    assert [(d.what, d.this, d.other) for d in changed.differences_from(ids["early"], 1)] == [
        ("missing", "seven", "Four")
    ]
    assert frozenset(("later", "other")) not in links


def test_one_count_given_alike_in_other_words_links_as_the_same_fact(home: Path) -> None:
    """Two sentences that give the same count of the missing in other words report one
    fact: they link, and nothing differs."""
    _, links = _bridge_story(
        home,
        {
            "crew": "Divers searched the river overnight for the four members of the road "
            "crew who are missing.",
            "police": "Officials believe four people remain missing in the cold water.",
            "ships": "Four ships were waiting to enter the harbour on Tuesday afternoon.",
        },
    )
    alike = links[frozenset(("crew", "police"))]
    assert alike.relation in ("same", "related") and not alike.differences
    assert frozenset(("police", "ships")) not in links


def test_shots_fired_and_shots_that_hit_are_two_counts() -> None:
    """ "Fired five rounds" against "shot four times" is no difference (shots may miss);
    "four shots were fired, one hitting him" against "shot five times" is one: 1 hit, 5."""
    from store.analysis.claims import numbers_of
    from store.analysis.nlp import pipeline

    def said(sentence: str) -> Claim:
        return claim(*numbers_of(next(pipeline()(sentence).sents)))

    hit_five = said("He was shot five times at close range.")
    assert differences(said("The suspect fired four rounds."), hit_five) == ()
    [diff] = differences(said("Four shots were fired, one hitting him."), hit_five)
    assert (diff.what, diff.this, diff.other) == ("hits", "one", "five times")


def test_counts_given_in_parts_agree_with_their_total() -> None:
    # "Sixty-four people were trapped in one coal mine, and six in a different mine" / "70"
    parts = claim(q(64, "trapped", "Sixty-four"), q(6, "trapped", "six"))
    assert differences(parts, claim(q(70, "trapped", "70"))) == ()
    [diff] = differences(parts, claim(q(80, "trapped", "80")))
    assert (diff.this, diff.other) == ("Sixty-four, six", "80")


@pytest.mark.parametrize(
    ("other", "bound", "differs"),
    [(946, "min", False), (900, "", False), (946, "", False), (711, "", True), (1011, "", True)],
)
def test_a_round_hundred_is_a_count_rounded_down(other: int, bound: str, differs: bool) -> None:
    """ "900 injured" in a headline and "over 946" in the text are one count; 711 earlier
    in the day and 1,011 later are others."""
    found = differences(claim(q(900, "injured")), claim(q(other, "injured", bound=bound)))
    assert bool(found) == differs


def test_a_count_where_only_one_report_looks_is_a_part_of_the_whole() -> None:
    """ "Four fatalities" in a national park that only one report names, against "nine
    dead" in Taiwan: a part, not a difference. Against another report's "four people died
    in Hualien", a place several reports name, nine still differs."""
    from store.analysis.linking import ClaimRef, StoryIndex, labelled

    def said(n: float, *places: str) -> Claim:
        return Claim(0, "", tuple(f"place:{p}" for p in places), (q(n, "dead"),), (), ())

    refs = [
        ClaimRef("park", said(4, "taroko")),
        ClaimRef("wire", said(9, "taiwan")),
        ClaimRef("tv", said(4, "taiwan", "hualien")),
        ClaimRef("paper", said(9, "taiwan", "hualien")),
        ClaimRef("town", said(2, "hsiulin")),  # another part
        ClaimRef("radio", said(2)),  # where, it does not say
    ]
    index = StoryIndex(refs)
    first, second = np.array([0, 1, 1, 0, 0]), np.array([1, 2, 3, 4, 5])
    links = labelled(refs, first, second, np.full(5, 0.9), default_scorer(), index.places).links()
    assert [x.relation for x in links] == ["same", "differs", "same", "same", "differs"]


def test_the_day_a_statement_was_made_dates_the_report_not_the_claim() -> None:
    """ "... said on Sunday (May 19)" against "shot on May 15": the day of the statement is
    not the day of the shooting, so it is not compared; the day of the shooting is."""
    from datetime import date

    from store.analysis.claims import dates_of
    from store.analysis.nlp import pipeline

    def dated(sentence: str) -> tuple[str, ...]:
        return dates_of(next(pipeline()(sentence).sents), date(2024, 5, 20))

    assert dated("His life is no longer in danger, his deputy said on Sunday (May 19).") == ()
    assert dated("Fico was shot on Wednesday, officials said.") == ("2024-05-15",)
    assert dated("Putin said the treaty was signed on June 19.") == ("2024-06-19",)


@pytest.mark.parametrize(
    ("first", "second", "differs"),
    [
        (948, 984, True),  # one ship's length, given two ways
        (985, 984, False),  # one length, rounded
        (2.57, 2.6, False),  # "2.57 km" and "a 2.6-km-long bridge"
        (985, 25, False),  # the ship's 985 feet, and the 25 feet of water a truck lay in
        (15.5, 150, False),  # a quake's depth, and Taipei 150 km away
        (140, 180, True),  # one town's distance from the capital, given two ways
    ],
)
def test_figures_of_a_measure_differ_only_when_they_measure_one_thing(
    first: float, second: float, differs: bool
) -> None:
    found = differences(claim(q(first, "foot", unit="foot")), claim(q(second, "foot", unit="foot")))
    assert bool(found) == differs
