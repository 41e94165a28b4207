"""Pair features computed many pairs at a time must be what each pair alone gives."""

from __future__ import annotations

import math
import random
import re
from collections import Counter

import numpy as np
import pytest

from store.analysis.features import FEATURES, ClaimTable, Idf, claim_keys, feature_matrix
from store.models import Claim, Quantity


def _table(claims: list[tuple[Claim, str]]) -> ClaimTable:
    idf = Idf(claim_keys(c) for c, _ in claims)
    return ClaimTable.build([c for c, _ in claims], [t for _, t in claims], idf)


def _features(table: ClaimTable, pairs: list[tuple[int, int]]) -> np.ndarray:
    first = np.array([i for i, _ in pairs], dtype=np.intp)
    second = np.array([j for _, j in pairs], dtype=np.intp)
    ones = np.ones(len(pairs))
    return feature_matrix(table, first, second, ones)


def _row(table: ClaimTable, i: int, j: int) -> dict[str, float]:
    return dict(zip(FEATURES, _features(table, [(i, j)])[0].tolist()))


TREATY = Claim(
    0,
    "person:putin",
    ("person:putin", "place:pyongyang"),
    (Quantity(9.0, "times", "9 times"),),
    ("2024-06-19",),
    ("putin", "sign", "treaty", "pyongyang"),
)
TREATY_TEXT = "Putin signed the treaty in Pyongyang on June 19, trade grew 9 times."


def test_a_sentence_against_itself_matches_on_every_count():
    table = _table([(TREATY, TREATY_TEXT), (TREATY, TREATY_TEXT)])
    row = _row(table, 0, 1)
    for name in ("cosine", "overlap", "coverage", "word_f1", "bigram_f1", "trigram_f1"):
        assert row[name] == pytest.approx(1.0), name
    assert row["shared_entity"] == 1.0 and row["entity_jaccard"] == 1.0
    assert row["numbers_equal"] == 1.0 and row["number_conflict"] == 0.0
    assert row["unmatched"] == 0.0 and row["same_speaker"] == 1.0


def test_repeated_words_count_as_often_as_both_sides_say_them():
    a = Claim(0, terms=("vote",))
    b = Claim(1, terms=("vote",))
    table = _table([(a, "vote vote vote"), (b, "vote vote")])
    assert _row(table, 0, 1)["word_f1"] == pytest.approx(2 * 2 / (3 + 2))


def test_different_figures_people_and_dates_are_conflicts():
    other = Claim(
        1,
        "person:kim",
        ("person:kim", "place:moscow"),
        (Quantity(7.0, "times", "7 times"),),
        ("2024-06-20",),
        ("kim", "sign", "treaty", "moscow"),
    )
    table = _table([(TREATY, TREATY_TEXT), (other, "Kim signed the treaty in Moscow.")])
    row = _row(table, 0, 1)
    assert row["number_conflict"] == row["number_mismatch"] == 1.0
    assert row["date_conflict"] == row["person_conflict"] == row["place_conflict"] == 1.0
    assert row["shared_entity"] == 0.0 and row["same_speaker"] == 0.0
    assert 0.0 < row["overlap"] < 1.0


def test_features_do_not_depend_on_the_other_pairs_in_the_batch():
    rng = random.Random(3)
    words = [
        "army",
        "vote",
        "treaty",
        "sign",
        "port",
        "fire",
        "trade",
        "grow",
        "deal",
        "rice",
        "flood",
        "court",
    ]
    entities = ["person:kim", "person:putin", "place:oslo", "org:un"]
    claims = []
    for n in range(30):
        terms = tuple(rng.choice(words) for _ in range(rng.randint(0, 8)))
        numbers = tuple(
            Quantity(float(rng.randint(1, 3)), rng.choice(["", "%"]), "x")
            for _ in range(rng.randint(0, 2))
        )
        claim = Claim(
            n,
            rng.choice(["", "person:kim"]),
            tuple(rng.sample(entities, rng.randint(0, 3))),
            numbers,
            tuple(rng.sample(["2024", "2024-06-19", "wd-monday"], rng.randint(0, 2))),
            terms,
        )
        claims.append((claim, " ".join(terms + terms[:2])))
    table = _table(claims)
    pairs = [(i, j) for i in range(30) for j in range(30) if i != j and rng.random() < 0.4]
    together = _features(table, pairs)
    for row, (i, j) in zip(together, pairs):
        expected = _reference(claims[i], claims[j])
        got = dict(zip(FEATURES, row.tolist()))
        for name, value in expected.items():
            assert got[name] == pytest.approx(value, abs=1e-12), (name, i, j)


