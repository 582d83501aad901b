"""Deterministic generator of seed-sized (~3.3 KB) text dumps for benchmarks: body, boilerplate, related block."""

from __future__ import annotations

import random

_PLACES = ["SEOUL", "LONDON", "NAIROBI", "LIMA", "OSLO", "MANILA", "CAIRO", "DELHI", "ACCRA", "QUITO"]
_PEOPLE = ["Ana Ruiz", "Kim Min-jun", "Peter Okafor", "Lena Fischer", "Ravi Menon", "Sofia Petrova", "Tom Hale"]
_ORGS = ["the Finance Ministry", "KCNA", "the Central Bank", "Reuters", "the United Nations", "NATO"]
_SENTENCES = [
    "{person} said on {weekday} (Oct {day}) that talks with {org} would continue next month.",
    "Officials in {city} confirmed the figures, which were first reported by {org}.",
    '"We will not accept any delay in this process," {person} said at a briefing.',
    "The decision drew criticism from {org}, which said the cost of the programme had been ignored.",
    "Prices rose by {num} per cent in the year to September, the fastest pace since 2008.",
    "{person} told reporters the plan would be reviewed by {org} before the end of the year.",
    "The move follows weeks of protests in {city}, where thousands marched against the new rules.",
    "Critics say the measures go too far, while supporters argue they are long overdue.",
]
_TEASERS = [
    "Apple unveils new iPhone with a faster chip in {city}The device will cost more than last year's model.",
    "McDonald's to close {num} outlets across the regionThe chain blamed rising costs.",
    "eBay sells stake in payments unit to investorsThe deal is worth about {num} million dollars.",
    "Floods displace thousands in northern {city}Rescue teams are working through the night to reach",
    "{person} wins second term in close electionThe result was announced early on {weekday}. Read more at example.com.",
]
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def generate_dump(seed: int) -> str:
    """One dump; the same seed gives the same text."""
    rng = random.Random(seed)

    def fill(template: str) -> str:
        return template.format(
            person=rng.choice(_PEOPLE),
            org=rng.choice(_ORGS),
            city=rng.choice(_PLACES).title(),
            weekday=rng.choice(_WEEKDAYS),
            day=rng.randint(1, 28),
            num=rng.randint(2, 90),
        )

    # The seed's proportions: a body of four or five paragraphs (about 1.4 KB), then five related items whose
    # summaries run from one sentence to a cut-off paragraph (about 1.9 KB).
    paragraphs = []
    for index in range(rng.randint(4, 5)):
        sentences = " ".join(fill(template) for template in rng.sample(_SENTENCES, rng.randint(3, 5)))
        prefix = f"{rng.choice(_PLACES)} — " if index == 0 else ""
        paragraphs.append(prefix + sentences)
    if rng.random() < 0.3:  # a scraper artefact: a phrase duplicated in place
        paragraphs[1] = paragraphs[1].replace(" said ", " said said ", 1)
    paragraphs[-1] += "ALSO READ:"
    lines = [
        *paragraphs,
        "Advertisement",
        "World Latest News, World Headlines",
        "Similar News:You can also read news stories similar to this one that we have collected from other "
        "news sources.",
    ]
    for _ in range(5):
        extra = " ".join(fill(template) for template in rng.sample(_SENTENCES, rng.randint(1, 4)))
        teaser = fill(rng.choice(_TEASERS))
        if extra and not teaser.endswith(("reach", "example.com.")):
            teaser = f"{teaser} {extra}"
        lines.extend([teaser, "Read more »"])
    return "\n".join(lines) + "\n"
