"""Entities: people, organisations and places by capitalised spans, cues and gazetteers, in first-appearance order."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from workers.records import Entities, Place
from workers.stages.enrich import entities
from workers.stages.enrich.entities import find_entities, fold_surnames, full_name
from workers.stages.enrich.letters import UPPER


def place_names(places: tuple[Place, ...]) -> tuple[str, ...]:
    return tuple(place.name for place in places)


SEED_LIKE = (
    "North Korea leader Kim Jong-un exchanged letters with Russian President Vladimir Putin on Thursday, "
    "Pyongyang's state media KCNA said. Kim's rare trip to Russia came after Putin discussed the war in Ukraine. "
    "A revived Moscow-Pyongyang axis could bolster Russia's military, and UN resolutions ban missile technology."
)


def test_people_organisations_and_places_of_a_seed_like_text() -> None:
    entities = find_entities(SEED_LIKE)
    assert entities.people == ("Kim Jong-un", "Vladimir Putin")
    assert entities.organisations == ("KCNA", "UN")
    assert place_names(entities.places) == ("North Korea", "Pyongyang", "Russia", "Ukraine", "Moscow")


def test_later_surname_mention_does_not_add_a_second_person() -> None:
    people = find_entities("President Vladimir Putin spoke. Later, leader Putin said he would go.").people
    assert people == ("Vladimir Putin",)


def test_title_introduces_a_person_and_the_words_before_it_are_classified_apart() -> None:
    entities = find_entities("US Secretary of State Antony Blinken met French President Emmanuel Macron.")
    assert entities.people == ("Antony Blinken", "Emmanuel Macron")
    assert place_names(entities.places) == ("United States",)


def test_korean_style_hyphenated_names_are_people_without_a_cue() -> None:
    assert find_entities("Officials met Ri Song-jin in the capital.").people == ("Ri Song-jin",)


def test_name_before_a_speech_verb_is_a_person() -> None:
    entities = find_entities("Putin's spokesperson, Dmitry Peskov, said the Kremlin was in touch.")
    assert entities.people == ("Dmitry Peskov",)
    assert entities.organisations == ("Kremlin",)


def test_abbreviated_title_introduces_a_person() -> None:
    assert find_entities('"It keeps the lights on," said Rep. Lorraine Buckley, a Republican.').people == (
        "Lorraine Buckley",
    )


def test_speech_verb_after_an_organisation_span_makes_no_person_of_its_parts() -> None:
    entities = find_entities("The Joint Chiefs of Staff said the drone flew 4km south.")
    assert entities.people == ()
    assert entities.organisations == ("Joint Chiefs of Staff",)


def test_lower_case_role_before_a_name_marks_a_person() -> None:
    assert find_entities("Mali's interim president Assimi Goita spoke.").people == ("Assimi Goita",)


def test_sentence_opening_word_before_said_is_not_a_person() -> None:
    assert find_entities("Officials said the talks failed. Police said nothing.").people == ()


def test_organisation_cue_words_make_an_organisation() -> None:
    text = "a researcher of the National Aerospace Technology Administration and the Ministry of Foreign Affairs."
    assert find_entities(text).organisations == (
        "National Aerospace Technology Administration",
        "Ministry of Foreign Affairs",
    )


def test_all_caps_acronyms_are_organisations_unless_they_are_places_or_common_words() -> None:
    entities = find_entities("NATO and the EU met in the UK. The CEO spoke on TV.")
    assert entities.organisations == ("NATO", "EU")
    assert place_names(entities.places) == ("United Kingdom",)


def test_dateline_place_is_listed_first_under_its_geonames_name() -> None:
    assert place_names(find_entities("Rain fell in Moscow.", dateline="SEOUL").places) == ("Seoul", "Moscow")


def test_unknown_dateline_is_not_a_place() -> None:
    assert find_entities("Rain fell.", dateline="SPRINGFIELDIA").places == ()


def test_entities_are_deduplicated_in_first_appearance_order() -> None:
    places = find_entities("Ukraine, Russia and Ukraine again; then Russia.").places
    assert place_names(places) == ("Ukraine", "Russia")


def test_fold_surnames_drops_one_word_names_of_longer_names() -> None:
    assert fold_surnames(("Kim", "Kim Jong-un", "Peskov")) == ("Kim Jong-un", "Peskov")


def test_full_name_finds_the_longer_name_of_a_surname() -> None:
    assert full_name("Kim", ("Kim Jong-un", "Vladimir Putin")) == "Kim Jong-un"
    assert full_name("Putin", ("Kim Jong-un", "Vladimir Putin")) == "Vladimir Putin"
    assert full_name("Macron", ("Kim Jong-un",)) == "Macron"


def test_empty_text_has_no_entities() -> None:
    assert find_entities("") == Entities()


@given(st.text(max_size=600))
def test_any_text_gives_entities_deterministically(text: str) -> None:
    entities = find_entities(text)
    assert entities == find_entities(text)
    for name in entities.people:
        assert name.split()[-1] in text


# The span pattern as first written: each abbreviation lookbehind tried before the dot it guards. The pattern in
# use tests the dot first; both must find the same spans.
_LOOKBEHIND_FIRST_TAIL = (
    r"\w{0,40}(?:['’.&-]\w{1,40}){0,4}"
    r"(?:(?<=\.[^\W\d_])\.|(?<=\b(?:Mr|Dr|Ms|St|Lt|Jr|Sr))\.|(?<=\b(?:Mrs|Rep|Sen|Gov|Gen|Col|Adm|Maj|Sgt))\."
    r"|(?<=\b(?:Capt|Prof|Supt))\.)?"
)
_LOOKBEHIND_FIRST_SPAN = re.compile(
    rf"[{UPPER}](?<![\w'’].){_LOOKBEHIND_FIRST_TAIL}"
    rf"(?:[ \t]+(?:(?:{entities._CONNECTOR})[ \t]+)?[{UPPER}]{_LOOKBEHIND_FIRST_TAIL}){{0,6}}"
)
_SPAN_TOKENS = st.sampled_from(
    [
        *"Mr Mrs Dr Rep Capt Prof Gen U S N.Y St Jr Kim Jong-un AT&T of de van said the O'Neil A x É Ñu 42 Xi".split(),
        *"MrX aMr".split(),
        "of the",
    ]
)
_SPAN_GLUE = st.sampled_from([" ", ". ", ".", "  ", "\t", ", ", "'", "’", "-", "", "\n", ".."])


@given(st.lists(st.tuples(_SPAN_TOKENS, _SPAN_GLUE), max_size=25))
def test_span_pattern_finds_what_the_lookbehind_first_pattern_finds(pieces: list[tuple[str, str]]) -> None:
    text = "".join(token + glue for token, glue in pieces)
    expected = [match.span() for match in _LOOKBEHIND_FIRST_SPAN.finditer(text)]
    assert [match.span() for match in entities._SPAN.finditer(text)] == expected


def test_span_pattern_keeps_abbreviation_and_initialism_dots() -> None:
    text = "Rep. Lorraine Buckley met Mr. Xi in the U.S. and N.Y. Capt. Hook said."
    assert [match[0] for match in entities._SPAN.finditer(text)] == [
        "Rep. Lorraine Buckley",
        "Mr. Xi",
        "U.S.",
        "N.Y. Capt. Hook",
    ]