def _reference(a: tuple[Claim, str], b: tuple[Claim, str]) -> dict[str, float]:
    """The counting features of one pair, computed plainly from its two sentences.

    Independent of the batch code: word n-grams as Counters, entities as sets.
    """
    (ca, ta), (cb, tb) = a, b
    wa, wb = re.findall(r"[\w']+", ta.lower()), re.findall(r"[\w']+", tb.lower())

    def f1(n: int) -> float:
        ga = Counter(zip(*(wa[k:] for k in range(n))))
        gb = Counter(zip(*(wb[k:] for k in range(n))))
        total = sum(ga.values()) + sum(gb.values())
        return 2 * sum((ga & gb).values()) / total if total else 0.0

    ea, eb = set(ca.entities), set(cb.entities)
    return {
        "word_f1": f1(1),
        "bigram_f1": f1(2),
        "trigram_f1": f1(3),
        "entity_jaccard": len(ea & eb) / len(ea | eb) if ea | eb else 0.0,
        "shared_entity": float(bool(ea & eb)),
        "same_speaker": float(bool(ca.speaker) and ca.speaker == cb.speaker),
        "length_gap": math.log1p(abs(len(wa) - len(wb))),
    }


def test_article_likeness_only_nudges_a_pair_it_never_makes_one():
    from store.analysis.linking import Scorer, shifted

    scorer = Scorer((), 0.0, 0.1, 0.5, 0.75, 1.0, shift_scale=1.0, shift_max=0.15)
    scores = np.array([0.2, 0.45, 0.6, 0.55])
    likeness = np.array([1.0, 1.0, 0.0, 0.5])  # the median pair (0.75) moves nothing
    moved = shifted(scores, likeness, scorer)
    assert np.all(np.abs(moved - scores) <= 0.15 + 1e-12)
    assert moved[0] < scorer.threshold  # far below: alike articles never make it a link
    assert moved[1] > scorer.threshold  # just below, in very alike articles: it links
    assert moved[2] < scorer.threshold  # just above, in unlike articles: it does not


def test_how_long_two_articles_are_never_moves_a_pair_s_score():
    """A pair of sentences scores the same in articles of 3 claims or of 40: a longer
    report is no likelier to repeat a claim (a scorer that read the length linked
    three times as many pairs of a gold story had its reports been longer)."""
    from store.analysis.features import context_of
    from store.analysis.linking import default_scorer

    signed = Claim(1, "", ("place:pyongyang",), (), (), ("sign", "pact", "pyongyang", "leader"))
    table = _table([(TREATY, TREATY_TEXT), (signed, "The leaders signed a pact in Pyongyang.")])
    first, second = np.array([0]), np.array([1])
    scores = [
        default_scorer().probabilities(feature_matrix(table, first, second, context_of(n, n)))[0]
        for n in (3, 12, 40)
    ]
    assert scores[0] == scores[1] == scores[2]


def test_a_weak_pair_links_through_thirds_it_shares_not_through_one_hub():
    """Closure: two sentences scored under the threshold link when they both link
    strongly to enough of the same sentences; a hub they both link to (a headline
    linked across the story) is not enough when it is all they share."""
    from store.analysis.linking import closed, default_scorer

    scorer = default_scorer()
    strong = [(0, k) for k in range(1, 9)]  # sentence 0: a hub linked to 1..8
    strong += [(1, 9), (2, 9), (1, 10), (2, 10)]  # 1 and 2 share 9 and 10 besides
    strong += [(3, k) for k in range(11, 16)] + [(4, k) for k in range(16, 21)]  # 3, 4: own
    weak = [(1, 2), (3, 4)]
    pairs = np.array(strong + weak, dtype=np.intp)
    scores = np.array([0.9] * len(strong) + [(scorer.closure + scorer.threshold) / 2] * 2)
    kept = closed(pairs[:, 0], pairs[:, 1], scores, scorer)
    assert kept[: len(strong)].all()
    assert kept[-2]  # 1 and 2 share all three of the sentences they link to
    assert not kept[-1]  # 3 and 4 share the hub alone, of the six each links to


def test_a_story_s_own_sentences_count_as_linked_when_they_share_a_claim_group():
    """Adding to a story: its sentences' links are read from its claim groups. A sentence
    in two groups (it states two claims) is linked to the members of both."""
    from store.analysis.linking import ClaimRef, sharing_a_group
    from store.models import ClaimGroup, SentenceRef

    refs = [ClaimRef(article, Claim(sentence)) for article in "abc" for sentence in (1, 2)]
    a1, a2, b1, b2, c1, c2 = (SentenceRef(r.article, r.claim.sentence) for r in refs)
    groups = [ClaimGroup((a1, b1), a1), ClaimGroup((a1, c1), a1), ClaimGroup((b2, c2), b2)]
    linked = sharing_a_group(refs, groups)
    pairs = [(0, 2), (0, 4), (2, 4), (3, 5), (1, 3), (0, 5)]  # a1-b1 a1-c1 b1-c1 b2-c2 a2-b2 a1-c2
    first, second = (np.array(side, dtype=np.intp) for side in zip(*pairs))
    assert linked(first, second).tolist() == [True, True, False, True, False, False]


def test_two_tolls_worded_apart_are_one_count_and_a_toll_is_not_the_missing():
    dead = Quantity(9.0, "people", "nine", what="dead")
    toll = Claim(0, terms=("quake", "kill"), numbers=(dead,))
    deaths = Claim(1, terms=("death", "rise"), numbers=(Quantity(12.0, "", "12", what="dead"),))
    missing = Claim(2, terms=("worker", "miss"), numbers=(Quantity(6.0, "", "6", what="missing"),))
    table = _table(
        [
            (toll, "The quake killed nine people."),
            (deaths, "Deaths rose to 12."),
            (missing, "Six workers are missing."),
        ]
    )
    assert _row(table, 0, 1)["same_count"] == 1.0
    assert _row(table, 0, 2)["same_count"] == 0.0


