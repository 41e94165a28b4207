"""Synthetic news stories for benchmarks.

Each story has its own cast, places, organisations and topic. Every article
of a story reports some of the story's core facts, reworded and with figures
sometimes changed (so links, including `differs`, exist), and adds sentences
of its own. Sentences come from templates filled from word lists, so texts
read like news without any real data.
"""

from __future__ import annotations

import random

from store.ingest.sources import SourceDocument

FIRST = [
    "Maria",
    "Chen",
    "Olga",
    "James",
    "Amina",
    "Kenji",
    "Lars",
    "Fatima",
    "Pedro",
    "Anna",
    "Tomas",
    "Leila",
    "Samuel",
    "Ines",
    "Viktor",
    "Grace",
    "Rahul",
    "Sofia",
    "Omar",
    "Ewa",
]
LAST = [
    "Lopez",
    "Wei",
    "Petrova",
    "Carter",
    "Diallo",
    "Sato",
    "Nilsson",
    "Khan",
    "Alves",
    "Novak",
    "Berg",
    "Haddad",
    "Okafor",
    "Moreau",
    "Ivanov",
    "Mensah",
    "Gupta",
    "Rossi",
    "Farouk",
    "Kowalski",
    "Tanaka",
    "Silva",
    "Brennan",
    "Adeyemi",
    "Lindqvist",
]
PLACES = [
    "Geneva",
    "Nairobi",
    "Lima",
    "Oslo",
    "Hanoi",
    "Cairo",
    "Quito",
    "Riga",
    "Accra",
    "Dhaka",
    "Tbilisi",
    "Manila",
    "Bogota",
    "Tunis",
    "Hobart",
    "Windhoek",
    "Tallinn",
    "Kigali",
    "Asuncion",
    "Ulaanbaatar",
]
COUNTRIES = [
    "Kenya",
    "Peru",
    "Norway",
    "Vietnam",
    "Egypt",
    "Ecuador",
    "Latvia",
    "Ghana",
    "Bangladesh",
    "Georgia",
    "Colombia",
    "Tunisia",
    "Namibia",
    "Estonia",
    "Rwanda",
]
ORGS = [
    "the Ministry of Finance",
    "the central bank",
    "the World Health Organization",
    "the port authority",
    "the national electoral commission",
    "the Red Cross",
    "the energy regulator",
    "the supreme court",
    "the teachers' union",
    "the navy",
]
TOPICS = [
    ("flood", "flood defences", "residents", "evacuated", "water levels"),
    ("strike", "wage talks", "workers", "walked out", "pay offers"),
    ("election", "the vote count", "voters", "turned out", "ballots"),
    ("outbreak", "the vaccination drive", "patients", "were treated", "infections"),
    ("trade deal", "the tariff agreement", "exporters", "signed up", "shipments"),
    ("earthquake", "the rescue effort", "families", "were sheltered", "aftershocks"),
    ("summit", "the security pact", "delegates", "arrived", "proposals"),
    ("port fire", "the cargo inspection", "dockers", "were moved", "containers"),
]
CORE = [
    "{person} said on {day} that {topic2} in {place} would cost {money} million dollars.",
    "More than {n} {people} {verb} in {place} after the {topic1}, {org} said.",
    "{person} told reporters that {topic3} had risen by {pct} percent since {month}.",
    "The {topic1} in {place} is the worst in {years} years, according to {person2}.",
    "{org} confirmed that {n2} {people} {verb} by {day} evening.",
    "Officials in {country} said {topic2} would resume on {day} despite the {topic1}.",
    "{person2} warned that {topic3} could double within {weeks} weeks.",
    "A spokesperson for {org} said {n} teams had been sent to {place}.",
]
FILLER = [
    "Local media showed crowds gathering near the main square of {place}.",
    "{person2} declined to comment on the details of {topic2}.",
    "Analysts said the {topic1} would weigh on the economy of {country} for months.",
    "In a statement, {org} asked for calm and promised regular updates.",
    "Roads into {place} remained closed on {day}, police said.",
    "The government of {country} has faced criticism over its handling of {topic2}.",
    "Some {people} said they had received no information from the authorities.",
    "Opposition leaders called for an inquiry into the response to the {topic1}.",
    "Prices of basic goods in {place} rose sharply, traders said.",
    "International observers are expected to visit {place} next week.",
    "{person} is due to meet regional leaders later this month.",
    "Schools in parts of {country} were closed as a precaution.",
]
SUBJECTS = [
    "{person2}",
    "a local official",
    "the mayor of {place}",
    "{org}",
    "a senior diplomat",
    "the opposition",
    "a resident of {place}",
    "the police",
    "aid workers",
    "a government adviser",
    "economists",
    "the army",
]
VERBS = [
    "criticised",
    "defended",
    "questioned",
    "welcomed",
    "rejected",
    "described",
    "played down",
    "praised",
    "warned about",
    "called for",
    "blamed",
    "reviewed",
    "investigated",
    "postponed",
    "announced",
    "funded",
    "opposed",
    "supported",
]
# Objects are an adjective and a noun, about 700 in all: in real reporting two
# unrelated sentences seldom name the same thing, and a few hundred sentences
# a story drawn from a short list would read as one claim repeated.
OBJECT_ADJECTIVES = [
    "new",
    "delayed",
    "regional",
    "emergency",
    "disputed",
    "revised",
    "annual",
    "proposed",
    "local",
    "joint",
    "temporary",
    "national",
    "costly",
    "overdue",
    "secret",
    "public",
    "federal",
    "rural",
    "coastal",
    "municipal",
    "draft",
    "interim",
    "long-term",
    "private",
]
OBJECT_NOUNS = [
    "budget",
    "report",
    "curfew",
    "bridge repairs",
    "fuel subsidy",
    "school programme",
    "fund",
    "border checks",
    "rail strike",
    "hospital plan",
    "grain shipment",
    "airport",
    "census",
    "water pipeline",
    "tax reform",
    "court ruling",
    "housing scheme",
    "pension law",
    "mining licence",
    "power plant",
    "bus contract",
    "fishing quota",
    "visa rules",
    "loan deal",
    "road project",
    "media law",
    "rice harvest",
    "ferry service",
    "job scheme",
]
ADJUNCTS = [
    "on {day}",
    "last week",
    "in a radio interview",
    "at a press briefing",
    "in {place}",
    "earlier this year",
    "after a long meeting",
    "in a letter to {org}",
    "before the weekend",
    "during a visit to {country}",
]
SOURCES = [
    "officials said",
    "a statement said",
    "local media reported",
    "witnesses said",
    "according to state television",
    "sources told reporters",
    "the agency said",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "March", "May", "July", "September", "November"]


