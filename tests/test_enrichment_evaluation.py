"""The enrichment metric (workers.enrichment_evaluation), checked on hand-computed cases."""

from __future__ import annotations

from typing import Any

import pytest

from workers.enrichment_evaluation import Tally, score_article

MUNICH_ID = 2867714
BERLIN_ID = 2950159


def expectation(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "language": "de",
        "reference_time": "2025-03-14T09:30:00Z",
        "dateline": "BERLIN",
        "byline": None,
        "date_mentions": [],
        "people": [],
        "places": [],
        "quotes": [],
    }
    return base | changes


def article(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "language": "de",
        "dateline": "BERLIN",
        "date_mentions": [],
        "people": [],
        "places": [],
        "quotes": [],
    }
    return base | changes


def test_tally_gives_precision_recall_and_f1() -> None:
    counts = Tally(found_right=3, found_wrong=1, missed=3)
    assert counts.precision == pytest.approx(0.75)
    assert counts.recall == pytest.approx(0.5)
    assert counts.f1 == pytest.approx(0.6)


def test_tally_without_anything_found_has_no_precision_and_zero_f1() -> None:
    counts = Tally(missed=2)
    assert counts.precision is None
    assert counts.recall == 0
    assert counts.f1 == 0


def test_date_mention_counts_when_one_text_holds_the_other_and_the_dates_agree() -> None:
    wanted = [{"text": "Donnerstag", "date": "2025-03-13"}, {"text": "Sonntag", "date": "2025-03-16"}]
    found = [
        {"text": "am Donnerstag", "date": "2025-03-13", "weekday_mismatch": False},
        {"text": "Sonntag", "date": "2025-03-09", "weekday_mismatch": False},  # looked back instead of forward
    ]
    score = score_article(article(date_mentions=found), expectation(date_mentions=wanted))
    assert (score.dates.found_right, score.dates.found_wrong, score.dates.missed) == (1, 1, 1)


def test_an_expected_weekday_mismatch_counts_as_flagged_only_when_the_mention_carries_the_flag() -> None:
    wanted = [
        {"text": "Samstag, 29. Dezember 2025", "date": "2025-12-29", "weekday_mismatch": True},
        {"text": "lundi 5 août 2025", "date": "2025-08-05", "weekday_mismatch": True},
    ]
    found = [
        {"text": "Samstag, 29. Dezember 2025", "date": "2025-12-29", "weekday_mismatch": True},
        {"text": "5 août 2025", "date": "2025-08-05", "weekday_mismatch": False},
    ]
    score = score_article(article(date_mentions=found), expectation(date_mentions=wanted))
    assert score.dates.found_right == 2
    assert (score.mismatches_flagged, score.mismatches_expected) == (1, 2)


def test_places_given_as_names_are_compared_by_name() -> None:
    wanted = [
        {"name": "Berlin", "geonames_id": BERLIN_ID, "country_code": "DE"},
        {"name": "München", "geonames_id": MUNICH_ID, "country_code": "DE"},
    ]
    score = score_article(article(places=["berlin", {"name": "Munich"}]), expectation(places=wanted))
    assert score.places_by_id == 0
    assert (score.places.found_right, score.places.found_wrong, score.places.missed) == (1, 1, 1)


def test_places_with_geonames_ids_are_compared_by_id_whatever_their_name() -> None:
    wanted = [{"name": "München", "geonames_id": MUNICH_ID, "country_code": "DE"}]
    found = [
        {"name": "Munich", "geonames_id": MUNICH_ID, "country_code": "DE"},
        {"name": "Berlin", "geonames_id": BERLIN_ID, "country_code": "DE"},
    ]
    score = score_article(article(places=found), expectation(places=wanted))
    assert score.places_by_id == 1
    assert (score.places.found_right, score.places.found_wrong, score.places.missed) == (1, 1, 0)


def test_quotes_match_without_their_marks_and_speakers_are_checked_on_the_quotes_found() -> None:
    wanted = [
        {"text": "Wir haben lange genug gewartet", "speaker": "Katrin Albrecht"},
        {"text": "Die Geduld ist aufgebraucht.", "speaker": "Katrin Albrecht"},
        {"text": "Wer kann, sollte mit dem Rad kommen", "speaker": None},
    ]
    found = [
        {"text": "„Wir haben lange genug gewartet,“", "speaker": "Albrecht"},
        {"text": "Die Geduld ist aufgebraucht", "speaker": "katrin albrecht"},
        {"text": "mit dem Rad", "speaker": None},  # a fragment of the third quote, not the quote
    ]
    score = score_article(article(quotes=found), expectation(quotes=wanted))
    assert (score.quotes.found_right, score.quotes.found_wrong, score.quotes.missed) == (2, 1, 1)
    assert score.speaker_right == 1


def test_people_are_compared_by_full_name_without_regard_to_case() -> None:
    wanted = ["Katrin Albrecht", "Thomas Brandner"]
    found = [{"name": "katrin  Albrecht"}, {"name": "Brandner"}]
    score = score_article(article(people=found), expectation(people=wanted))
    assert (score.people.found_right, score.people.found_wrong, score.people.missed) == (1, 1, 1)


def test_norwegian_bokmal_tag_counts_as_norwegian_and_datelines_ignore_case() -> None:
    score = score_article(article(language="nb", dateline="Oslo"), expectation(language="no", dateline="OSLO"))
    assert (score.language_right, score.dateline_right) == (1, 1)


def test_a_dead_letter_misses_everything() -> None:
    wanted = expectation(people=["Katrin Albrecht"], quotes=[{"text": "Genug", "speaker": None}])
    score = score_article(None, wanted)
    assert (score.language_right, score.dateline_right) == (0, 0)
    assert (score.people.missed, score.quotes.missed) == (1, 1)