def test_a_count_worded_apart_is_looked_up_under_what_it_counts():
    """ "Searching for as many as seven people" and "six workers missing" share no word:
    each finds the other as a candidate by the count both give, the missing; a
    sentence counting the dead with none of their words is not found so."""
    from store.analysis.linking import ClaimRef, StoryIndex

    searching = Claim(
        0,
        terms=("rescuer", "search", "people"),
        numbers=(Quantity(7.0, "people", "seven", what="missing"),),
    )
    missing = Claim(0, terms=("worker", "miss"), numbers=(Quantity(6.0, "", "6", what="missing"),))
    dead = Claim(0, terms=("quake", "kill"), numbers=(Quantity(9.0, "", "nine", what="dead"),))
    filler = [Claim(n, terms=(f"word{n}", "harbour")) for n in range(1, 4)]
    index = StoryIndex(
        [
            ClaimRef("a", searching),
            ClaimRef("b", missing),
            ClaimRef("c", dead),
            *(ClaimRef(article, claim) for article in "abc" for claim in filler),
        ]
    )
    first, second = index.candidate_pairs()
    pairs = set(zip(first.tolist(), second.tolist()))
    assert (0, 1) in pairs
    assert not {(0, 2), (1, 2)} & pairs
    assert "#missing" in claim_keys(missing)


def test_a_count_in_a_sentence_that_writes_out_a_year_is_another_events():
    """ "In 1999 a quake killed 2,400" gives no count of this event: it is not found
    under the dead, and beside this event's toll it is no `same_count`."""
    dead = (Quantity(9.0, "people", "nine", what="dead"),)
    past = (Quantity(2400.0, "people", "2,400", what="dead"),)
    toll = Claim(0, terms=("quake", "kill"), numbers=dead)
    before = Claim(1, terms=("quake", "kill", "1999"), numbers=past)
    table = _table(
        [(toll, "The quake killed nine people."), (before, "In 1999 a quake killed 2,400.")]
    )
    assert _row(table, 0, 1)["same_count"] == 0.0
    assert "#dead" in claim_keys(toll, "The quake killed nine people.")
    assert "#dead" not in claim_keys(before, "In 1999 a quake killed 2,400.")


def test_british_and_american_spellings_are_one_term():
    """ "The epicentre was 18 kilometres away" and "the epicenter, 18 kilometers away"
    share their words: a BBC report and an AP report of one quake."""
    from store.analysis.claims import terms_of
    from store.analysis.nlp import pipeline

    british, american = (
        terms_of(next(pipeline()(text).sents))
        for text in (
            "The epicentre was 18 kilometres south of Hualien, in the centre of the county.",
            "The epicenter was 18 kilometers south of Hualien, in the center of the county.",
        )
    )
    assert british == american
    assert "epicenter" in british


def _figures(sentence: str) -> tuple[Claim, str]:
    from store.analysis.claims import numbers_of
    from store.analysis.nlp import pipeline

    return Claim(0, terms=("word",), numbers=numbers_of(next(pipeline()(sentence).sents))), sentence


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        # two agencies' magnitudes: one claim, whatever the figures
        ("The USGS put the quake's magnitude at 7.4.", "A magnitude 7.2 quake hit Taiwan.", True),
        # the same thing counted ("foot"), not an event count
        ("The 984-foot Dali lost power.", "The 948-foot ship hit a pillar.", True),
        # members of the crew are the crew; a unit's short name is its name
        ("All 22 crew members were Indian.", "The 21-member crew was safe.", True),
        ("The quake was 15.5 km deep.", "It struck 15 kilometres below ground.", True),
        # a record over a span of time, however the span is written
        (
            "Taiwan's strongest quake in 25 years hit Hualien.",
            "It is the most powerful in a quarter-century.",
            True,
        ),
        (
            "The quake was the strongest since one in 1999.",
            "The biggest earthquake in decades hit.",
            True,
        ),
        (
            "A protest in Athens since 1991 drew crowds.",
            "The worst riots in decades hit Athens.",
            False,
        ),
        # when it happened, in two ways of writing the time
        ("The ship struck the bridge at 1:30 a.m.", "The collision came at 1:27am.", True),
        # a time a figure was told is not when the quake struck
        ("The quake struck at 7:58 am.", "As of 7 pm, nine people were dead.", False),
        # people, counted without saying who: any group
        ("The island has 23 million people.", "More than 60 people emerged alive.", False),
        # the dead and the injured are two counts
        ("The quake killed nine people.", "More than 900 people were injured.", False),
    ],
)
def test_two_sentences_that_count_the_same_thing_give_a_same_count(
    first: str, second: str, same: bool
) -> None:
    table = _table([_figures(first), _figures(second)])
    assert _row(table, 0, 1)["same_count"] == float(same)