def _cast(rng: random.Random) -> dict:
    """A story's own people, places and figures, and the pools its other sentences draw on."""
    topic = rng.choice(TOPICS)
    return {
        "pools": {
            "person2": [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(6)],
            "place": rng.sample(PLACES, 4),
            "org": rng.sample(ORGS, 3),
            "country": rng.sample(COUNTRIES, 2),
        },
        "person": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
        "person2": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
        "place": rng.choice(PLACES),
        "country": rng.choice(COUNTRIES),
        "org": rng.choice(ORGS),
        "topic1": topic[0],
        "topic2": topic[1],
        "people": topic[2],
        "verb": topic[3],
        "topic3": topic[4],
        "day": rng.choice(DAYS),
        "month": rng.choice(MONTHS),
        "n": str(rng.randint(20, 900)),
        "n2": str(rng.randint(20, 900)),
        "money": str(rng.randint(2, 90)),
        "pct": str(rng.randint(3, 60)),
        "years": str(rng.randint(5, 50)),
        "weeks": str(rng.randint(2, 9)),
    }


def _fill(template: str, cast: dict, rng: random.Random, vary: bool) -> str:
    values = dict(cast)
    if vary:  # another source's figures
        for key in ("n", "n2", "money", "pct"):
            if rng.random() < 0.3:
                values[key] = str(int(values[key]) + rng.randint(1, 9))
    text = template.format(**values)
    return text[0].upper() + text[1:]


def story_articles(
    story: int,
    n_articles: int,
    rng: random.Random,
    sentences_per_article: tuple[int, int] = (15, 30),
) -> list[SourceDocument]:
    """The articles of one story (about 20 words a sentence)."""
    cast = _cast(rng)
    core = rng.sample(CORE, k=6)
    docs = []
    for a in range(n_articles):
        n = rng.randint(*sentences_per_article)
        body = [_fill(t, cast, rng, vary=a > 0) for t in rng.sample(core, k=rng.randint(2, 5))]
        while len(body) < n:
            local = dict(cast, day=rng.choice(DAYS))
            local.update({key: rng.choice(pool) for key, pool in cast["pools"].items()})
            template = (
                rng.choice(FILLER)
                if rng.random() < 0.2
                else (
                    f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} "
                    f"the {rng.choice(OBJECT_ADJECTIVES)} {rng.choice(OBJECT_NOUNS)} "
                    f"{rng.choice(ADJUNCTS)}, {rng.choice(SOURCES)}."
                )
            )
            body.append(_fill(template, local, rng, vary=False))
        rng.shuffle(body)
        title = f"{cast['topic1'].capitalize()} in {cast['place']}: report {story}-{a}"
        paragraphs = [" ".join(body[i : i + 3]) for i in range(0, len(body), 3)]
        docs.append(SourceDocument("\n".join([title, *paragraphs]), f"synth:{story}:{a}"))
    return docs
