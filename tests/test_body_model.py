"""The body model of text dumps: its region search, its evidence and the language of its function words."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from workers.stages.language.function_words import function_words_for, function_words_of, identify_language
from workers.stages.language.identification import normalise_language_tag
from workers.stages.text.body_model import (
    FEATURE_NAMES,
    DumpLine,
    body_mask,
    character_counts,
    load_model,
    maximum_sum_segment,
)
from workers.stages.text.dump_cleaning import clean_text_dump, read_dump
from workers.stages.text.line_kinds import LineKind

MODEL_FILE = Path(__file__).resolve().parents[1] / "workers" / "stages" / "data" / "body_model.json"
PROSE = [
    "The city council voted on Tuesday to extend the tram network by twelve kilometres, adding two lines that "
    "will link the northern housing estates with the hospital and the university campus.",
    "Construction is due to start next spring and to last about three years, and the council said the project "
    "would be paid for by a regional fund, a loan and the city's own budget.",
    '"This is the biggest investment in public transport the city has made in a generation," the deputy mayor '
    "told the council before the vote, which passed by 41 votes to 12.",
]
MENU = ["Home", "News", "Sport", "Business", "Culture", "Opinion", "Weather", "Sign in", "Subscribe"]


def test_maximum_sum_segment_finds_the_densest_run() -> None:
    assert maximum_sum_segment([-1, 2, 3, -10, 4]) == (1, 2)
    assert maximum_sum_segment([-5, 3, -1, 4, -20]) == (1, 3)
    assert maximum_sum_segment([-1, -2]) == (0, -1)


def test_shipped_model_matches_the_features_the_code_computes() -> None:
    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    assert tuple(data["features"]) == FEATURE_NAMES
    assert len(data["weights"]) == len(FEATURE_NAMES)
    assert load_model().weights == tuple(float(weight) for weight in data["weights"])


def test_whole_page_dump_keeps_the_prose_and_drops_menus_and_footer() -> None:
    dump = "\n".join([*MENU, "Tram network to grow", *PROSE, "Share", *MENU, "© 2024 Riverside Courier"])
    cleaned = clean_text_dump(dump, function_words_of("en"))
    assert cleaned.paragraphs == tuple(PROSE)


def test_a_comments_heading_is_a_barrier_the_body_never_crosses() -> None:
    comment = (
        "I have taken the number 4 bus to the hospital for years and I think the new line is long overdue, "
        "whatever the opposition says about the cost of it."
    )
    dump = "\n".join([*MENU, *PROSE, "34 Comments", comment])
    cleaned = clean_text_dump(dump, function_words_of("en"))
    assert cleaned.paragraphs == tuple(PROSE)


def test_marker_lines_and_set_apart_lines_are_never_body() -> None:
    lines = [DumpLine(text, number, False, LineKind.BODY) for number, text in enumerate(PROSE)]
    lines.insert(1, DumpLine("Advertisement", 9, False, LineKind.BOILERPLATE))
    mask = body_mask(lines, function_words_of("en"), set_apart={3})
    assert mask == [True, False, True, False]


def test_a_region_dump_like_the_seed_keeps_every_prose_line() -> None:
    dump = read_dump("\n".join(PROSE))
    assert body_mask(dump, function_words_of("en")) == [True, True, True]


def test_function_words_follow_the_declared_language_else_the_text() -> None:
    german = "Der Stadtrat hat am Dienstag beschlossen, das Straßenbahnnetz um zwölf Kilometer zu verlängern."
    assert normalise_language_tag("de-AT") == "de" and normalise_language_tag(None) is None
    assert function_words_for(german, "de-AT") == function_words_of("de")
    assert function_words_for(german, None) == function_words_of("de")
    assert function_words_for(german, "xx") == function_words_of("de")  # no list for it: the text decides
    assert "und" in function_words_of("de") and "the" in function_words_of("en")
    assert function_words_of("ja") == frozenset()
    assert identify_language("12345 ---") is None


def test_a_language_without_a_list_falls_back_to_the_likeliest_one_with_a_list() -> None:
    pidgin_like = "Di goment don talk say dem go build new road for di town before di rainy season reach."
    language = identify_language(pidgin_like)
    assert language is not None and function_words_of(language)


@given(st.text(max_size=200))
def testcharacter_counts_agree_with_str_methods_in_every_script(sample: str) -> None:
    letters = sum(map(str.isalpha, sample))
    capitals = sum(map(str.isupper, sample))
    digits = sum(map(str.isdigit, sample))
    assert character_counts(sample) == (letters, capitals, digits)
    ascii_sample = sample.encode("ascii", "ignore").decode("ascii")
    assert character_counts(ascii_sample) == (
        sum(map(str.isalpha, ascii_sample)),
        sum(map(str.isupper, ascii_sample)),
        sum(map(str.isdigit, ascii_sample)),
    )
