"""Fingerprints: 16 hex digits; near-identical bodies are a few bits apart, unrelated ones about 32."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from workers.stages.enrich.fingerprints import fingerprint, hamming_distance

_WORD = re.compile(r"\w+")

BODY = (
    "The letters mark the 75th anniversary of bilateral relations, and came about a month after the leader's rare "
    "trip to the capital, during which the two men discussed military cooperation, a satellite programme and the "
    "war. In his letter, the leader said he was extremely satisfied with their discussions during the visit. He "
    "pledged to further develop relations and wished his counterpart good luck in resisting pressure from abroad. "
    "Officials in several capitals have voiced concern that a revived axis could bolster the military and provide "
    "missile technology banned under international resolutions, while others called the exchange symbolic. "
    "Analysts said the visit was carefully staged for audiences at home and abroad, with state media showing "
    "long motorcades, banquets and tours of factories that build aircraft, ships and rockets for the armed forces."
)
OTHER = (
    "Heavy rain flooded low-lying streets across the port city on Sunday, forcing schools to close and ferries to "
    "stay in harbour. Forecasters expect the storm to weaken as it moves north over the mountains, but warned that "
    "landslides remain possible on steep slopes where the ground is already saturated after a wet month. Volunteers "
    "handed out sandbags, and the electricity company said power had been restored to most homes by the evening. "
    "Farmers in the valley said the harvest would be late but that most of the crop could still be saved if the "
    "weather cleared within a week, and the regional government promised compensation for damaged fields."
)


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def test_fingerprint_is_sixteen_hex_digits() -> None:
    assert re.fullmatch(r"[0-9a-f]{16}", fingerprint(words(BODY)))


def test_same_body_gives_the_same_fingerprint() -> None:
    assert fingerprint(words(BODY)) == fingerprint(words(BODY))


def test_near_identical_bodies_have_small_hamming_distance() -> None:
    edited = BODY.replace("extremely satisfied", "very satisfied").replace("Sunday", "Monday") + " Read more."
    assert hamming_distance(fingerprint(words(BODY)), fingerprint(words(edited))) <= 8


def test_unrelated_bodies_have_large_hamming_distance() -> None:
    assert hamming_distance(fingerprint(words(BODY)), fingerprint(words(OTHER))) >= 16


def test_case_does_not_change_the_fingerprint_of_lower_case_words() -> None:
    assert fingerprint(words(BODY.upper())) == fingerprint(words(BODY))


def test_word_order_changes_the_fingerprint() -> None:
    assert fingerprint(["a", "b", "c"]) != fingerprint(["c", "b", "a"])


def test_empty_body_fingerprint_is_all_zeros() -> None:
    assert fingerprint([]) == "0" * 16


def test_one_or_two_words_give_a_fingerprint() -> None:
    assert len(fingerprint(["word"])) == 16 and len(fingerprint(["two", "words"])) == 16


def test_hamming_distance_counts_differing_bits() -> None:
    assert hamming_distance("0000000000000000", "000000000000000f") == 4


@given(st.lists(st.text(min_size=1, max_size=12), max_size=200))
def test_any_words_give_a_sixteen_digit_fingerprint_deterministically(any_words: list[str]) -> None:
    value = fingerprint(any_words)
    assert value == fingerprint(list(any_words))
    assert re.fullmatch(r"[0-9a-f]{16}", value)
